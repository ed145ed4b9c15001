import { beforeAll, describe, expect, it } from 'vitest';
import { testEnv, type TestEnv, fieldsOf } from '../../../test/support.ts';
import { activeReplacementBar } from './service.ts';
import { FENG_TAO, LOGISTICS, pngBytes, runJobs, staffCookie, upload, userCookie, VEHICLES, WANG_FANG, ZHANG_WEI } from './test-support.ts';

const DAY = 24 * 3600_000;
const allChecks = { clear: true, complete: true, unaltered: true, valid: true, matchesVehicle: true };
const post = { delivery: 'post', recipientName: '张伟', recipientPhone: '13800138000', postalAddress: '广东省深圳市南山区科技园科苑路15号', postcode: '518057' };

let env: TestEnv;
let zw: string;
let intake: string;
let archive: string;
let review: string;

/** Sessions expire when the clock moves (staff after 30 idle minutes): sign in again. */
async function signIn() {
  zw = await userCookie(env, ZHANG_WEI.userId);
  [intake, archive, review] = [await staffCookie(env, 'sz.intake'), await staffCookie(env, 'sz.archive'), await staffCookie(env, 'sz.review')];
}

async function apply(cookie: string, body: Record<string, unknown>) {
  return env.call('POST', '/api/v1/replacements', { cookie, body });
}
async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
async function cmd(cookie: string, id: string, command: string, body: unknown = {}) {
  return env.call('POST', `/admin-api/replacements/${id}/${command}`, { cookie, body });
}

