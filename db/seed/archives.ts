/**
 * Issue 22 — archives (第六章, X-6; ADR-036, ADR-037). The demo block of
 * db/migrations/0021_archives.sql, appended to demo.sql by generate.ts (one
 * call). Deterministic: fixed ids and names.
 *
 *   - gz.archive (广州档案员 冯嘉怡, 档案岗 of 广州市 440100): the other city's
 *     档案岗, who must not see Shenzhen's archive (PD-9); TOTP key in demo-keys.ts.
 *   - 周文博 (19955220001): a Shenzhen vehicle owner (粤BR7L35, 丰田凯美瑞) with
 *     no account yet — the e2e story registers him at the counter, and his
 *     archive record is then found by that plate.
 */

type SqlValue = string | number | boolean | null | { raw: string };
export type ArchivesSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  staffPasswordHash: string;
  makeIdNumber: (region: string, birth: string, sex: 'M' | 'F') => string;
  makeVin: (wmi: string, vds: string, year: number, plant: string) => string;
  reservePhone: (p: string) => string;
  reservePlate: (p: string) => string;
  totpKeyHex: (username: string) => string;
};

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const archiveIds = { staff: (n: number) => id('a6', n), person: (n: number) => id('a7', n), vehicle: (n: number) => id('a8', n) };

export const ARCHIVES_DEMO = { ownerName: '周文博', ownerPhone: '19955220001', plateNo: '粤BR7L35' };

export function archivesSeed(k: ArchivesSeedKit): string {
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 22: archives (X-6) — db/seed/archives.ts', '-- ---------------------------------------------------------------------------'];
  out.push('-- 档案岗 of Guangzhou: sees only 广州市\'s archive (PD-9)');
  out.push(k.insert('staff_member', ['id', 'username', 'display_name', 'password_hash', 'roles', 'authority_id', 'totp_key', 'totp_enabled'],
    [{ values: [archiveIds.staff(1), 'gz.archive', '广州档案员 冯嘉怡', k.staffPasswordHash, { raw: "'{archive}'" }, '440100', { raw: `'\\x${k.totpKeyHex('gz.archive')}'::bytea` }, true] }]));
  const idNumber = k.makeIdNumber('440305', '1987-04-16', 'M');
  const phone = k.reservePhone(ARCHIVES_DEMO.ownerPhone);
  out.push('-- 周文博: a Shenzhen owner without an account (the e2e counter registration of archives.spec.ts)');
  out.push(k.insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    [{ values: [archiveIds.person(1), 'resident_id', idNumber, ARCHIVES_DEMO.ownerName, 'M', '1987-04-16', '广东省深圳市南山区科苑路15号', phone] }]));
  out.push(k.insert('vehicle', ['id', 'vin', 'plate_no', 'plate_kind', 'vehicle_type', 'brand_model', 'use_nature', 'owner_person_id', 'owner_organisation_id', 'owner_phone',
    'registration_authority_id', 'registered_on', 'inspection_valid_until', 'axle_load_kg', 'brake_type', 'states', 'has_certificate_photo'],
  [{ values: [archiveIds.vehicle(1), k.makeVin('LVG', 'BE40K', 2021, 'G'), k.reservePlate(ARCHIVES_DEMO.plateNo), 'small_blue', 'K33', '丰田凯美瑞', 'non_operating',
    archiveIds.person(1), null, phone, '440300', '2021-05-20', '2027-05-31', 900, 'hydraulic', { raw: "'{normal}'" }, true], comment: ARCHIVES_DEMO.ownerName }]));
  return `${out.join('\n')}\n`;
}
