// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**', '**/dist/**', '**/build/**', '**/.svelte-kit/**', '.data/**', '.tools/**',
      '**/test-results/**', '**/playwright-report/**', 'db/seed/demo.sql', '**/*.svelte', 'web/static/**', 'bench/out/**',
      '**/.stryker-tmp/**', '**/reports/mutation/**', // StrykerJS sandboxes and reports (pnpm test:mutation)
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // `interface ErrorCodes extends CodesOf<typeof messages> {}`: each module adds its codes (bff/src/core/errors.ts).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // Scripts and tests talk to the terminal.
    files: ['scripts/**', 'db/src/cli.ts', 'db/seed/**', 'e2e/**', 'bench/**', '**/*.test.ts', '**/*.config.*'],
    rules: { 'no-console': 'off' },
  },
  {
    // style §1: the rule book stays testable without a database — rules.ts imports
    // nothing but schemas, the error type and other pure modules.
    files: ['bff/src/modules/**/rules.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{
          group: ['postgres', 'hono', 'hono/*', '@hono/*', 'pino', '**/db.ts', '**/repo.ts', '**/service.ts', '**/routes.ts', '**/admin.routes.ts',
            '**/platform/*', '!**/platform/calendar.ts', '!**/platform/check-digits.ts', '**/http/*', '**/core/context.ts', '**/core/module.ts'],
          message: 'rules.ts holds pure decisions: no SQL, HTTP, clock or I/O (style §1).',
        }],
      }],
    },
  },
);
