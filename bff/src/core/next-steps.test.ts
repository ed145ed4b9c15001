import { describe as suite, expect, it } from 'vitest';
import { describe, type CatalogEntry } from './catalog.ts';
import type { Params } from './errors.ts';
import { errorCatalog } from '../modules/index.ts';

/**
 * Issue 16, item 3: every refusal a citizen can meet says what to do next
 * (when, where, or whom to ask) — in its detail (`detail(params)` and/or
 * `next`), or in a title that already asks something of the user.
 *
 * A scan of the module sources cannot tell a citizen refusal from a staff one
 * (rules.ts and service.ts serve both route files), so the refusals (409, 422)
 * seen only by staff are listed here instead. A new 409/422 code is a citizen
 * refusal until it is added to this list.
 */
const STAFF_ONLY_PREFIXES = [
  'temp_plates.', // dealers and authorities, admin routes only (the module has no citizen routes.ts)
  'calendar.', // working-day calendar, admin routes only
];
const STAFF_ONLY = new Set<string>([
  'auth.totp_not_pending', // staff two-factor setup
  // counter intake and review of account applications, archives, photo review (accounts/counter-admin.routes.ts, admin.routes.ts)
  'accounts.disqualified',
  'accounts.no_user_type',
  'accounts.check_pending',
  'accounts.check_failed',
  'accounts.application_wrong_status',
  'accounts.change_not_allowed',
  'accounts.uploads_missing',
  'accounts.non_own_limit',
  'accounts.owner_mismatch',
  'accounts.own_vehicle',
  'accounts.cancel_reason_not_allowed',
  'accounts.archive_incomplete',
  'accounts.archive_location_required',
  'accounts.archive_wrong_status',
  'accounts.photo_wrong_status',
  // stations' schedules and the cities' and provinces' cross-city plans
  'inspections.schedule_invalid',
  'inspections.capacity_below_booked',
  'inspections.move_target_invalid',
  'inspections.slot_not_open',
  'inspections.station_status_conflict',
  'inspections.plan_not_draft',
  'inspections.plan_draft_exists',
  'inspections.plan_empty',
  'inspections.plan_station_invalid',
  'inspections.nothing_to_publish',
  // segment plans and the registration of a preselected vehicle
  'plates.pattern_length',
  'plates.pattern_invalid',
  'plates.segment_too_small',
  'plates.publish_too_late',
  'plates.pool_below_minimum',
  'plates.plan_wrong_status',
  'plates.plan_not_started',
  'plates.authority_without_prefix',
  'plates.approval_authority_invalid',
  'plates.withheld_serial_invalid',
  'plates.reservation_overdue',
  // the 受理岗 and 制证 steps of a replacement
  'replacements.insurance_check_failed',
  'replacements.old_item_required',
  'replacements.pickup_not_overdue',
  'replacements.post_not_dispatched',
  'replacements.archive_first',
  'replacements.already_archived',
  'replacements.nothing_to_destroy',
]);

/** Citizen refusals whose title already names the next step in other words (what is accepted, when, where). */
const TITLE_SAYS_NEXT = new Set<string>([
  'inspections.slot_in_past', // book from tomorrow on
  'plates.proof_not_ready', // once the draw has ended
  'replacements.insurance_certificate_required', // upload the certificate
  'uploads.type_mismatch', // the accepted file types
]);

const isStaffOnly = (code: string) => STAFF_ONLY.has(code) || STAFF_ONLY_PREFIXES.some((p) => code.startsWith(p));
const isRefusal = (e: CatalogEntry) => e.status === 409 || e.status === 422;

/** Any param a detail reads is there. */
const samplePlaceholderParams = new Proxy({} as Params, { get: (_t, k) => (typeof k === 'string' ? '2030-01-01' : undefined) });

/** 请, 可, 到, 联系 — but not the 到 of 查询到, 收到, 达到, 得到 (found, received, reached). */
const GUIDANCE = /请|可|联系|到/;
const guides = (title: string) => GUIDANCE.test(title.replace(/查询到|收到|达到|得到/g, ''));

const entries = Object.entries(errorCatalog) as [string, CatalogEntry][];
const citizenRefusals = entries.filter(([code, e]) => isRefusal(e) && !isStaffOnly(code) && !TITLE_SAYS_NEXT.has(code));

suite('citizen refusals say what to do next (issue 16)', () => {
  it('the exemption lists name existing refusals', () => {
    for (const code of [...STAFF_ONLY, ...TITLE_SAYS_NEXT]) {
      const e = errorCatalog[code as keyof typeof errorCatalog] as CatalogEntry | undefined;
      expect(e, `${code} is not in the catalog`).toBeDefined();
      expect(isRefusal(e!), `${code} is not a 409 or 422`).toBe(true);
    }
    expect(citizenRefusals.length).toBeGreaterThan(30);
  });

  it.each(citizenRefusals.map(([code]) => code))('%s has a detail or a title that guides', (code) => {
    const { title, detail } = describe(errorCatalog, code, samplePlaceholderParams, 'zh-CN');
    expect(!!detail || guides(title), `${code}: "${title}" says nothing of what to do next; add \`next\` (or list it in STAFF_ONLY)`).toBe(true);
    const en = describe(errorCatalog, code, samplePlaceholderParams, 'en');
    expect(!!detail === !!en.detail, `${code}: detail in one locale only`).toBe(true);
  });

  it('next steps are one plain sentence in each locale, without internal rule ids', () => {
    for (const [code, e] of entries) {
      if (!e.next) continue;
      const { 'zh-CN': zh, en } = e.next;
      expect(zh, code).toMatch(/^[^。]+。$/);
      expect(en, code).toMatch(/^[A-Z][^.]*\.$/);
      for (const text of [zh, en]) expect(text, code).not.toMatch(/\b(R|PD|ADR)-\d/);
    }
  });
});
