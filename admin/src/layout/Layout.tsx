import { useEffect, type ReactNode } from 'react';
import {
  AppBar,
  Layout as RaLayout,
  Menu as RaMenu,
  TitlePortal,
  useLogout,
  usePermissions,
  useTranslate,
} from 'react-admin';
import { menuFor } from '../auth/access.ts';
import { sessionExpiry } from '../auth/session-expiry.ts';
import { CalendarYearMenuItem } from '../calendar-year/index.ts';
import { MyTotpMenuItem } from '../my-totp/index.ts';

const StaffAppBar = () => {
  const translate = useTranslate();
  return (
    <AppBar>
      <span className="app-name">{translate('app.title')}</span>
      <TitlePortal />
    </AppBar>
  );
};

/** Only what the signed-in roles may open (auth/access.ts), in the table's order. */
const StaffMenu = () => {
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <RaMenu>{[]}</RaMenu>;
  return (
    <RaMenu>
      <RaMenu.DashboardItem />
      {menuFor(permissions ?? []).map((name) =>
        name === 'calendar-year' ? (
          <CalendarYearMenuItem key={name} />
        ) : name === 'my-totp' ? (
          <MyTotpMenuItem key={name} />
        ) : (
          <RaMenu.ResourceItem key={name} name={name} />
        ),
      )}
    </RaMenu>
  );
};

/**
 * A 401 during any action signs the staff member out once and opens the
 * sign-in page; signing in again comes back here (react-admin keeps the path),
 * where the interrupted form takes its values back (shared/forms.tsx).
 */
const SessionEndWatcher = () => {
  const logout = useLogout();
  useEffect(() => sessionExpiry.onEnded(() => void logout({}, undefined, true)), [logout]);
  return null;
};

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={StaffAppBar} menu={StaffMenu}>
    <SessionEndWatcher />
    {children}
  </RaLayout>
);
