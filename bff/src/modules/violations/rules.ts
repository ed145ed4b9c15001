/**
 * 道路交通违法业务 — the pure rules of 第五章 (X-5.1 …, PD-10). No SQL,
 * no HTTP, no clock: days come in as Asia/Shanghai calendar days
 * ('YYYY-MM-DD'), instants as `Date`s decided by the caller.
 */
import { addCalendarYears, addDays, shanghaiDay } from '../../platform/calendar.ts';

export type RefusalCode =
  | 'violations.personal_only'
  | 'violations.licence_not_bound'
  | 'violations.licence_not_usable'
  | 'violations.not_camera_recorded'
  | 'violations.fine_over_limit'
  | 'violations.points_would_reach_limit'
  | 'violations.record_not_open'
  | 'violations.batch_one_vehicle'
  | 'violations.batch_empty';
export type Refusal = { ok: false; code: RefusalCode; params?: Record<string, string | number> };
export type Ok = { ok: true };

/** 简易程序 online only up to 200 元 per record (PD-10), in fen. */
export const ONLINE_FINE_LIMIT_FEN = 200_00;
/** current points + the points being handled must stay below 12. */
export const POINTS_LIMIT = 12;
/** no late fee on the first 15 days after service; 3 % per day after, capped at the fine. */
export const FREE_DAYS = 15;
export const LATE_FEE_PERCENT_PER_DAY = 3;
/** deadlines in working days (处理程序规定: "日" = working days, rules.md (d) 3). */
export const DEADLINES = { review: 5, notify: 5, objection: 5, exemption: 3 } as const;
/** a licence taking points for this many vehicles it does not own within one cycle is flagged. */
export const NON_OWNER_FLAG_VEHICLES = 3;

/**
 * PD-10: the licence states that refuse online handling — 注销 (cancelled),
 * 吊销 (revoked), 暂扣 (detained), 扣押 (seized). Data, in one place.
 */
export const LICENCE_STATES_BLOCKING_ONLINE = ['cancelled', 'revoked', 'detained', 'seized'] as const;

export const VIOLATION_STATUSES = ['pending_review', 'open', 'objected', 'handling', 'handled', 'cleared', 'rejected'] as const;
export type ViolationStatus = (typeof VIOLATION_STATUSES)[number];
export const OBJECTION_GROUNDS = ['not_my_vehicle', 'wrong_plate', 'stolen_plate', 'emergency_vehicle', 'facts_wrong', 'other'] as const;
export type ObjectionGround = (typeof OBJECTION_GROUNDS)[number];
/** the listed exemptions (emergency vehicles, stolen plates, wrong plate) are cleared within three days. */
export const EXEMPTION_GROUNDS: readonly ObjectionGround[] = ['wrong_plate', 'stolen_plate', 'emergency_vehicle'];

export type RecordFacts = { id: string; vehicleId: string | null; source: 'camera' | 'onsite'; fineFen: number; points: number; status: ViolationStatus };

/**
 * One record, on its own (PD-10: a batch is fine if each record qualifies):
 * camera-recorded, X-5.3 fine ≤ 200 元, and open (reviewed, not under
 * objection, not already in a decision).
 */
export function decideRecord(r: RecordFacts): Ok | Refusal {
  if (r.source !== 'camera') return { ok: false, code: 'violations.not_camera_recorded' };
  if (r.fineFen > ONLINE_FINE_LIMIT_FEN) return { ok: false, code: 'violations.fine_over_limit', params: { fine: yuan(r.fineFen), limit: yuan(ONLINE_FINE_LIMIT_FEN) } };
  if (r.status !== 'open') return { ok: false, code: 'violations.record_not_open', params: { status: r.status } };
  return { ok: true };
}

export type LicenceFacts = {
  /** the user's own bound licence, or null */
  bound: boolean;
  status: string;
  /** current points of the running cycle, unpaid fines' points carried in (X-5.9) */
  points: number;
  /** points of decisions served but not yet paid (X-5.5: assessed on payment) */
  pendingPoints: number;
};

/**
 * The user and the licence (X-5.1, PD-6, PD-10): a personal user with an own
 * bound licence that is not 注销/吊销/暂扣/扣押.
 */
export function decideHandler(userKind: 'personal' | 'organisation', licence: LicenceFacts | null): Ok | Refusal {
  if (userKind !== 'personal') return { ok: false, code: 'violations.personal_only' };
  if (!licence || !licence.bound) return { ok: false, code: 'violations.licence_not_bound' };
  if ((LICENCE_STATES_BLOCKING_ONLINE as readonly string[]).includes(licence.status)) return { ok: false, code: 'violations.licence_not_usable', params: { status: licence.status } };
  return { ok: true };
}

/** current points + points being handled (pending decisions and this batch) < 12. */
export function decidePoints(licence: LicenceFacts, batchPoints: number): Ok | Refusal {
  const total = licence.points + licence.pendingPoints + batchPoints;
  if (total >= POINTS_LIMIT) {
    return { ok: false, code: 'violations.points_would_reach_limit', params: { current: licence.points + licence.pendingPoints, adding: batchPoints, total, limit: POINTS_LIMIT } };
  }
  return { ok: true };
}

