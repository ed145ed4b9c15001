/** bench/RESULTS.md: the figures of one run, the machine, and each target next to its figure. */
import type { Check } from './invariants.ts';
import type { PgbenchRun } from './pgbench.ts';
import type { PoolFigures } from './pool.ts';
import type { Calibration } from './calibrate.ts';
import type { DrainFigures } from './outbox.ts';
import { walPerRequest } from './database.ts';
import type { PlateFigures, RushFigures, ThroughputFigures } from './scenarios.ts';
import { ms, num } from './util.ts';

export type Results = {
  startedAt: Date;
  seconds: number;
  quick: boolean;
  machine: { cores: number; memoryGiB: number; cpu: string; os: string };
  node: string;
  postgres: string;
  database: string;
  pgbench: string | null;
  /** the round with the median losers' p99, and every round */
  rush?: RushFigures;
  rushRounds?: RushFigures[];
  /** the rush once more over fresh connections (autocannon), for comparison (ADR-018) */
  rushFresh?: RushFigures;
  /** the same rush against the floor server (lib/floor-server.mjs): the median round, and every round */
  floor?: RushFigures;
  floorRounds?: RushFigures[];
  /** the floor server once more on slots already full: every request refused, nothing written */
  floorRefused?: RushFigures;
  /** both rush generators against a stub server that answers at once */
  calibration?: Calibration;
  plate?: PlateFigures;
  read?: ThroughputFigures;
  readPaced: ThroughputFigures[];
  booking?: ThroughputFigures;
  /** the same closed-loop booking run, after pgbench */
  bookingAgain?: ThroughputFigures;
  bookingPaced: ThroughputFigures[];
  /** the outbox dispatcher working off the SMS the ratio runs left queued */
  smsDrain?: DrainFigures;
  pgbenchRuns: PgbenchRun[];
  ratio?: { bff: number; pgbench: number; pgbenchLabel: string; value: number; perRun: { label: string; tps: number; ratio: number }[]; bare?: number };
  /** the bare route (lib/bare.ts): the two statements behind Hono and postgres.js, nothing else */
  bare?: ThroughputFigures;
  /** bookings/s of each bare-route run (one next to each of the bff's runs) */
  bareRuns: number[];
  rush2?: RushFigures;
  rush2Rounds?: RushFigures[];
  rush2Fresh?: RushFigures;
  plate2?: PlateFigures;
  pool?: { pools: PoolFigures[]; ratio: number };
  invariants: { after: string; checks: Check[] }[];
  notes: string[];
  failed?: string;
};

const yes = (ok: boolean | null | undefined) => (ok === null || ok === undefined ? '—' : ok ? '**met**' : '**not met**');
const statuses = (b: Record<string, number>) =>
  Object.entries(b)
    .sort(([a], [c]) => Number(a) - Number(c))
    .map(([k, v]) => `${k}: ${num(v)}`)
    .join(', ');

/**
 * Issue 23's figures (group commit, ADR-040), each with its verdict: printed
 * at the end of a run and written to RESULTS.md. `ok` null: not measured.
 */
