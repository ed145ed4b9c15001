import { Admin, CustomRoutes, Loading, Resource, reactRouterProvider } from 'react-admin';
import auditLog from './audit-log/index.ts';
import { authProvider } from './auth/auth-provider.ts';
import { LoginPage } from './auth/LoginPage.tsx';
import calendarDays from './calendar-days/index.ts';
import { CalendarYearPage } from './calendar-year/index.ts';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { useAdminI18nProvider } from './i18n/i18n-provider.ts';
import jobs from './jobs/index.ts';
import { Layout } from './layout/Layout.tsx';
import { theme } from './layout/theme.ts';
import outbox from './outbox/index.ts';
import { dataProvider } from './shared/data-provider.ts';

// react-router is react-admin's dependency, not ours: take its Route through ra-core's adapter.
const { Route } = reactRouterProvider;

export const App = () => {
  const i18nProvider = useAdminI18nProvider();
  if (!i18nProvider) return <Loading loadingPrimary="" loadingSecondary="" />;
  return (
    <Admin
      title="app.title"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      dashboard={Dashboard}
      layout={Layout}
      requireAuth
      theme={theme}
      darkTheme={null}
      disableTelemetry
    >
      <Resource name="audit-log" {...auditLog} />
      <Resource name="outbox" {...outbox} />
      <Resource name="calendar-days" {...calendarDays} />
      <Resource name="jobs" {...jobs} />
      <CustomRoutes>
        <Route path="/calendar-year" element={<CalendarYearPage />} />
      </CustomRoutes>
    </Admin>
  );
};
