import { Admin, CustomRoutes, Loading, Resource, reactRouterProvider } from 'react-admin';
import accountApplications from './account-applications/index.ts';
import accountArchives from './account-archives/index.ts';
import auditLog from './audit-log/index.ts';
import { authProvider } from './auth/auth-provider.ts';
import { LoginPage } from './auth/LoginPage.tsx';
import calendarDays from './calendar-days/index.ts';
import certificatePhotos from './certificate-photos/index.ts';
import { CalendarYearPage } from './calendar-year/index.ts';
import { Dashboard } from './dashboard/Dashboard.tsx';
import { useAdminI18nProvider } from './i18n/i18n-provider.ts';
import jobs from './jobs/index.ts';
import { MyTotpPage } from './my-totp/index.ts';
import staffAccounts from './staff-accounts/index.ts';
import licenceApplications from './licence-applications/index.ts';
import recordsEvents from './records-events/index.ts';
import userAccounts from './user-accounts/index.ts';
import { Layout } from './layout/Layout.tsx';
import { theme } from './layout/theme.ts';
import inspectionPlans from './inspection-plans/index.ts';
import inspectionSlots from './inspection-slots/index.ts';
import outbox from './outbox/index.ts';
import platePlans from './plate-plans/index.ts';
import platePreselections from './plate-preselections/index.ts';
import { dataProvider } from './shared/data-provider.ts';
import replacements from './replacements/index.ts';
import replacementCitySettings from './replacement-city-settings/index.tsx';
import { dealerQualifications, tempPlateBatches, tempPlateBlanks, tempPlateCitySettings, tempPlateIssuances, tempPlateStock } from './temp-plates/index.ts';

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
      <Resource name="staff-accounts" {...staffAccounts} />
      <Resource name="inspection-slots" {...inspectionSlots} />
      <Resource name="inspection-plans" {...inspectionPlans} />
      <Resource name="plate-plans" {...platePlans} />
      <Resource name="plate-preselections" {...platePreselections} />
      <Resource name="replacements" {...replacements} />
      <Resource name="replacement-city-settings" {...replacementCitySettings} />
      <Resource name="dealer-qualifications" {...dealerQualifications} />
      <Resource name="temp-plate-batches" {...tempPlateBatches} />
      <Resource name="temp-plate-blanks" {...tempPlateBlanks} />
      <Resource name="temp-plate-issuances" {...tempPlateIssuances} />
      <Resource name="temp-plate-stock" {...tempPlateStock} />
      <Resource name="temp-plate-city-settings" {...tempPlateCitySettings} />
      <Resource name="account-applications" {...accountApplications} />
      <Resource name="account-archives" {...accountArchives} />
      <Resource name="user-accounts" {...userAccounts} />
      <Resource name="records-events" {...recordsEvents} />
      <Resource name="licence-applications" {...licenceApplications} />
      <Resource name="certificate-photos" {...certificatePhotos} />
      <CustomRoutes>
        <Route path="/calendar-year" element={<CalendarYearPage />} />
        <Route path="/my-totp" element={<MyTotpPage />} />
      </CustomRoutes>
    </Admin>
  );
};
