/**
 * `npm test`: every check and test — the rule index and links (docs), the
 * OpenAPI document's lint (openapi), type checks, lint, unit and integration tests on a real Postgres (embedded, or
 * DATABASE_URL's server), production builds, the end-to-end suite in a
 * real Chromium, and the performance and accessibility budgets (e2e/budgets/).
 * Prints one line per step, a line per failed test under it (a CI log may keep only its tail),
 * and a closing `N passed, N failed` over all tests.
 *   tsx scripts/check.ts [--skip-e2e] [--only=step,step]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, '.data', 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const argv = process.argv.slice(2);
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const skipE2e = argv.includes('--skip-e2e');

type Step = { name: string; cmd: string[]; cwd?: string; env?: Record<string, string>; results?: string; kind?: 'vitest' | 'playwright' };
const vitest = (pkg: string): Step => ({
  name: `unit+integration (${pkg})`,
  cmd: ['pnpm', 'exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${path.join(out, `${pkg}.json`)}`],
  cwd: path.join(root, pkg),
  results: path.join(out, `${pkg}.json`),
  kind: 'vitest',
});
const steps: Step[] = [
  // Seconds, so first: docs/rules.md matches the code, Markdown links resolve (scripts/rules-index.ts).
  { name: 'docs', cmd: ['pnpm', 'exec', 'tsx', 'scripts/rules-index.ts', '--check'] },
  // Seconds too: the OpenAPI document, built from the routes without a server, passes `redocly lint` (ADR-023).
  { name: 'openapi', cmd: ['pnpm', 'exec', 'tsx', 'scripts/openapi-lint.ts'] },
  { name: 'typecheck', cmd: ['sh', '-c', 'tsc -p scripts/tsconfig.json && pnpm -r --no-bail run typecheck'] },
  { name: 'lint', cmd: ['pnpm', 'exec', 'eslint', '--max-warnings=0', '.'] },
  vitest('bff'),
  vitest('web'),
  vitest('admin'),
  { name: 'build', cmd: ['pnpm', '-r', '--filter', 'bff', '--filter', 'web', '--filter', 'admin', 'run', 'build'] },
  {
    name: 'e2e',
    cmd: ['pnpm', 'exec', 'playwright', 'test'],
    cwd: path.join(root, 'e2e'),
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(out, 'e2e.json') },
    results: path.join(out, 'e2e.json'),
    kind: 'playwright' as const,
  },
  {
    // Issue 18: Lighthouse (mobile) and axe on five citizen pages, JavaScript per page, the staff
    // console's weight before its sign-in form; prints the figures (e2e/budgets/).
    name: 'budgets',
    cmd: ['pnpm', 'exec', 'playwright', 'test', '-c', 'budgets/playwright.config.ts'],
    cwd: path.join(root, 'e2e'),
    // Ports (and so a database folder) of its own: the e2e step's embedded PostgreSQL may still be stopping.
    env: { PLAYWRIGHT_JSON_OUTPUT_NAME: path.join(out, 'budgets.json'), E2E_WEB_PORT: '13050', E2E_BFF_PORT: '18850' },
    results: path.join(out, 'budgets.json'),
    kind: 'playwright' as const,
  },
].filter((s) => (!only || only.some((o) => s.name.startsWith(o))) && !(skipE2e && (s.name === 'e2e' || s.name === 'budgets')));

/** The first line of a failure message, without colour codes: enough to find the test. */
const firstLine = (m: unknown) => stripVTControlCharacters(String(m ?? '')).trim().split('\n')[0]!.slice(0, 200);
type VitestFile = { name: string; assertionResults?: { status: string; fullName: string; failureMessages?: string[] }[]; status?: string; message?: string };
type PwSpec = { title: string; file: string; line: number; tests?: { status?: string; results?: { error?: { message?: string } }[] }[] };
type PwSuite = { title?: string; specs?: PwSpec[]; suites?: PwSuite[] };
/** Which tests failed, one line each, so the summary (all a CI log's tail may keep) names them. */
function failures(kind: Step['kind'], j: unknown): string[] {
  const rel = (f: string) => path.relative(root, f);
  if (kind === 'vitest') {
    return ((j as { testResults?: VitestFile[] }).testResults ?? []).flatMap((f) => {
      const tests = (f.assertionResults ?? []).filter((a) => a.status === 'failed');
      if (!tests.length && f.status === 'failed') return [`${rel(f.name)}: ${firstLine(f.message)}`];
      return tests.map((a) => `${rel(f.name)} › ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
    });
  }
  const walk = (s: PwSuite): string[] => [
    ...(s.specs ?? []).flatMap((sp) =>
      (sp.tests ?? [])
        .filter((t) => t.status === 'unexpected' || t.status === 'flaky')
        .map((t) => `${sp.file}:${sp.line} › ${sp.title}${t.status === 'flaky' ? ' (flaky)' : ''}: ${firstLine(t.results?.find((r) => r.error)?.error?.message)}`),
    ),
    ...(s.suites ?? []).flatMap(walk),
  ];
  return ((j as { suites?: PwSuite[] }).suites ?? []).flatMap(walk);
}

let passed = 0;
let failed = 0;
const summary: string[] = [];
const t0 = performance.now();
for (const s of steps) {
  const t = performance.now();
  console.log(`\n━━ ${s.name} ━━`);
  const r = spawnSync(s.cmd[0]!, s.cmd.slice(1), { cwd: s.cwd ?? root, stdio: 'inherit', env: { ...process.env, TZ: 'UTC', ...s.env } });
  let ok = r.status === 0;
  let counts = '';
  let failedTests: string[] = [];
  if (s.results && existsSync(s.results)) {
    const j = JSON.parse(readFileSync(s.results, 'utf8'));
    if (s.kind === 'vitest') {
      passed += j.numPassedTests ?? 0;
      failed += j.numFailedTests ?? 0;
      counts = ` — ${j.numPassedTests} passed, ${j.numFailedTests} failed`;
    } else {
      const st = j.stats ?? {};
      passed += st.expected ?? 0;
      failed += (st.unexpected ?? 0) + (st.flaky ?? 0);
      counts = ` — ${st.expected ?? 0} passed, ${st.unexpected ?? 0} failed${st.flaky ? `, ${st.flaky} flaky` : ''}`;
    }
    failedTests = failures(s.kind, j);
  }
  // Trust the counts as well as the exit code: a runner that exits 0 with failures must not pass.
  if (/, [1-9]\d* failed/.test(counts)) ok = false;
  if (!ok && !counts) failed += 1;
  summary.push(`${ok ? '✔' : '✘'} ${s.name} (${((performance.now() - t) / 1000).toFixed(1)} s)${counts}`, ...failedTests.map((f) => `    ✘ ${f}`));
  if (!ok) process.exitCode = 1;
}
console.log(`\n━━ summary (${((performance.now() - t0) / 1000).toFixed(0)} s) ━━\n${summary.join('\n')}\n`);
console.log(`Tests: ${passed} passed, ${failed} failed`);
