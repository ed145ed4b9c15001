import type { ReactNode } from 'react';
import {
  AppBar,
  Layout as RaLayout,
  Menu as RaMenu,
  TitlePortal,
  usePermissions,
  useTranslate,
} from 'react-admin';
import { menuFor } from '../auth/access.ts';
import { CalendarYearMenuItem } from '../calendar-year/index.ts';

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
        ) : (
          <RaMenu.ResourceItem key={name} name={name} />
        ),
      )}
    </RaMenu>
  );
};

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={StaffAppBar} menu={StaffMenu}>
    {children}
  </RaLayout>
);
