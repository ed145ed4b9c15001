import { describe, expect, it } from 'vitest';
import { testEnv, staffSessionCookie, userSessionCookie } from '../../../test/support.ts';
import { BAOAN, FUTIAN, makeSlot, ZW_LAVIDA } from '../inspections/testing.ts';

const ZHANG_WEI = '50000000-0000-4000-8000-000000000001';
const all = `?range=${encodeURIComponent('[0,499]')}`;

type Entry = { id: number; actorKind: string; actorLabel: string | null; action: string; entityType: string; authorityId: string | null; after: unknown };

/**
 * Issue 17 (ADR-024), least-privilege audit access: the log is read by 审计员
 * — a role of its own, holding no business post — and the system
 * administrator; a dealer or a station operator reads only what its own
 * organisation's or station's members did. Before, every post read its
 * city's whole log: a dealer saw citizens' bookings and plates.
 */
describe('issue 17: who reads the audit log', async () => {
  const env = await testEnv();
  // A second station's operator (宝安), and activity of everyone: a citizen books an inspection at 福田.
  await env.sql`INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id, station_id, totp_key, totp_enabled)
                SELECT 'station.baoan', '宝安检测站 操作员', password_hash, '{station_operator}', '440300', ${BAOAN}, totp_key, true FROM staff_member WHERE username = 'station.futian'`;
  const cookie = {
    audit: await staffSessionCookie(env, 'sz.audit'),
    admin: await staffSessionCookie(env, 'admin'),
    dealer: await staffSessionCookie(env, 'dealer.pengcheng'),
    futian: await staffSessionCookie(env, 'station.futian'),
    baoan: await staffSessionCookie(env, 'station.baoan'),
    intake: await staffSessionCookie(env, 'sz.intake'),
    review: await staffSessionCookie(env, 'sz.review'),
    archive: await staffSessionCookie(env, 'sz.archive'),
  };
  const slot = await makeSlot(env.sql, FUTIAN, '2026-12-03', '09:00', 5, env.clock.now());
  const booked = await env.call('POST', '/api/v1/inspections/bookings', { cookie: await userSessionCookie(env, ZHANG_WEI), body: { vehicleId: ZW_LAVIDA, slotId: slot } });
  expect(booked.status).toBe(201);
  // Each member does something audited of its own.
  expect((await env.call('POST', '/admin-api/auth/sign-out', { cookie: await staffSessionCookie(env, 'dealer.pengcheng') })).status).toBeLessThan(300);
  expect((await env.call('POST', '/admin-api/auth/sign-out', { cookie: await staffSessionCookie(env, 'station.futian') })).status).toBeLessThan(300);
  expect((await env.call('POST', '/admin-api/auth/sign-out', { cookie: await staffSessionCookie(env, 'station.baoan') })).status).toBeLessThan(300);
  const member = async (username: string) => (await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = ${username}`)[0]!.id;
  const read = async (c: string) => {
    const r = await env.call('GET', `/admin-api/audit-log${all}`, { cookie: c });
    return { status: r.status, rows: r.status === 200 ? ((await r.json()) as Entry[]) : [] };
  };

  it('issue 17: the audit log is readable only by 审计员 and the system administrator among the city posts — 受理岗, 管理岗 and 档案岗 get 403', async () => {
    for (const post of ['intake', 'review', 'archive'] as const) {
      expect((await env.call('GET', '/admin-api/audit-log', { cookie: cookie[post] })).status, post).toBe(403);
      const [one] = await env.sql<{ id: number }[]>`SELECT id FROM audit_log ORDER BY id LIMIT 1`;
      expect((await env.call('GET', `/admin-api/audit-log/${one!.id}`, { cookie: cookie[post] })).status, post).toBe(403);
    }
    const audit = await read(cookie.audit);
    expect(audit.status).toBe(200);
    // 审计员 sees the city's log, citizens' bookings included (PD-9: its own authority).
    expect(audit.rows.some((e) => e.action.startsWith('inspections.') && e.actorKind === 'user')).toBe(true);
    expect(audit.rows.every((e) => e.authorityId === '440300')).toBe(true);
    const admin = await read(cookie.admin);
    expect(admin.rows.length).toBeGreaterThanOrEqual(audit.rows.length);
  });

  it('issue 17: a dealer sees only the entries of its own organisation’s members — not citizens’ bookings and plates', async () => {
    const dealer = await read(cookie.dealer);
    expect(dealer.status).toBe(200);
    expect(dealer.rows.length).toBeGreaterThan(0);
    const id = await member('dealer.pengcheng');
    const [mine] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE actor_kind = 'staff' AND actor_id = ${id}`;
    expect(dealer.rows).toHaveLength(mine!.n);
    expect(dealer.rows.every((e) => e.actorKind === 'staff' && e.actorLabel?.includes('dealer.pengcheng'))).toBe(true);
    expect(dealer.rows.some((e) => e.action.startsWith('inspections.'))).toBe(false);
    // Someone else's entry is "not found", not forbidden.
    const [booking] = await env.sql<{ id: number }[]>`SELECT id FROM audit_log WHERE action LIKE 'inspections.%' LIMIT 1`;
    expect((await env.call('GET', `/admin-api/audit-log/${booking!.id}`, { cookie: cookie.dealer })).status).toBe(404);
  });

  it('issue 17: a station operator sees only its own station’s members’ entries', async () => {
    const futian = await read(cookie.futian);
    expect(futian.status).toBe(200);
    expect(futian.rows.length).toBeGreaterThan(0);
    expect(futian.rows.every((e) => e.actorLabel?.includes('station.futian'))).toBe(true);
    const baoan = await read(cookie.baoan);
    expect(baoan.rows.every((e) => e.actorLabel?.includes('station.baoan'))).toBe(true);
    expect(baoan.rows.map((e) => e.id)).not.toEqual(expect.arrayContaining(futian.rows.map((e) => e.id)));
    // Citizens' bookings at the station are not the station's members' actions.
    expect(futian.rows.some((e) => e.actorKind === 'user')).toBe(false);
  });

  it('issue 17: an auditor holds no business post (the database refuses the mix)', async () => {
    await expect(env.sql`UPDATE staff_member SET roles = '{auditor,intake}' WHERE username = 'sz.audit'`).rejects.toMatchObject({ constraint_name: 'staff_member_auditor_holds_no_post' });
    await expect(env.sql`UPDATE staff_member SET roles = '{auditor,system_admin}' WHERE username = 'sz.audit'`).resolves.toBeDefined();
  });
});
