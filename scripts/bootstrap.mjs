#!/usr/bin/env node
// The two README commands land here: `npm start` and `npm test`.
// Needs only Node and npm: installs the pinned pnpm into .tools/, the
// workspace, and (for tests) Debian's Chromium, then hands over.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const mode = process.argv[2] ?? 'start';
const rest = process.argv.slice(3);

function step(msg) {
  console.log(`\n▶ ${msg}`);
}

function pnpmVersionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function ensurePnpm() {
  const local = path.join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (pnpmVersionOf('pnpm') === pnpmVersion) return 'pnpm';
  if (existsSync(local) && pnpmVersionOf(local) === pnpmVersion) return local;
  step(`installing pnpm ${pnpmVersion} into .tools/ (corepack cannot verify registry signatures here)`);
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', path.join(root, '.tools'), `pnpm@${pnpmVersion}`], {
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0 || pnpmVersionOf(local) !== pnpmVersion) {
    console.error(`could not install pnpm ${pnpmVersion}`);
    process.exit(1);
  }
  return local;
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  step('installing Debian chromium and CJK fonts for the end-to-end tests');
  if (process.getuid?.() !== 0) {
    console.error('Chromium is missing. Install it with: sudo apt-get install -y chromium fonts-noto-cjk');
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium', 'fonts-noto-cjk']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed`);
      process.exit(1);
    }
  }
}

const pnpm = ensurePnpm();
step('installing the workspace (pnpm install --frozen-lockfile)');
const install = spawnSync(pnpm, ['install', '--frozen-lockfile', '--reporter=append-only'], { stdio: 'inherit', cwd: root });
if (install.status !== 0) process.exit(install.status ?? 1);

if (mode === 'test') ensureChromium();

const script = mode === 'test' ? 'check' : 'platform';
const env = { ...process.env, PATH: `${path.dirname(pnpm === 'pnpm' ? '' : pnpm)}${path.delimiter}${process.env.PATH}` };
const r = spawnSync(pnpm, ['run', script, ...rest], { stdio: 'inherit', cwd: root, env });
process.exit(r.status ?? 1);