describe('replacements on a real database', () => {
  beforeAll(async () => {
    env = await testEnv();
    await signIn();
  });

  it('R-26 an online-registered user and an organisation are refused; the options say why', async () => {
    const wf = await userCookie(env, WANG_FANG.userId);
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: wf }));
    expect(options.eligible).toBe(false);
    expect(options.refusal.code).toBe('replacements.counter_registered_only');
    expect(options.vehicles[0].items.every((i: { allowed: boolean }) => !i.allowed)).toBe(true);
    const r = await apply(wf, { vehicleId: VEHICLES.wfSong, item: 'plate', kind: 'replacement', ...post });
    expect(r.status).toBe(403);
    expect((await r.json()).code).toBe('replacements.counter_registered_only');
    const org = await apply(await userCookie(env, LOGISTICS.userId), { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'replacement', delivery: 'pickup' });
    expect((await org.json()).code).toBe('replacements.personal_only');
  });

  it('R-27.1 another person’s vehicle is "not found"; a non-own bound one is refused', async () => {
    const other = await apply(zw, { vehicleId: VEHICLES.wfSong, item: 'plate', kind: 'replacement', delivery: 'pickup' });
    expect(other.status).toBe(404);
    const nonOwn = await apply(zw, { vehicleId: VEHICLES.liuliNonOwn, item: 'plate', kind: 'replacement', delivery: 'pickup' });
    expect(nonOwn.status).toBe(422);
    expect((await nonOwn.json()).code).toBe('replacements.vehicle_not_own');
  });

  it('R-27.2 a withheld (扣留) vehicle is refused with the state named', async () => {
    const ft = await userCookie(env, FENG_TAO.userId);
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: ft }));
    expect(options.eligible).toBe(true);
    expect(options.vehicles[0].items[0].reason.detail).toContain('扣留');
    const r = await env.call('POST', '/api/v1/replacements', { cookie: ft, body: { vehicleId: VEHICLES.ftWithheld, item: 'vehicle_licence', kind: 'replacement', delivery: 'pickup' }, headers: { 'accept-language': 'en' } });
    const body = await r.json();
    expect(r.status).toBe(422);
    expect(body.code).toBe('replacements.vehicle_state_blocked');
    expect(body.detail).toContain('“Withheld”');
  });

  it('R-29.1 a plate by post: submitted with the one-working-day deadline, accepted, produced, posted, delivered, archived', async () => {
    const created = await ok(await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'replacement', reasonNote: '前号牌丢失', tempPlate: true, ...post }), 201);
    expect(created.status).toBe('submitted');
    expect(created.reference).toMatch(/^BH44030020261125\d{6}$/);
    // submitted Wednesday 10:00 → accepted by Thursday 24:00 (PD-2, R-29.1.1)
    expect(created.acceptDeadline).toBe('2026-11-26T16:00:00.000Z');
    expect(created.acceptLastDay).toBe('2026-11-26');

    // double submission is one application (one open per vehicle and item)
    const dup = await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'replacement', ...post });
    expect(dup.status).toBe(409);

    // 档案岗 cannot accept; nothing is auto-approved (PD-3)
    expect((await cmd(archive, created.id, 'accept')).status).toBe(403);
    env.clock.advance(3 * DAY);
    await signIn();
    await runJobs(env);
    const queue = await ok(await env.call('GET', `/admin-api/replacements?filter=${encodeURIComponent(JSON.stringify({ queue: 'intake' }))}`, { cookie: intake }));
    const row = queue.find((r: { id: string }) => r.id === created.id);
    expect(row.status).toBe('submitted');
    expect(row.overdue).toBe(true);
    expect(row.allowedCommands).toEqual(['accept', 'reject']);

    await ok(await cmd(intake, created.id, 'accept'));
    const missingTemp = await cmd(intake, created.id, 'produce', { coreNumber: '4403001234567' });
    expect(missingTemp.status).toBe(400);
    await ok(await cmd(intake, created.id, 'produce', { coreNumber: '4403001234567', tempPlateNo: '粤B临T1234' }));
    const sent = await ok(await cmd(intake, created.id, 'send'));
    expect(sent.status).toBe('sent');
    expect(sent.post.status).toBe('pending');
    // the receipt waits for the post to take it
    expect((await cmd(intake, created.id, 'record-receipt', { outcome: 'delivered' })).status).toBe(409);
    await runJobs(env);
    const delivered = await ok(await cmd(intake, created.id, 'record-receipt', { outcome: 'delivered' }));
    expect(delivered.status).toBe('delivered');
    expect(delivered.post.status).toBe('delivered');
    const events = await env.sql<{ status: string }[]>`SELECT status FROM outbox_event WHERE message_id = ${delivered.post.messageId} ORDER BY id`;
    expect(events.map((e) => e.status)).toEqual(['pending', 'sending', 'sent', 'delivered']);
    const archived = await ok(await cmd(archive, created.id, 'archive'));
    expect(archived.status).toBe('archived');

    const mine = await ok(await env.call('GET', `/api/v1/replacements/${created.id}`, { cookie: zw }));
    expect(mine.events.map((e: { status: string }) => e.status)).toEqual(['submitted', 'accepted', 'produced', 'sent', 'delivered', 'archived']);
    expect(mine.tempPlateNo).toBe('粤B临T1234');
  });

  it('R-27.4 a second plate replacement of the same vehicle cannot go by post', async () => {
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: zw }));
    const plate = options.vehicles.find((v: { id: string }) => v.id === VEHICLES.zwLavida).items.find((i: { item: string }) => i.item === 'plate');
    expect(plate.postAllowed).toBe(false);
    const byPost = await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'exchange', ...post });
    expect(byPost.status).toBe(422);
    expect(fieldsOf(await byPost.json())).toEqual({ delivery: 'replacements.post_not_allowed' });
    const pickup = await ok(await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'exchange', delivery: 'pickup' }), 201);

    // the damaged plates change hands at the pickup, then 档案岗 destroys them
    await ok(await cmd(intake, pickup.id, 'accept'));
    await ok(await cmd(intake, pickup.id, 'produce', { coreNumber: '4403001234568' }));
    const ready = await ok(await cmd(intake, pickup.id, 'send'));
    expect(ready.status).toBe('ready_for_pickup');
    expect(ready.oldItemHandOverRequired).toBe(true);
    const without = await cmd(intake, pickup.id, 'record-receipt', { outcome: 'picked_up', oldItemHandedOver: false });
    expect(without.status).toBe(422);
    expect((await without.json()).code).toBe('replacements.old_item_required');
    await ok(await cmd(intake, pickup.id, 'record-receipt', { outcome: 'picked_up', oldItemHandedOver: true }));
    const destroyed = await ok(await cmd(archive, pickup.id, 'destroy-old-item'));
    expect(destroyed.oldItemDestroyedAt).not.toBeNull();
    expect((await cmd(archive, pickup.id, 'destroy-old-item')).status).toBe(409);
    // the pickup deadline job was cancelled with the collection
    const [job] = await env.sql<{ status: string }[]>`SELECT status FROM job WHERE kind = 'replacements.pickup_deadline' AND dedupe_key = ${pickup.id}`;
    expect(job?.status).toBe('cancelled');
  });

  it('R-29.1.1 a sticker needs the insurance certificate, checked item by item by 受理岗', async () => {
    const noCert = await apply(zw, { vehicleId: VEHICLES.zwHan, item: 'inspection_sticker', kind: 'replacement', delivery: 'pickup' });
    expect((await noCert.json()).code).toBe('replacements.insurance_certificate_required');
    const bytes = pngBytes(300_000); // three chunks
    const uploadId = await upload(env, zw, '/api/v1/replacements/uploads', bytes);
    const created = await ok(await apply(zw, { vehicleId: VEHICLES.zwHan, item: 'inspection_sticker', kind: 'replacement', delivery: 'pickup', insuranceUploadId: uploadId }), 201);
    const file = await env.call('GET', `/admin-api/replacements/${created.id}/insurance-certificate`, { cookie: intake });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(bytes)).toBe(true);
    const partial = await cmd(intake, created.id, 'accept', { insuranceCheck: { ...allChecks, valid: false } });
    expect(partial.status).toBe(422);
    expect((await partial.json()).detail).toBe('未确认：有效');
    const accepted = await ok(await cmd(intake, created.id, 'accept', { insuranceCheck: allChecks }));
    expect(accepted.insuranceCheck).toMatchObject(allChecks);
  });

  it('uploads: wrong type, checksum and order are refused; another user cannot use the file', async () => {
    const jpeg = await upload(env, zw, '/api/v1/replacements/uploads', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(100)]), { fileName: 'a.jpg' }, 'image/jpeg');
    expect(jpeg).toMatch(/^[0-9a-f-]{36}$/);
    const start = await ok(await env.call('POST', '/api/v1/replacements/uploads', { cookie: zw, body: { fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10, sha256: 'a'.repeat(64) } }), 201);
    expect((await env.call('PUT', `/api/v1/replacements/uploads/${start.id}/chunks/1`, { cookie: zw, body: { data: 'AAAA' } })).status).toBe(409);
    await ok(await env.call('PUT', `/api/v1/replacements/uploads/${start.id}/chunks/0`, { cookie: zw, body: { data: Buffer.from('%PDF-1.7 x').toString('base64') } }));
    const corrupt = await env.call('POST', `/api/v1/replacements/uploads/${start.id}/complete`, { cookie: zw });
    expect((await corrupt.json()).code).toBe('uploads.corrupt');
    const big = await env.call('POST', '/api/v1/replacements/uploads', { cookie: zw, body: { fileName: 'x.png', contentType: 'image/png', sizeBytes: 6 * 1024 * 1024, sha256: 'a'.repeat(64) } });
    expect(big.status).toBe(400);
    const gif = await env.call('POST', '/api/v1/replacements/uploads', { cookie: zw, body: { fileName: 'x.gif', contentType: 'image/gif', sizeBytes: 10, sha256: 'a'.repeat(64) } });
    expect(gif.status).toBe(400);
    const ft = await userCookie(env, FENG_TAO.userId);
    expect((await env.call('POST', `/api/v1/replacements/uploads/${jpeg}/complete`, { cookie: ft })).status).toBe(404);
  });

  it('R-27.6 a 行驶证 not collected within one month: the job records it and bars online replacement for a year; 档案岗 withdraws (退办)', async () => {
    const created = await ok(await apply(zw, { vehicleId: VEHICLES.zwHan, item: 'vehicle_licence', kind: 'replacement', delivery: 'pickup' }), 201);
    await ok(await cmd(intake, created.id, 'accept'));
    await ok(await cmd(intake, created.id, 'produce', { coreNumber: '4403007654321' }));
    const ready = await ok(await cmd(intake, created.id, 'send'));
    const lastDay = ready.pickupLastDay as string;
    // not before the month is over
    const early = await cmd(intake, created.id, 'record-receipt', { outcome: 'not_collected' });
    expect((await early.json()).code).toBe('replacements.pickup_not_overdue');
    env.clock.set(new Date(`${lastDay}T15:59:00Z`)); // 23:59 Shanghai on the last day
    await signIn();
    await runJobs(env);
    expect((await ok(await env.call('GET', `/api/v1/replacements/${created.id}`, { cookie: zw }))).status).toBe('ready_for_pickup');
    env.clock.set(new Date(`${lastDay}T16:00:00Z`)); // 00:00 the day after
    await signIn();
    await runJobs(env);
    const mine = await ok(await env.call('GET', '/api/v1/replacements', { cookie: zw }));
    const app = mine.applications.find((a: { id: string }) => a.id === created.id);
    expect(app.status).toBe('not_collected');
    expect(mine.bar.reason).toBe('not_collected');
    const barDay = new Date(env.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(mine.bar.endsOn).toBe(`${Number(barDay.slice(0, 4)) + 1}${barDay.slice(4)}`);
    expect(await activeReplacementBar(env.sql, ZHANG_WEI.userId, env.clock.now())).toMatchObject({ reason: 'not_collected', reference: created.reference });

    const barred = await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'inspection_sticker', kind: 'replacement', delivery: 'pickup' });
    expect(barred.status).toBe(403);
    const body = await barred.json();
    expect(body.code).toBe('replacements.barred');
    expect(body.detail).toContain(mine.bar.endsOn);
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: zw }));
    expect(options.bar.endsOn).toBe(mine.bar.endsOn);

    // not archived → withdraw, not restore
    const restore = await cmd(archive, created.id, 'restore-core-number', {});
    expect((await restore.json()).code).toBe('replacements.archive_first');
    const withdrawn = await ok(await cmd(archive, created.id, 'withdraw', { note: '逾期未领取' }));
    expect(withdrawn.status).toBe('withdrawn');

    // the bar ends after one year
    env.clock.set(new Date(`${mine.bar.endsOn}T00:00:00+08:00`));
    await signIn();
    expect(await activeReplacementBar(env.sql, ZHANG_WEI.userId, env.clock.now())).toBeNull();
  });

  it('R-27.6 a refused delivery bars at once; the case filed earlier gets its core number restored (R-29.2.3)', async () => {
    const ft = await userCookie(env, FENG_TAO.userId);
    // 冯涛's vehicle is withheld; release it for this story
    await env.sql`UPDATE vehicle SET states = '{normal}' WHERE id = ${VEHICLES.ftWithheld}`;
    const created = await ok(await apply(ft, { vehicleId: VEHICLES.ftWithheld, item: 'vehicle_licence', kind: 'replacement', ...post, recipientName: '冯涛', recipientPhone: FENG_TAO.phone }), 201);
    await ok(await cmd(intake, created.id, 'accept'));
    await ok(await cmd(intake, created.id, 'produce', { coreNumber: '4403000000001' }));
    await ok(await cmd(intake, created.id, 'send'));
    await ok(await cmd(archive, created.id, 'archive')); // filed while in the post: status unchanged
    await runJobs(env);
    const refused = await ok(await cmd(intake, created.id, 'record-receipt', { outcome: 'refused', note: '收件人拒收' }));
    expect(refused.status).toBe('refused');
    expect(refused.post.status).toBe('refused');
    expect(refused.closingStep).toBe('restore_core_number');
    expect(await activeReplacementBar(env.sql, FENG_TAO.userId, env.clock.now())).toMatchObject({ reason: 'refused' });
    expect((await cmd(archive, created.id, 'withdraw', {})).status).toBe(422);
    const closed = await ok(await cmd(archive, created.id, 'restore-core-number', {}));
    expect(closed.status).toBe('core_number_restored');
    const [sms] = await env.sql<{ template: string }[]>`SELECT template FROM outbox_message WHERE recipient = ${FENG_TAO.phone} AND template = 'replacements.barred'`;
    expect(sms).toBeDefined();
  });

  it('X-6.1 each ended replacement (delivered and filed, 退办, 恢复证芯) is in the electronic archive exactly once; an early filing is not an end', async () => {
    const rows = await env.sql<{ case_ref: string; outcome: string; n: number }[]>`
      SELECT case_ref, content->'data'->>'outcome' AS outcome, count(*) OVER (PARTITION BY case_ref)::int AS n FROM archive_record WHERE business_type = 'replacement' ORDER BY outcome`;
    expect(rows.map((r) => [r.outcome, r.n])).toEqual([['archived', 1], ['core_number_restored', 1], ['withdrawn', 1]]);
  });

  it('R-28.1 管理岗 sets the plate kinds a city replaces online; other posts may only read', async () => {
    const list = await ok(await env.call('GET', '/admin-api/replacement-city-settings', { cookie: review }));
    expect(list.map((s: { id: string }) => s.id)).toEqual(['440300']);
    expect((await env.call('PUT', '/admin-api/replacement-city-settings/440300', { cookie: intake, body: { onlinePlateKinds: [] } })).status).toBe(403);
    const updated = await ok(await env.call('PUT', '/admin-api/replacement-city-settings/440300', { cookie: review, body: { id: '440300', onlinePlateKinds: ['small_blue'], note: 'x' } }));
    expect(updated.onlinePlateKinds).toEqual(['small_blue']);
    expect((await env.call('PUT', '/admin-api/replacement-city-settings/440100', { cookie: review, body: { onlinePlateKinds: [] } })).status).toBe(404);
    const [audit] = await env.sql<{ action: string }[]>`SELECT action FROM audit_log WHERE entity_type = 'replacement_city_setting' ORDER BY id DESC LIMIT 1`;
    expect(audit?.action).toBe('replacements.city_setting_updated');
  });

  it('routes refuse anonymous callers and the wrong posts', async () => {
    expect((await env.call('GET', '/api/v1/replacements')).status).toBe(401);
    expect((await env.call('GET', '/admin-api/replacements')).status).toBe(401);
    const dealer = await staffCookie(env, 'dealer.pengcheng');
    expect((await env.call('GET', '/admin-api/replacements', { cookie: dealer })).status).toBe(403);
    const gz = await staffCookie(env, 'gz.intake');
    const [any] = await env.sql<{ id: string }[]>`SELECT id FROM replacement_application LIMIT 1`;
    expect((await env.call('GET', `/admin-api/replacements/${any!.id}`, { cookie: gz })).status).toBe(404);
  });
});
