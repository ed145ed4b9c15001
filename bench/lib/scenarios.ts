/**
 * The load scenarios against the production bff: the inspection release
 * rush, the plate rush, the read path, and the booking endpoint at its
 * throughput (the bff half of the pgbench ratio).
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Sql } from 'postgres';
import { runBurst } from './burst.ts';
import { runLoad, summarise, statusLine, type LoadResult, type Summary, type VRequest } from './load.ts';
import type { Wal } from './database.ts';
import { cookieOf, idNumberOf, nameOf, phoneOf, PREFIX, uuidOf, vinOf } from './fixtures.ts';
import { latencyOf, log, ms, num, type Latency } from './util.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
/**
 * An open-loop run’s first two seconds, at its rate, answered and not counted: the reset before it
 * (resetSlots' VACUUM ANALYZE) drops every connection's cached plans, and without the lead-in the
 * first 200–300 ms of the measured window were all spent planning them again (ADR-040 "The open loop's lead-in").
 */
const PACED_LEAD_IN_S = 2;

/** Vehicles of a group of users: user u's vehicles are vfirst(u) … vfirst(u) + count(u) − 1. */
export type Fleet = { userFrom: number; users: number; vfirst: (u: number) => number; count: (u: number) => number };

// ---------------------------------------------------------------------------
// Inspection release rush: N clients, each one booking attempt at once — over
// open connections (lib/burst.ts), or with `fresh` through autocannon, a new
// connection per client (ADR-018)
// ---------------------------------------------------------------------------

export type RushFigures = {
  label: string;
  clients: number;
  places: number;
  allocatedMs: number | null;
  booked: number;
  rps: number;
  all: Latency;
  losers: Latency;
  winners: Latency;
  byStatus: Record<string, number>;
  count5xx: number;
  errors: number;
  codes: string[];
  /** from the first request sent to the last (open connections: the send loop; autocannon: from its first client built to its last) */
  sentWithinMs?: number;
};

export async function inspectionRush(o: { label: string; urls: string[]; fleet: Fleet; clients: number; slots: string[]; places: number; fresh?: boolean }): Promise<RushFigures> {
  const codes: string[] = [];
  const request = (i: number) => {
    const u = o.fleet.userFrom + i;
    return {
      kind: 'book',
      method: 'POST',
      path: '/api/v1/inspections/bookings',
      headers: { ...JSON_HEADERS, cookie: cookieOf(u), 'idempotency-key': `rush-${o.label}-${u}` },
      body: JSON.stringify({ vehicleId: uuidOf(PREFIX.vehicle, o.fleet.vfirst(u)), slotId: o.slots[i % o.slots.length] }),
      onResponse: (status: number, body: string) => {
        if (status === 201) codes.push((JSON.parse(body) as { code: string }).code);
      },
    };
  };
  const r = !o.fresh
    ? await runBurst({ name: o.label, urls: o.urls, clients: o.clients, timeoutS: 30, requestFor: request })
    : await runLoad({ name: o.label, urls: o.urls, connections: o.clients, duration: 60, maxConnectionRequests: 1, timeoutS: 30, requestsFor: (i) => [request(i)] });
  const wins = r.samples.filter((s) => s.status === 201).sort((a, b) => a.at - b.at);
  const all = summarise(r);
  const f: RushFigures = {
    label: o.label,
    clients: o.clients,
    places: o.places,
    allocatedMs: wins.length >= o.places ? wins[o.places - 1]!.at : null,
    booked: wins.length,
    rps: all.rps,
    all: all.latency,
    losers: latencyOf(r.samples.filter((s) => s.status !== 201).map((s) => s.ms)),
    winners: latencyOf(wins.map((s) => s.ms)),
    byStatus: all.byStatus,
    count5xx: all.count5xx,
    errors: r.errors,
    codes,
  };
  log(`  ${o.clients} clients for ${o.places} places on ${o.slots.length} slots over ${o.urls.length} bff process(es):`);
  log(`    answers ${statusLine(f.byStatus)}; transport errors ${r.errors} (timeouts ${r.timeouts})`);
  log(`    fully allocated after ${f.allocatedMs === null ? `— (only ${f.booked} booked)` : ms(f.allocatedMs)}; ${num(f.rps)} requests/s`);
  log(`    latency all p50 ${ms(f.all.p50)} p95 ${ms(f.all.p95)} p99 ${ms(f.all.p99)}; losers p99 ${ms(f.losers.p99)}; winners p99 ${ms(f.winners.p99)}`);
  const sentAt = r.samples.map((x) => x.at - x.ms).sort((a, b) => a - b);
  f.sentWithinMs = sentAt.length ? sentAt[sentAt.length - 1]! - sentAt[0]! : 0;
  log(`    the load generator sent all requests within ${ms(f.sentWithinMs)} of the first; last answer at ${ms(r.samples.reduce((m, x) => Math.max(m, x.at), 0))}`);
  log(`    ${r.cpu}${cpuLine(perRequest(r, r.samples.length))}`);
  return f;
}

