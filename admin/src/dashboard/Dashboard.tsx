import { useEffect, useState } from 'react';
import { Link, Title, useCanAccess, useGetIdentity, useTranslate } from 'react-admin';
import { getJson } from '../shared/http.ts';
import { Deadline } from '../shared/deadline-field.tsx';
import { groupByPost, listPath, type DashboardData } from './board.ts';
import { isStaffRole } from '../auth/access.ts';
import { yearToEnter } from '../calendar-year/calendar-status.ts';
import { useCalendarStatus } from '../calendar-year/use-calendar-status.ts';

/** Warns while the coming year has no holiday data: working-day deadlines would be wrong from 1 January. */
const CalendarWarning = () => {
  const translate = useTranslate();
  const { status, error } = useCalendarStatus();
  const { canAccess: canEnter } = useCanAccess({ resource: 'calendar-year', action: 'access' });
  // not knowing is worth saying: a missing year would go unnoticed otherwise
  if (error) return <p className="notice notice-info">{translate('app.dashboard.calendar_unavailable')}</p>;
  const year = yearToEnter(status, new Date());
  if (year === null) return null;
  return (
    <div role="alert" className="notice notice-warning">
      <p>
        {translate(canEnter ? 'app.dashboard.calendar_missing' : 'app.dashboard.calendar_missing_ask_admin', { year })}
      </p>
      {canEnter ? (
        <p>
          <Link to="/calendar-year">{translate('app.dashboard.open_calendar', { year })}</Link>
        </p>
      ) : null}
    </div>
  );
};

/**
 * 我的工作 (issue 18): per post, each queue's count, what is overdue and due
 * today, the earliest deadline, and a link to the list showing exactly those
 * rows — read from GET /admin-api/dashboard, scoped by the bff to the member's
 * posts, city and station.
 */
const WorkBoard = () => {
  const translate = useTranslate();
  const [data, setData] = useState<DashboardData | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    getJson('/dashboard').then(
      (r) => live && setData(r.json as DashboardData),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed) return <p className="notice notice-info">{translate('app.board.unavailable')}</p>;
  if (!data) return null;
  return (
    <section aria-labelledby="board-heading" className="work-board">
      <h2 id="board-heading" className="section-heading">{translate('app.board.heading')}</h2>
      <p className="muted">{translate('app.board.steps_today', { count: data.stepsToday, smart_count: data.stepsToday })}</p>
      {data.queues.length === 0 ? <p>{translate('app.board.empty')}</p> : null}
      {groupByPost(data.queues).map(([post, queues]) => (
        <section key={post} aria-labelledby={`board-${post}`}>
          <h3 id={`board-${post}`} className="board-post">{translate(`app.roles.${post}`)}</h3>
          <ul className="board-cards">
            {queues.map((q) => {
              const name = translate(`app.board.queue.${q.key}`);
              return (
                <li key={q.key} className={`board-card${q.overdue > 0 ? ' board-card-overdue' : ''}`} data-queue={q.key}>
                  <Link to={listPath(q)} aria-label={translate('app.board.open_list', { queue: name })}>
                    <span className="board-name">{name}</span>
                  </Link>
                  <span className="board-count" data-testid={`count-${q.key}`}>{translate('app.board.count', { count: q.count })}</span>
                  {q.overdue > 0 ? <span className="chip chip-error">{translate('app.board.overdue', { count: q.overdue })}</span> : null}
                  {q.dueToday > 0 ? <span className="chip chip-warning">{translate('app.board.due_today', { count: q.dueToday })}</span> : null}
                  {q.nextDueAt ? (
                    <span className="board-next">
                      {translate('app.board.next_due')}
                      <Deadline value={q.nextDueAt} />
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </section>
  );
};

/** 概览: who is signed in, with which posts, and what needs attention. */
export const Dashboard = () => {
  const translate = useTranslate();
  const { identity } = useGetIdentity();
  const roles: string[] = Array.isArray(identity?.roles) ? identity.roles : [];
  const roleNames = roles
    .filter(isStaffRole)
    .map((r) => translate(`app.roles.${r}`))
    .join(translate('app.common.separator'));
  return (
    <div className="page">
      <Title title="ra.page.dashboard" />
      <h1 className="page-heading">
        {translate('app.dashboard.greeting', { name: identity?.displayName ?? identity?.fullName ?? '' })}
      </h1>
      {identity?.authorityName ? <p>{translate('app.dashboard.authority', { name: identity.authorityName })}</p> : null}
      {roleNames ? <p>{translate('app.dashboard.roles', { roles: roleNames })}</p> : null}
      <CalendarWarning />
      <WorkBoard />
    </div>
  );
};
