/**
 * The stack's own ceiling for the ratio: a bare route — Hono on
 * @hono/node-server and postgres.js, the bff's versions and pool size — that
 * runs the booking's two statements exactly as the pgbench script does
 * (lib/pgbench.ts bareStatements: the same text, the variables as
 * parameters) and nothing else: no validation, no rules in JavaScript, no
 * audit, idempotency or session code, no admission gate, no second pool.
 * Issue 7 quotes such a route at "about 0.56 here"; the full endpoint's
 * ratio read against this one says what its own work costs, and what the
 * runtime costs whatever the endpoint does.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bffPids } from './cpu.ts';
import { bareStatements, type PgbenchShape } from './pgbench.ts';
import { waitHealthy } from './bff.ts';
import { freePort, stopChild, track } from './util.ts';

export type BareRoute = { url: string; stop: () => Promise<void> };

export async function startBareRoute(root: string, databaseUrl: string, o: { shape: PgbenchShape; run: number; pool: number; floor?: boolean }): Promise<BareRoute> {
  const fromBff = createRequire(path.join(root, 'bff', 'package.json'));
  const resolved = (name: string) => pathToFileURL(fromBff.resolve(name)).href;
  const port = await freePort();
  const child = track(
    spawn(process.execPath, [path.join(root, 'bench', 'lib', o.floor ? 'floor-server.mjs' : 'bare-server.mjs')], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        BARE_POOL: String(o.pool),
        BARE_RUN: String(o.run),
        BARE_STATEMENTS: JSON.stringify({ ...bareStatements(o.shape), body: o.shape.responseBody }),
        BARE_HONO: resolved('hono'),
        BARE_NODE_SERVER: resolved('@hono/node-server'),
        BARE_POSTGRES: resolved('postgres'),
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    }),
  );
  // Its CPU counts as the bff's in the runs' figures.
  bffPids.add(child.pid!);
  child.once('exit', () => bffPids.delete(child.pid!));
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, o.floor ? 'the floor server' : 'the bare route');
  return { url, stop: () => stopChild(child) };
}

/**
 * The release rush's floor (floor-server.mjs, ADR-040): node:http and the booking's read batched,
 * nothing else — the least a server can do for a rush's request, on the same cores as the bff.
 */
export const startFloorServer = (root: string, databaseUrl: string, o: { run: number; pool: number }) =>
  startBareRoute(root, databaseUrl, { ...o, shape: { responseBody: '{}' }, floor: true });
