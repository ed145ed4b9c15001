import type { Db, Sql } from '../../db.ts';
import type { Deps } from '../../http/context.ts';
import { DomainError, isPgError, PG } from '../../http/errors.ts';
import { writeAudit } from '../../platform/audit.ts';
import { enqueueMessage } from '../../platform/outbox.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { maskIdNumber, maskName, maskPhone, maskVin } from '../../platform/check-digits.ts';
import { consumeSmsCode, SmsCodeMismatch, startUserSession, type Meta, type SignedIn } from '../auth/service.ts';
import * as repo from './repo.ts';
import { decideOnlineRegistration, notBindableStates } from './rules.ts';

export async function getUserDto(db: Db, userId: string) {
  const u = await repo.findUser(db, userId);
  if (!u) throw new DomainError('accounts.not_found');
  return {
    id: u.id,
    name: u.name,
    phoneMasked: maskPhone(u.phone),
    idNumberMasked: u.id_number ? maskIdNumber(u.id_number) : '',
    kind: u.kind,
    personalType: u.personal_type,
    registrationChannel: u.registration_channel,
    status: u.status,
  };
}

/** "My account": only what is the user's own or bound to them (non-negotiable 7). */
export async function getMe(sql: Sql, userId: string, now: Date) {
  const [user, vehicles, licences] = await Promise.all([getUserDto(sql, userId), repo.boundVehicles(sql, userId), repo.boundLicences(sql, userId)]);
  return {
    user,
    vehicles: vehicles.map((v) => ({
      id: v.id,
      plateNo: v.plate_no,
      plateKind: v.plate_kind,
      vehicleType: v.vehicle_type,
      brandModel: v.brand_model,
      vinMasked: maskVin(v.vin),
      states: v.states,
      inspectionValidUntil: v.inspection_valid_until,
      binding: v.kind,
    })),
    licences: licences.map((l) => ({
      id: l.id, licenceNoMasked: maskIdNumber(l.licence_no), classes: l.classes, validUntil: l.valid_until, status: l.status, points: l.points,
    })),
    asOf: now.toISOString(),
  };
}

/**
 * Online registration as owner-or-driver: the person is
 * in the population registry under that name, owns a vehicle or licence, and
 * gives the phone recorded with it. Own vehicles and licence are bound at once.
 */
export async function registerOnline(
  deps: Deps,
  input: { name: string; idNumber: string; phone: string; smsCode: string; password: string },
  meta: Meta,
): Promise<SignedIn> {
  const passwordHash = await hashPassword(input.password);
  let mismatch = false;
  try {
    const result = await deps.sql.begin(async (tx) => {
      try {
        await consumeSmsCode(tx, input.phone, 'sign_up', input.smsCode, meta.now);
      } catch (e) {
        if (e instanceof SmsCodeMismatch) {
          mismatch = true;
          return null;
        }
        throw e;
      }
      const person = await repo.findPersonByIdNumber(tx, input.idNumber);
      if (!person || person.name !== input.name || person.deceased) {
        throw new DomainError('accounts.person_not_found', { fields: { idNumber: 'validation.invalid', name: 'validation.name' } });
      }
      const records = await repo.recordsOfPerson(tx, person.id);
      const decision = decideOnlineRegistration(
        { vehiclePhones: records.vehicles.map((v) => v.owner_phone), licencePhones: records.licences.map((l) => l.phone) },
        input.phone,
      );
      if (!decision.ok) throw new DomainError(decision.code, decision.code === 'accounts.phone_mismatch' ? { fields: { phone: 'validation.invalid' } } : undefined);
      const userId = await repo.insertUser(tx, { personId: person.id, phone: input.phone, passwordHash, personalType: decision.personalType, channel: 'online', now: meta.now });
      const bound = records.vehicles.filter((v) => !v.states.some((s) => notBindableStates.includes(s)));
      for (const v of bound) await repo.bindVehicle(tx, userId, v.id, 'own', meta.now);
      const licences = records.licences.filter((l) => l.status !== 'cancelled');
      for (const l of licences) await repo.bindLicence(tx, userId, l.id, 'own', meta.now);
      const actor = { kind: 'user' as const, id: userId, label: maskName(person.name) };
      await writeAudit(tx, actor, meta, {
        action: 'accounts.registered_online',
        entityType: 'user_account',
        entityId: userId,
        after: { kind: 'personal', personalType: decision.personalType, channel: 'online', phone: maskPhone(input.phone), boundVehicles: bound.length, boundLicences: licences.length },
      });
      await enqueueMessage(tx, { channel: 'sms', recipient: input.phone, template: 'auth.signed_up', payload: { phoneMasked: maskPhone(input.phone) }, dedupeKey: `signed_up:${userId}` }, meta.now);
      return startUserSession(deps, userId, null, meta, 'auth.signed_in', undefined, undefined, tx);
    });
    if (mismatch || !result) throw new DomainError('auth.sms_code_invalid', { fields: { smsCode: 'validation.sms_code' } });
    return result;
  } catch (e) {
    if (isPgError(e, PG.uniqueViolation)) {
      const c = (e as { constraint_name?: string }).constraint_name ?? '';
      if (c.includes('phone')) throw new DomainError('accounts.phone_in_use', { fields: { phone: 'validation.invalid' } });
      throw new DomainError('accounts.already_registered', { fields: { idNumber: 'validation.invalid' } });
    }
    throw e;
  }
}
