import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { staffCookie } from './testing.ts';

const ID = '00000000-0000-4000-8000-000000000000';

/** Every staff route of the module: anonymous → 401, a post not named → 403 (style §7, PD-9). */
const staffRoutes: { method: string; path: string; posts: string[]; body?: unknown }[] = [
  { method: 'GET', path: '/admin-api/account-applications', posts: ['intake', 'review'] },
  { method: 'GET', path: `/admin-api/account-applications/${ID}`, posts: ['intake', 'review'] },
  { method: 'POST', path: '/admin-api/account-applications', posts: ['intake'], body: {} },
  { method: 'POST', path: `/admin-api/account-applications/${ID}/resubmit`, posts: ['intake'], body: {} },
  { method: 'POST', path: `/admin-api/account-applications/${ID}/approve`, posts: ['review'] },
  { method: 'POST', path: `/admin-api/account-applications/${ID}/reject`, posts: ['review'], body: { reason: '不符合' } },
  { method: 'POST', path: `/admin-api/account-applications/${ID}/return`, posts: ['review'], body: { note: '请更正' } },
  { method: 'GET', path: '/admin-api/account-prefills/ABCDEFGH23', posts: ['intake'] },
  { method: 'GET', path: '/admin-api/account-archives', posts: ['archive'] },
  { method: 'POST', path: `/admin-api/account-archives/${ID}/archive`, posts: ['archive'], body: { checkedDocuments: [], fileLocation: 'x' } },
  { method: 'GET', path: '/admin-api/user-accounts', posts: ['intake', 'review'] },
  { method: 'POST', path: `/admin-api/user-accounts/${ID}/cancel`, posts: ['review'], body: { reason: 'deceased', note: '死亡' } },
  { method: 'GET', path: '/admin-api/records-events', posts: ['intake', 'review'] },
  { method: 'POST', path: '/admin-api/records-events/vehicle', posts: ['intake'], body: { plateNo: '粤B00000', kind: 'vehicle_deregistration' } },
  { method: 'POST', path: '/admin-api/records-events/licence', posts: ['intake'], body: { licenceNo: '00000', kind: 'licence_cancellation' } },
  { method: 'GET', path: '/admin-api/licence-applications', posts: ['intake'] },
  { method: 'POST', path: `/admin-api/licence-applications/${ID}/issue`, posts: ['intake'] },
  { method: 'GET', path: '/admin-api/certificate-photos', posts: ['review'] },
  { method: 'POST', path: `/admin-api/certificate-photos/${ID}/approve`, posts: ['review'] },
  { method: 'GET', path: `/admin-api/uploads/${ID}`, posts: ['intake', 'review', 'archive'] },
];

const citizenRoutes: { method: string; path: string; body?: unknown }[] = [
  { method: 'GET', path: '/api/v1/me' },
  { method: 'GET', path: '/api/v1/me/bindings' },
  { method: 'POST', path: `/api/v1/me/vehicles/${ID}/bind` },
  { method: 'POST', path: `/api/v1/me/vehicles/${ID}/unbind` },
  { method: 'POST', path: `/api/v1/me/licences/${ID}/bind` },
  { method: 'POST', path: `/api/v1/me/licences/${ID}/unbind` },
  { method: 'POST', path: `/api/v1/me/licences/${ID}/organisations`, body: { uscc: '91440300MA5F28360P' } },
  { method: 'POST', path: '/api/v1/me/contact', body: { email: null, postalAddress: null, postcode: null } },
  { method: 'POST', path: '/api/v1/me/phone/sms-code', body: { phone: '13900139009' } },
  { method: 'POST', path: '/api/v1/me/password', body: { newPassword: 'Abc#12345678' } },
  { method: 'POST', path: '/api/v1/me/suspend' },
  { method: 'POST', path: '/api/v1/me/cancel', body: { confirm: true } },
  { method: 'GET', path: '/api/v1/me/certificate-photos' },
  { method: 'GET', path: '/api/v1/applications' },
  { method: 'GET', path: '/api/v1/applications/YH4403002026112500001' },
];

describe('accounts routes reject anonymous and wrong-post callers', async () => {
  const env = await testEnv();
  const cookies: Record<string, string> = {
    intake: await staffCookie(env, 'sz.intake'),
    review: await staffCookie(env, 'sz.review'),
    archive: await staffCookie(env, 'sz.archive'),
    station_operator: await staffCookie(env, 'station.futian'),
  };

  for (const r of staffRoutes) {
    it(`${r.method} ${r.path}: 401 anonymous, 403 for ${['intake', 'review', 'archive', 'station_operator'].filter((p) => !r.posts.includes(p)).join('/')}`, async () => {
      expect((await env.call(r.method, r.path, { body: r.body })).status).toBe(401);
      for (const post of Object.keys(cookies).filter((p) => !r.posts.includes(p))) {
        const res = await env.call(r.method, r.path, { body: r.body, cookie: cookies[post] });
        expect(res.status, post).toBe(403);
      }
    });
  }

  for (const r of citizenRoutes) {
    it(`${r.method} ${r.path}: 401 anonymous, and staff cookies are no citizen session`, async () => {
      expect((await env.call(r.method, r.path, { body: r.body })).status).toBe(401);
      expect((await env.call(r.method, r.path, { body: r.body, cookie: cookies.review })).status).toBe(401);
    });
  }

  it('uploads: anonymous 401 on both sides', async () => {
    const body = new Uint8Array([0xff, 0xd8, 0xff]);
    for (const path of ['/api/v1/uploads?purpose=certificate_photo', '/admin-api/uploads?purpose=onsite_photo']) {
      const res = await env.app.request(path, { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body });
      expect(res.status, path).toBe(401);
    }
  });
});
