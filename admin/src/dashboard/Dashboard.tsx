import { Link, Title, useCanAccess, useGetIdentity, useTranslate } from 'react-admin';
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
    </div>
  );
};