/** BENCH_DUMP=<prefix>: every answer of a run (kind, status, latency, time) to `<prefix>-<label>.json`, for a closer look (docs/bench.md). */
function dumpAnswers(label: string, r: LoadResult) {
  if (process.env.BENCH_DUMP) writeFileSync(`${process.env.BENCH_DUMP}-${label}.json`, JSON.stringify(r.samples));
}

// ---------------------------------------------------------------------------
// Plate rush: random draw + pick, and self-composed choices on a few hot numbers
// ---------------------------------------------------------------------------

export type PlateFigures = {
  label: string;
  concurrency: number;
  flows: { random: number; self: number };
  rps: number;
  all: Latency;
  byKind: Record<string, { latency: Latency; byStatus: Record<string, number> }>;
  count5xx: number;
  errors: number;
  reserved: { id: string; plateNo: string }[];
  hotTaken: number;
  hot: number;
  /** CPU milliseconds per answered request, by process group, over the rush */
  cpuPerRequest: ThroughputFigures['cpuPerRequest'];
  /** what the rush wrote to PostgreSQL's WAL (set by run.ts) */
  wal?: Wal | null;
};

type PlateUser = { u: number };
const preselectBody = (planId: string, u: number, extra: Record<string, unknown>) =>
  JSON.stringify({ planId, vin: vinOf(u), ownerIdType: 'passport', ownerIdNumber: idNumberOf(u), ownerName: nameOf(u), phone: phoneOf(u), ...extra });

