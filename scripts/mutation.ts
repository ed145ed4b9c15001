/**
 * `pnpm test:mutation`: StrykerJS over every bff module's rules.ts and repo.ts,
 * one module at a time (bff/stryker.config.mjs), then a table of scores.
 * Slow (minutes per module), so it is not part of `npm test`.
 *
 *   tsx scripts/mutation.ts                       rules.ts and repo.ts of every module
 *   tsx scripts/mutation.ts --scope=rules         rules.ts only (pure tests, fastest)
 *   tsx scripts/mutation.ts --module=plates,ops   some modules
 *   tsx scripts/mutation.ts --report              print the table from the last reports, run nothing
 *
 * DATABASE_URL (a running Postgres) makes the repo runs faster; without it each
 * test runner starts an embedded Postgres. MUTATE_CONCURRENCY sets Stryker's
 * test runners (2). Reports: bff/reports/mutation/<module>-<scope>.{json,html}.
 * Exits 1 when a rules.ts has a surviving or uncovered mutant.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bff = path.join(root, 'bff');
const modulesDir = path.join(bff, 'src', 'modules');
const argv = process.argv.slice(2);
const arg = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

type Scope = 'rules' | 'repo';
const scopes: Scope[] = arg('scope') ? (arg('scope')!.split(',') as Scope[]) : ['rules', 'repo'];
const all = readdirSync(modulesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
const modules = arg('module') ? arg('module')!.split(',') : all;
const has = (m: string, scope: Scope) =>
  scope === 'rules'
    ? existsSync(path.join(modulesDir, m, 'rules.ts'))
    : readdirSync(path.join(modulesDir, m)).some((f) => f === 'repo.ts' || f.endsWith('.repo.ts'));

type Row = { module: string; scope: Scope; killed: number; timeout: number; survived: number; noCoverage: number; errors: number; seconds?: number };

function read(m: string, scope: Scope): Row | null {
  const file = path.join(bff, 'reports', 'mutation', `${m}-${scope}.json`);
  if (!existsSync(file)) return null;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, { mutants: { status: string }[] }> };
  const row: Row = { module: m, scope, killed: 0, timeout: 0, survived: 0, noCoverage: 0, errors: 0 };
  for (const f of Object.values(report.files))
    for (const mu of f.mutants) {
      if (mu.status === 'Killed') row.killed++;
      else if (mu.status === 'Timeout') row.timeout++;
      else if (mu.status === 'Survived') row.survived++;
      else if (mu.status === 'NoCoverage') row.noCoverage++;
      else if (mu.status === 'CompileError' || mu.status === 'RuntimeError') row.errors++;
    }
  return row;
}

/** Stryker's score: detected (killed + timeout) over valid mutants (errors and ignored ones excluded). */
const score = (r: Row) => {
  const valid = r.killed + r.timeout + r.survived + r.noCoverage;
  return valid === 0 ? 100 : ((r.killed + r.timeout) / valid) * 100;
};

const rows: Row[] = [];
for (const m of modules)
  for (const scope of scopes) {
    if (!has(m, scope)) continue;
    if (!argv.includes('--report')) {
      const started = Date.now();
      process.stdout.write(`stryker: ${m} ${scope}.ts …\n`);
      const r = spawnSync('pnpm', ['exec', 'stryker', 'run', 'stryker.config.mjs'], {
        cwd: bff,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, MUTATE_MODULE: m, MUTATE_SCOPE: scope },
      });
      if (r.status !== 0) {
        console.error(`stryker failed for ${m} ${scope} (exit ${r.status})`);
        process.exitCode = 1;
        continue;
      }
      const row = read(m, scope);
      if (row) rows.push({ ...row, seconds: Math.round((Date.now() - started) / 1000) });
    } else {
      const row = read(m, scope);
      if (row) rows.push(row);
    }
  }

console.log('\n| module | file | score | killed | timeout | survived | no coverage | time |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows)
  console.log(
    `| ${r.module} | ${r.scope}.ts | ${score(r).toFixed(1)} % | ${r.killed} | ${r.timeout} | ${r.survived} | ${r.noCoverage} | ${r.seconds === undefined ? '' : `${r.seconds} s`} |`,
  );
if (rows.some((r) => r.scope === 'rules' && r.survived + r.noCoverage > 0)) {
  console.log('\nA rules.ts has surviving mutants: see bff/reports/mutation/<module>-rules.html.');
  process.exitCode = 1;
}
