/**
 * Pure registration rules of chapter 2 (R-7 .. R-11).
 */
export type RecordsOfPerson = {
  vehiclePhones: string[]; // owner_phone of vehicles the person owns
  licencePhones: string[]; // phone of the person's driving licences
};

export type OnlineRegistrationDecision =
  | { ok: true; personalType: 'owner_driver' }
  | { ok: false; code: 'accounts.no_records' | 'accounts.phone_mismatch' };

/**
 * an owner-or-driver owns a vehicle or a licence in the records.
 * online, the phone given must equal the phone recorded at vehicle
 * registration or licence application. One matching record suffices.
 * (Learner and new-car-owner registration arrive with issue 3.)
 */
export function decideOnlineRegistration(records: RecordsOfPerson, phone: string): OnlineRegistrationDecision {
  const phones = [...records.vehiclePhones, ...records.licencePhones];
  if (phones.length === 0) return { ok: false, code: 'accounts.no_records' };
  if (!phones.includes(phone)) return { ok: false, code: 'accounts.phone_mismatch' };
  return { ok: true, personalType: 'owner_driver' };
}

/** vehicles in these states are not bound automatically at sign-up. */
export const notBindableStates: readonly string[] = ['deregistered', 'forcibly_deregistered', 'transferred_out'];
