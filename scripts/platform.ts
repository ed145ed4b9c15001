/**
 * Starts the whole platform: Postgres (embedded when DATABASE_URL is unset),
 * migrations and demo seed, then bff (serving admin at /admin/) and web.
 *   tsx scripts/platform.ts [--dev] [--no-build] [--reset-db]
 * Env: DATABASE_URL, BFF_PORT (8787), WEB_PORT (3000), PLATFORM_DB (jiaoguan), PG_DATA_DIR.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createDatabase, loadSeed, migrate, startEmbeddedPostgres, defaultDataDir } from 'db';
import { bffNodeFlags } from '../bff/src/node-flags.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const dev = args.has('--dev');
const build = !dev && !args.has('--no-build');
const bffPort = Number(process.env.BFF_PORT ?? 8787);
const webPort = Number(process.env.WEB_PORT ?? 3000);
const dbName = process.env.PLATFORM_DB ?? 'jiaoguan';
const started = performance.now();
const children: ChildProcess[] = [];
let stopEmbedded: (() => Promise<void>) | undefined;

function log(msg: string) {
  console.log(`[platform] ${msg}`);
}

async function shutdown(code = 0) {
  for (const c of children) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  await stopEmbedded?.().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

let serverUrl = process.env.DATABASE_URL;
if (serverUrl) {
  log(`using DATABASE_URL (${new URL(serverUrl).host})`);
} else {
  const dataDir = process.env.PG_DATA_DIR ?? defaultDataDir();
  log(`starting embedded PostgreSQL (data in ${path.relative(root, dataDir) || dataDir})`);
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(process.env.PG_PORT ?? 0) || undefined });
  stopEmbedded = pg.stop;
  serverUrl = await createDatabase(pg.url, dbName, { dropFirst: args.has('--reset-db') });
}
if (process.env.DATABASE_URL && args.has('--reset-db')) {
  serverUrl = await createDatabase(serverUrl, new URL(serverUrl).pathname.slice(1) || dbName, { dropFirst: false });
  const s = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await s.unsafe('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  await s.end();
}
const databaseUrl = serverUrl;
{
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  const m = await migrate(sql);
  log(`migrations: ${m.applied.length} applied, ${m.skipped.length} already there`);
  log(`demo seed: ${await loadSeed(sql)}`);
  await sql.end();
}

if (build) {
  log('building bff, web and admin (production builds)');
  const r = spawnSync('pnpm', ['-r', '--filter', 'bff', '--filter', 'web', '--filter', 'admin', 'run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) await shutdown(1);
}

const common = { ...process.env, DATABASE_URL: databaseUrl };
// The dev SMS inbox and the shared test clock: on unless asked otherwise, never in production (ADR-023).
const devTools = process.env.DEV_TOOLS ?? (process.env.NODE_ENV === 'production' ? '0' : '1');
const bffEnv = {
  ...common,
  PORT: String(bffPort),
  ADMIN_DIST: path.join(root, 'admin', 'dist'),
  // web's server is the one proxy in front of the bff for citizens (it sends the browser's address);
  // the bff listens on 127.0.0.1 only, so nobody else can claim to be that hop (ADR-023).
  TRUSTED_PROXY_HOPS: process.env.TRUSTED_PROXY_HOPS ?? '1',
  DEV_TOOLS: devTools,
  PUBLIC_WEB_URL: `http://localhost:${webPort}`,
  PUBLIC_ADMIN_URL: `http://localhost:${bffPort}`,
};
const webEnv = { ...common, PORT: String(webPort), HOST: '0.0.0.0', BODY_SIZE_LIMIT: '6M', BFF_URL: `http://127.0.0.1:${bffPort}`, ORIGIN: process.env.ORIGIN ?? `http://localhost:${webPort}` };

function run(name: string, cmd: string, cmdArgs: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const child = spawn(cmd, cmdArgs, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code) => {
    log(`${name} exited (${code})`);
    void shutdown(code ?? 1);
  });
  children.push(child);
}

if (dev) {
  run('bff', 'pnpm', ['exec', 'tsx', 'watch', 'src/server.ts'], path.join(root, 'bff'), { ...bffEnv, ADMIN_DIST: '' });
  run('web', 'pnpm', ['exec', 'vite', 'dev', '--port', String(webPort), '--strictPort'], path.join(root, 'web'), webEnv);
  run('admin', 'pnpm', ['exec', 'vite', '--port', String(bffPort + 1), '--strictPort'], path.join(root, 'admin'), common);
} else {
  run('bff', process.execPath, [...bffNodeFlags(path.join(root, 'bff')), 'dist/server.js'], path.join(root, 'bff'), { ...bffEnv, NODE_ENV: process.env.NODE_ENV ?? 'development' });
  run('web', process.execPath, ['build'], path.join(root, 'web'), webEnv);
}

async function waitFor(url: string) {
  for (let i = 0; i < 240; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}
await waitFor(`http://127.0.0.1:${bffPort}/healthz`);
await waitFor(`http://127.0.0.1:${webPort}/`);
const secs = ((performance.now() - started) / 1000).toFixed(1);
const adminUrl = dev ? `http://localhost:${bffPort + 1}/admin/` : `http://localhost:${bffPort}/admin/`;
console.log(`
  交管在线服务平台 is running (ready in ${secs} s)

  Citizen web app  http://localhost:${webPort}/
  Staff admin      ${adminUrl}
  API reference    http://localhost:${bffPort}/api/docs
${devTools === '1' || devTools === 'true' ? `  Dev SMS inbox    http://localhost:${bffPort}/dev/inbox\n` : ''}  Database         ${databaseUrl.replace(/\/\/[^@]*@/, '//')}

  Demo accounts are listed in README.md. Ctrl+C stops everything.
`);
