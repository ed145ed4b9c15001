/**
 * Lints the bff's OpenAPI document with redocly (recommended rules, redocly.yaml):
 * builds it from the app's routes without a database or a server
 * (bff/src/openapi-document.ts), writes it to .data/openapi.json, runs
 * `redocly lint`. Fails on any error (ADR-023).
 *   tsx scripts/openapi-lint.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.data', 'openapi.json');
mkdirSync(path.dirname(out), { recursive: true });

const built = spawnSync('pnpm', ['exec', 'tsx', 'src/openapi-document.ts', out], { cwd: path.join(root, 'bff'), stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const lint = spawnSync('pnpm', ['exec', 'redocly', 'lint', out, '--config', path.join(root, 'redocly.yaml'), '--format', 'stylish'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
});
process.exit(lint.status ?? 1);
