/**
 * `pnpm bench -- --only=payments` (or `pnpm --filter bench exec tsx payments.ts`) —
 * issue 21 "Must hold" / ADR-035, ADR-038: provider notifications through the
 * real HTTP endpoint (`POST /payment-notify/alipay`, form-encoded, RSA2-signed
 * as Alipay signs), then the day's reconciliation against the provider's bill.
 *
 * 1. fixtures by SQL: FINES paid fines (payment orders, and the dev gateway's
 *    trades paid yesterday, Asia/Shanghai), UNPAID open orders nobody paid, and
 *    EXTRA trades the provider took whose notification never arrives;
 * 2. every paid fine notified 3× (the same signed notification, as Alipay
 *    resends it), plus forged ones (signed with another key, or a genuine one
 *    with its amount changed) for unpaid and paid fines from ATTACKERS source
 *    addresses (X-Forwarded-For; the bff trusts one hop) — all shuffled and
 *    sent CONCURRENCY at a time: notifications/s, p50/p99, and the verdicts
 *    (exactly one ledger entry per paid fine, of its amount; 0 forged accepted;
 *    every genuine one answered `success`);
 * 3. the province 管理岗 runs that day's reconciliation over HTTP: the adapter
 *    asks for the bill URL (alipay-sdk, signed), downloads the ZIP of GBK CSV
 *    files, parses the 业务明细 file, keeps and compares FINES + EXTRA lines:
 *    seconds, and the verdict (exactly the EXTRA trades listed, totals to the fen).
 *
 * The bff is the production build, run with NODE_ENV=development because the
 * dev gateway that plays Alipay (the bill's source) exists only with
 * DEV_TOOLS=1, which production refuses; no job workers (the settled jobs are
 * not part of the figure). Bounded: 127.0.0.1 only; every process started is
 * stopped on the way out.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { ensureBffBuild, startBff } from './lib/bff.ts';
import { startDatabase } from './lib/database.ts';
import { cleanupAll, latencyOf, log, ms, num } from './lib/util.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name: string, d: number) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? d);
const FINES = arg('fines', 10_000);
const UNPAID = Math.max(1, Math.round(FINES / 20));
const EXTRA = 50;
const ATTACKERS = 100;
const FORGED_PER_ATTACKER = 25;
const CONCURRENCY = arg('concurrency', 64);

type Gateway = {
  notificationOf: (t: Record<string, unknown>, now: Date) => Record<string, string>;
  signContent: (p: Record<string, string>, withSignType: boolean) => string;
};

const shanghaiDay = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const outTradeNo = (n: number) => `JTB${String(n).padStart(12, '0')}`;
const amountOf = (n: number) => 5_000 + ((n * 7919) % 15_001); // 50.00 – 200.00 元
const OWNER = '70000000-0000-4000-8000-000000000001';

async function fixtures(sql: postgres.Sql, day: string) {
  const t = performance.now();
  // one citizen who opened every order (the notify path does not look at her)
  await sql`INSERT INTO person (id, id_type, id_number, name, sex, birth_date, phone) VALUES ('71000000-0000-4000-8000-000000000001', 'passport', 'BENCHPAY1', '压测缴款人', 'F', '1990-01-01', '14699990001')`;
  await sql`INSERT INTO user_account (id, kind, personal_type, registration_channel, person_id, phone, created_at)
            VALUES (${OWNER}, 'personal', 'owner_driver', 'online', '71000000-0000-4000-8000-000000000001', '14699990001', now() - interval '30 days')`;
  const total = FINES + UNPAID + EXTRA;
  const opened = `'${day} 07:00:00+08'::timestamptz`;
  await sql.unsafe(`
    INSERT INTO payment_order (out_trade_no, payable_kind, payable_ref, amount_fen, subject, owner_user_id, settled_job, status, provider, created_at, expires_at)
    SELECT 'JTB' || lpad(n::text, 12, '0'), 'bench_fine', 'FINE-' || n, 5000 + ((n::bigint * 7919) % 15001), '交通违法罚款 压测' || n, '${OWNER}',
           'payments.dev_test_paid', 'open', 'alipay', ${opened}, now() + interval '1 day'
    FROM generate_series(1, ${total}) n`);
  // the provider's side: fines 1..FINES and the EXTRA ones paid yesterday; the UNPAID ones never were
  const paid = (from: number, to: number) => sql.unsafe(`
    INSERT INTO dev_gateway_trade (out_trade_no, trade_no, app_id, total_amount_fen, subject, status, notify_url, return_url, created_at, paid_at)
    SELECT 'JTB' || lpad(n::text, 12, '0'), '2026000000' || lpad(n::text, 18, '0'), '9021000000000001', 5000 + ((n::bigint * 7919) % 15001),
           '交通违法罚款 压测' || n, 'TRADE_SUCCESS', 'http://127.0.0.1/payment-notify/alipay', 'http://127.0.0.1/', ${opened}, ${opened} + interval '1 hour' + n * interval '1 second'
    FROM generate_series(${from}, ${to}) n`);
  await paid(1, FINES);
  await paid(FINES + UNPAID + 1, total);
  await sql`ANALYZE`;
  log(`  fixtures: ${num(total)} orders (${num(FINES)} paid fines, ${num(UNPAID)} unpaid, ${EXTRA} paid at the provider with no notification), trades of ${day} (${Math.round(performance.now() - t)} ms)`);
}

function shuffle<T>(xs: T[], seed = 20261206): T[] {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

type Send = { params: Record<string, string>; ip: string | null; genuine: boolean; n: number };

async function sendAll(url: string, sends: Send[]) {
  const lat: number[] = [];
  const answers = { success: 0, failure: 0, limited: 0, other: 0, genuineNotSuccess: 0, forgedSuccess: 0 };
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < sends.length) {
      const s = sends[next++]!;
      const t0 = performance.now();
      let status: number, text = '';
      try {
        const res = await fetch(`${url}/payment-notify/alipay`, {
          method: 'POST', body: new URLSearchParams(s.params).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...(s.ip ? { 'x-forwarded-for': s.ip } : {}) },
        });
        status = res.status;
        text = await res.text();
      } catch {
        status = -1;
      }
      lat.push(performance.now() - t0);
      if (status === 200 && text === 'success') answers.success++;
      else if (status === 200 && text === 'failure') answers.failure++;
      else if (status === 429) answers.limited++;
      else answers.other++;
      if (s.genuine && text !== 'success') answers.genuineNotSuccess++;
      if (!s.genuine && text === 'success') answers.forgedSuccess++;
    }
  }));
  return { ms: performance.now() - t, lat, answers };
}

export async function paymentsBench(): Promise<void> {
  log(`\n━━ payments: ${num(FINES)} fines notified 3× out of order with forgeries, then the day's reconciliation (ADR-035, ADR-038) ━━`);
  ensureBffBuild(root, { skip: argv.includes('--no-build') });
  const db = await startDatabase(root);
  const sql = postgres(db.url, { max: 4, onnotice: () => {} });
  const gatewayModule = '../bff/src/modules/payments/dev-gateway/gateway.ts';
  const gw = (await import(gatewayModule)) as Gateway;
  const verdicts: [string, boolean][] = [];
  try {
    const day = shanghaiDay(new Date(Date.now() - 24 * 3600_000)); // yesterday: the daily reconciliation runs the next day
    await fixtures(sql, day);
    const bff = await startBff(root, db.url, {
      NODE_ENV: 'development', DEV_TOOLS: '1', ALLOW_TEST_CLOCK: 'false', PAYMENT_PROVIDER: 'dev', JOBS_ENABLED: 'false', TRUSTED_PROXY_HOPS: '1', LOG_LEVEL: 'error',
    });
    log(`  bff (production build, NODE_ENV=development for the dev gateway, no job workers) on ${bff.url}`);

    // the notifications, signed as the provider signs them (once per fine: a resend is the same notification)
    const t = performance.now();
    const trades = await sql<Record<string, unknown>[]>`SELECT * FROM dev_gateway_trade WHERE out_trade_no LIKE 'JTB%' AND out_trade_no <= ${outTradeNo(FINES)} ORDER BY out_trade_no`;
    const now = new Date();
    const genuine = trades.map((tr) => gw.notificationOf(tr, now));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forge = (base: Record<string, string>, changes: Record<string, string>) => {
      const p: Record<string, string> = { ...base, ...changes };
      delete p.sign;
      delete p.sign_type;
      return { ...p, sign_type: 'RSA2', sign: createSign('RSA-SHA256').update(gw.signContent(p, false)).sign(privateKey, 'base64') };
    };
    const sends: Send[] = [];
    genuine.forEach((g, i) => { for (let k = 0; k < 3; k++) sends.push({ params: g, ip: null, genuine: true, n: i + 1 }); });
    for (let a = 0; a < ATTACKERS; a++) {
      const ip = `198.51.${100 + Math.floor(a / 250)}.${1 + (a % 250)}`;
      for (let k = 0; k < FORGED_PER_ATTACKER; k++) {
        const i = a * FORGED_PER_ATTACKER + k;
        const unpaidN = FINES + 1 + (i % UNPAID);
        const paidN = 1 + ((i * 31) % FINES);
        const g = genuine[paidN - 1]!;
        const params = i % 3 === 0
          // a forged payment of an unpaid fine, signed with another key
          ? forge(g, { out_trade_no: outTradeNo(unpaidN), trade_no: `9${randomBytes(6).toString('hex')}`, total_amount: (amountOf(unpaidN) / 100).toFixed(2) })
          : i % 3 === 1
            // a genuine notification with its amount changed after signing
            ? { ...g, total_amount: '0.01' }
            // a genuine notification re-pointed at an unpaid fine
            : { ...g, out_trade_no: outTradeNo(unpaidN) };
        sends.push({ params, ip, genuine: false, n: i });
      }
    }
    shuffle(sends);
    log(`  ${num(genuine.length)} notifications signed, ${num(sends.length)} requests shuffled (${Math.round(performance.now() - t)} ms): ${num(FINES * 3)} genuine (each 3×), ${num(ATTACKERS * FORGED_PER_ATTACKER)} forged or tampered from ${ATTACKERS} addresses`);

    // warm-up: a few requests the figures do not count (an unknown order: refused, from an address of its own)
    await sendAll(bff.url, Array.from({ length: 10 }, (_, i) => ({ params: { foo: String(i) }, ip: '203.0.113.250', genuine: false, n: -1 })));

    const run = await sendAll(bff.url, sends);
    const l = latencyOf(run.lat);
    const rate = sends.length / (run.ms / 1000);
    log(`  notifications: ${num(sends.length)} in ${(run.ms / 1000).toFixed(1)} s = ${num(rate)} /s at ${CONCURRENCY} in flight; p50 ${ms(l.p50)}, p99 ${ms(l.p99)}, max ${ms(l.max)}`);
    log(`  answers: ${num(run.answers.success)} success, ${num(run.answers.failure)} failure, ${num(run.answers.limited)} limited (429), ${run.answers.other} other`);

    const [ledger] = await sql<{ orders: number; entries: number; wrong_amount: number; not_paid: number }[]>`
      SELECT count(DISTINCT l.order_id)::int AS orders, count(*)::int AS entries,
             count(*) FILTER (WHERE l.amount_fen <> o.amount_fen)::int AS wrong_amount,
             count(*) FILTER (WHERE o.out_trade_no > ${outTradeNo(FINES)})::int AS not_paid
      FROM payment_ledger_entry l JOIN payment_order o ON o.id = l.order_id WHERE o.payable_kind = 'bench_fine'`;
    const [paidOrders] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM payment_order WHERE payable_kind = 'bench_fine' AND status = 'paid'`;
    const [rejected] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM payment_notification_rejected WHERE ip LIKE '198.51.%'`;
    log(`  ledger: ${num(ledger!.entries)} entries for ${num(ledger!.orders)} orders (${num(paidOrders!.n)} paid); ${num(rejected!.n)} refusals kept, ${num(run.answers.limited)} more refused by the address limit without a write`);
    verdicts.push(
      [`exactly one ledger entry per paid fine (${num(ledger!.entries)} entries, ${num(ledger!.orders)} fines of ${num(FINES)}, ${ledger!.wrong_amount} of another amount)`,
        ledger!.entries === FINES && ledger!.orders === FINES && ledger!.wrong_amount === 0 && paidOrders!.n === FINES],
      [`0 forged accepted (${run.answers.forgedSuccess} forged answered success, ${ledger!.not_paid} ledger entries for unpaid fines)`, run.answers.forgedSuccess === 0 && ledger!.not_paid === 0],
      [`every genuine notification taken (${num(FINES * 3 - run.answers.genuineNotSuccess)} of ${num(FINES * 3)} answered success)`, run.answers.genuineNotSuccess === 0],
      [`every forged one refused: ${num(rejected!.n)} written as refusals + ${num(run.answers.limited)} limited by their address (429) = ${num(ATTACKERS * FORGED_PER_ATTACKER)}`,
        rejected!.n + run.answers.limited === ATTACKERS * FORGED_PER_ATTACKER && run.answers.other === 0],
    );

    // reconciliation of that day, as the province 管理岗 runs it from the console
    const token = Array.from(randomBytes(32), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join(''); // a session token's alphabet (base32, 32 characters)
    await sql`INSERT INTO session (id, principal_kind, principal_id, created_at, last_seen_at, idle_expires_at, absolute_expires_at, ip, user_agent)
              SELECT encode(sha256(convert_to(${token}, 'UTF8')), 'hex'), 'staff', id, now(), now(), now() + interval '1 hour', now() + interval '2 hours', '127.0.0.1', 'bench'
              FROM staff_member WHERE username = 'gd.review'`;
    const tr = performance.now();
    const res = await fetch(`${bff.url}/admin-api/payment-reconciliations/${day}/run`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie: `jg_staff_session=${token}`, origin: bff.url }, body: '{}',
    });
    const recMs = performance.now() - tr;
    const rec = (await res.json()) as { status?: string; statementCount?: number; ledgerCount?: number; ledgerNetFen?: number; statementNetFen?: number; mismatchCount?: number };
    if (res.status !== 200) throw new Error(`reconciliation answered ${res.status}: ${JSON.stringify(rec)}`);
    const [extra] = await sql<{ fen: number }[]>`SELECT coalesce(sum(total_amount_fen), 0)::bigint AS fen FROM dev_gateway_trade WHERE out_trade_no > ${outTradeNo(FINES + UNPAID)} AND out_trade_no LIKE 'JTB%'`;
    const [mis] = await sql<{ n: number; missing: number }[]>`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE problem = 'missing_in_ledger' AND out_trade_no > ${outTradeNo(FINES + UNPAID)})::int AS missing
      FROM payment_reconciliation_mismatch WHERE business_day = ${day}`;
    log(`  reconciliation of ${day}: ${(recMs / 1000).toFixed(2)} s for ${num(rec.statementCount ?? 0)} statement lines (bill ZIP of GBK CSV via the signed bill URL) against ${num(rec.ledgerCount ?? 0)} ledger entries; ${rec.status}, ${rec.mismatchCount} mismatches; net ledger ${num(rec.ledgerNetFen ?? 0)} fen, statement ${num(rec.statementNetFen ?? 0)} fen`);
    verdicts.push([
      `reconciliation lists exactly the ${EXTRA} trades the ledger lacks, totals to the fen (statement − ledger = ${num(Number(extra!.fen))} fen)`,
      rec.statementCount === FINES + EXTRA && rec.ledgerCount === FINES && mis!.n === EXTRA && mis!.missing === EXTRA && (rec.statementNetFen ?? 0) - (rec.ledgerNetFen ?? 0) === Number(extra!.fen),
    ]);
    for (const [what, ok] of verdicts) log(`  ${ok ? '✓' : '✗'} ${what}`);
    if (verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
    await bff.stop();
  } finally {
    await sql.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await paymentsBench();
  } finally {
    await cleanupAll();
  }
}
