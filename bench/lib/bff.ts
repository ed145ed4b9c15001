/**
 * The production bff: built with its own build script when bff/dist/server.js
 * is missing or older than the sources, started as `node bff/dist/server.js`
 * (NODE_ENV=production, LOG_LEVEL=warn, JOBS_ENABLED=true) on a free port.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort, log, sleep, stopChild, track } from './util.ts';
import { bffPids } from './cpu.ts';
import { bffNodeFlags } from '../../bff/src/node-flags.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds bff/dist/server.js with bff's own `build` script when it is missing or stale. */
export function ensureBffBuild(root: string, opts: { force?: boolean; skip?: boolean } = {}): void {
  const bffDir = path.join(root, 'bff');
  const dist = path.join(bffDir, 'dist', 'server.js');
  let why: string | null = null;
  if (opts.force) why = '--build';
  else if (!existsSync(dist)) why = 'bff/dist/server.js is missing';
  else if (!opts.skip && newestMtime(path.join(bffDir, 'src')) > statSync(dist).mtimeMs) why = 'bff/src changed since the last build';
  if (!why) return;
  const script = (JSON.parse(readFileSync(path.join(bffDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
  log(`building bff (${why}): ${script}`);
  const t = performance.now();
  const r = spawnSync('sh', ['-c', script], {
    cwd: bffDir,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${path.join(bffDir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error('the bff build failed');
  log(`  built in ${Math.round(performance.now() - t)} ms`);
}

export type BffProcess = { port: number; url: string; child: ChildProcess; stop: () => Promise<void>; output: () => string };

export async function startBff(root: string, databaseUrl: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<BffProcess> {
  const port = await freePort();
  const bffDir = path.join(root, 'bff');
  // A production bff checks its payment merchant at startup (ADR-038); no bench pays: the demo merchant, unreachable.
  const keysModule = path.join(root, 'bff/src/modules/payments/dev-gateway/demo-keys.ts');
  const merchant = process.env.PAYMENT_PROVIDER || extraEnv.PAYMENT_PROVIDER ? {} : ((await import(keysModule)) as { demoMerchantEnv: () => Record<string, string> }).demoMerchantEnv();
  const child = track(
    spawn(process.execPath, [...bffNodeFlags(bffDir), ...nodeArgs, 'dist/server.js'], {
      cwd: bffDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        JOBS_ENABLED: 'true',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        ...merchant,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  bffPids.add(child.pid!);
  child.once('exit', () => bffPids.delete(child.pid!));
  // Keep the last few kilobytes of output for a failure report; warnings are printed as they come.
  let tail = '';
  let partial = '';
  const keep = (d: Buffer) => {
    const text = String(d);
    tail = (tail + text).slice(-20_000);
    // pino writes one JSON object a line: a warning (40) or worse is printed with the bench's log.
    const lines = (partial + text).split('\n');
    partial = lines.pop()!.slice(-20_000);
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level ? Number(level) >= 40 : line.trim() !== '') log(`  bff ${port}: ${line.length > 800 ? `${line.slice(0, 800)}…` : line}`);
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, 'bff', () => tail);
  return { port, url, child, stop: () => stopChild(child), output: () => tail };
}

/** Waits (up to 20 s) until `url`/healthz answers 2xx; fails at once if the child exits. */
export async function waitHealthy(url: string, child: ChildProcess, what: string, output: () => string = () => ''): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}) while starting:\n${output()}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return;
    await sleep(100);
  }
  throw new Error(`${what} did not come up on ${url}:\n${output()}`);
}
