import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The fault tests run the production bundle (`node dist/server.js`), so it is
 * built afresh from the sources first, with the package's own build script.
 */
export default function buildBff() {
  const dir = path.resolve(import.meta.dirname, '../..');
  const script = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.build!;
  const r = spawnSync('sh', ['-c', script], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PATH: `${path.join(dir, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error('building bff/dist/server.js for the fault tests failed');
}
