/** Fixtures of the licences tests (imported by *.test.ts only): holders made for a test, sessions, jobs run to the end. */
import type { Sql } from '../../db.ts';
import type { TestEnv } from '../../../test/support.ts';
import { idNumberCheckChar } from '../../platform/check-digits.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { dispatchDue } from '../../platform/outbox.ts';
import { jobHandlers } from '../index.ts';
import { HOSPITAL_ID, qualify } from '../medical/testing.ts';

export { staffSessionCookie as staffCookie, userSessionCookie as userCookie } from '../../../test/support.ts';

let serial = 0;

export type Holder = { personId: string; licenceId: string; userId: string; phone: string; idNumber: string };

/**
 * A person with one licence and a personal account bound to it (counter-registered unless told):
 * valid until `validUntil`, first issued `firstIssuedOn`, born `birth`.
 */
export async function makeHolder(sql: Sql, o: {
  birth?: string; classes?: string; status?: string; validUntil?: string; firstIssuedOn?: string; reviewValidUntil?: string | null;
  channel?: 'counter' | 'online'; photo?: boolean; binding?: 'own' | 'organisation';
} = {}): Promise<Holder> {
  const birth = o.birth ?? '1985-06-15';
  // An ID number of this birth date that no person has yet: the demo seed holds some of 440304 too
  // (440304195002016476 met a test once, for one process id in a thousand).
  let idNumber: string;
  for (;;) {
    serial += 1;
    const seq = String((process.pid * 11 + serial * 17) % 1000).padStart(3, '0');
    const first17 = `440304${birth.replaceAll('-', '')}${seq}`;
    idNumber = first17 + idNumberCheckChar(first17);
    const [taken] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM person WHERE id_number = ${idNumber}`;
    if (taken!.n === 0) break;
  }
  const phone = `139${String((process.pid * 101 + serial * 7919) % 100_000_000).padStart(8, '0')}`;
  const [p] = await sql<{ id: string }[]>`
    INSERT INTO person (id_number, name, sex, birth_date, phone) VALUES (${idNumber}, ${`驾证测试${serial}`}, 'F', ${birth}, ${phone}) RETURNING id`;
  const [l] = await sql<{ id: string }[]>`
    INSERT INTO driving_licence (licence_no, person_id, classes, first_issued_on, valid_from, valid_until, review_valid_until, status, phone, issuing_authority_id, has_certificate_photo)
    VALUES (${idNumber}, ${p!.id}, ${o.classes ?? 'C1'}, ${o.firstIssuedOn ?? '2011-03-01'}, '2021-03-01', ${o.validUntil ?? '2031-03-01'}, ${o.reviewValidUntil ?? null},
            ${o.status ?? 'valid'}, ${phone}, '440300', ${o.photo ?? true}) RETURNING id`;
  const [u] = await sql<{ id: string }[]>`
    INSERT INTO user_account (kind, personal_type, registration_channel, person_id, phone, postal_address, postcode, status, authority_id)
    VALUES ('personal', 'owner_driver', ${o.channel ?? 'counter'}, ${p!.id}, ${phone}, '广东省深圳市福田区福华路8号', '518048', 'active', '440300') RETURNING id`;
  await sql`INSERT INTO licence_binding (user_account_id, licence_id, kind) VALUES (${u!.id}, ${l!.id}, ${o.binding ?? 'own'})`;
  return { personId: p!.id, licenceId: l!.id, userId: u!.id, phone, idNumber };
}

let qualified = false;
/** A fit certificate from the seeded hospital (qualified for the test), or the holder's own report. */
export async function giveCertificate(sql: Sql, h: Holder, o: { issuedOn: string; purpose?: 'renewal' | 'age_70_yearly' | 'disability_3y'; source?: 'institution' | 'self'; conclusion?: 'fit' | 'unfit' }) {
  const source = o.source ?? 'institution';
  let qualificationId: string | null = null;
  if (source === 'institution') {
    if (!qualified) {
      await qualify(sql, HOSPITAL_ID, '2026-01-05');
      qualified = true;
    }
    const [q] = await sql<{ id: string }[]>`SELECT id FROM medical_qualification WHERE organisation_id = ${HOSPITAL_ID} AND status = 'active'`;
    qualificationId = q!.id;
  }
  const [c] = await sql<{ id: string }[]>`
    INSERT INTO health_certificate (person_id, licence_id, issuer_organisation_id, qualification_id, authority_id, source, purpose, issued_on, valid_until, conclusion, created_by_kind, created_at)
    VALUES (${h.personId}, ${h.licenceId}, ${source === 'institution' ? HOSPITAL_ID : null}, ${qualificationId}, '440300', ${source}, ${o.purpose ?? 'renewal'},
            ${o.issuedOn}, (${o.issuedOn}::date + interval '6 months')::date, ${o.conclusion ?? 'fit'}, 'system', now())
    RETURNING id`;
  return c!.id;
}

/** Runs every due job at the clock's time, and delivers due outbox messages. */
export async function runJobs(env: TestEnv): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await runDueJobs(env.deps, jobHandlers, env.clock.now(), 500);
    total += n;
    if (n === 0) break;
  }
  await dispatchDue(env.sql, env.deps.providers, env.clock.now(), 200);
  return total;
}

/** SMS templates sent to a phone, oldest first. */
export async function smsTo(sql: Sql, phone: string): Promise<string[]> {
  const rows = await sql<{ template: string }[]>`SELECT template FROM outbox_message WHERE channel = 'sms' AND recipient = ${phone} ORDER BY created_at, id`;
  return rows.map((r) => r.template);
}