/**
 * A batch: one or more records of ONE vehicle, each qualifying on its
 * own, the user and licence, the points adding up.
 * Refusals per record, so each is explained at the record.
 */
export function decideBatch(userKind: 'personal' | 'organisation', licence: LicenceFacts | null, records: readonly RecordFacts[]):
  { ok: true; fineFen: number; points: number } | { ok: false; refusal: Refusal; perRecord: { id: string; refusal: Refusal }[] } {
  const handler = decideHandler(userKind, licence);
  if (!handler.ok) return { ok: false, refusal: handler, perRecord: [] };
  if (records.length === 0) return { ok: false, refusal: { ok: false, code: 'violations.batch_empty' }, perRecord: [] };
  if (new Set(records.map((r) => r.vehicleId)).size > 1) return { ok: false, refusal: { ok: false, code: 'violations.batch_one_vehicle' }, perRecord: [] };
  const perRecord = records.flatMap((r) => {
    const d = decideRecord(r);
    return d.ok ? [] : [{ id: r.id, refusal: d }];
  });
  if (perRecord.length) return { ok: false, refusal: perRecord[0]!.refusal, perRecord };
  const points = records.reduce((s, r) => s + r.points, 0);
  const p = decidePoints(licence!, points);
  if (!p.ok) return { ok: false, refusal: p, perRecord: records.map((r) => ({ id: r.id, refusal: p })) };
  return { ok: true, fineFen: records.reduce((s, r) => s + r.fineFen, 0), points };
}

/**
 * Each record's own standing for the list (X-5.2 … at the record): a
 * record qualifies when it qualifies alone and its points alone keep the
 * licence below 12.
 */
export function recordStanding(userKind: 'personal' | 'organisation', licence: LicenceFacts | null, r: RecordFacts): Ok | Refusal {
  const handler = decideHandler(userKind, licence);
  if (!handler.ok) return handler;
  const d = decideRecord(r);
  if (!d.ok) return d;
  return decidePoints(licence!, r.points);
}

// ---------------------------------------------------------------------------
// late fee (加处罚款), PD-10
// ---------------------------------------------------------------------------

/** Whole calendar days from `a` to `b` ('YYYY-MM-DD'; negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * PD-10: the late fee on day `day` after the decision was served
 * (Asia/Shanghai calendar days; the served day is day 0). Days 0 … 15 are
 * free; from day 16 on, 3 % of the fine for each day past the 15th, computed
 * on the total and rounded DOWN to whole fen, never more than the fine.
 * Day 16 → 3 %, day 20 → 15 %, day 48 and after → the fine itself.
 */
export function lateFeeFen(fineFen: number, day: number): number {
  if (!Number.isSafeInteger(fineFen) || fineFen < 0) throw new RangeError('fineFen must be a non-negative integer');
  if (!Number.isSafeInteger(day)) throw new RangeError('day must be an integer');
  const lateDays = Math.max(0, day - FREE_DAYS);
  return Math.min(fineFen, Math.floor((fineFen * LATE_FEE_PERCENT_PER_DAY * lateDays) / 100));
}

/** what is due on `payDay` for a decision served on `servedDay`: the fine, the late fee, the total. */
export function amountDue(fineFen: number, servedDay: string, payDay: string) {
  const day = Math.max(0, daysBetween(servedDay, payDay));
  const late = lateFeeFen(fineFen, day);
  return { fineFen, lateFeeFen: late, totalFen: fineFen + late, day, lastFreeDay: addDays(servedDay, FREE_DAYS) };
}

// ---------------------------------------------------------------------------
// scoring cycles and the points ledger
// ---------------------------------------------------------------------------

/**
 * The 记分周期 containing `day`: twelve months from an anniversary of the
 * licence's first issue (a 29 February first issue has its anniversary on
 * 28 February in common years, PD-2). `end` is the cycle's last day.
 */
export function scoringCycle(firstIssuedOn: string, day: string): { start: string; end: string } {
  // the last anniversary on or before `day` (the first issue itself when `day` is earlier); a licence has few enough years to count them one by one
  let k = 0;
  while (addCalendarYears(firstIssuedOn, k + 1) <= day) k++;
  return { start: addCalendarYears(firstIssuedOn, k), end: addDays(addCalendarYears(firstIssuedOn, k + 1), -1) };
}

export type LedgerEntry = { cycleStart: string; points: number; paidDay: string | null };

/**
 * the points counting in the cycle starting `cycleStart`: those
 * assessed in it, and those of earlier cycles whose fine was not paid before
 * this cycle began (unpaid fines carry their points into the next cycle).
 */
export function pointsInCycle(entries: readonly LedgerEntry[], cycleStart: string): number {
  return entries.filter((e) => e.cycleStart === cycleStart || isCarried(e, cycleStart)).reduce((s, e) => s + e.points, 0);
}

/** whether an entry of an earlier cycle is carried into `cycleStart` (its fine not paid before that cycle began). */
export function isCarried(e: LedgerEntry, cycleStart: string): boolean {
  return e.cycleStart < cycleStart && (e.paidDay === null || e.paidDay >= cycleStart);
}

