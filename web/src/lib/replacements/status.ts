/** The tag colour of an application status (text always says the status too). */
export function statusTag(status: string): string {
  if (['delivered', 'picked_up', 'archived'].includes(status)) return 'tag--ok';
  if (['rejected', 'refused', 'not_collected'].includes(status)) return 'tag--error';
  if (['cancelled', 'withdrawn', 'core_number_restored'].includes(status)) return '';
  return 'tag--info';
}

/**
 * The citizen's timeline (网办进度): the steps an application goes through,
 * each done (with its time), current or still to come. Side roads (rejected,
 * refused, not collected, closed) end the line where they happened.
 */
export type TimelineStep = { key: string; state: 'done' | 'current' | 'todo'; at: string | null; note: string | null };

const MAIN_POST = ['submitted', 'accepted', 'produced', 'sent', 'delivered'];
const MAIN_PICKUP = ['submitted', 'accepted', 'produced', 'ready_for_pickup', 'picked_up'];

export function timeline(a: { status: string; delivery: string; events: { at: string; status: string; note: string | null }[] }): TimelineStep[] {
  const main = a.delivery === 'post' ? MAIN_POST : MAIN_PICKUP;
  const seen = new Map(a.events.map((e) => [e.status, e]));
  const offMain = a.events.filter((e) => !main.includes(e.status) && e.status !== 'archived' && !['archive', 'destroy_old_item'].includes(e.status));
  const lastMain = main.reduce((i, s, idx) => (seen.has(s) ? idx : i), -1);
  const steps: TimelineStep[] = main.slice(0, offMain.length ? lastMain + 1 : main.length).map((key, idx) => ({
    key,
    state: seen.has(key) ? 'done' : idx === lastMain + 1 ? 'current' : 'todo',
    at: seen.get(key)?.at ?? null,
    note: seen.get(key)?.note ?? null,
  }));
  for (const e of offMain) steps.push({ key: e.status, state: 'done', at: e.at, note: e.note });
  if (seen.has('archived')) steps.push({ key: 'archived', state: 'done', at: seen.get('archived')!.at, note: null });
  return steps;
}
