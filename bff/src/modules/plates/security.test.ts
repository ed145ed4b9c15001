import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { staffCookie, userCookie, ZHANG_WEI } from './test-support.ts';

/** Every plates route refuses anonymous callers and the wrong posts (style §7). */
describe('plates routes: who may call what', async () => {
  const env = await testEnv();
  const id = '00000000-0000-4000-8000-000000000000';

  const citizen: [string, string][] = [
    ['GET', `/api/v1/plates/segments/${id}/check?serial=AB123`],
    ['GET', '/api/v1/plates/me'],
    ['POST', '/api/v1/plates/preselections'],
    ['GET', `/api/v1/plates/preselections/${id}`],
    ['POST', `/api/v1/plates/preselections/${id}/draws`],
    ['POST', `/api/v1/plates/preselections/${id}/pick`],
    ['GET', `/api/v1/plates/draws/${id}/proof`],
  ];
  // [method, path, posts allowed]
  const staff: [string, string, string[]][] = [
    ['GET', '/admin-api/plate-plans', ['review']],
    ['POST', '/admin-api/plate-plans', ['review']],
    ['GET', `/admin-api/plate-plans/${id}`, ['review']],
    ...['submit', 'approve', 'publish', 'build-pool', 'open', 'close'].map((c): [string, string, string[]] => ['POST', `/admin-api/plate-plans/${id}/${c}`, ['review']]),
    ['GET', '/admin-api/plate-preselections', ['intake', 'review']],
    ['GET', `/admin-api/plate-preselections/${id}`, ['intake', 'review']],
    ['POST', `/admin-api/plate-preselections/${id}/register`, ['intake']],
  ];
  const posts: Record<string, string> = { intake: 'sz.intake', review: 'sz.review', archive: 'sz.archive', station_operator: 'station.futian' };

  it('the segment list is public (R-25.3: plans are published to everyone)', async () => {
    expect((await env.call('GET', '/api/v1/plates/segments')).status).toBe(200);
  });

  it.each(citizen)('%s %s answers 401 without a citizen session', async (method, path) => {
    const res = await env.call(method, path, method === 'POST' ? { body: {} } : {});
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe('auth.required');
  });

  it.each(citizen)('%s %s answers 401 to a staff session alone', async (method, path) => {
    const res = await env.call(method, path, { cookie: await staffCookie(env, 'sz.review'), ...(method === 'POST' ? { body: {} } : {}) });
    expect(res.status).toBe(401);
  });

  it.each(staff)('%s %s: anonymous and citizens 401, other posts 403', async (method, path, allowed) => {
    const body = method === 'POST' ? { body: {} } : {};
    expect((await env.call(method, path, body)).status).toBe(401);
    expect((await env.call(method, path, { cookie: await userCookie(env.sql, ZHANG_WEI.userId, env.clock.now()), ...body })).status).toBe(401);
    for (const [post, username] of Object.entries(posts)) {
      const res = await env.call(method, path, { cookie: await staffCookie(env, username), ...body });
      if (allowed.includes(post)) expect(res.status, post).not.toBe(403);
      else expect(res.status, post).toBe(403);
    }
  });

  it('a preselection that is not mine answers 404, not 403', async () => {
    const res = await env.call('GET', `/api/v1/plates/preselections/${id}`, { cookie: await userCookie(env.sql, ZHANG_WEI.userId, env.clock.now()) });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe('plates.preselection_not_found');
  });
});
