/**
 * `pnpm bench -- --only=exams` (or `pnpm --filter bench exec tsx exams.ts`) —
 * issue 20 / ADR-033: one allocation of 100,000 applications to 10,000 seats
 * across 200 exam plans, timed; run twice on the same inputs and compared by
 * digest (identical allocation); the applicant's rank page (GET
 * /api/v1/exams/applications/{id} on the production bff) loaded while the
 * batch runs, with its p50/p99.
 *
 * The batch runs here, plan by plan, each in its own transaction, with the
 * job handler's own function (bff/src/modules/exams/allocation.ts) — what the
 * job worker does for each plan's `exams.allocate` job. Bounded: 127.0.0.1
 * only; every process started is stopped on the way out.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { ensureBffBuild, startBff } from './lib/bff.ts';
import { startDatabase } from './lib/database.ts';
import { cookieOf, createUsers, PREFIX, uuidOf } from './lib/fixtures.ts';
import { cleanupAll, latencyOf, log, ms, num } from './lib/util.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const APPLICATIONS = Number(argv.find((a) => a.startsWith('--applications='))?.slice(15) ?? 100_000);
const PLANS = 200;
const SEATS_PER_PLAN = 50; // 200 × 50 = 10,000 seats
const USER_FROM = 200_001; // bench citizens (lib/fixtures.ts ranges stay clear of run.ts's)
/** Rank pages per second while the batch runs (open loop). */
const RANK_RATE = Number(argv.find((a) => a.startsWith('--rank-rate='))?.slice(12) ?? 100);

const EXAM_PREFIX = { plan: 'b3000000', permit: 'b2000000', application: 'b4000000', licenceApp: 'b5000000' };
const STATION = 'e1000000-0000-4000-8000-000000000001'; // the demo exam station (db/seed/exams.ts)

type Allocate = (tx: postgres.TransactionSql, planId: string, now: Date, jobId?: number | null) => Promise<{ kind: string; digest?: string }>;

async function fixtures(sql: postgres.Sql) {
  const t = performance.now();
  await createUsers(sql, USER_FROM, APPLICATIONS);
  const to = USER_FROM + APPLICATIONS - 1;
  const u = (prefix: string) => `(${`'${prefix}-0000-4000-8000-' || lpad(u::text, 12, '0')`})::uuid`;
  // plans: 科目二 C1, collection closed, exam days from 2028-01-10
  await sql.unsafe(`
    INSERT INTO exam_plan (id, station_id, authority_id, subject, classes, exam_date, session, seats, closes_at, published_at)
    SELECT ${u(EXAM_PREFIX.plan)}, '${STATION}', '440300', 2, '{C1}', '2028-01-10'::date + (u / 2), CASE WHEN u % 2 = 0 THEN 'am' ELSE 'pm' END,
           ${SEATS_PER_PLAN}, '2026-12-01 00:00:00+08', '2026-11-01 09:00:00+08'
    FROM generate_series(1, ${PLANS}) u`);
  await sql.unsafe(`
    INSERT INTO licence_application (id, person_id, kind, classes, phone, status, authority_id, accepted_at)
    SELECT ${u(EXAM_PREFIX.licenceApp)}, ${u(PREFIX.person)}, 'first_licence', 'C1', '146' || lpad(u::text, 8, '0'), 'accepted', '440300', '2026-01-01 09:00:00+08'
    FROM generate_series(${USER_FROM}, ${to}) u`);
  // rank keys: 50,000 distinct minutes for 100,000 permits — ties are broken by the application id (ADR-033)
  await sql.unsafe(`
    INSERT INTO learner_permit (id, person_id, kind, licence_application_id, class, authority_id, issued_on, valid_until, accepted_at, subject1_passed_on, last_exam_at, exam_station_id, updated_at)
    SELECT ${u(EXAM_PREFIX.permit)}, ${u(PREFIX.person)}, 'first_licence', ${u(EXAM_PREFIX.licenceApp)}, 'C1', '440300', '2026-01-01', '2028-12-31',
           '2026-01-01 09:00:00+08', '2026-06-01', '2026-06-01 08:30:00+08'::timestamptz + ((u::bigint * 7919) % 50000) * interval '1 minute', '${STATION}', now()
    FROM generate_series(${USER_FROM}, ${to}) u`);
  await sql.unsafe(`
    INSERT INTO exam_application (id, reference, plan_id, permit_id, user_account_id, subject, rank_key_at, rank_key_kind, applied_at)
    SELECT ${u(EXAM_PREFIX.application)}, 'EXB' || lpad(u::text, 9, '0'),
           ('${EXAM_PREFIX.plan}-0000-4000-8000-' || lpad((1 + (u::bigint * 31) % ${PLANS})::text, 12, '0'))::uuid,
           ${u(EXAM_PREFIX.permit)}, ${u(PREFIX.user)}, 2,
           '2026-06-01 08:30:00+08'::timestamptz + ((u::bigint * 7919) % 50000) * interval '1 minute', 'last_exam', '2026-11-20 10:00:00+08'
    FROM generate_series(${USER_FROM}, ${to}) u`);
  await sql`ANALYZE`;
  // Applications are collected for ≥ 5 days before the cut-off; by then autovacuum has visited the table (hint bits,
  // visibility map), so the rank page's count is an index-only scan, as in production (ADR-039).
  await sql`VACUUM ANALYZE exam_application`;
  log(`  fixtures: ${num(APPLICATIONS)} learners with permits and sessions, ${PLANS} plans × ${SEATS_PER_PLAN} seats, ${num(APPLICATIONS)} applications (${Math.round(performance.now() - t)} ms)`);
}

