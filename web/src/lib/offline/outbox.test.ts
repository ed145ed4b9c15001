import 'fake-indexeddb/auto';
import { deleteDB } from 'idb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { closeDb, DB_NAME, getDb } from './db.ts';
import {
  discardItem,
  enqueue,
  listOutbox,
  currentOwner,
  pendingCount,
  replayAll,
  restoreItem,
  retryItem,
} from './outbox.ts';

type Sent = { url: string; method: string; key: string | null; lang: string | null; body: unknown };

/** A bff stand-in: answers per path, records what reached it. */
function stubBff(answer: (path: string) => Response | 'network-down') {
  const sent: Sent[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const reply = answer(url.pathname);
    if (reply === 'network-down') throw new TypeError('Failed to fetch');
    sent.push({
      url: url.href,
      method: init?.method ?? 'GET',
      key: headers.get('idempotency-key'),
      lang: headers.get('accept-language'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    return reply;
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const problem = (status: number, code: string, title: string) =>
  json(status, { type: `https://jiaoguan.example/problems/${code}`, code, status, title }, 'application/problem+json');

const base = { baseUrl: 'http://web.test', locale: 'zh-CN' };

beforeEach(async () => {
  await deleteDB(DB_NAME);
});

afterEach(async () => {
  await closeDb();
});

describe('enqueue', () => {
  it('keeps the request with a fresh idempotency key, waiting', async () => {
    const a = await enqueue({ method: 'POST', path: '/api/v1/things', body: { n: 1 }, label: '预选号牌' });
    const b = await enqueue({ method: 'POST', path: '/api/v1/things', body: { n: 2 }, label: '预选号牌' });

    expect(a).toMatchObject({ status: 'waiting', attempts: 0, lastError: null, label: '预选号牌' });
    expect(a.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.idempotencyKey).not.toBe(a.idempotencyKey);
    expect(Date.parse(a.createdAt)).not.toBeNaN();
    expect((await listOutbox()).map((i) => i.body)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(await pendingCount()).toBe(2);
  });

  it('refuses paths outside the bff proxy', async () => {
    await expect(enqueue({ method: 'POST', path: 'https://evil.example/x', label: 'x' })).rejects.toThrow();
  });
});

describe('replayAll', () => {
  it('sends each waiting item once, in order, with its own key, to the same-origin /api path', async () => {
    const first = await enqueue({ method: 'POST', path: '/api/v1/a', body: { n: 1 }, label: 'A' });
    const second = await enqueue({ method: 'PUT', path: '/api/v1/b', body: { n: 2 }, label: 'B' });
    const bff = stubBff(() => json(201, { reference: 'R1' }));

    expect(await replayAll({ ...base, fetch: bff.fetch })).toEqual({ sent: 2, failed: 0, waiting: 0 });
    expect(await replayAll({ ...base, fetch: bff.fetch })).toEqual({ sent: 0, failed: 0, waiting: 0 });

    expect(bff.sent).toEqual([
      { url: 'http://web.test/api/v1/a', method: 'POST', key: first.idempotencyKey, lang: 'zh-CN', body: { n: 1 } },
      { url: 'http://web.test/api/v1/b', method: 'PUT', key: second.idempotencyKey, lang: 'zh-CN', body: { n: 2 } },
    ]);
    const items = await listOutbox();
    expect(items.map((i) => [i.status, i.attempts, i.result])).toEqual([
      ['sent', 1, { reference: 'R1' }],
      ['sent', 1, { reference: 'R1' }],
    ]);
    expect(await pendingCount()).toBe(0);
  });

  it('marks a 4xx refusal failed with its localised title and goes on with the next item', async () => {
    await enqueue({ method: 'POST', path: '/api/v1/refused', body: {}, label: 'A' });
    await enqueue({ method: 'POST', path: '/api/v1/fine', body: {}, label: 'B' });
    const bff = stubBff((path) =>
      path === '/api/v1/refused' ? problem(422, 'plates.number_taken', '该号牌号码已被选用') : json(200, {}),
    );

    expect(await replayAll({ ...base, fetch: bff.fetch })).toEqual({ sent: 1, failed: 1, waiting: 0 });
    const [refused, fine] = await listOutbox();
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, lastError: '该号牌号码已被选用' });
    expect(fine).toMatchObject({ status: 'sent' });
    // Failed items stay for the user to read, retry or discard.
    expect(await pendingCount()).toBe(1);
  });

  it('keeps items waiting on a network error, and later items do not overtake them', async () => {
    const first = await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    await enqueue({ method: 'POST', path: '/api/v1/b', body: {}, label: 'B' });
    const offline = stubBff(() => 'network-down');

    expect(await replayAll({ ...base, fetch: offline.fetch })).toEqual({ sent: 0, failed: 0, waiting: 2 });
    const [a, b] = await listOutbox();
    expect(a).toMatchObject({ status: 'waiting', attempts: 1, lastError: 'Failed to fetch' });
    expect(b).toMatchObject({ status: 'waiting', attempts: 0 });
    expect(offline.fetch).toHaveBeenCalledTimes(1);

    const online = stubBff(() => json(200, {}));
    expect(await replayAll({ ...base, fetch: online.fetch })).toEqual({ sent: 2, failed: 0, waiting: 0 });
    // The retry reuses the key, so the bff runs the request at most once.
    expect(online.sent[0]?.key).toBe(first.idempotencyKey);
  });

  it('keeps items waiting while the bff is in trouble or a duplicate is still running', async () => {
    await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    for (const reply of [
      problem(503, 'server.unavailable', '服务暂时不可用'),
      problem(409, 'idempotency.in_progress', '请求正在处理'),
      problem(429, 'rate.limited', '请求过于频繁'),
    ]) {
      const bff = stubBff(() => reply.clone());
      expect(await replayAll({ ...base, fetch: bff.fetch })).toEqual({ sent: 0, failed: 0, waiting: 1 });
    }
    expect((await listOutbox())[0]).toMatchObject({ status: 'waiting', attempts: 3 });
  });

  it('keeps the items of an expired session waiting, in order, and sends them once the user has signed in again', async () => {
    const first = await enqueue({ method: 'POST', path: '/api/v1/a', body: { n: 1 }, label: 'A' });
    await enqueue({ method: 'POST', path: '/api/v1/b', body: { n: 2 }, label: 'B' });
    const expired = stubBff(() => problem(401, 'auth.required', '请先登录'));

    expect(await replayAll({ ...base, fetch: expired.fetch })).toEqual({ sent: 0, failed: 0, waiting: 2 });
    // Never "sent", never "failed": one request told us, the rest were not tried.
    expect(expired.sent).toHaveLength(1);
    const [a, b] = await listOutbox();
    expect(a).toMatchObject({ status: 'waiting', needsSignIn: true, lastError: '请先登录', body: { n: 1 } });
    expect(b).toMatchObject({ status: 'waiting', attempts: 0, body: { n: 2 } });
    expect(await pendingCount()).toBe(2);

    const signedIn = stubBff(() => json(201, {}));
    expect(await replayAll({ ...base, fetch: signedIn.fetch })).toEqual({ sent: 2, failed: 0, waiting: 0 });
    expect(signedIn.sent.map((s) => [s.key, s.body])).toEqual([
      [first.idempotencyKey, { n: 1 }],
      [expect.any(String), { n: 2 }],
    ]);
    expect((await listOutbox())[0]).toMatchObject({ status: 'sent', needsSignIn: false, lastError: null });
  });

  it("keeps a refusal's own words at the field, not a format message", async () => {
    await enqueue({ method: 'POST', path: '/api/v1/plates/preselections', body: {}, label: '预选号牌' });
    const bff = stubBff(() =>
      json(
        422,
        {
          type: 'https://jiaoguan.example/problems/plates.not_own_vehicle',
          code: 'plates.not_own_vehicle',
          status: 422,
          title: '只能为本人或本单位需办理注册登记的机动车预选号牌',
          errors: [{ pointer: '/ownerIdNumber', field: 'ownerIdNumber', code: 'plates.not_own_vehicle', detail: '身份证明号码不是您本人的' }],
        },
        'application/problem+json',
      ),
    );
    await replayAll({ ...base, fetch: bff.fetch });
    expect((await listOutbox())[0]).toMatchObject({ status: 'failed', lastError: '身份证明号码不是您本人的' });
  });

  it('shares one run between concurrent calls, so nothing is sent twice', async () => {
    await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    await enqueue({ method: 'POST', path: '/api/v1/b', body: {}, label: 'B' });
    const bff = stubBff(() => json(200, {}));

    await Promise.all([replayAll({ ...base, fetch: bff.fetch }), replayAll({ ...base, fetch: bff.fetch })]);
    expect(bff.sent.map((s) => s.url)).toEqual(['http://web.test/api/v1/a', 'http://web.test/api/v1/b']);
  });

  it('resends an item left "sending" by a closed tab, under the same key', async () => {
    const item = await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    await (await getDb()).put('outbox', { ...item, status: 'sending', attempts: 1 });
    const bff = stubBff(() => json(200, {}));
    await replayAll({ ...base, fetch: bff.fetch });
    expect(bff.sent.map((s) => s.key)).toEqual([item.idempotencyKey]);
  });
});

describe('retry and discard', () => {
  it('puts a failed item back in the queue with its key', async () => {
    const item = await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    await replayAll({ ...base, fetch: stubBff(() => problem(409, 'replacements.application_exists', '已有办理中的申请')).fetch });
    expect((await listOutbox())[0]).toMatchObject({ status: 'failed', lastError: '已有办理中的申请' });

    await retryItem(item.id);
    const bff = stubBff(() => json(200, {}));
    expect(await replayAll({ ...base, fetch: bff.fetch })).toEqual({ sent: 1, failed: 0, waiting: 0 });
    expect(bff.sent[0]?.key).toBe(item.idempotencyKey);
    expect((await listOutbox())[0]).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('discards an item, and undo brings it back in its place', async () => {
    const a = await enqueue({ method: 'POST', path: '/api/v1/a', body: {}, label: 'A' });
    await enqueue({ method: 'POST', path: '/api/v1/b', body: {}, label: 'B' });

    const removed = await discardItem(a.id);
    expect((await listOutbox()).map((i) => i.label)).toEqual(['B']);

    await restoreItem(removed!);
    expect((await listOutbox()).map((i) => i.label)).toEqual(['A', 'B']);
    expect((await listOutbox())[0]?.idempotencyKey).toBe(a.idempotencyKey);
  });
});

describe('shared device', () => {
  it('reads the owner tag from the jg_owner cookie', () => {
    expect(currentOwner('lang=en; jg_owner=0123456789abcdef; x=1')).toBe('0123456789abcdef');
    expect(currentOwner('lang=en')).toBeNull();
  });

  it("replays an item only while the user who queued it is signed in, never under another user's session", async () => {
    const mine = await enqueue({ method: 'POST', path: '/api/v1/a', body: { n: 1 }, label: 'A', owner: 'aaaaaaaaaaaaaaaa' });
    const bff = stubBff(() => json(201, { ok: true }));
    expect(await replayAll({ ...base, fetch: bff.fetch, owner: 'bbbbbbbbbbbbbbbb' })).toEqual({ sent: 0, failed: 0, waiting: 0 });
    expect(await replayAll({ ...base, fetch: bff.fetch, owner: null })).toEqual({ sent: 0, failed: 0, waiting: 0 });
    expect(bff.sent).toEqual([]);
    expect(await replayAll({ ...base, fetch: bff.fetch, owner: 'aaaaaaaaaaaaaaaa' })).toEqual({ sent: 1, failed: 0, waiting: 0 });
    expect(bff.sent.map((s) => s.key)).toEqual([mine.idempotencyKey]);
  });
});