/**
 * unusual non-owner handling — a licence that has taken points for
 * {@link NON_OWNER_FLAG_VEHICLES} or more vehicles it does not own within one
 * scoring cycle (代扣分/买卖分 are forbidden). A flag for staff, not a refusal.
 */
export function nonOwnerFlag(nonOwnVehicleIds: readonly string[]): { flagged: boolean; vehicles: number } {
  const vehicles = new Set(nonOwnVehicleIds).size;
  return { flagged: vehicles >= NON_OWNER_FLAG_VEHICLES, vehicles };
}

// ---------------------------------------------------------------------------
// staff: objections, exemptions, entering records
// ---------------------------------------------------------------------------

/** An objection on one of the listed exemption grounds is an exemption (three days), else five. */
export function objectionKind(ground: ObjectionGround): 'objection' | 'exemption' {
  return EXEMPTION_GROUNDS.includes(ground) ? 'exemption' : 'objection';
}

/** Which records can be objected to: reviewed and not yet handled or cleared. */
export function decideObjection(status: ViolationStatus): { ok: true } | { ok: false; code: 'violations.objection_not_allowed'; params: { status: string } } {
  return status === 'open' ? { ok: true } : { ok: false, code: 'violations.objection_not_allowed', params: { status } };
}

/** The staff steps a record's status allows. */
export function staffSteps(status: ViolationStatus): ('review' | 'reject' | 'clear')[] {
  if (status === 'pending_review') return ['review', 'reject', 'clear'];
  if (status === 'open' || status === 'objected') return ['clear'];
  return [];
}

/** 元 text ('12.50') → fen, exactly (no floating point); null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Fen → '12.50' (exactly). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}

/** 违法编号: authority + capture day + running number. */
export function violationReference(authorityId: string, capturedAt: Date, seq: number): string {
  return `W${authorityId}${shanghaiDay(capturedAt).replaceAll('-', '')}${String(seq % 1_000_000).padStart(6, '0')}`;
}

/** 决定书编号: authority + served day + running number (digits only, as printed). */
export function decisionNumber(authorityId: string, servedAt: Date, seq: number): string {
  return `${authorityId}${shanghaiDay(servedAt).replaceAll('-', '')}${String(seq % 1_000_000).padStart(6, '0')}`;
}

/** Verification codes: 12 characters without I and O (easy to read off paper). */
export const VERIFICATION_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const isVerificationCode = (s: string) => /^[0-9A-HJ-NP-Z]{12}$/.test(s);

/** one CSV import row (the columns of the 监控设备 export); each problem at its column. */
export type ImportRow = { plateNo: string; occurredAt: Date; place: string; actCode: string; act: string; fineFen: number; points: number; deviceNo: string; capturedAt: Date };
export const IMPORT_COLUMNS = ['plate_no', 'occurred_at', 'place', 'act_code', 'act', 'fine_yuan', 'points', 'device_no', 'captured_at'] as const;

export function parseImportRow(cells: readonly string[], now: Date): { ok: true; row: ImportRow } | { ok: false; column: string; problem: string } {
  const get = (c: (typeof IMPORT_COLUMNS)[number]) => (cells[IMPORT_COLUMNS.indexOf(c)] ?? '').trim();
  const plateNo = get('plate_no');
  if (!/^[\u4e00-\u9fa5][A-Z][0-9A-HJ-NP-Z]{5,6}$/.test(plateNo)) return { ok: false, column: 'plate_no', problem: 'plate' };
  const instant = (c: 'occurred_at' | 'captured_at') => {
    const v = get(c);
    if (!/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) return null;
    const d = new Date(`${v.replace(' ', 'T')}+08:00`); // ISO 8601 allows hh:mm without seconds
    return Number.isNaN(d.getTime()) || d > now ? null : d;
  };
  const occurredAt = instant('occurred_at');
  if (!occurredAt) return { ok: false, column: 'occurred_at', problem: 'instant' };
  const capturedAt = get('captured_at') === '' ? occurredAt : instant('captured_at');
  if (!capturedAt || capturedAt < occurredAt) return { ok: false, column: 'captured_at', problem: 'instant' };
  const place = get('place');
  if (place.length < 1 || place.length > 200) return { ok: false, column: 'place', problem: 'text' };
  const actCode = get('act_code');
  if (!/^[0-9]{4,5}$/.test(actCode)) return { ok: false, column: 'act_code', problem: 'act_code' };
  const act = get('act');
  if (act.length < 1 || act.length > 200) return { ok: false, column: 'act', problem: 'text' };
  const fineFen = yuanToFen(get('fine_yuan'));
  if (fineFen === null) return { ok: false, column: 'fine_yuan', problem: 'amount' };
  const points = /^\d{1,2}$/.test(get('points')) ? Number(get('points')) : -1;
  if (points < 0 || points > 12) return { ok: false, column: 'points', problem: 'points' };
  return { ok: true, row: { plateNo, occurredAt, place, actCode, act, fineFen, points, deviceNo: get('device_no'), capturedAt } };
}
