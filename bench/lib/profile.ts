/**
 * `--profile`: the first bff runs with --cpu-prof; this prints where its CPU
 * time went (self time by function, then by package), to find per-request
 * work that could be done once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { log } from './util.ts';

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] };
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

function packageOf(url: string): string {
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.includes('/bff/dist/')) return 'bff (bundle)';
  if (url.startsWith('node:') || url === '') return url || '(native/gc/idle)';
  return url.replace(/^file:\/\//, '');
}

export function summariseProfiles(dir: string, top = 25): void {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile'))) {
    const p = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Profile;
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
    // Shares of the time the process was working (not waiting in the event loop).
    const idleIds = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
    const total = [...self.entries()].filter(([id]) => !idleIds.has(id)).reduce((a, [, b]) => a + b, 0);
    const byFn = new Map<string, number>();
    const byPkg = new Map<string, number>();
    for (const [id, us] of self) {
      if (idleIds.has(id)) continue;
      const n = byId.get(id)!;
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${packageOf(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + us);
      const pkg = packageOf(n.callFrame.url);
      byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + us);
    }
    const pct = (us: number) => `${((100 * us) / total).toFixed(1)} %`.padStart(7);
    log(`  profile ${f}: ${(total / 1e6).toFixed(1)} s working (idle excluded; native frames include time preempted in syscalls)`);
    log('    by package:');
    for (const [k, v] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`    ${pct(v)}  ${k}`);
    log('    by function (self time):');
    for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top)) log(`    ${pct(v)}  ${k}`);
  }
}