export function groupCommitTargets(r: Results): { target: string; figure: string; ok: boolean | null }[] {
  const out: { target: string; figure: string; ok: boolean | null }[] = [];
  if (r.ratio) {
    const best = r.pgbenchRuns.reduce<PgbenchRun | undefined>((a, b) => (!a || b.tps > a.tps ? b : a), undefined);
    out.push({
      target: 'booking endpoint ≥ 1.0 × pgbench running the single-booking statements at its best client count (the bare route beside it)',
      figure: `${num(r.ratio.bff)} / ${num(r.ratio.pgbench)} bookings/s = ${r.ratio.value.toFixed(2)} (pgbench ${best?.label ?? r.ratio.pgbenchLabel})${r.ratio.bare !== undefined && r.bare ? `; bare route ${num(r.bare.summary.rps)} / ${num(r.ratio.pgbench)} = ${r.ratio.bare.toFixed(2)}` : ''}`,
      ok: r.ratio.value >= 1.0,
    });
  } else out.push({ target: 'booking endpoint ≥ 1.0 × pgbench (single-booking statements)', figure: 'not measured', ok: null });
  const pacedAt = (share: number) => r.bookingPaced.find((x) => x.label === `thru-paced-${share}`);
  for (const [share, limit, name] of [[0.5, 50, 'half'], [0.8, 100, '80 %']] as const) {
    const x = pacedAt(share);
    out.push({
      target: `open loop, ${x?.connections ?? 200} connections: booking p99 < ${limit} ms at ${name} of the saturated rate`,
      figure: x ? `p99 ${ms(x.summary.latency.p99)} at ${num(x.rate ?? NaN)}/s offered (${num(x.summary.rps)}/s answered)` : 'not measured',
      ok: x ? x.summary.latency.p99 < limit : null,
    });
  }
  for (const [rush, rounds, who] of [[r.rush, r.rushRounds, 'one bff'], [r.rush2, r.rush2Rounds, 'two bff processes']] as const) {
    if (!rush) continue;
    const all = rounds && rounds.length > 0 ? rounds : [rush];
    const every = all.length > 1 ? ` (median round; every round: ${all.map((x) => ms(x.losers.p99)).join(', ')})` : '';
    const floor = who === 'one bff' && r.floor && r.floorRounds
      ? `; the floor server on the same cores (node:http and the read, batched, nothing else: lib/floor-server.mjs) ${ms(r.floor.losers.p99)} (every round: ${r.floorRounds.map((x) => ms(x.losers.p99)).join(', ')})${r.floorRefused ? `, and ${ms(r.floorRefused.losers.p99)} with every request refused and nothing written` : ''}`
      : '';
    out.push({ target: `release rush (${who}), ${num(rush.clients)} clients for ${rush.places} places: losers' p99 < 300 ms`, figure: `${ms(rush.losers.p99)}${every}${floor}`, ok: rush.losers.p99 < 300 });
    // Judged, like the losers' p99, on the median round — here the median of the rounds' own allocation times
    // (a round not fully allocated counts as the slowest), and every round shown beside it.
    const allocated = all.map((x) => x.allocatedMs ?? Infinity).sort((a, b) => a - b);
    const median = allocated[Math.floor(allocated.length / 2)]!;
    const shown = all.map((x) => (x.allocatedMs === null ? `not fully allocated (${x.booked} booked)` : ms(x.allocatedMs))).join(', ');
    out.push({
      target: `release rush (${who}): all places allocated < 500 ms`,
      figure: all.length > 1 ? `${Number.isFinite(median) ? ms(median) : 'not fully allocated'} (median of the rounds; every round: ${shown})` : shown,
      ok: median < 500,
    });
  }
  for (const [plate, who] of [[r.plate, 'one bff'], [r.plate2, 'two bff processes']] as const) {
    if (!plate) continue;
    out.push({ target: `plate rush (${who}): p99 at ${plate.concurrency} concurrent < 200 ms`, figure: `p99 ${ms(plate.all.p99)} (p50 ${ms(plate.all.p50)})`, ok: plate.all.p99 < 200 });
  }
  return out;
}

