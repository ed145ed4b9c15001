/**
 * Where the machine's cores went during a run (Linux /proc): the load
 * generator (this process), the bff processes, the PostgreSQL processes the
 * bench started (the postmaster and its backends), and everything else on
 * the machine. On a shared 2-core machine this says whether a figure was
 * limited by the bff, the database, the load generator or a neighbour.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

const HZ = 100; // USER_HZ on Linux

/** ticks: own user+system time; reaped: user+system time of children it has waited for (a postmaster's ended backends) */
type Proc = { pid: number; ppid: number; comm: string; ticks: number; reaped: number };
export type CpuSnapshot = { at: number; busy: number; procs: Map<number, Proc> };

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // fields after comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
      out.set(Number(d), { pid: Number(d), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) });
    } catch {
      /* gone */
    }
  }
  return out;
}

function busyTicks(): number {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const v = line!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return v[0]! + v[1]! + v[2]! + v[5]! + v[6]! + v[7]!;
}

const bffs = new Set<number>();
/** The bff processes whose CPU the runs report (bff.ts registers each one it starts). */
export const bffPids = { add: (pid: number) => bffs.add(pid), delete: (pid: number) => bffs.delete(pid) };

export function cpuSnapshot(): CpuSnapshot | null {
  if (!existsSync('/proc/stat')) return null;
  return { at: performance.now(), busy: busyTicks(), procs: readProcs() };
}

function descendants(procs: Map<number, Proc>, roots: number[]): Set<number> {
  const set = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs.values()) if (!set.has(p.pid) && set.has(p.ppid)) {
      set.add(p.pid);
      grew = true;
    }
  }
  return set;
}

export type CpuUse = { seconds: number; bench: number; bff: number; postgres: number; other: number; text: string };

/** Cores used per group between two snapshots, e.g. "bench 0.7, bff 0.6, postgres 0.6, other 0.1 (of 2 cores)". */
export function cpuSplit(a: CpuSnapshot | null, b: CpuSnapshot | null): string {
  return cpuUse(a, b)?.text ?? '';
}

/** CPU-seconds per group between two snapshots (and the summary text). */
export function cpuUse(a: CpuSnapshot | null, b: CpuSnapshot | null): CpuUse | null {
  if (!a || !b) return null;
  const secs = (b.at - a.at) / 1000;
  // A group's time: its processes' own time, plus what their ended children used (a backend that
  // served pgbench is gone by the end; its time is in the postmaster's reaped time).
  const groupTicks = (s: CpuSnapshot, pids: Set<number>) => {
    let t = 0;
    for (const pid of pids) {
      const p = s.procs.get(pid);
      if (p) t += p.ticks + p.reaped;
    }
    return t;
  };
  const used = (rootsOf: (s: CpuSnapshot) => number[]) =>
    (groupTicks(b, descendants(b.procs, rootsOf(b))) - groupTicks(a, descendants(a.procs, rootsOf(a)))) / HZ;
  const postmastersOf = (s: CpuSnapshot) => {
    const all = [...s.procs.values()].filter((p) => p.comm === 'postgres' && s.procs.get(p.ppid)?.comm !== 'postgres');
    const mine = descendants(s.procs, [process.pid]);
    const ours = all.filter((p) => mine.has(p.pid));
    return (ours.length ? ours : all).map((p) => p.pid);
  };
  const total = (b.busy - a.busy) / HZ;
  const own = (s: CpuSnapshot) => s.procs.get(process.pid)?.ticks ?? 0;
  const c = { bench: (own(b) - own(a)) / HZ, bff: used(() => [...bffs]), postgres: used(postmastersOf) };
  const other = Math.max(0, total - c.bench - c.bff - c.postgres);
  const cores = (x: number) => (x / secs).toFixed(2);
  return {
    seconds: secs,
    ...c,
    other,
    text: `cores busy: load generator ${cores(c.bench)}, bff ${cores(c.bff)}, postgres ${cores(c.postgres)}, rest of the machine ${cores(other)} (of ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'})`,
  };
}
