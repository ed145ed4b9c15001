import type { Tone } from '../shared/fields.tsx';

/** The CHECK lists of plate_segment_plan (db/migrations/0003_plates.sql). */
export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'published', 'building', 'pool_built', 'open', 'closed'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
export const PLATE_KINDS = ['small_blue', 'small_new_energy', 'large_yellow', 'large_new_energy'] as const;

export const PLAN_STATUS_TONES: Record<PlanStatus, Tone> = {
  draft: 'neutral',
  submitted: 'info',
  approved: 'info',
  published: 'info',
  building: 'info',
  pool_built: 'success',
  open: 'success',
  closed: 'neutral',
};

/**
 * The named command that moves a plan on (R-25.1 →, then open and
 * close); the bff checks the same table (plates/rules.ts PLAN_TRANSITIONS).
 */
export type PlanCommand = 'submit' | 'approve' | 'publish' | 'build-pool' | 'open' | 'close';
const NEXT: Record<PlanStatus, PlanCommand | null> = {
  draft: 'submit',
  submitted: 'approve',
  approved: 'publish',
  published: 'build-pool',
  building: null,
  pool_built: 'open',
  open: 'close',
  closed: null,
};
export const nextCommand = (status: string): PlanCommand | null => NEXT[status as PlanStatus] ?? null;

/** Withheld numbers typed one per line or separated by commas/blanks, upper-cased, without repeats. */
export const parseSerialList = (text: string | null | undefined): string[] => [
  ...new Set(
    (text ?? '')
      .split(/[\s,，、;；]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean),
  ),
];

/** A segment starts at 00:00 Beijing time of its start day (号段启用之日). */
export const startAtOf = (day: string): string => `${day}T00:00:00+08:00`;

/** Build progress as a whole-number percentage for the progress bar. */
export const buildPercent = (build: { cursor: number; total: number } | null | undefined): number =>
  build && build.total > 0 ? Math.min(100, Math.floor((build.cursor / build.total) * 100)) : 0;

/** What the bff says about the open command (plan resource `open`, from the rule the command applies). */
export type OpenVerdict = { allowed: boolean; warning: boolean; code: string | null; title: string | null; detail: string | null };

/**
 * How the "open the segment" button shows (issue 18): the bff's verdict, not
 * a guess from the pool level — disabled with the server's own reason when
 * the command would be refused; a confirmation only when it would succeed
 * close to the 50,000 minimum. A plan from an older bff without a
 * verdict is left to the server: enabled, no confirmation.
 */
export type OpenButtonState =
  | { enabled: false; reason: string; code: string | null }
  | { enabled: true; confirm: boolean };

export const openButtonState = (open: OpenVerdict | null | undefined): OpenButtonState => {
  if (!open) return { enabled: true, confirm: false };
  if (!open.allowed) return { enabled: false, reason: [open.title, open.detail].filter(Boolean).join(' '), code: open.code };
  return { enabled: true, confirm: open.warning };
};

/**
 * What a plan command's confirmation says (issue 18): every step confirms, none
 * has a reverse command; opening close to the 50,000 minimum says that
 * instead; closing is the destructive one.
 */
export const planConfirmText = (cmd: PlanCommand, open: OpenButtonState, params: { available: string; prefix: unknown; day: unknown }) => {
  const low = cmd === 'open' && open.enabled && open.confirm;
  return {
    title: low ? 'plates.command.open_confirm_title' : `plates.confirm.${cmd}_title`,
    consequence: low ? 'plates.command.open_confirm' : `plates.confirm.${cmd}`,
    params,
    confirm: `plates.command.${cmd}`,
    tone: cmd === 'close' ? ('destructive' as const) : ('primary' as const),
  };
};
