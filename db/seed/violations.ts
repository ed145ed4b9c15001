/**
 * Issue 21 — camera-recorded violations, penalty decisions and points
 * (第五章, X-5.1 …, PD-10; ADR-034). The demo block of
 * db/migrations/0019_violations.sql, appended to demo.sql by generate.ts (one
 * call). Deterministic text: fixed ids, names and records. The one decision
 * "served 20 days ago" is written relative to the day the file is LOADED
 * (`current_date` in Asia/Shanghai), so its late fee is the day-20
 * one whenever the demo or the e2e database is set up.
 *
 *   - 孙浩然 (13760123401, online, `Demo#2026pass`): own 粤B7V2K8 and his C1
 *     licence with 2 points. Camera records of 粤B7V2K8: two ≤ 200 元 (3 + 3
 *     points → 8 < 12: handled together online, X-5.6), one of 500 元 (X-5.3,
 *     to a counter), and an on-site ticket of his licence (X-5.2, to a counter).
 *   - 吴秀兰 (13760123402, online): own 粤B3M6Q1 and a C1 licence with 9 points;
 *     a camera record of 3 points would reach 12 (X-5.4, refused).
 *   - 郭明辉 (13760123403, online): own 粤B8H5R2; a penalty decision of 150 元 /
 *     3 points served online 20 days before loading, unpaid: day 20 → late fee
 *     15 % = 22.50 元.
 *   - 深圳 staff queue: two imported records of 粤B7V2K8 waiting for review
 *     (one past its five-working-day deadline, X-5.11).
 */
import { idNumberCheckChar, vinCheckChar } from '../../bff/src/platform/check-digits.ts';
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';

type SqlValue = string | number | boolean | null | { raw: string };
export type ViolationsSeedKit = {
  insert: (table: string, columns: string[], rows: { values: SqlValue[]; comment?: string }[]) => string;
  citizenPasswordHash: string;
  reservePhone: (p: string) => string;
  reservePlate: (p: string) => string;
};

