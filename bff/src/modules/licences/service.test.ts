import { beforeAll, describe, expect, it } from 'vitest';
import { concurrentApp, testEnv, type TestEnv } from '../../../test/support.ts';
import { giveCertificate, makeHolder, runJobs, smsTo, staffCookie, userCookie, type Holder } from './testing.ts';

const post = { delivery: 'post', recipientName: '驾证测试', recipientPhone: '13912345678', postalAddress: '广东省深圳市福田区福华路8号', postcode: '518048' };
const DAY = 24 * 3600_000;

let env: TestEnv;
let intake: string;
let archive: string;

async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
const apply = async (h: Holder, body: Record<string, unknown>, lang = 'zh-CN') =>
  env.call('POST', '/api/v1/licences/applications', { cookie: await userCookie(env, h.userId), body: { licenceId: h.licenceId, declaration: true, ...body }, headers: { 'accept-language': lang } });
const cmd = (cookie: string, id: string, command: string, body: unknown = {}) => env.call('POST', `/admin-api/licence-services/${id}/${command}`, { cookie, body });
async function signIn() {
  [intake, archive] = [await staffCookie(env, 'sz.intake'), await staffCookie(env, 'sz.archive')];
}

describe('licence services on a real database', () => {
  beforeAll(async () => {
    env = await testEnv();
    await signIn();
  });

  it('X-4.1.1 an online-registered user is refused; another person’s licence is not found; an organisation binding is not his own', async () => {
    const online = await makeHolder(env.sql, { channel: 'online' });
    const r = await apply(online, { kind: 'damage_exchange', delivery: 'pickup' });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe('licences.counter_registered_only');
    const a = await makeHolder(env.sql);
    const b = await makeHolder(env.sql);
    const other = await env.call('POST', '/api/v1/licences/applications', { cookie: await userCookie(env, a.userId), body: { licenceId: b.licenceId, kind: 'damage_exchange', declaration: true, delivery: 'pickup' } });
    expect(other.status).toBe(404);
    const org = await makeHolder(env.sql, { binding: 'organisation' });
    const o = await ok(await env.call('GET', '/api/v1/licences/options', { cookie: await userCookie(env, org.userId) }));
    expect(o.licences[0].kinds[2].reason.code).toBe('licences.licence_not_own');
  });

  it('X-4.1.2 the four services are offered online, each explained', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-01-20' });
    const o = await ok(await env.call('GET', '/api/v1/licences/options', { cookie: await userCookie(env, h.userId) }));
    expect(o.licences[0].kinds.map((k: { kind: string }) => k.kind)).toEqual(['renewal', 'age_renewal', 'damage_exchange', 'loss_replacement']);
    expect(o.licences[0].kinds[0].reason.code).toBe('licences.health_certificate_required');
    expect(o.licences[0].kinds[1].reason.code).toBe('licences.age_renewal_not_due');
    expect(o.licences[0].kinds[2].allowed).toBe(true);
  });

  it('X-4.1.3 a seized licence is refused with its state named and the next step, at the field', async () => {
    const h = await makeHolder(env.sql, { status: 'seized' });
    const r = await apply(h, { kind: 'damage_exchange', delivery: 'pickup' });
    const body = await r.json();
    expect(r.status).toBe(422);
    expect(body.code).toBe('licences.state_blocked');
    expect(body.detail).toContain('扣押');
    expect(body.detail).toContain('窗口');
    expect(body.errors?.[0]?.field ?? body.field).toBe('kind');
  });

  it('X-4.1.4 遗失补证 of a detained licence is refused; of a valid one it needs no hand-in', async () => {
    const h = await makeHolder(env.sql, { status: 'detained' });
    const r = await apply(h, { kind: 'loss_replacement', delivery: 'pickup' }, 'en');
    expect((await r.json()).detail).toContain('Detained');
    const ok2 = await makeHolder(env.sql);
    const created = await ok(await apply(ok2, { kind: 'loss_replacement', delivery: 'pickup' }), 201);
    expect(created.oldLicenceHandInRequired).toBe(false);
  });

  it('X-4.1.5 renewal too early names the first day; more than a year overdue says how to restore', async () => {
    const early = await makeHolder(env.sql, { validUntil: '2027-06-30' });
    const r = await (await apply(early, { kind: 'renewal', delivery: 'pickup' })).json();
    expect(r.code).toBe('licences.renewal_too_early');
    expect(r.detail).toContain('2027-04-01');
    const late = await makeHolder(env.sql, { validUntil: '2025-10-01', status: 'overdue_renewal' });
    const o = await ok(await env.call('GET', '/api/v1/licences/options', { cookie: await userCookie(env, late.userId) }));
    expect(o.licences[0].kinds[0].reason.code).toBe('licences.renewal_overdue_cancelled');
    expect(o.licences[0].kinds[0].reason.detail).toContain('科目一');
  });

  it('X-4.1.6 超龄换证 of a 61-year-old B2 holder produces a C1 licence', async () => {
    const h = await makeHolder(env.sql, { birth: '1965-03-03', classes: 'B2' });
    await giveCertificate(env.sql, h, { issuedOn: '2026-11-10' });
    const created = await ok(await apply(h, { kind: 'age_renewal', delivery: 'pickup' }), 201);
    expect(created.classesAfter).toBe('C1');
    await ok(await cmd(intake, created.id, 'accept'));
    await ok(await cmd(intake, created.id, 'produce', { coreNumber: 'ZX-0001' }));
    const [l] = await env.sql<{ classes: string }[]>`SELECT classes FROM driving_licence WHERE id = ${h.licenceId}`;
    expect(l!.classes).toBe('C1');
  });

  it('X-4.1.7 期满换证 needs a hospital’s certificate within six months; the citizen’s own report is not enough', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-01-20' });
    await giveCertificate(env.sql, h, { issuedOn: '2026-11-01', source: 'self' });
    expect((await (await apply(h, { kind: 'renewal', ...post })).json()).code).toBe('licences.health_certificate_required');
    await giveCertificate(env.sql, h, { issuedOn: '2026-05-24' }); // six months ended yesterday
    expect((await (await apply(h, { kind: 'renewal', ...post })).json()).code).toBe('licences.health_certificate_required');
    const certId = await giveCertificate(env.sql, h, { issuedOn: '2026-11-20' });
    const created = await ok(await apply(h, { kind: 'renewal', ...post }), 201);
    expect(created.healthCertificateId).toBe(certId);
  });

  it('X-4.1.8 without a certificate photo the next step is to upload one', async () => {
    const h = await makeHolder(env.sql, { photo: false });
    const body = await (await apply(h, { kind: 'damage_exchange', delivery: 'pickup' })).json();
    expect(body.code).toBe('licences.no_certificate_photo');
    expect(body.detail).toContain('证件照片');
  });

  it('X-4.1.11 without the 申告 nothing is written and the refusal is at the declaration field', async () => {
    const h = await makeHolder(env.sql);
    const r = await apply(h, { kind: 'damage_exchange', delivery: 'pickup', declaration: false });
    const body = await r.json();
    expect(body.code).toBe('licences.declaration_required');
    expect(JSON.stringify(body)).toContain('declaration');
    const [n] = await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM licence_service_application WHERE licence_id = ${h.licenceId}`;
    expect(n!.n).toBe(0);
  });

  it('X-4.1.12 a third 补换领 of one licence within a year must be handled on site', async () => {
    const h = await makeHolder(env.sql);
    for (let i = 0; i < 2; i++) {
      const a = await ok(await apply(h, { kind: 'loss_replacement', delivery: 'pickup' }), 201);
      await ok(await cmd(intake, a.id, 'accept'));
      await ok(await cmd(intake, a.id, 'produce', { coreNumber: `ZX-10${i}` }));
      await ok(await cmd(intake, a.id, 'send'));
      await ok(await cmd(intake, a.id, 'record-receipt', { outcome: 'picked_up' }));
    }
    const body = await (await apply(h, { kind: 'damage_exchange', delivery: 'pickup' })).json();
    expect(body.code).toBe('licences.onsite_only');
    expect(body.detail).toContain('2次');
  });

  it('X-4.1.10 by post: submitted with the one-working-day deadline, accepted, produced, posted, delivered with the old licence, archived, destroyed; SMS each step', async () => {
    const h = await makeHolder(env.sql, { validUntil: '2027-01-20' });
    await giveCertificate(env.sql, h, { issuedOn: '2026-11-20' });
    const created = await ok(await apply(h, { kind: 'renewal', ...post }), 201);
    expect(created.reference).toMatch(/^LZ44030020261125\d{6}$/);
    expect(created.acceptDeadline).toBe('2026-11-26T16:00:00.000Z'); // Wednesday → Thursday 24:00
    const queue = await ok(await env.call('GET', '/admin-api/licence-services?filter=' + encodeURIComponent(JSON.stringify({ queue: 'intake' })), { cookie: intake }));
    const row = queue.find((r: { id: string }) => r.id === created.id);
    expect(row.overdue).toBe(false);
    expect(row.applicantPhoneMasked).toContain('****');
    await ok(await cmd(intake, created.id, 'accept'));
    const produced = await ok(await cmd(intake, created.id, 'produce', { coreNumber: 'ZX-2001' }));
    expect(produced.newValidUntil).toBe('2037-01-20');
    await ok(await cmd(intake, created.id, 'send'));
    await runJobs(env); // the post goes out
    const noOld = await cmd(intake, created.id, 'record-receipt', { outcome: 'delivered' });
    expect((await noOld.json()).code).toBe('licences.old_licence_required');
    await ok(await cmd(intake, created.id, 'record-receipt', { outcome: 'delivered', oldLicenceHandedOver: true }));
    await ok(await cmd(archive, created.id, 'archive'));
    const done = await ok(await cmd(archive, created.id, 'destroy-old-licence'));
    expect(done.status).toBe('archived');
    const mine = await ok(await env.call('GET', `/api/v1/licences/applications/${created.id}`, { cookie: await userCookie(env, h.userId) }));
    expect(mine.events.map((e: { status: string }) => e.status)).toEqual(['submitted', 'accepted', 'produced', 'sent', 'delivered', 'archived', 'destroy_old_licence']);
    expect((await smsTo(env.sql, h.phone)).sort()).toEqual(['licences.accepted', 'licences.completed', 'licences.sent', 'licences.submitted']);
    // the filed case is in the electronic archive once, with its review trail and its SMS
    const [arch] = await env.sql<{ n: number; trail: number; messages: number }[]>`
      SELECT count(*)::int AS n, max(jsonb_array_length(content->'trail'))::int AS trail, max(jsonb_array_length(content->'messages'))::int AS messages
      FROM archive_record WHERE business_type = 'licence_service' AND case_ref = (SELECT reference FROM licence_service_application WHERE id = ${created.id})`;
    expect(arch!.n).toBe(1);
    expect(arch!.trail).toBeGreaterThanOrEqual(6);
    expect(arch!.messages).toBeGreaterThanOrEqual(4);
    const audits = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_id = ${created.id} ORDER BY id`;
    expect(audits.map((a) => a.action)).toContain('licences.accept');
    // the overdue flag: another one left untouched past Thursday 24:00
    const late = await makeHolder(env.sql);
    const pending = await ok(await apply(late, { kind: 'damage_exchange', delivery: 'pickup' }), 201);
    env.clock.advance(2 * DAY);
    await signIn();
    const staff = await ok(await env.call('GET', `/admin-api/licence-services/${pending.id}`, { cookie: intake }));
    expect(staff.overdue).toBe(true);
    expect(staff.status).toBe('submitted'); // PD-3: nothing is auto-approved
    await ok(await cmd(intake, pending.id, 'reject', { reason: '照片与本人不符' }));
    expect(await smsTo(env.sql, late.phone)).toContain('licences.rejected');
    env.clock.set(new Date('2026-11-25T02:00:00Z'));
    await signIn();
  });

  it('X-4.1.9 a refused post bars online 补换领 for a year — licences AND vehicle replacements; a vehicle bar blocks licences too', async () => {
    const h = await makeHolder(env.sql);
    const a = await ok(await apply(h, { kind: 'damage_exchange', ...post }), 201);
    await ok(await cmd(intake, a.id, 'accept'));
    await ok(await cmd(intake, a.id, 'produce', { coreNumber: 'ZX-3001' }));
    await ok(await cmd(intake, a.id, 'send'));
    await runJobs(env);
    const refused = await ok(await cmd(intake, a.id, 'record-receipt', { outcome: 'refused' }));
    expect(refused.closingStep).toBe('withdraw');
    const again = await (await apply(h, { kind: 'loss_replacement', delivery: 'pickup' })).json();
    expect(again.code).toBe('replacements.barred');
    expect(again.detail).toContain('2027-11-25');
    // the vehicle replacements read the same bar
    const vehicleOptions = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: await userCookie(env, h.userId) }));
    expect(vehicleOptions.refusal.code).toBe('replacements.barred');
    expect(vehicleOptions.bar.endsOn).toBe('2027-11-25');
    // 档案岗 closes the refused case (退办)
    const closed = await ok(await cmd(archive, a.id, 'withdraw', { note: '拒收' }));
    expect(closed.status).toBe('withdrawn');
    // and the other direction: a bar from a vehicle replacement blocks the licence
    const other = await makeHolder(env.sql);
    const [app] = await env.sql<{ id: string }[]>`SELECT id FROM replacement_application LIMIT 1`;
    if (app) {
      await env.sql`INSERT INTO replacement_bar (user_account_id, subject_id_number, application_id, reason, starts_at, ends_on, authority_id)
        VALUES (${other.userId}, ${other.idNumber}, ${app.id}, 'not_collected', now(), '2027-06-01', '440300') ON CONFLICT (application_id) DO UPDATE SET user_account_id = EXCLUDED.user_account_id, subject_id_number = EXCLUDED.subject_id_number`;
    } else {
      const [v] = await env.sql<{ id: string; plate_kind: string }[]>`SELECT id, plate_kind FROM vehicle LIMIT 1`;
      const [ra] = await env.sql<{ id: string }[]>`
        INSERT INTO replacement_application (reference, user_account_id, vehicle_id, authority_id, item, kind, plate_kind, delivery, status, submitted_at, accept_deadline, updated_at, cancelled_at)
        VALUES ('BH-TEST-1', ${other.userId}, ${v!.id}, '440300', 'plate', 'replacement', ${v!.plate_kind}, 'pickup', 'cancelled', now(), now() + interval '1 day', now(), now()) RETURNING id`;
      await env.sql`INSERT INTO replacement_bar (user_account_id, subject_id_number, application_id, reason, starts_at, ends_on, authority_id)
        VALUES (${other.userId}, ${other.idNumber}, ${ra!.id}, 'not_collected', now(), '2027-06-01', '440300')`;
    }
    const blocked = await (await apply(other, { kind: 'damage_exchange', delivery: 'pickup' })).json();
    expect(blocked.code).toBe('replacements.barred');
    const o = await ok(await env.call('GET', '/api/v1/licences/options', { cookie: await userCookie(env, other.userId) }));
    expect(o.eligible).toBe(false);
    expect(o.refusal.detail).toContain('2027-06-01');
  });

  it('X-4.1.9 a pickup not collected within a month: the durable job records it and bars; 档案岗 restores the core after filing (R-29.2)', async () => {
    const h = await makeHolder(env.sql);
    const a = await ok(await apply(h, { kind: 'loss_replacement', delivery: 'pickup' }), 201);
    await ok(await cmd(intake, a.id, 'accept'));
    await ok(await cmd(intake, a.id, 'produce', { coreNumber: 'ZX-4001' }));
    const ready = await ok(await cmd(intake, a.id, 'send'));
    expect(ready.pickupLastDay).toBe('2026-12-25');
    await ok(await cmd(archive, a.id, 'archive'));
    env.clock.set(new Date('2026-12-26T00:30:00Z'));
    await runJobs(env);
    await signIn();
    const after = await ok(await env.call('GET', `/admin-api/licence-services/${a.id}`, { cookie: archive }));
    expect(after.status).toBe('not_collected');
    expect(after.closingStep).toBe('restore_core_number');
    await ok(await cmd(archive, a.id, 'restore-core-number', {}));
    expect(await smsTo(env.sql, h.phone)).toContain('licences.barred');
    env.clock.set(new Date('2026-11-25T02:00:00Z'));
    await signIn();
  });

  it('X-4.1.10 one open application per licence, guarded by the database under concurrency', async () => {
    const h = await makeHolder(env.sql);
    const { app } = concurrentApp(env);
    const cookie = await userCookie(env, h.userId);
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.request('/api/v1/licences/applications', {
          method: 'POST', headers: { cookie, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.7' },
          body: JSON.stringify({ licenceId: h.licenceId, kind: 'damage_exchange', declaration: true, delivery: 'pickup' }),
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
  });
});
