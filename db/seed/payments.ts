/**
 * Issue 21 — payments (ADR-035): the demo block of
 * db/migrations/0020_payments.sql, appended to demo.sql by generate.ts (one
 * call). Deterministic. One citizen of its own for the payment e2e story
 * (e2e/tests/payments.spec.ts), whom no other story uses:
 *
 *   - 蒋立新 (19866021001, online, Demo#2026pass): pays a test payable through
 *     the dev gateway (POST /dev/payments/test-orders makes one).
 *
 * No payment rows: orders are made by the modules that owe money (violations)
 * and by the dev route.
 */
type SqlValue = string | number | boolean | null | { raw: string };
export type PaymentsSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  citizenPasswordHash: string;
  makeIdNumber: (region: string, birth: string, sex: 'M' | 'F', seq?: number) => string;
  reservePhone: (p: string) => string;
  personId: (n: number) => string;
  accountId: (n: number) => string;
};

export const PAYMENTS_DEMO = { n: 2101, name: '蒋立新', phone: '19866021001' };

export function paymentsSeed(k: PaymentsSeedKit): string {
  const p = PAYMENTS_DEMO;
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 21: payments (needs db/migrations/0020_payments.sql) — the payment story\'s citizen',
    '-- ---------------------------------------------------------------------------', ''];
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'], [
    { values: [k.personId(p.n), 'resident_id', k.makeIdNumber('440305', '1988-06-18', 'M', 517), p.name, 'M', '1988-06-18', '广东省深圳市南山区南海大道2163号', k.reservePhone(p.phone)], comment: 'payments e2e' },
  ]));
  out.push(k.insert('user_account', ['id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'organisation_id', 'phone', 'email',
    'postal_address', 'postcode', 'password_hash', 'status', 'authority_id', 'created_at'], [
    { values: [k.accountId(p.n), 'personal', 'owner_driver', 'online', k.personId(p.n), null, p.phone, null, null, null, k.citizenPasswordHash, 'active', null, '2026-10-12 20:15:00+08'], comment: p.name },
  ]));
  return `${out.join('\n')}\n`;
}
