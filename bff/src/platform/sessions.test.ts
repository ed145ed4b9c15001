/**
 * Every signed-in citizen request reads its session first. With group commit
 * (issue 23, ADR-040 "Reads") the session reads of requests that arrive
 * together go to PostgreSQL as one statement; each request still gets exactly
 * its own session, and expiry and sliding are still settled per request.
 */
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../test/support.ts';
import { createApp } from '../app.ts';
import { createSql } from '../db.ts';
import { makeCitizens } from '../modules/inspections/testing.ts';
import { plansOf, readsOf } from '../../test/query-plans.ts';
import { sessionIdFromToken, userSessionQuery, userSessionsBatch, type UserSessionRow } from './sessions.ts';

describe('session reads, batched', async () => {
  const env = await testEnv();
  const now = env.clock.now();
  const idOf = (cookie: string) => sessionIdFromToken(cookie.slice(cookie.indexOf('=') + 1));

  it('one statement reads many sessions: each id gets exactly what its own read gives, in order; unknown ids get none', async () => {
    const crowd = await makeCitizens(env.sql, 3, { now, start: 9600 });
    const ids = [idOf(crowd[2]!.cookie), 'f'.repeat(64), idOf(crowd[0]!.cookie), idOf(crowd[2]!.cookie), idOf(crowd[1]!.cookie)];
    const batched = await userSessionsBatch(env.sql, ids);
    const single = await Promise.all(ids.map(async (id) => (await env.sql<UserSessionRow[]>`${userSessionQuery(env.sql, id)}`)[0] ?? null));
    expect(batched).toEqual(single);
    expect(batched.map((r) => r?.user_id ?? null)).toEqual([crowd[2]!.userId, null, crowd[0]!.userId, crowd[2]!.userId, crowd[1]!.userId]);
  });

  it('concurrent requests share session statements; each is answered as its own user, an expired session still 401 and deleted', async () => {
    const statements: string[] = [];
    const counted = createSql(env.url, { max: 4, debug: (_c, q) => !/pg_catalog\.pg_type/.test(q) && statements.push(q) });
    const app = createApp({ ...env.deps, sql: counted, reads: counted });
    const crowd = await makeCitizens(env.sql, 30, { now, start: 9700 });
    const expired = crowd[7]!;
    await env.sql`UPDATE session SET idle_expires_at = ${new Date(now.getTime() - 1000)} WHERE id = ${idOf(expired.cookie)}`;
    statements.length = 0;
    const answers = await Promise.all(
      crowd.map(async (c) => {
        const r = await app.request('/api/v1/me', { headers: { cookie: c.cookie } });
        return { status: r.status, body: (await r.json()) as { id?: string; code?: string } };
      }),
    );
    expect(answers.map((a) => a.status)).toEqual(crowd.map((c) => (c === expired ? 401 : 200)));
    answers.forEach((a, i) => {
      if (crowd[i] !== expired) expect(JSON.stringify(a.body)).toContain(crowd[i]!.phone.slice(-4));
    });
    expect(answers[7]!.body.code).toBe('auth.required');
    const sessionReads = statements.filter((q) => q.includes('jsonb_array_elements_text') && q.includes('FROM session s'));
    expect(sessionReads.length).toBeGreaterThan(0);
    expect(sessionReads.length).toBeLessThan(30);
    expect(statements.filter((q) => /WHERE s\.id = \$1 AND s\.principal_kind = 'user'/.test(q))).toHaveLength(0);
    expect(await env.sql`SELECT 1 FROM session WHERE id = ${idOf(expired.cookie)}`).toHaveLength(0);
    await counted.end({ timeout: 1 });
  });

  it('each id is a lookup by key, whatever the statistics say: never a hash of the ids over the whole session table (ADR-040)', async () => {
    const crowd = await makeCitizens(env.sql, 3, { now, start: 9800 });
    const [plan] = await plansOf(env.url, /FROM session s/, (sql) => userSessionsBatch(sql, crowd.map((c) => idOf(c.cookie))));
    expect(readsOf(plan!, 'session', 'i.sid')).toEqual(['lookup']);
  });
});