export async function plateRush(o: {
  label: string;
  urls: string[];
  planId: string;
  userFrom: number;
  concurrency: number;
  /** users per random connection (3 requests each) and per self-composing connection (1 request each) */
  perRandomConn: number;
  perSelfConn: number;
  hot: string[];
  others: string[];
  /** a warm-up: nothing logged */
  quiet?: boolean;
}): Promise<PlateFigures> {
  const R = Math.ceil(o.concurrency / 2);
  const S = o.concurrency - R;
  const reserved: { id: string; plateNo: string }[] = [];
  const selfFrom = o.userFrom + R * o.perRandomConn;

  const randomRun = runLoad({
    name: `${o.label} random`,
    urls: o.urls,
    connections: R,
    duration: 60,
    maxConnectionRequests: 3 * o.perRandomConn,
    requestsFor: (i) => {
      const st = { k: 0, user: { u: 0 } as PlateUser, ps: null as string | null, commitment: null as string | null, offer: null as { id: string; numbers: string[] } | null };
      const skip = (req: VRequest) => ({ ...req, method: 'GET', path: '/healthz', headers: {}, body: '' });
      return [
        {
          kind: 'random.start',
          method: 'POST',
          path: '/api/v1/plates/preselections',
          setupRequest: (req) => {
            st.user = { u: o.userFrom + i + R * st.k++ };
            st.ps = null;
            st.commitment = null;
            st.offer = null;
            return {
              ...req,
              headers: { ...JSON_HEADERS, cookie: cookieOf(st.user.u), ...(process.env.BENCH_PLATE_NO_KEYS ? {} : { 'idempotency-key': `${o.label}-start-${st.user.u}` }) },
              body: preselectBody(o.planId, st.user.u, { mode: 'random' }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) {
              const b = JSON.parse(body) as { id: string; nextDraw: { commitment: string } | null };
              st.ps = b.id;
              st.commitment = b.nextDraw?.commitment ?? null;
            }
          },
        },
        {
          kind: () => (st.ps && st.commitment ? 'random.draw' : 'skip'),
          method: 'POST',
          path: '/healthz',
          // issue 18: the browser sends the commitment it was shown and a nonce of its own (R-24.2, PD-14)
          setupRequest: (req) =>
            st.ps && st.commitment
              ? {
                  ...req,
                  path: `/api/v1/plates/preselections/${st.ps}/draws`,
                  headers: { ...JSON_HEADERS, cookie: cookieOf(st.user.u), ...(process.env.BENCH_PLATE_NO_KEYS ? {} : { 'idempotency-key': `${o.label}-draw-${st.user.u}` }) },
                  body: JSON.stringify({ commitment: st.commitment, clientNonce: randomBytes(32).toString('hex') }),
                }
              : skip(req as VRequest),
          onResponse: (status, body) => {
            if (status === 201) st.offer = (JSON.parse(body) as { offer: { id: string; numbers: string[] } | null }).offer;
          },
        },
        {
          kind: () => (st.ps && st.offer && st.offer.numbers.length > 0 ? 'random.pick' : 'skip'),
          method: 'POST',
          path: '/healthz',
          setupRequest: (req) =>
            st.ps && st.offer && st.offer.numbers.length > 0
              ? {
                  ...req,
                  path: `/api/v1/plates/preselections/${st.ps}/pick`,
                  headers: { ...JSON_HEADERS, cookie: cookieOf(st.user.u), ...(process.env.BENCH_PLATE_NO_KEYS ? {} : { 'idempotency-key': `${o.label}-pick-${st.user.u}` }) },
                  body: JSON.stringify({ drawId: st.offer.id, plateNo: st.offer.numbers[st.user.u % st.offer.numbers.length] }),
                }
              : skip(req as VRequest),
          onResponse: (status, body) => {
            if (status === 200 && st.ps && st.offer && st.offer.numbers.length > 0) reserved.push({ id: st.ps, plateNo: (JSON.parse(body) as { plateNo: string }).plateNo });
          },
        },
      ];
    },
  });

  // Self-composers: seven in ten aim at the few hot numbers, the rest at other nice ones.
  const selfRun = runLoad({
    name: `${o.label} self`,
    urls: o.urls,
    connections: S,
    duration: 60,
    maxConnectionRequests: o.perSelfConn,
    requestsFor: (i) => {
      let k = 0;
      return [
        {
          kind: 'self.reserve',
          method: 'POST',
          path: '/api/v1/plates/preselections',
          setupRequest: (req) => {
            const u = selfFrom + i + S * k++;
            const pick = (u * 2654435761) >>> 0;
            const which = Math.floor(pick / 10);
            const serial = pick % 10 < 7 ? o.hot[which % o.hot.length]! : o.others[which % o.others.length]!;
            return {
              ...req,
              headers: { ...JSON_HEADERS, cookie: cookieOf(u), ...(process.env.BENCH_PLATE_NO_KEYS ? {} : { 'idempotency-key': `${o.label}-self-${u}` }) },
              body: preselectBody(o.planId, u, { mode: 'self', serial }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201) {
              const b = JSON.parse(body) as { id: string; plateNo: string };
              reserved.push({ id: b.id, plateNo: b.plateNo });
            }
          },
        },
      ];
    },
  });

  const [rr, sr] = await Promise.all([randomRun, selfRun]);
  // The two runs share the rush; the longer one's window holds all of it.
  const longer = rr.seconds >= sr.seconds ? rr : sr;
  const merged: LoadResult = { name: o.label, seconds: longer.seconds, samples: [...rr.samples, ...sr.samples], errors: rr.errors + sr.errors, timeouts: rr.timeouts + sr.timeouts, cpu: longer.cpu, cpuUse: longer.cpuUse };
  dumpAnswers(o.label, merged);
  const all = summarise(merged);
  const byKind: PlateFigures['byKind'] = {};
  for (const kind of [...new Set(merged.samples.map((s) => s.kind))].sort()) {
    const k = summarise(merged, (s) => s.kind === kind);
    byKind[kind] = { latency: k.latency, byStatus: k.byStatus };
  }
  const hotSet = new Set(o.hot);
  const f: PlateFigures = {
    label: o.label,
    concurrency: o.concurrency,
    flows: { random: R * o.perRandomConn, self: S * o.perSelfConn },
    rps: all.rps,
    all: all.latency,
    byKind,
    count5xx: all.count5xx,
    errors: merged.errors,
    reserved,
    hot: o.hot.length,
    hotTaken: reserved.filter((r) => hotSet.has(r.plateNo.slice(2))).length,
    cpuPerRequest: perRequest(merged, merged.samples.length),
  };
  if (o.quiet) return f;
  log(`  ${o.concurrency} concurrent users (${R} drawing + picking, ${S} composing their own; ${f.flows.random + f.flows.self} users in all) over ${o.urls.length} bff process(es):`);
  for (const [kind, k] of Object.entries(byKind)) log(`    ${kind.padEnd(14)} ${statusLine(k.byStatus).padEnd(28)} p50 ${ms(k.latency.p50)} p95 ${ms(k.latency.p95)} p99 ${ms(k.latency.p99)}`);
  log(`    all: ${num(f.rps)} requests/s, p50 ${ms(f.all.p50)} p95 ${ms(f.all.p95)} p99 ${ms(f.all.p99)}; 5xx ${f.count5xx}; transport errors ${f.errors}`);
  log(`    ${merged.cpu}${cpuLine(f.cpuPerRequest)}`);
  log(`    ${reserved.length} numbers reserved; ${f.hotTaken} of the ${o.hot.length} hot numbers taken (one holder each)`);
  return f;
}

// ---------------------------------------------------------------------------
// Read path and the booking endpoint at throughput
// ---------------------------------------------------------------------------

const errorDetail = (r: LoadResult) =>
  r.errors && r.errorCodes ? ` (${Object.entries(r.errorCodes).map(([k, v]) => `${k}×${v}`).join(', ')})` : '';

export type ThroughputFigures = {
  label: string; connections: number; seconds: number; rate: number | null; summary: Summary; errors: number; exhausted: number; cpu: string;
  /** CPU milliseconds per answered request, by process group */
  cpuPerRequest: { bench: number; bff: number; postgres: number } | null;
};

function perRequest(r: LoadResult, n: number): ThroughputFigures['cpuPerRequest'] {
  const u = r.cpuUse;
  if (!u || n === 0) return null;
  return { bench: (1000 * u.bench) / n, bff: (1000 * u.bff) / n, postgres: (1000 * u.postgres) / n };
}
const cpuLine = (c: ThroughputFigures['cpuPerRequest']) =>
  c ? `; CPU per request: bff ${c.bff.toFixed(2)} ms, postgres ${c.postgres.toFixed(2)} ms, load generator ${c.bench.toFixed(2)} ms` : '';

/**
 * A signed-in citizen's own data as issue 7 lists it (bound vehicles, licences,
 * reservations, bookings): the account page's /me, the plates page's
 * /plates/me and the inspections page's /inspections/bookings.
 */
export const HOME_READS = ['/api/v1/me', '/api/v1/plates/me', '/api/v1/inspections/bookings'];

export async function readPath(o: { label: string; urls: string[]; userFrom: number; connections: number; seconds: number; rate?: number; quiet?: boolean }): Promise<ThroughputFigures> {
  const r = await runLoad({
    name: o.label,
    urls: o.urls,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { pacedRate: o.rate, leadInS: PACED_LEAD_IN_S } : {}),
    // Endpoint after endpoint: account with bound vehicles and licences, plate reservations, inspection bookings.
    requestsFor: (i) => HOME_READS.map((path) => ({ kind: path, method: 'GET', path, headers: { cookie: cookieOf(o.userFrom + i) } })),
  });
  const s = summarise(r);
  if (!o.quiet) log(`  GET ${HOME_READS.join(' → ')}, ${o.connections} signed-in citizens${o.rate ? ` at ${num(o.rate)} requests/s offered` : ', as fast as it answers'}, ${o.seconds} s: ${num(s.rps)} requests/s; p50 ${ms(s.latency.p50)} p95 ${ms(s.latency.p95)} p99 ${ms(s.latency.p99)}; ${statusLine(s.byStatus)}; errors ${r.errors}${errorDetail(r)}`);
  const cpr = perRequest(r, s.total);
  if (!o.quiet) {
    for (const path of HOME_READS) {
      const k = summarise(r, (x) => x.kind === path);
      log(`    ${path}: p50 ${ms(k.latency.p50)} p95 ${ms(k.latency.p95)} p99 ${ms(k.latency.p99)}`);
    }
    log(`    ${r.cpu}${cpuLine(cpr)}`);
  }
  return { label: o.label, connections: o.connections, seconds: o.seconds, rate: o.rate ?? null, summary: s, errors: r.errors, exhausted: 0, cpu: r.cpu, cpuPerRequest: cpr };
}

/**
 * Bookings as fast as the bff takes them: each connection is one citizen
 * booking her next own vehicle into one of the (large) slots, with an
 * Idempotency-Key — the full endpoint pgbench is compared with.
 */
export async function bookingThroughput(o: {
  label: string;
  urls: string[];
  fleet: Fleet;
  connections: number;
  seconds: number;
  slots: string[];
  rate?: number;
  quiet?: boolean;
  onFirstAnswer?: (body: string) => void;
}): Promise<ThroughputFigures> {
  let exhausted = 0;
  let first = true;
  const r = await runLoad({
    name: o.label,
    urls: o.urls,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { pacedRate: o.rate, leadInS: PACED_LEAD_IN_S } : {}),
    requestsFor: (i) => {
      const u = o.fleet.userFrom + i;
      let k = 0;
      return [
        {
          kind: 'book',
          method: 'POST',
          path: '/api/v1/inspections/bookings',
          setupRequest: (req) => {
            if (k >= o.fleet.count(u)) exhausted++;
            const v = o.fleet.vfirst(u) + (k++ % o.fleet.count(u));
            return {
              ...req,
              headers: { ...JSON_HEADERS, cookie: cookieOf(u), 'idempotency-key': `${o.label}-${v}-${k}` },
              body: JSON.stringify({ vehicleId: uuidOf(PREFIX.vehicle, v), slotId: o.slots[(v * 7 + k) % o.slots.length] }),
            };
          },
          onResponse: (status, body) => {
            if (status === 201 && first) {
              first = false;
              o.onFirstAnswer?.(body);
            }
          },
        },
      ];
    },
  });
  if (!o.quiet) dumpAnswers(o.label, r);
  const s = summarise(r, (x) => x.status === 201);
  const all = summarise(r);
  if (!o.quiet) log(`  POST /api/v1/inspections/bookings, ${o.connections} connections${o.rate ? ` at ${num(o.rate)} requests/s offered` : ''}, ${o.seconds} s: ${num(s.rps)} bookings/s; p50 ${ms(all.latency.p50)} p95 ${ms(all.latency.p95)} p99 ${ms(all.latency.p99)}; ${statusLine(all.byStatus)}; errors ${r.errors}${errorDetail(r)}${exhausted ? `; ${exhausted} requests past a client's vehicles (409 expected)` : ''}`);
  const cpr = perRequest(r, all.total);
  if (!o.quiet) log(`    ${r.cpu}${cpuLine(cpr)}`);
  return { label: o.label, connections: o.connections, seconds: o.seconds, rate: o.rate ?? null, summary: { ...all, rps: s.rps }, errors: r.errors, exhausted, cpu: r.cpu, cpuPerRequest: cpr };
}

/**
 * Waits until these slots' counters have not moved for half a second:
 * requests a load run left in flight (still queued inside a bff, not yet
 * visible to Postgres) have finished.
 */
export async function waitSettled(sql: Sql, slots: string[], maxMs = 30_000): Promise<void> {
  const until = performance.now() + maxMs;
  let last = -1;
  let still = 0;
  while (performance.now() < until && still < 5) {
    const [r] = await sql<{ n: number }[]>`
      SELECT (COALESCE(sum(booked), 0) + (SELECT count(*) FROM inspection_booking WHERE slot_id = ANY(${slots}::uuid[])))::int AS n
      FROM inspection_slot WHERE id = ANY(${slots}::uuid[])`;
    still = r!.n === last ? still + 1 : 0;
    last = r!.n;
    await new Promise((res) => setTimeout(res, 100));
  }
}

/**
 * Ends every active booking of these slots (as 'completed') and zeroes their
 * counters, so their vehicles can book again. The slot rows are locked first,
 * so a booking still in flight either commits before (and is ended here) or
 * takes its place after the reset.
 */
export async function resetSlots(sql: Sql, slots: string[]): Promise<void> {
  await waitSettled(sql, slots);
  await sql.begin(async (tx) => {
    await tx`SELECT id FROM inspection_slot WHERE id = ANY(${slots}::uuid[]) ORDER BY id FOR UPDATE`;
    await tx`UPDATE inspection_booking SET status = 'completed', ended_at = now(), updated_at = now() WHERE slot_id = ANY(${slots}::uuid[]) AND status = 'booked'`;
    await tx`UPDATE inspection_slot SET booked = 0, cross_city_booked = 0, updated_at = now() WHERE id = ANY(${slots}::uuid[])`;
  });
  await sql`VACUUM (ANALYZE) inspection_booking`.catch(() => {});
}