export function renderResults(r: Results): string {
  const L: string[] = [];
  const p99At200 = [r.plate?.all.p99, r.read?.summary.latency.p99, r.booking?.summary.latency.p99].filter((x): x is number => x !== undefined);
  const invariantsOk = r.invariants.length > 0 && r.invariants.every((i) => i.checks.every((c) => c.ok));
  L.push('# Benchmark results (`pnpm bench`)', '');
  L.push(`Run ${r.startedAt.toISOString()}${r.quick ? ' with `--quick` (a smoke run: smaller rushes, shorter runs, pools up to 500k — not the figures to judge by)' : ''}, ${Math.round(r.seconds)} s in all.`);
  if (r.failed) L.push('', `**The run stopped early:** ${r.failed}`);
  L.push('', 'This file is rewritten by every full run. Ranges over many runs and what they mean: `docs/bench.md`; ADR-nnn are the decision records in `docs/decisions/`.');
  L.push('', '| machine | |', '|---|---|');
  L.push(`| cores (\`os.cpus().length\`) | ${r.machine.cores} (${r.machine.cpu}) |`);
  L.push(`| memory (\`os.totalmem()\`) | ${r.machine.memoryGiB.toFixed(1)} GiB |`);
  L.push(`| OS | ${r.machine.os} |`, `| Node | ${r.node} |`, `| PostgreSQL | ${r.postgres} (${r.database}) |`, `| pgbench | ${r.pgbench ?? 'not found'} |`);
  L.push('', 'Load generators (autocannon for the closed-loop runs and the plate rush; a generator on raw sockets for the inspection release rush over open connections, with one autocannon round over fresh connections for comparison (ADR-018); an open-loop generator on raw sockets for the paced runs; all in the bench process), bff (production build, `NODE_ENV=production`, `LOG_LEVEL=warn`, jobs and outbox dispatcher on, except in the closed-loop booking runs and the pgbench runs, where neither side delivers SMS: ADR-020) and PostgreSQL all share these cores, as the issue asks. Figures on a shared 2-core machine move by ±20 % from run to run.');

  L.push('', '## Targets', '', '| target (issue 7) | figure | |', '|---|---|---|');
  if (r.ratio) L.push(`| booking endpoint throughput ≥ 0.7 × pgbench running the same statements (neither side delivering SMS: ADR-020) | ${num(r.ratio.bff)} / ${num(r.ratio.pgbench)} bookings/s = **${r.ratio.value.toFixed(2)}** (the bff's better run of two vs the best pgbench run: ${r.ratio.pgbenchLabel})${r.ratio.bare !== undefined && r.bare ? `; a bare route running only the two statements (Hono, postgres.js, nothing else): ${num(r.bare.summary.rps)} / ${num(r.ratio.pgbench)} = ${r.ratio.bare.toFixed(2)}` : ''} | ${yes(r.ratio.value >= 0.7)} |`);
  else L.push('| booking endpoint throughput ≥ 0.7 × pgbench | not measured (no pgbench) | — |');
  if (p99At200.length) {
    // The database's own closed loop with the same booking statements: the floor under the bff's figure.
    const alone = [...r.pgbenchRuns].filter((p) => p.latency).sort((a, b) => a.clients - b.clients);
    const dbAlone = alone.length ? `; PostgreSQL alone running the same booking statements (pgbench, no bff, no HTTP): ${alone.map((p) => `p99 ${ms(p.latency!.p99)} with ${p.clients} clients`).join(', ')}` : '';
    L.push(`| p99 < 50 ms at 200 concurrent — closed loop, saturated (each connection sends its next request the moment it has an answer; Little's law: mean latency = 200 / throughput) | plate rush ${ms(r.plate?.all.p99 ?? NaN)}, read path ${ms(r.read?.summary.latency.p99 ?? NaN)}, bookings ${ms(r.booking?.summary.latency.p99 ?? NaN)}${dbAlone} | ${yes(p99At200.every((x) => x < 50))} |`);
  }
  const paced = [...r.readPaced.map((x) => ['read path', x] as const), ...r.bookingPaced.map((x) => ['bookings', x] as const)];
  if (paced.length) {
    const lowest = [r.readPaced[0], r.bookingPaced[0]].filter((x): x is ThroughputFigures => !!x);
    L.push(`| p99 < 50 ms at 200 concurrent — open loop (200 connections, requests evenly spaced at a share of the saturated rate, latency from the scheduled send) | ${paced.map(([n, x]) => `${n} ${ms(x.summary.latency.p99)} at ${num(x.rate ?? NaN)}/s`).join(', ')} | ${yes(lowest.every((x) => x.summary.latency.p99 < 50))} at a quarter of the saturated rate; ${yes(paced.every(([, x]) => x.summary.latency.p99 < 50))} at every rate measured |`);
  }
  for (const [rush, rounds] of [[r.rush, r.rushRounds], [r.rush2, r.rush2Rounds]] as const) {
    if (!rush) continue;
    const two = rush === r.rush2 ? ' (two bff processes)' : '';
    const all = rounds && rounds.length > 1 ? rounds : [rush];
    const of = all.length > 1 ? ` (median round of ${all.length}; every round: ${all.map((x) => ms(x.losers.p99)).join(', ')})` : '';
    L.push(`| release rush${two}: ${num(rush.clients)} clients for ${rush.places} places allocated within 2 s | ${all.map((x) => (x.allocatedMs === null ? `not fully allocated (${x.booked} booked)` : ms(x.allocatedMs))).join(', ')} | ${yes(all.every((x) => x.allocatedMs !== null && x.allocatedMs < 2000))} |`);
    const fresh = rush === r.rush2 ? r.rush2Fresh : r.rushFresh;
    const freshNote = fresh ? `; over fresh connections (autocannon, one round, not judged): ${ms(fresh.losers.p99)}` : '';
    L.push(`| release rush${two}: losers answered at p99 < 1 s (open connections; latency from each request's send) | ${ms(rush.losers.p99)}${of}${freshNote} | ${yes(rush.losers.p99 < 1000)}${all.length > 1 ? ` (${all.filter((x) => x.losers.p99 < 1000).length} of ${all.length} rounds under 1 s)` : ''} |`);
    L.push(`| release rush${two}: 0 5xx | ${all.reduce((n, x) => n + x.count5xx, 0)} 5xx, ${all.reduce((n, x) => n + x.errors, 0)} transport errors | ${yes(all.every((x) => x.count5xx === 0 && x.errors === 0))} |`);
  }
  if (r.pool) {
    const a = r.pool.pools[0]!;
    const b = r.pool.pools[r.pool.pools.length - 1]!;
    L.push(`| random pick at ${num(b.size)} ≤ 1.5 × at ${num(a.size)} | ${ms(b.pick.p50)} / ${ms(a.pick.p50)} = **${r.pool.ratio.toFixed(2)}** | ${yes(r.pool.ratio <= 1.5)} |`);
  }
  L.push(`| invariants after every scenario (one and two bff processes) | ${r.invariants.reduce((n, i) => n + i.checks.length, 0)} checks | ${yes(invariantsOk)} |`);

  L.push('', '## Targets of issue 23: group commit (ADR-040)', '', 'Same run, same machine. The bff group-commits bookings (`GROUP_COMMIT`, on by default); pgbench runs the single-booking statements, one booking per transaction.', '', '| target (issue 23) | figure | |', '|---|---|---|');
  for (const t of groupCommitTargets(r)) L.push(`| ${t.target} | ${t.figure} | ${yes(t.ok)} |`);

  if (r.rush || r.rush2) {
    L.push(
      '',
      '## Inspection release rush',
      '',
      'Every client sends one booking (its own session, its own vehicle, an Idempotency-Key) at the same instant; the places are 10 time slots of one station’s day. "Allocated" is the time from the start of the rush to the answer that took the last place.',
      '',
      'Each client has its own connection, open before the release (a browser tab waiting for it, or the pool of a TLS-terminating proxy in front of the bff), and the latency counts from its request’s send. The last row of each group is the same rush over fresh connections through autocannon: a connection per client opened inside the measured time, and autocannon stamps every request when it builds its client, all 2,000 in one loop before any byte leaves, so that row also holds the generator’s own delay (ADR-018).',
    );
    if (r.floor) {
      L.push('', 'The floor server’s rows are the same rush, on the same cores and database, against the least server that can answer it (`bench/lib/floor-server.mjs`): node:http with no framework, the booking’s read statement batched for the requests of one turn (one statement, at most four at once), a slot full when read refused at once, a winner’s write the pgbench script’s single statement; no validation, middleware, audit, idempotency or error handling. What the bff adds is the difference between its rows and these (ADR-040 "The release rush’s floor").');
    }
    if (r.calibration) {
      const c = r.calibration;
      L.push('', `The generators alone, ${num(c.clients)} clients against a stub server that answers at once: autocannon with fresh connections p50 ${ms(c.autocannon.p50)}, p99 ${ms(c.autocannon.p99)}; open connections p50 ${ms(c.burst.p50)}, p99 ${ms(c.burst.p99)}.`);
    }
    L.push('');
    L.push('| | clients | places | allocated after | requests/s | p50 | p95 | p99 | losers p99 | answers |', '|---|---|---|---|---|---|---|---|---|---|');
    const rows = (name: string, median: RushFigures | undefined, rounds: RushFigures[] | undefined) =>
      !median ? [] : rounds && rounds.length > 1 ? rounds.map((x, i) => [`${name}, round ${i + 1}${x === median ? ' (median)' : ''}`, x] as const) : [[name, median] as const];
    const freshRow = (name: string, x: RushFigures | undefined) => (x ? [[`${name}, fresh connections (autocannon)`, x] as const] : []);
    const floorRows = [...rows('the floor server (lib/floor-server.mjs)', r.floor, r.floorRounds), ...(r.floorRefused ? [['the floor server, the slots already full (every request refused)', r.floorRefused] as const] : [])];
    for (const [name, x] of [...rows('one bff', r.rush, r.rushRounds), ...freshRow('one bff', r.rushFresh), ...rows('two bff processes', r.rush2, r.rush2Rounds), ...freshRow('two bff processes', r.rush2Fresh), ...floorRows]) {
      L.push(`| ${name} | ${num(x.clients)} | ${x.places} | ${x.allocatedMs === null ? '—' : ms(x.allocatedMs)} | ${num(x.rps)} | ${ms(x.all.p50)} | ${ms(x.all.p95)} | ${ms(x.all.p99)} | ${ms(x.losers.p99)} | ${statuses(x.byStatus)}; transport errors ${x.errors} |`);
    }
  }
  if (r.plate || r.plate2) {
    L.push('', '## Plate rush', '', 'Half the connections preselect by random draw (start → draw ten → pick one), half compose their own number; seven in ten self-composers aim at the same 20 hot numbers. Each connection is a different citizen for each flow.', '');
    L.push('| | concurrent | step | answers | p50 | p95 | p99 |', '|---|---|---|---|---|---|---|');
    for (const [name, x] of [['one bff', r.plate], ['two bff processes', r.plate2]] as const) {
      if (!x) continue;
      for (const [kind, k] of Object.entries(x.byKind)) L.push(`| ${name} | ${x.concurrency} | ${kind} | ${statuses(k.byStatus)} | ${ms(k.latency.p50)} | ${ms(k.latency.p95)} | ${ms(k.latency.p99)} |`);
      L.push(`| ${name} | ${x.concurrency} | **all** (${num(x.rps)} requests/s) | ${x.reserved.length} reserved, hot numbers taken ${x.hotTaken}/${x.hot}, 5xx ${x.count5xx} | ${ms(x.all.p50)} | ${ms(x.all.p95)} | ${ms(x.all.p99)} |`);
    }
    // What a plate request costs, apart from how fast the machine is that hour: CPU a request, and what it wrote to the WAL (ADR-040).
    const costs = ([['one bff', r.plate], ['two bff processes', r.plate2]] as const).flatMap(([name, x]) => {
      if (!x) return [];
      const c = x.cpuPerRequest;
      const cpu = c ? `CPU a request: bff ${c.bff.toFixed(2)} ms, postgres ${c.postgres.toFixed(2)} ms, load generator ${c.bench.toFixed(2)} ms` : 'CPU not read';
      return [`${name}: ${cpu}; ${walPerRequest(x.wal, x.all.n)}.`];
    });
    if (costs.length) L.push('', `What a plate request cost (the rush's processes from /proc, PostgreSQL's WAL from pg_stat_wal): ${costs.join(' ')}`);
  }
  if (r.read || r.booking) {
    L.push('', '## Read path and booking throughput', '', 'CPU per request is user + system time of each group of processes (from /proc) divided by the answers: less sensitive to a busy machine than the rates.', '');
    L.push('| | connections | offered rate | answered/s | p50 | p95 | p99 | answers | CPU per request: bff / postgres / load generator |', '|---|---|---|---|---|---|---|---|---|');
    for (const [name, x] of [
      ['citizen reads (GET /me, /plates/me, /inspections/bookings in turn)', r.read] as const,
      ...r.readPaced.map((p) => ['citizen reads, open loop', p] as const),
      ['POST /api/v1/inspections/bookings', r.booking] as const,
      ...(r.bookingAgain ? [['POST …/bookings, again after pgbench', r.bookingAgain] as const] : []),
      ...(r.bare ? [['bare route: the two statements alone (bench/lib/bare.ts)', r.bare] as const] : []),
      ...r.bookingPaced.map((p) => ['POST …/bookings, open loop', p] as const),
    ]) {
      if (!x) continue;
      const c = x.cpuPerRequest;
      L.push(`| ${name} | ${x.connections} | ${x.rate ? num(x.rate) : 'as fast as answered'} | ${num(x.summary.rps)} | ${ms(x.summary.latency.p50)} | ${ms(x.summary.latency.p95)} | ${ms(x.summary.latency.p99)} | ${statuses(x.summary.byStatus)} | ${c ? `${c.bff.toFixed(2)} / ${c.postgres.toFixed(2)} / ${c.bench.toFixed(2)} ms` : '—'} |`);
    }
    for (const x of [r.read, r.booking]) if (x?.cpu) L.push('', `${x === r.read ? 'Read path' : 'Bookings'}: ${x.cpu}.`);
    const paced = r.calibration?.paced ?? [];
    if (paced.length && (r.readPaced.length || r.bookingPaced.length)) {
      L.push('', `What a request costs this machine at a low and a high rate, the same work each time: the open-loop generator paced at a stub server that answers at once (the calibration's; CPU from the kernel's count of each thread's time on a core), CPU per request ${paced.map((p) => `at ${num(p.rate)}/s: stub ${p.stubMs.toFixed(2)} ms, generator ${p.generatorMs.toFixed(2)} ms`).join('; ')}. A process woken for each request on cores that idle in between pays this for every wake; so do the bff and PostgreSQL in the open-loop runs above, which is why their CPU per request falls as the rate rises (ADR-040).`);
    }
    if (r.booking) L.push('', 'The closed-loop booking runs (the ratio\'s side) run with the bff\'s job and outbox workers off, as pgbench runs with none (ADR-020): both sides leave their SMS queued. The open-loop booking runs come after, with the workers on.');
    const d = r.smsDrain;
    if (d?.messages) {
      L.push('', `SMS delivery, measured on its own: the outbox dispatcher (development adapter, in-process, batches of 100) worked off the ${num(d.messages)} messages the booking and pgbench runs left queued in ${d.seconds.toFixed(1)} s, ${num(d.messages / d.seconds)} messages/s${d.left ? ` (${num(d.left)} still queued at the cap)` : ''}${d.cpuPerMessage ? `; CPU per message: bff ${d.cpuPerMessage.bff.toFixed(2)} ms, postgres ${d.cpuPerMessage.postgres.toFixed(2)} ms` : ''}. ${d.cpu ? `${d.cpu}.` : ''}`);
    }
  }
  if (r.pgbenchRuns.length) {
    L.push('', '## pgbench: the same booking transaction, straight to PostgreSQL', '', 'The script (`bench/lib/pgbench.ts`, printed to `bench/out/booking.pgbench.sql` by each run) runs the two statements of one booking request (ADR-015, ADR-017): the session with its account, the vehicle, the slot and the stored key in one read; the conditional slot UPDATE with the booking, audit row, SMS outbox row + event and the finished idempotency key in one statement. `-M prepared`, `-j 2`, on the same database and slots.', '');
    L.push('| run | clients | tps | latency avg | p50 | p95 | p99 | failed | postgres CPU per transaction |', '|---|---|---|---|---|---|---|---|---|');
    for (const p of r.pgbenchRuns) L.push(`| ${p.label} | ${p.clients} | ${num(p.tps)} | ${p.latencyMs.toFixed(2)} ms | ${ms(p.latency?.p50 ?? NaN)} | ${ms(p.latency?.p95 ?? NaN)} | ${ms(p.latency?.p99 ?? NaN)} | ${p.failed} | ${p.pgCpuMs === undefined ? '—' : `${p.pgCpuMs.toFixed(2)} ms`} |`);
    L.push('', 'Latency percentiles come from pgbench\'s per-transaction log (`-l`): each transaction\'s own time, as pgbench\'s clients loop without a pause — the same closed loop as the bff runs above.');
    if (r.ratio) {
      L.push('', `bff: ${num(r.ratio.bff)} bookings/s at ${r.booking?.connections ?? '?'} connections (the better of its runs before and after pgbench${r.bookingAgain ? `: ${num(r.booking?.summary.rps ?? NaN)} and ${num(r.bookingAgain.summary.rps)}` : ''}). Ratio against each pgbench run: ${r.ratio.perRun.map((p) => `${p.label} ${p.ratio.toFixed(2)}`).join('; ')}. The figure in the targets table compares each side's best run (for pgbench, the most demanding denominator).${r.bare && r.ratio.bare !== undefined ? ` The bare route (\`bench/lib/bare.ts\`: Hono, postgres.js and these two statements, nothing else), run next to each of the bff's runs: ${r.bareRuns.map((x) => num(x)).join(' and ')} bookings/s, ratio ${r.ratio.bare.toFixed(2)}; the endpoint does ${(r.ratio.value / r.ratio.bare).toFixed(2)} of it (ADR-020).` : ''}`);
    }
  }
  if (r.pool) {
    L.push('', '## Random pick against pool size', '', 'The plates module’s candidate statement (`repo.offerIfFree`) at uniformly random indices, the pools taking turns pick by pick; pages = shared buffers one lookup reads (EXPLAIN ANALYZE, BUFFERS; mean of 20).', '');
    L.push('| pool | built in | pick p50 | pick mean | pick p99 | pages | draw of 10 via HTTP (median) |', '|---|---|---|---|---|---|---|');
    for (const p of r.pool.pools) L.push(`| ${num(p.size)} | ${ms(p.buildMs)} | ${ms(p.pick.p50)} | ${ms(p.pick.mean)} | ${ms(p.pick.p99)} | ${p.pages.toFixed(1)} | ${ms(p.drawMedianMs ?? NaN)} |`);
  }
  L.push('', '## Invariants', '');
  for (const i of r.invariants) {
    L.push(`After ${i.after}:`, '');
    for (const c of i.checks) L.push(`- ${c.ok ? '✔' : '✘'} ${c.name} — ${c.detail}`);
    L.push('');
  }
  if (r.notes.length) {
    L.push('## Notes', '');
    for (const n of r.notes) L.push(`- ${n}`);
    L.push('');
  }
  return L.join('\n') + '\n';
}
