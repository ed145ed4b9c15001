import { describe, expect, it } from 'vitest';
import { keyedByArray, nodesOf, plansOf } from '../../test/query-plans.ts';
import { testEnv } from '../../test/support.ts';
import { createSql } from '../db.ts';
import { devProviders, dispatchDue, DISPATCH_BATCH, enqueueMessage, recordReceipt, type OutboxMessage, type OutboxProvider, type OutboxProviders } from './outbox.ts';

type Row = { id: string; status: string; attempts: number; next_attempt_at: Date; last_error: string | null; provider: string | null; provider_ref: string | null };

describe('outbox (non-negotiable 2)', async () => {
  const env = await testEnv();
  const { sql } = env;
  const message = async (id: string) => (await sql<Row[]>`SELECT id, status, attempts, next_attempt_at, last_error, provider, provider_ref FROM outbox_message WHERE id = ${id}`)[0]!;
  const events = async (id: string) => (await sql<{ status: string; at: Date; detail: string | null }[]>`SELECT status, at, detail FROM outbox_event WHERE message_id = ${id} ORDER BY id`);
  const enqueue = (msg: Parameters<typeof enqueueMessage>[1], now = env.clock.now()) => sql.begin((tx) => enqueueMessage(tx, msg, now));
  /** Only this test's messages reach the provider under test; earlier ones are delivered silently. */
  const drain = async () => {
    while ((await dispatchDue(sql, devProviders(), new Date('2100-01-01T00:00:00Z'), 500)) > 0);
  };

  it('non-negotiable 2: a message enqueued in a transaction that rolls back does not exist', async () => {
    const before = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message`)[0]!.n;
    let id = '';
    await expect(
      sql.begin(async (tx) => {
        id = await enqueueMessage(tx, { channel: 'sms', recipient: '13800138000', template: 'test.rolled_back' }, env.clock.now());
        throw new Error('the cause failed');
      }),
    ).rejects.toThrow('the cause failed');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await sql`SELECT 1 FROM outbox_message WHERE id = ${id} OR template = 'test.rolled_back'`).toHaveLength(0);
    expect(await sql`SELECT 1 FROM outbox_event WHERE message_id = ${id}`).toHaveLength(0);
    expect((await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message`)[0]!.n).toBe(before);
  });

  it('non-negotiable 2: the dev providers deliver SMS (→ delivered) and post (→ sent), with an event per transition', async () => {
    await drain();
    const now = env.clock.now();
    const sms = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'auth.sms_code', payload: { code: '123456', minutes: 5 } });
    const post = await enqueue({ channel: 'post', recipient: '深圳市福田区福华路1号', template: 'test.letter', authorityId: '440300' });
    expect((await message(sms)).status).toBe('pending');
    expect(await dispatchDue(sql, devProviders(), now)).toBe(2);

    const s = await message(sms);
    expect(s).toMatchObject({ status: 'delivered', attempts: 1, provider: 'dev-sms', last_error: null });
    expect(s.provider_ref).toBe(`dev-sms-${sms.slice(0, 8)}`);
    expect((await events(sms)).map((e) => e.status)).toEqual(['pending', 'sending', 'delivered']);
    const p = await message(post);
    expect(p).toMatchObject({ status: 'sent', attempts: 1, provider: 'dev-post' });
    expect((await events(post)).map((e) => e.status)).toEqual(['pending', 'sending', 'sent']);
    expect((await events(post)).every((e) => e.at.getTime() === now.getTime())).toBe(true);

    // Nothing left due: a second round sends nothing again.
    expect(await dispatchDue(sql, devProviders(), new Date(now.getTime() + 3600_000))).toBe(0);
  });

  it('a backlog goes in batches of DISPATCH_BATCH: deliveries side by side, one statement recording mixed outcomes, an event each', async () => {
    await drain();
    const now = env.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 130; i++) ids.push(await enqueue({ channel: 'sms', recipient: `1390000${String(i).padStart(4, '0')}`, template: 'test.batch', payload: { i } }));
    let inFlight = 0;
    let most = 0;
    const flaky: OutboxProvider = {
      name: 'flaky-sms',
      async deliver(m) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        const i = Number((m.payload as { i: number }).i);
        if (i % 3 === 0) return { status: 'failed', error: `gateway busy for 1390000${String(i).padStart(4, '0')}`, retryable: true };
        if (i % 3 === 1) return { status: 'refused', error: 'number unknown' };
        return { status: 'delivered', providerRef: `ref-${i}` };
      },
    };
    expect(await dispatchDue(sql, { sms: flaky }, now)).toBe(DISPATCH_BATCH);
    expect(most).toBeGreaterThan(1);
    expect(await dispatchDue(sql, { sms: flaky }, now)).toBe(130 - DISPATCH_BATCH);
    const rows = await sql<{ id: string; status: string; next_attempt_at: Date; last_error: string | null; provider_ref: string | null; i: number }[]>`
      SELECT id, status, next_attempt_at, last_error, provider_ref, (payload->>'i')::int AS i FROM outbox_message WHERE id = ANY(${ids}::uuid[])`;
    expect(rows).toHaveLength(130);
    for (const r of rows) {
      if (r.i % 3 === 0) {
        expect(r).toMatchObject({ status: 'pending', last_error: expect.stringMatching(/^gateway busy for 139\*{4}\d{4}$/) });
        expect(r.next_attempt_at.getTime()).toBe(now.getTime() + 10_000);
      } else if (r.i % 3 === 1) expect(r).toMatchObject({ status: 'refused', last_error: 'number unknown' });
      else expect(r).toMatchObject({ status: 'delivered', provider_ref: `ref-${r.i}`, last_error: null });
    }
    const [ev] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_event WHERE message_id = ANY(${ids}::uuid[])`;
    expect(ev!.n).toBe(130 * 3); // pending, sending, and the outcome
  });

  it('non-negotiable 2: a message is not sent before it is due', async () => {
    await drain();
    const now = env.clock.now();
    const id = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.later' }, new Date(now.getTime() + 60_000));
    expect(await dispatchDue(sql, devProviders(), now)).toBe(0);
    expect((await message(id)).status).toBe('pending');
    expect(await dispatchDue(sql, devProviders(), new Date(now.getTime() + 60_000))).toBe(1);
    expect((await message(id)).status).toBe('delivered');
  });

  it('non-negotiable 2: a throwing provider is retried with backoff, attempts counted, and given up as failed after the maximum', async () => {
    await drain();
    let calls = 0;
    const flaky: OutboxProviders = {
      sms: {
        name: 'flaky-sms',
        async deliver() {
          calls++;
          throw new Error('gateway timeout for 13800138000');
        },
      },
    };
    const start = env.clock.now();
    const id = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.retry' }, start);
    const delays = [10, 60, 300, 1800, 7200];
    let t = start.getTime();
    for (let attempt = 1; attempt <= delays.length; attempt++) {
      expect(await dispatchDue(sql, flaky, new Date(t))).toBe(1);
      const m = await message(id);
      expect(m.status).toBe('pending');
      expect(m.attempts).toBe(attempt);
      expect(m.next_attempt_at.getTime()).toBe(t + delays[attempt - 1]! * 1000);
      // The error is kept, masked (non-negotiable 7).
      expect(m.last_error).toBe('gateway timeout for 138****8000');
      // Not due yet: one millisecond early nothing is sent.
      expect(await dispatchDue(sql, flaky, new Date(m.next_attempt_at.getTime() - 1))).toBe(0);
      t = m.next_attempt_at.getTime();
    }
    expect(calls).toBe(5);
    expect(await dispatchDue(sql, flaky, new Date(t))).toBe(1);
    const last = await message(id);
    expect(last.status).toBe('failed');
    expect(last.attempts).toBe(6);
    expect(calls).toBe(6);
    // Given up: never picked again.
    expect(await dispatchDue(sql, flaky, new Date(t + 365 * 24 * 3600_000))).toBe(0);
    expect(calls).toBe(6);
    const ev = (await events(id)).map((e) => e.status);
    expect(ev).toEqual(['pending', ...Array(5).fill(['sending', 'pending']).flat(), 'sending', 'failed']);
  });

  it('non-negotiable 2: a permanent failure or a refusal is final at once; a channel without provider fails', async () => {
    await drain();
    const now = env.clock.now();
    const providers: OutboxProviders = {
      sms: { name: 'strict', deliver: async (m) => (m.recipient === '13800138000' ? { status: 'refused', error: 'blacklisted' } : { status: 'failed', error: 'bad number', retryable: false }) },
    };
    const refused = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.final' });
    const failed = await enqueue({ channel: 'sms', recipient: '13700137000', template: 'test.final' });
    const noProvider = await enqueue({ channel: 'payment', recipient: 'order-1', template: 'test.final' });
    expect(await dispatchDue(sql, providers, now)).toBe(3);
    expect((await message(refused)).status).toBe('refused');
    expect((await message(failed)).status).toBe('failed');
    expect((await message(noProvider))).toMatchObject({ status: 'failed', last_error: 'no provider for channel payment' });
    expect(await dispatchDue(sql, providers, new Date(now.getTime() + 24 * 3600_000))).toBe(0);
  });

  it('non-negotiable 2: a message left in sending by a dispatcher that died is retried after five minutes', async () => {
    await drain();
    const now = env.clock.now();
    const id = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.crash' });
    // A dispatcher claimed it and died before recording the answer.
    await sql`UPDATE outbox_message SET status = 'sending', attempts = 1, updated_at = ${now} WHERE id = ${id}`;
    expect(await dispatchDue(sql, devProviders(), new Date(now.getTime() + 4 * 60_000))).toBe(0);
    expect(await dispatchDue(sql, devProviders(), new Date(now.getTime() + 5 * 60_000 + 1))).toBe(1);
    expect(await message(id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('non-negotiable 2: the same dedupe key gives the same message, once, with one pending event', async () => {
    const a = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.dedupe', dedupeKey: 'dedupe:1' });
    const b = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.dedupe', dedupeKey: 'dedupe:1' });
    expect(b).toBe(a);
    expect(await sql`SELECT 1 FROM outbox_message WHERE dedupe_key = 'dedupe:1'`).toHaveLength(1);
    await dispatchDue(sql, devProviders(), env.clock.now());
    expect((await message(a)).status).toBe('delivered');
    // Retrying the cause after delivery neither resends nor rewrites history.
    const c = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.dedupe', dedupeKey: 'dedupe:1' });
    expect(c).toBe(a);
    expect((await message(a)).status).toBe('delivered');
    expect((await events(a)).map((e) => e.status)).toEqual(['pending', 'sending', 'delivered']);
    const other = await enqueue({ channel: 'sms', recipient: '13800138000', template: 'test.dedupe', dedupeKey: 'dedupe:2' });
    expect(other).not.toBe(a);
  });

  it('non-negotiable 2: two dispatchers racing over 50 messages deliver each exactly once', async () => {
    await drain();
    const now = env.clock.now();
    const ids = new Set<string>();
    await sql.begin(async (tx) => {
      for (let i = 0; i < 50; i++) ids.add(await enqueueMessage(tx, { channel: 'sms', recipient: `1390000${String(1000 + i)}`, template: 'test.race' }, now));
    });
    const calls = new Map<string, number>();
    const byProcess = [0, 0];
    const counting = (p: number): OutboxProviders => ({
      sms: {
        name: `count-${p}`,
        async deliver(m: OutboxMessage) {
          calls.set(m.id, (calls.get(m.id) ?? 0) + 1);
          byProcess[p]!++;
          await new Promise((r) => setTimeout(r, 2));
          return { status: 'delivered' };
        },
      } satisfies OutboxProvider,
    });
    // Two bff processes: two separate connection pools.
    const other = createSql(env.url, { max: 4 });
    try {
      const loop = async (db: typeof sql, p: number) => {
        let total = 0;
        for (;;) {
          const n = await dispatchDue(db, counting(p), now, 7);
          if (n === 0) return total;
          total += n;
        }
      };
      const [a, b] = await Promise.all([loop(sql, 0), loop(other, 1)]);
      expect(a + b).toBe(50);
    } finally {
      await other.end({ timeout: 1 });
    }
    expect(calls.size).toBe(50);
    expect([...calls.keys()].every((id) => ids.has(id))).toBe(true);
    expect([...calls.values()].every((n) => n === 1)).toBe(true);
    // Both processes did real work (the race was real).
    expect(byProcess[0]).toBeGreaterThan(0);
    expect(byProcess[1]).toBeGreaterThan(0);
    const [delivered] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message WHERE template = 'test.race' AND status = 'delivered' AND attempts = 1`;
    expect(delivered!.n).toBe(50);
    const [sending] = await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM outbox_event ev JOIN outbox_message m ON m.id = ev.message_id WHERE m.template = 'test.race' AND ev.status = 'sending'`;
    expect(sending!.n).toBe(50);
  });

  it('non-negotiable 2: a receipt for a letter moves it to delivered or refused with an event', async () => {
    await drain();
    const now = env.clock.now();
    const delivered = await enqueue({ channel: 'post', recipient: '深圳市南山区科技园1号', template: 'test.receipt' });
    const refused = await enqueue({ channel: 'post', recipient: '深圳市南山区科技园2号', template: 'test.receipt' });
    const pending = await enqueue({ channel: 'post', recipient: '深圳市南山区科技园3号', template: 'test.receipt' }, new Date(now.getTime() + 3600_000));
    await dispatchDue(sql, devProviders(), now);
    expect((await message(delivered)).status).toBe('sent');

    const later = new Date(now.getTime() + 3 * 24 * 3600_000);
    expect(await sql.begin((tx) => recordReceipt(tx, delivered, 'delivered', null, later))).toBe(true);
    expect(await sql.begin((tx) => recordReceipt(tx, refused, 'refused', '收件人拒收', later))).toBe(true);
    expect((await message(delivered)).status).toBe('delivered');
    expect(await message(refused)).toMatchObject({ status: 'refused', last_error: '收件人拒收' });
    const ev = await events(refused);
    expect(ev.map((e) => e.status)).toEqual(['pending', 'sending', 'sent', 'refused']);
    expect(ev.at(-1)).toMatchObject({ detail: '收件人拒收', at: later });

    // A receipt for a letter never sent changes nothing.
    expect(await sql.begin((tx) => recordReceipt(tx, pending, 'delivered', null, later))).toBe(false);
    expect((await message(pending)).status).toBe('pending');
    expect((await events(pending)).map((e) => e.status)).toEqual(['pending']);
    // A receipt in a transaction that rolls back leaves the letter as it was.
    const third = await enqueue({ channel: 'post', recipient: '深圳市南山区科技园4号', template: 'test.receipt' });
    await dispatchDue(sql, devProviders(), now);
    await expect(
      sql.begin(async (tx) => {
        await recordReceipt(tx, third, 'delivered', null, later);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await message(third)).status).toBe('sent');
  });

  it('a batch is claimed and recorded through the primary key however it is planned, never by a scan of every message (ADR-040)', async () => {
    await drain();
    const now = env.clock.now();
    for (const phone of ['13800000001', '13800000002', '13800000003']) await enqueue({ channel: 'sms', recipient: phone, template: 'sign_in_code', payload: { code: '123456' } }, now);
    const plans = await plansOf(env.url, /UPDATE outbox_message/, (s) => dispatchDue(s, devProviders(), now));
    expect(plans).toHaveLength(2); // the claim and the outcomes
    // The rows updated (m: the claim, o: the outcomes; the due rows are found by an index of their own): by their ids, as an array.
    for (const plan of plans) {
      expect(keyedByArray(plan, 'outbox_message_pkey')).toBe(true);
      expect(nodesOf(plan).filter((n) => n['Relation Name'] === 'outbox_message' && ['m', 'o'].includes(n.Alias as string) && n['Node Type'] === 'Seq Scan')).toEqual([]);
    }
  });
});

describe('SMS texts', () => {
  it('renders a registered module template and refuses a second template under the same name', async () => {
    const { registerTemplates, renderText } = await import('./outbox.ts');
    registerTemplates({ 'test.greeting': (p) => `您好，${p.name}` });
    expect(renderText('sms', 'test.greeting', { name: '张三' })).toBe('您好，张三');
    expect(() => registerTemplates({ 'test.greeting': (p) => `hi ${p.name}` })).toThrow(/twice/);
    expect(renderText('sms', 'auth.sms_code', { code: '123456', minutes: 5 })).toContain('123456');
  });

  it('every SMS the modules send has a registered template (no raw payloads in the inbox)', async () => {
    await import('../modules/index.ts');
    const { renderText } = await import('./outbox.ts');
    const { readdirSync, readFileSync } = await import('node:fs');
    const modules = new URL('../modules/', import.meta.url);
    const names = new Set<string>();
    for (const dir of readdirSync(modules, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
      for (const f of readdirSync(new URL(`${dir}/`, modules))) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
        const text = readFileSync(new URL(`${dir}/${f}`, modules), 'utf8');
        for (const m of text.matchAll(/channel: 'sms'[^}]*?template: '([a-z_.]+)'/gs)) names.add(m[1]!);
      }
    }
    expect(names.size).toBeGreaterThan(2);
    const raw = [...names].filter((n) => renderText('sms', n, {}).startsWith(`${n} `));
    expect(raw).toEqual([]);
  });
});
