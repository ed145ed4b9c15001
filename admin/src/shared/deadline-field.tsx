import { useEffect, useState } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { deadlineOf, deadlineTone, timeLeftKey } from './deadline.ts';

/** The current time, moved on every minute so "time left" stays true on a page left open. */
const useNow = () => {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const t = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
};

/**
 * A deadline as every admin list and show page writes it (issue 18):
 * "2026-12-07 24:00 前" and, beside it, the time left or how long it is
 * overdue — text, with the colour only repeating it. `value` (an ISO instant
 * or a last day "YYYY-MM-DD") or the record's `source`.
 */
export const Deadline = ({ value, overdue, done }: { value: unknown; overdue?: boolean; done?: boolean }) => {
  const translate = useTranslate();
  const now = useNow();
  const d = deadlineOf(value, now);
  if (!d) return <span>{translate('app.common.none')}</span>;
  const at = <span className="deadline-at">{translate('app.deadline.before', { day: d.day, time: d.time })}</span>;
  // Met: the step the deadline guarded is done, no time is left to count.
  if (done) return <span className="deadline">{at}</span>;
  // The bff's flag wins over this workstation's clock (which may differ from the server's).
  const late = overdue ?? d.overdue;
  if (!late && d.overdue) return <span className="deadline">{at}</span>;
  const left = timeLeftKey(d);
  const text = late && !d.overdue ? translate('app.deadline.overdue') : translate(left.key, left.params);
  return (
    <span className="deadline">
      {at} <span className={`chip chip-${late ? 'error' : deadlineTone(d)}`}>{text}</span>
    </span>
  );
};

/** {@link Deadline} of the record's `source`; `overdueSource` names the bff's overdue flag, if it sends one; `doneWhen` says the deadline was met. */
export const DeadlineField = ({ source, overdueSource, doneWhen }: { source: string; overdueSource?: string; doneWhen?: (record: Record<string, unknown>) => boolean; label?: string }) => {
  const record = useRecordContext();
  if (!record) return null;
  const flag = overdueSource ? record[overdueSource] : undefined;
  return <Deadline value={record[source]} overdue={typeof flag === 'boolean' ? flag : undefined} done={doneWhen?.(record)} />;
};
