import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { userCookie, WANG_FANG, ZHANG_WEI } from './testing.ts';

// Seed: 张伟 owns 粤BA1234 (inspection valid until 2027-01-31) and 粤BD12345 (2028-06-30),
// and has 粤B8K2M9 bound as a non-own vehicle; the test clock starts on 2026-11-25.
const BA1234 = '30000000-0000-4000-8000-000000000001';

type Due = { kind: string; label: string; subjectId: string | null; dueAt: string | null; overdue: boolean; detail: string | null };

describe('my account: what is due soon (issue 18)', async () => {
  const env = await testEnv();
  const zhang = await userCookie(env, ZHANG_WEI.userId);
  const due = async (cookie: string): Promise<Due[]> => {
    const res = await env.call('GET', '/api/v1/me/due-soon', { cookie });
    expect(res.status).toBe(200);
    return (await res.json()).items;
  };

  it('R-35.3 an own vehicle whose inspection ends within 90 days is due, with the vehicle to book for; later ones and non-own ones are not', async () => {
    const items = await due(zhang);
    expect(items.filter((i) => i.kind.startsWith('inspection'))).toEqual([
      { kind: 'inspection_due', label: '粤BA1234', subjectId: BA1234, dueAt: '2027-01-31', overdue: false, detail: null },
    ]);
    expect(items.map((i) => i.label)).not.toContain('粤BD12345');
    expect(items.map((i) => i.label)).not.toContain('粤B8K2M9');
  });

  it('R-35.3 once booked, the item names the booking and its day instead of asking to book', async () => {
    const [slot] = await env.sql<{ id: string; station_id: string; day: string }[]>`
      SELECT s.id, s.station_id, to_char(s.day, 'YYYY-MM-DD') AS day FROM inspection_slot s LIMIT 1`;
    const [b] = await env.sql<{ id: string }[]>`
      INSERT INTO inspection_booking (code, vehicle_id, user_account_id, slot_id, station_id, created_at, updated_at)
      VALUES ('JYDUE0001', ${BA1234}, ${ZHANG_WEI.userId}, ${slot!.id}, ${slot!.station_id}, now(), now()) RETURNING id`;
    const item = (await due(zhang)).find((i) => i.label === '粤BA1234');
    expect(item).toMatchObject({ kind: 'inspection_booked', subjectId: b!.id, detail: slot!.day });
    await env.sql`DELETE FROM inspection_booking WHERE id = ${b!.id}`;
  });

  it('R-12.2.4 a counter application returned for correction is due, with its reference and the note', async () => {
    const [staff] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'sz.intake'`;
    await env.sql`
      INSERT INTO account_application (reference, authority_id, subject, kind, change_kind, status, id_type, id_number, phone, form, user_account_id,
        check_status, track_token_hash, accepted_by, accepted_at, review_due_at, returned_note, returned_at, updated_at)
      VALUES ('YH44030020261125DUE01', '440300', 'person', 'change', 'contact', 'returned', 'resident_id', ${ZHANG_WEI.idNumber}, ${ZHANG_WEI.phone}, '{}',
        ${ZHANG_WEI.userId}, 'passed', 'due-soon-test', ${staff!.id}, now(), now() + interval '1 day', '请补充门牌号', now(), now())`;
    const items = await due(zhang);
    expect(items.find((i) => i.kind === 'application_returned')).toEqual({
      kind: 'application_returned', label: 'YH44030020261125DUE01', subjectId: 'YH44030020261125DUE01', dueAt: null, overdue: false, detail: '请补充门牌号',
    });
    // Waiting for the citizen now: listed first.
    expect(items[0]!.kind).toBe('application_returned');
  });

  it('a citizen sees only his own: another account has none of these, and signed out it is 401', async () => {
    const wang = await due(await userCookie(env, WANG_FANG.userId));
    expect(wang.map((i) => i.label)).not.toContain('粤BA1234');
    expect(wang.map((i) => i.label)).not.toContain('YH44030020261125DUE01');
    expect((await env.call('GET', '/api/v1/me/due-soon')).status).toBe(401);
  });

  it('R-12.1.3 the counter form starts from the signed-in person’s own record; signed out it is 401', async () => {
    const res = await env.call('GET', '/api/v1/me/record', { cookie: zhang });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ name: '张伟', sex: 'M', birthDate: '1985-03-12', idType: 'resident_id', idNumber: ZHANG_WEI.idNumber, phone: ZHANG_WEI.phone });
    expect((await env.call('GET', '/api/v1/me/record')).status).toBe(401);
  });
});
