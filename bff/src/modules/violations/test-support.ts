import { idNumberCheckChar } from '../../platform/check-digits.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';
import type { TestEnv } from '../../../test/support.ts';
import { userSessionCookie } from '../../../test/support.ts';

/** Test fixtures of the violations module: drivers with bound vehicles and licences, records, a settled payment. */

let seq = 0;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

export type Driver = { userId: string; personId: string; licenceId: string; vehicleId: string; plateNo: string; phone: string; cookie: string };

/** A personal user with an own vehicle, an own bound licence with `points`, all in 深圳. */
export async function makeDriver(env: TestEnv, o: { points?: number; licenceStatus?: string; firstIssuedOn?: string; kind?: 'personal' | 'organisation' } = {}): Promise<Driver> {
  const n = ++seq + Math.floor(Math.random() * 1000) * 100;
  const first17 = `44030319850101${pad(n % 1000, 3)}`.slice(0, 17);
  const idNumber = first17 + idNumberCheckChar(first17);
  const phone = `139${pad(10_000_000 + n * 7 + Math.floor(Math.random() * 1000), 8)}`.slice(0, 11);
  const plateNo = `粤B${pad(n % 100000, 5).replace(/^(\d)/, 'T')}`;
  const [person] = await env.sql<{ id: string }[]>`
    INSERT INTO person (id_number, name, sex, birth_date, phone) VALUES (${idNumber + ''}, ${'测试驾驶人' + n}, 'M', '1985-01-01', ${phone})
    ON CONFLICT (id_type, id_number) DO UPDATE SET phone = EXCLUDED.phone RETURNING id`;
  const [licence] = await env.sql<{ id: string }[]>`
    INSERT INTO driving_licence (licence_no, person_id, classes, first_issued_on, valid_from, valid_until, status, points, phone, issuing_authority_id)
    VALUES (${'L' + idNumber + n}, ${person!.id}, 'C1', ${o.firstIssuedOn ?? '2015-03-10'}, '2021-03-10', '2031-03-10', ${o.licenceStatus ?? 'valid'}, ${o.points ?? 0}, ${phone}, '440300') RETURNING id`;
  const vehicleId = await makeVehicle(env, person!.id, phone, plateNo);
  const [user] = await env.sql<{ id: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, organisation_id, phone, status)
    VALUES ('personal', 'owner_driver', 'online', ${person!.id}, NULL, ${phone}, 'active') RETURNING id`;
  if (o.kind === 'organisation') {
    await env.sql`UPDATE user_account SET kind = 'organisation', personal_type = NULL, organisation_id = (SELECT id FROM organisation LIMIT 1) WHERE id = ${user!.id}`;
  }
  await env.sql`INSERT INTO vehicle_binding (user_account_id, vehicle_id, kind) VALUES (${user!.id}, ${vehicleId}, 'own')`;
  await env.sql`INSERT INTO licence_binding (user_account_id, licence_id, kind) VALUES (${user!.id}, ${licence!.id}, 'own')`;
  return { userId: user!.id, personId: person!.id, licenceId: licence!.id, vehicleId, plateNo, phone, cookie: await userSessionCookie(env, user!.id) };
}

export async function makeVehicle(env: TestEnv, ownerPersonId: string, phone: string, plateNo?: string): Promise<string> {
  const n = ++seq + Math.floor(Math.random() * 100000);
  const vin = `LVSHTEST${pad(n % 1_000_000_000, 9)}`;
  const [v] = await env.sql<{ id: string }[]>`
    INSERT INTO vehicle (vin, plate_no, plate_kind, vehicle_type, brand_model, owner_person_id, owner_phone, registration_authority_id, registered_on)
    VALUES (${vin}, ${plateNo ?? `粤B${String.fromCharCode(65 + (n % 20))}${pad(n % 10000, 4)}`}, 'small_blue', 'K33', '测试牌小型轿车', ${ownerPersonId}, ${phone}, '440300', '2020-01-01') RETURNING id`;
  return v!.id;
}

/** An open (reviewed) record of a vehicle. */
export async function makeRecord(env: TestEnv, vehicleId: string, o: { fineFen?: number; points?: number; source?: 'camera' | 'onsite'; occurredAt?: string; status?: string; authorityId?: string } = {}): Promise<string> {
  const n = ++seq;
  const [veh] = await env.sql<{ plate_no: string }[]>`SELECT plate_no FROM vehicle WHERE id = ${vehicleId}`;
  const at = new Date(o.occurredAt ?? `2026-11-${pad(1 + (n % 20), 2)}T0${n % 10}:${pad(n % 60, 2)}:00+08:00`);
  const [r] = await env.sql<{ id: string }[]>`
    INSERT INTO violation (reference, source, vehicle_id, plate_no, authority_id, occurred_at, place, act_code, act, fine_fen, points, status, captured_at, entered_at,
                           review_due_at, reviewed_at, updated_at)
    VALUES (${'WTEST' + n + '-' + Math.random().toString(36).slice(2, 8)}, ${o.source ?? 'camera'}, ${vehicleId}, ${veh!.plate_no}, ${o.authorityId ?? '440300'}, ${at}, '深南大道与彩田路交叉口', ${String(1000 + n)},
            '驾驶机动车违反道路交通信号灯通行', ${o.fineFen ?? 200_00}, ${o.points ?? 3}, ${o.status ?? 'open'}, ${at}, ${at}, ${new Date(at.getTime() + 7 * 86_400_000)},
            ${o.status === 'pending_review' ? null : at}, ${at})
    RETURNING id`;
  return r!.id;
}

/** The newest SMS code the dev adapter would deliver for confirming a handling. */
export async function confirmCode(env: TestEnv, phone: string): Promise<string> {
  const [row] = await env.sql<{ payload: { code: string } }[]>`
    SELECT payload FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} AND template = 'violations.confirm_code' ORDER BY created_at DESC, id DESC LIMIT 1`;
  if (!row) throw new Error(`no confirm code for ${phone}`);
  return row.payload.code;
}

/**
 * What the payments module does when the provider confirms the payment of an
 * order: enqueue the payable's settled job with the payment (orders.ts), here
 * `times` times (a duplicated notification must settle once), then run the jobs.
 */
export async function settle(env: TestEnv, decisionId: string, amountFen: number, paidAt: Date, times = 1) {
  for (let i = 0; i < times; i++) {
    await env.sql`INSERT INTO job (kind, payload, run_at, created_at)
      VALUES ('violations.fine_paid', ${env.sql.json({ orderId: 'order-' + decisionId, payableKind: 'violation_decision', payableRef: decisionId, amountFen, paidAt: paidAt.toISOString() })}, ${paidAt}, ${paidAt})`;
  }
  return runDueJobs(env.deps, jobHandlers, env.clock.now(), 50);
}