const planIds = Array.from({ length: PLANS }, (_, i) => uuidOf(EXAM_PREFIX.plan, i + 1));

/**
 * The batch: each plan in its own transaction, as the job worker runs each
 * plan's job — by two workers at once, as two bff processes would (the plan's
 * row lock and the allocation row keep each plan single, ADR-033).
 */
async function allocateAll(sql: postgres.Sql, allocate: Allocate, workers = 2): Promise<{ ms: number; digest: string; allocated: number }> {
  const now = new Date('2026-12-01T00:00:00+08:00');
  const t = performance.now();
  const digests = new Map<string, string>();
  let next = 0;
  await Promise.all(Array.from({ length: workers }, async () => {
    while (next < planIds.length) {
      const id = planIds[next++]!;
      const r = await sql.begin((tx) => allocate(tx, id, now, null));
      if (r.kind !== 'allocated') throw new Error(`plan ${id}: ${r.kind}`);
      digests.set(id, r.digest!);
    }
  }));
  const elapsed = performance.now() - t;
  const [n] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM exam_application WHERE status = 'allocated' AND plan_id = ANY (${planIds})`;
  // the batch's digest: the plans' digests in plan order, whichever worker ran which plan
  return { ms: elapsed, digest: createHash('sha256').update(planIds.map((id) => digests.get(id)).join('\n')).digest('hex'), allocated: n!.n };
}

/** Back to "collected, not allocated" (the rerun's same inputs); the audit log keeps both runs. */
async function reset(sql: postgres.Sql) {
  await sql`DELETE FROM outbox_event WHERE message_id IN (SELECT id FROM outbox_message WHERE dedupe_key LIKE 'exams.result:%')`;
  await sql`DELETE FROM outbox_message WHERE dedupe_key LIKE 'exams.result:%'`;
  await sql`DELETE FROM exam_allocation WHERE plan_id = ANY (${planIds})`;
  await sql`UPDATE exam_application SET status = 'applied', rank = NULL, decided_at = NULL WHERE plan_id = ANY (${planIds})`;
  await sql`UPDATE exam_plan SET status = 'open' WHERE id = ANY (${planIds})`;
  await sql`VACUUM ANALYZE exam_application`;
}

/**
 * Rank pages of random applicants, open loop: one request every 1000/RANK_RATE ms
 * (applicants looking at their rank, not a closed loop that saturates the
 * cores), latency from each request's scheduled send, until `stop` resolves.
 */
async function rankPages(url: string, stop: Promise<unknown>): Promise<{ lat: number[]; errors: number }> {
  let done = false;
  void stop.then(() => (done = true), () => (done = true));
  const lat: number[] = [];
  let errors = 0;
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const gap = 1000 / RANK_RATE;
  const t0 = performance.now();
  const inflight = new Set<Promise<void>>();
  for (let i = 0; !done; i++) {
    const at = t0 + i * gap;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inflight.size >= 200) { errors++; continue; } // the generator's own bound: never more than 200 open requests
    const u = USER_FROM + (next() % APPLICATIONS);
    const p = fetch(`${url}/api/v1/exams/applications/${uuidOf(EXAM_PREFIX.application, u)}`, { headers: { cookie: cookieOf(u) } })
      .then(async (res) => {
        await res.arrayBuffer();
        lat.push(performance.now() - at);
        if (res.status !== 200) errors++;
      }, () => { errors++; })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  await Promise.all(inflight);
  return { lat, errors };
}

export async function examsBench(): Promise<{ first: number; second: number; digest: string; identical: boolean; p50: number; p99: number; pages: number; errors: number }> {
  log('\n━━ exams: one allocation of 100,000 applications to 10,000 seats across 200 plans (ADR-033) ━━');
  ensureBffBuild(root, { skip: argv.includes('--no-build') });
  const db = await startDatabase(root);
  const sql = postgres(db.url, { max: 4, onnotice: () => {} });
  // The job handler's own function, run from the bff's source (tsx); a path in a variable keeps the bff out of the bench's type check.
  const allocationModule = '../bff/src/modules/exams/allocation.ts';
  const { allocatePlan } = (await import(allocationModule)) as { allocatePlan: Allocate };
  try {
    await fixtures(sql);
    // A production bff needs a payment merchant (ADR-035); the rank page never pays: the dev gateway's demo merchant, unreachable.
    const keysModule = '../bff/src/modules/payments/dev-gateway/demo-keys.ts';
    const keys = (await import(keysModule)) as { DEMO_APP_ID: string; DEMO_APP_PRIVATE_KEY: string; DEMO_GATEWAY_PUBLIC_KEY: string };
    const merchant: Record<string, string> = process.env.ALIPAY_APP_ID ? {} : {
      PAYMENT_PROVIDER: 'alipay', ALIPAY_APP_ID: keys.DEMO_APP_ID, ALIPAY_PRIVATE_KEY: keys.DEMO_APP_PRIVATE_KEY, ALIPAY_PUBLIC_KEY: keys.DEMO_GATEWAY_PUBLIC_KEY,
      ALIPAY_GATEWAY: 'https://127.0.0.1:9/gateway.do', PAYMENT_NOTIFY_URL: 'https://127.0.0.1:9/payment-notify/alipay',
    };
    const bff = await startBff(root, db.url, { JOBS_ENABLED: 'false', ...merchant });
    log(`  bff (production build, no job workers) on ${bff.url}`);
    // warm-up of the rank page
    await rankPages(bff.url, new Promise((r) => setTimeout(r, 1500)));
    const run1 = allocateAll(sql, allocatePlan);
    const pages = await rankPages(bff.url, run1);
    const first = await run1;
    const l = latencyOf(pages.lat);
    log(`  run 1: ${ms(first.ms)} for ${PLANS} plans, ${num(first.allocated)} allocated; digest ${first.digest}`);
    log(`  rank page while it ran: ${num(l.n)} pages at ${RANK_RATE}/s (open loop), p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}, errors ${pages.errors}`);
    await reset(sql);
    const second = await allocateAll(sql, allocatePlan);
    log(`  run 2 (same inputs): ${ms(second.ms)}; digest ${second.digest} — ${second.digest === first.digest ? 'identical' : 'DIFFERENT'}`);
    const ok = first.ms < 30_000 && second.digest === first.digest && l.p99 < 50 && first.allocated === PLANS * SEATS_PER_PLAN;
    log(`  targets: allocation < 30 s ${first.ms < 30_000 ? '✓' : '✗'}, identical rerun ${second.digest === first.digest ? '✓' : '✗'}, rank page p99 < 50 ms ${l.p99 < 50 ? '✓' : '✗'}`);
    if (!ok) process.exitCode = 1;
    await bff.stop();
    return { first: first.ms, second: second.ms, digest: first.digest, identical: second.digest === first.digest, p50: l.p50, p99: l.p99, pages: l.n, errors: pages.errors };
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await examsBench();
  } finally {
    await cleanupAll();
  }
}