const id = (prefix: string, n: number) => `${prefix}000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
export const violationIds = {
  person: (n: number) => id('f1', n),
  licence: (n: number) => id('f2', n),
  vehicle: (n: number) => id('f3', n),
  account: (n: number) => id('f4', n),
  violation: (n: number) => id('f5', n),
  decision: (n: number) => id('f6', n),
  upload: (n: number) => id('f7', n),
  binding: (n: number) => id('f8', n),
};

const idNumber = (first17: string) => first17 + idNumberCheckChar(first17);
function vin(draft: string): string {
  return draft.slice(0, 8) + vinCheckChar(draft) + draft.slice(9);
}

/** A grey PNG with a darker band (a stand-in for a camera frame), deterministic bytes. */
function cameraPng(shade: number): Buffer {
  const w = 96, h = 60;
  const raw = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0;
    for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = y > 38 && y < 50 ? 40 : shade + ((x + y) % 16);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; ihdr[9] = 0; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}
function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

export function violationsSeed(kit: ViolationsSeedKit): string {
  const { insert } = kit;
  const people = [
    { n: 1, name: '孙浩然', sex: 'M', birth: '1986-04-12', first17: '44030519860412031', phone: kit.reservePhone('13760123401'), address: '广东省深圳市南山区科技园科苑路15号', plate: kit.reservePlate('粤B7V2K8'), points: 2, firstIssued: '2012-04-18' },
    { n: 2, name: '吴秀兰', sex: 'F', birth: '1979-09-03', first17: '44030419790903022', phone: kit.reservePhone('13760123402'), address: '广东省深圳市福田区莲花路2008号', plate: kit.reservePlate('粤B3M6Q1'), points: 9, firstIssued: '2005-07-21' },
    { n: 3, name: '郭明辉', sex: 'M', birth: '1990-01-27', first17: '44030619900127051', phone: kit.reservePhone('13760123403'), address: '广东省深圳市宝安区新安街道创业二路88号', plate: kit.reservePlate('粤B8H5R2'), points: 0, firstIssued: '2014-11-02' },
  ] as const;
  const out: string[] = ['', '-- ---------------------------------------------------------------------------',
    '-- Issue 21: violations, penalty decisions, points (needs db/migrations/0019_violations.sql)',
    '-- ---------------------------------------------------------------------------', ''];
  out.push(insert('person', ['id', 'id_type', 'id_number', 'name', 'sex', 'birth_date', 'address', 'phone'],
    people.map((p) => ({ values: [violationIds.person(p.n), 'resident_id', idNumber(p.first17), p.name, p.sex, p.birth, p.address, p.phone] }))));
  out.push(insert('driving_licence', ['id', 'licence_no', 'person_id', 'classes', 'first_issued_on', 'valid_from', 'valid_until', 'review_valid_until', 'status', 'points', 'phone', 'issuing_authority_id', 'has_certificate_photo'],
    people.map((p) => ({ values: [violationIds.licence(p.n), idNumber(p.first17), violationIds.person(p.n), 'C1', p.firstIssued, '2024-04-18', '2030-04-18', null, 'valid', p.points, p.phone, '440300', true], comment: `${p.name} ${p.points} 分` }))));
  const vins = [vin('LSVAU2180N2183401'), vin('LFV2A2150M6183402'), vin('LGBH52E08P0183403')];
  out.push(insert('vehicle', ['id', 'vin', 'plate_no', 'plate_kind', 'vehicle_type', 'brand_model', 'use_nature', 'owner_person_id', 'owner_phone', 'registration_authority_id', 'registered_on', 'inspection_valid_until', 'states'],
    people.map((p, i) => ({ values: [violationIds.vehicle(p.n), vins[i]!, p.plate, 'small_blue', 'K33', ['大众牌SVW7152', '一汽-大众牌FV7151', '东风日产牌DFL7150'][i]!, 'non_operating', violationIds.person(p.n), p.phone, '440300', '2022-05-10', '2028-05-31', '{normal}'], comment: p.plate }))));
  out.push(insert('user_account', ['id', 'kind', 'personal_type', 'registration_channel', 'person_id', 'phone', 'postal_address', 'postcode', 'password_hash', 'status', 'created_at'],
    people.map((p) => ({ values: [violationIds.account(p.n), 'personal', 'owner_driver', 'online', violationIds.person(p.n), p.phone, p.address, '518000', kit.citizenPasswordHash, 'active', '2026-03-01 20:00:00+08'], comment: p.name }))));
  out.push(insert('vehicle_binding', ['id', 'user_account_id', 'vehicle_id', 'kind', 'bound_at'],
    people.map((p) => ({ values: [violationIds.binding(p.n), violationIds.account(p.n), violationIds.vehicle(p.n), 'own', '2026-03-01 20:05:00+08'] }))));
  out.push(insert('licence_binding', ['id', 'user_account_id', 'licence_id', 'kind', 'bound_at'],
    people.map((p) => ({ values: [violationIds.binding(100 + p.n), violationIds.account(p.n), violationIds.licence(p.n), 'own', '2026-03-01 20:06:00+08'] }))));

  // Camera photos in the one upload store (ADR-021)
  const pngs = [1, 2, 3, 4, 5].map((k) => cameraPng(90 + k * 20));
  out.push(insert('upload', ['id', 'purpose', 'content_type', 'size_bytes', 'sha256', 'content', 'owner_kind', 'owner_id', 'authority_id', 'created_at', 'file_name', 'status', 'next_chunk', 'completed_at'],
    pngs.map((b, i) => ({ values: [violationIds.upload(i + 1), 'violation_photo', 'image/png', b.length, createHash('sha256').update(b).digest('hex'), { raw: `'\\x${b.toString('hex')}'::bytea` },
      'staff', '90000000-0000-4000-8000-000000000001' /* sz.intake */, '440300', '2026-11-20 09:00:00+08', `camera-${i + 1}.png`, 'complete', 0, '2026-11-20 09:00:00+08'] }))));

  const intake = '90000000-0000-4000-8000-000000000001' /* sz.intake */;
  const sunV = violationIds.vehicle(1);
  type Rec = { n: number; source: 'camera' | 'onsite'; vehicle: string | null; plate: string; licence: string | null; at: string; place: string; code: string; act: string; fine: number; points: number; status: string; device: string | null; decision?: string; reviewedDue: string };
  const recs: Rec[] = [
    { n: 1, source: 'camera', vehicle: sunV, plate: '粤B7V2K8', licence: null, at: '2026-11-12 08:42:00+08', place: '南山区深南大道与科苑路交叉口', code: '1625', act: '驾驶机动车违反道路交通信号灯通行的', fine: 200_00, points: 3, status: 'open', device: 'SZ-NS-0412', reviewedDue: '2026-11-19 00:00:00+08' },
    { n: 2, source: 'camera', vehicle: sunV, plate: '粤B7V2K8', licence: null, at: '2026-11-15 18:07:00+08', place: '南山区滨海大道白石洲段', code: '1345', act: '机动车违反禁止标线指示的', fine: 100_00, points: 3, status: 'open', device: 'SZ-NS-0733', reviewedDue: '2026-11-21 00:00:00+08' },
    { n: 3, source: 'camera', vehicle: sunV, plate: '粤B7V2K8', licence: null, at: '2026-11-18 23:31:00+08', place: '南山区沙河西路（限速60）', code: '17211', act: '驾驶机动车超过规定时速50%以上的', fine: 500_00, points: 6, status: 'open', device: 'SZ-NS-0920', reviewedDue: '2026-11-26 00:00:00+08' },
    { n: 4, source: 'onsite', vehicle: sunV, plate: '粤B7V2K8', licence: violationIds.licence(1), at: '2026-11-08 10:20:00+08', place: '南山区南海大道登良路口', code: '1039', act: '驾驶时拨打接听手持电话的（现场处罚）', fine: 50_00, points: 3, status: 'open', device: null, reviewedDue: '2026-11-14 00:00:00+08' },
    { n: 5, source: 'camera', vehicle: violationIds.vehicle(2), plate: '粤B3M6Q1', licence: null, at: '2026-11-14 07:55:00+08', place: '福田区福华三路与金田路交叉口', code: '1352', act: '驾驶机动车超过规定时速未达20%的（城市道路）', fine: 100_00, points: 3, status: 'open', device: 'SZ-FT-0121', reviewedDue: '2026-11-21 00:00:00+08' },
    { n: 6, source: 'camera', vehicle: violationIds.vehicle(3), plate: '粤B8H5R2', licence: violationIds.licence(3), at: '2026-11-03 09:16:00+08', place: '宝安区宝安大道与新湖路交叉口', code: '1625', act: '驾驶机动车违反道路交通信号灯通行的', fine: 150_00, points: 3, status: 'handling', device: 'SZ-BA-0305', decision: violationIds.decision(1), reviewedDue: '2026-11-10 00:00:00+08' },
    // 深圳's review queue (X-5.11): imported, not reviewed yet
    { n: 7, source: 'camera', vehicle: sunV, plate: '粤B7V2K8', licence: null, at: '2026-11-16 12:03:00+08', place: '南山区后海大道与创业路交叉口', code: '1018', act: '驾驶机动车不按规定使用灯光的', fine: 50_00, points: 1, status: 'pending_review', device: 'SZ-NS-0511', reviewedDue: '2026-11-21 00:00:00+08' },
    { n: 8, source: 'camera', vehicle: sunV, plate: '粤B7V2K8', licence: null, at: '2026-11-24 16:40:00+08', place: '南山区工业八路', code: '1039', act: '机动车违反规定停放、临时停车的', fine: 50_00, points: 0, status: 'pending_review', device: 'SZ-NS-0612', reviewedDue: '2026-12-02 00:00:00+08' },
  ];
  // 郭明辉's decision: served online 20 days before the database was loaded (see the docblock)
  const servedDay = { raw: "((now() AT TIME ZONE 'Asia/Shanghai')::date - 20)" };
  const servedAt = { raw: "(((now() AT TIME ZONE 'Asia/Shanghai')::date - 20) + time '10:30') AT TIME ZONE 'Asia/Shanghai'" };
  out.push('-- X-5.5, X-5.8: a penalty decision served 20 days before loading, unpaid (late fee of day 20: 15 %)');
  out.push(insert('penalty_decision', ['id', 'decision_no', 'verification_code', 'channel', 'user_account_id', 'licence_id', 'vehicle_id', 'plate_no', 'authority_id', 'fine_fen', 'points', 'served_at', 'served_day', 'status', 'created_at'],
    [{ values: [violationIds.decision(1), '44030020261103900001', 'K7QD3M9XW2HP', 'online', violationIds.account(3), violationIds.licence(3), violationIds.vehicle(3), '粤B8H5R2', '440300', 150_00, 3, servedAt, servedDay, 'awaiting_payment', servedAt], comment: '郭明辉 粤B8H5R2' }]));
  out.push('-- X-5.1 … X-5.4, X-5.11: camera records (and one on-site ticket) of the demo drivers');
  out.push(insert('violation', ['id', 'reference', 'source', 'vehicle_id', 'plate_no', 'licence_id', 'authority_id', 'occurred_at', 'place', 'act_code', 'act', 'fine_fen', 'points', 'device_no', 'status',
    'captured_at', 'entered_at', 'entered_by', 'import_batch', 'review_due_at', 'reviewed_at', 'reviewed_by', 'notify_due_at', 'notified_at', 'decision_id', 'updated_at'],
    recs.map((r) => {
      const pending = r.status === 'pending_review';
      return { values: [violationIds.violation(r.n), `W440300${r.at.slice(0, 10).replaceAll('-', '')}90000${r.n}`, r.source, r.vehicle, r.plate, r.licence, '440300', r.at, r.place, r.code, r.act, r.fine, r.points, r.device, r.status,
        r.at, r.at, intake, pending ? 'import-demo-20261125' : null, r.reviewedDue, pending ? null : r.at, pending ? null : intake, pending ? null : r.reviewedDue, pending ? null : r.at, r.decision ?? null, r.at],
      comment: `${r.plate} ${r.fine / 100}元 ${r.points}分 ${r.status}` };
    })));
  out.push(insert('violation_photo', ['violation_id', 'upload_id', 'position'], [
    { values: [violationIds.violation(1), violationIds.upload(1), 1] }, { values: [violationIds.violation(1), violationIds.upload(2), 2] },
    { values: [violationIds.violation(2), violationIds.upload(3), 1] }, { values: [violationIds.violation(5), violationIds.upload(4), 1] },
    { values: [violationIds.violation(7), violationIds.upload(5), 1] },
  ]));
  return out.join('\n');
}
