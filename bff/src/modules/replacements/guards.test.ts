/**
 * Guards of the replacement rules that must break when the guard goes:
 * R-27.6's one-year bar follows the person (ID number), not the account;
 * R-27.4 a rejected plate application does not use up the one plate by post;
 * one open application per vehicle and item, held by the database itself
 * (written directly, and two submissions at once through the service).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concurrentApp, testEnv, type TestEnv } from '../../../test/support.ts';
import { PERSON_DOCS, personForm, scan } from '../accounts/testing.ts';
import { FENG_TAO, runJobs, staffSession, userCookie, VEHICLES, ZHANG_WEI } from './test-support.ts';

const FT = { name: '冯涛', idNumber: '440309197511306739', phone: FENG_TAO.phone };
const post = { delivery: 'post', recipientName: '张伟', recipientPhone: '13800138000', postalAddress: '广东省深圳市南山区科技园科苑路15号', postcode: '518057' };

let env: TestEnv;
let intake: string;
let review: string;
async function ok(res: Awaited<ReturnType<TestEnv['call']>>, status = 200) {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}
const cmd = (cookie: string, id: string, command: string, body: unknown = {}) => env.call('POST', `/admin-api/replacements/${id}/${command}`, { cookie, body });
const apply = (cookie: string, body: Record<string, unknown>) => env.call('POST', '/api/v1/replacements', { cookie, body });

describe('replacement guards', () => {
  beforeAll(async () => {
    env = await testEnv();
    [intake, review] = [await staffSession(env, 'sz.intake'), await staffSession(env, 'sz.review')];
  });

  it('R-27.6 the one-year bar follows the person: cancelled at the counter and registered again, still barred', async () => {
    const ft = await userCookie(env, FENG_TAO.userId);
    await env.sql`UPDATE vehicle SET states = '{normal}' WHERE id = ${VEHICLES.ftWithheld}`; // released for this story
    const created = await ok(await apply(ft, { vehicleId: VEHICLES.ftWithheld, item: 'vehicle_licence', kind: 'replacement', ...post, recipientName: '冯涛', recipientPhone: FT.phone }), 201);
    await ok(await cmd(intake, created.id, 'accept'));
    await ok(await cmd(intake, created.id, 'produce', { coreNumber: '4403000000077' }));
    await ok(await cmd(intake, created.id, 'send'));
    await runJobs(env);
    await ok(await cmd(intake, created.id, 'record-receipt', { outcome: 'refused', note: '收件人拒收' }));
    const barredBefore = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: ft }));
    expect(barredBefore.refusal.code).toBe('replacements.barred');

    // 冯涛 gives the account up at the counter, then registers again at the counter: a new account, the same person
    await ok(await env.call('POST', `/admin-api/user-accounts/${FENG_TAO.userId}/counter-cancel`, {
      cookie: intake, body: { identity: { idType: 'resident_id', idNumber: FT.idNumber, name: FT.name }, confirm: true },
    }));
    const docs = await scan(env, intake, PERSON_DOCS);
    const app = await ok(await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm({ ...FT, birthDate: '1975-11-30' }), documents: docs } }), 201);
    const approved = await ok(await env.call('POST', `/admin-api/account-applications/${app.id}/approve`, { cookie: review }));
    expect(approved.userAccountId).not.toBe(FENG_TAO.userId);

    const again = await userCookie(env, approved.userAccountId);
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: again }));
    expect(options).toMatchObject({ eligible: false, refusal: { code: 'replacements.barred' }, bar: { reason: 'refused', endsOn: barredBefore.bar.endsOn } });
    const refused = await apply(again, { vehicleId: VEHICLES.ftWithheld, item: 'vehicle_licence', kind: 'replacement', delivery: 'pickup' });
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe('replacements.barred');
  });

  it('R-27.4 a rejected plate application does not use up the one replacement by post', async () => {
    const zw = await userCookie(env, ZHANG_WEI.userId);
    const first = await ok(await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'replacement', ...post }), 201);
    await ok(await cmd(intake, first.id, 'reject', { reason: '照片不清晰，请重新申请' }));
    const options = await ok(await env.call('GET', '/api/v1/replacements/options', { cookie: zw }));
    const plate = options.vehicles.find((v: { id: string }) => v.id === VEHICLES.zwLavida).items.find((i: { item: string }) => i.item === 'plate');
    expect(plate.postAllowed).toBe(true);
    const second = await ok(await apply(zw, { vehicleId: VEHICLES.zwLavida, item: 'plate', kind: 'replacement', ...post }), 201);
    expect(second.delivery).toBe('post');
  });

  it('R-27.4 one open application per vehicle and item, even written directly to the database', async () => {
    const [open] = await env.sql<{ id: string }[]>`SELECT id FROM replacement_application WHERE vehicle_id = ${VEHICLES.zwLavida} AND item = 'plate' AND status = 'submitted'`;
    expect(open).toBeDefined();
    await expect(env.sql.begin(async (tx) => {
      await tx`CREATE TEMP TABLE copy ON COMMIT DROP AS SELECT * FROM replacement_application WHERE id = ${open!.id}`;
      await tx`UPDATE copy SET id = gen_random_uuid(), reference = reference || 'X'`;
      await tx`INSERT INTO replacement_application SELECT * FROM copy`;
    })).rejects.toMatchObject({ constraint_name: 'replacement_one_open_per_vehicle_item' });
  });

  it('R-27.4 two submissions of the same vehicle and item at once: one application, the other a clear 409', async () => {
    const { app } = concurrentApp(env, 4);
    const zw = await userCookie(env, ZHANG_WEI.userId);
    const body = JSON.stringify({ vehicleId: VEHICLES.zwHan, item: 'vehicle_licence', kind: 'replacement', delivery: 'pickup' });
    const send = () => Promise.resolve(app.request('/api/v1/replacements', { method: 'POST', headers: { cookie: zw, 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.8' }, body }));
    const answers = await Promise.all([send(), send(), send(), send()]);
    const codes = await Promise.all(answers.map(async (r) => `${r.status}${r.status >= 400 ? ` ${((await r.json()) as { code: string }).code}` : ''}`));
    expect(codes.sort()).toEqual(['201', '409 replacements.application_open', '409 replacements.application_open', '409 replacements.application_open']);
    const [{ n }] = await env.sql<[{ n: number }]>`SELECT count(*)::int AS n FROM replacement_application WHERE vehicle_id = ${VEHICLES.zwHan} AND item = 'vehicle_licence' AND status = 'submitted'`;
    expect(n).toBe(1);
  });
});
