import CssBaseline from '@mui/material/CssBaseline';
import {
  AdminContext,
  CoreAdminUI,
  CustomRoutes,
  LoadingPage,
  Notification,
  Resource,
  localStorageStore,
  reactRouterProvider,
} from 'react-admin';
import { authProvider } from './auth/auth-provider.ts';
import { LoginPage } from './auth/LoginPage.tsx';
import { i18nProvider } from './i18n/i18n-provider.ts';
import { theme } from './layout/theme.ts';
import { dataProvider } from './shared/data-provider.ts';
import { lazyView } from './shared/lazy.tsx';

// react-router is react-admin's dependency, not ours: take its Route through ra-core's adapter.
const { Route } = reactRouterProvider;

// Only after signing in (issue 18): the sign-in page needs none of this.
const Layout = lazyView(() => import('./layout/Layout.tsx').then((m) => m.Layout));
const Dashboard = lazyView(() => import('./dashboard/Dashboard.tsx').then((m) => m.Dashboard));
const NotFound = lazyView(() => import('./shared/shell-pages.tsx').then((m) => m.NotFound));
const ErrorPage = lazyView(() => import('./shared/shell-pages.tsx').then((m) => m.Error));
const AccessDenied = lazyView(() => import('./shared/shell-pages.tsx').then((m) => m.AccessDenied));
const AuthenticationError = lazyView(() => import('./shared/shell-pages.tsx').then((m) => m.AuthenticationError));
const AuthCallback = lazyView(() => import('./shared/shell-pages.tsx').then((m) => m.AuthCallback));

/** As react-admin's <Admin>: the store keeps the chosen language (and list settings) across visits. */
const store = localStorageStore();

/**
 * The console's resources and pages: each module is a chunk of its own,
 * fetched once a member has signed in (react-admin waits for a function
 * child's promise, and calls it again when the permissions change, e.g. after
 * sign-in). So the sign-in form comes with none of their code (issue 18).
 */
const signedInRoutes = async (permissions: unknown) => {
  if (!Array.isArray(permissions) || permissions.length === 0) return [];
  const [
    accountApplications,
    accountArchives,
    auditLog,
    calendarDays,
    certificatePhotos,
    { CalendarYearPage },
    jobs,
    { MyTotpPage },
    staffAccounts,
    licenceApplications,
    recordsEvents,
    userAccounts,
    inspectionPlans,
    inspectionSlots,
    stationRoster,
    outbox,
    platePlans,
    platePreselections,
    replacements,
    replacementCitySettings,
    licenceServices,
    licenceDeferrals,
    { dealerQualifications, tempPlateBatches, tempPlateBlanks, tempPlateCitySettings, tempPlateIssuances, tempPlateStock },
    { archiveRecords, archiveChains, archiveDestructions, archiveRetention },
    { paperFiles, paperFileTransfers, returnedCertificates, PaperFileLabelPage },
    paymentOrders,
    { paymentReconciliations, paymentRejectedNotifications },
    violations,
    violationObjections,
    examPlans,
    examAllocations,
    examResults,
    { medicalQualifications },
    { healthCertificates },
    learnerPermits,
  ] = await Promise.all([
    import('./account-applications/index.ts').then((m) => m.default),
    import('./account-archives/index.ts').then((m) => m.default),
    import('./audit-log/index.ts').then((m) => m.default),
    import('./calendar-days/index.ts').then((m) => m.default),
    import('./certificate-photos/index.ts').then((m) => m.default),
    import('./calendar-year/index.ts'),
    import('./jobs/index.ts').then((m) => m.default),
    import('./my-totp/index.ts'),
    import('./staff-accounts/index.ts').then((m) => m.default),
    import('./licence-applications/index.ts').then((m) => m.default),
    import('./records-events/index.ts').then((m) => m.default),
    import('./user-accounts/index.ts').then((m) => m.default),
    import('./inspection-plans/index.ts').then((m) => m.default),
    import('./inspection-slots/index.ts').then((m) => m.default),
    import('./station-roster/index.ts').then((m) => m.default),
    import('./outbox/index.ts').then((m) => m.default),
    import('./plate-plans/index.ts').then((m) => m.default),
    import('./plate-preselections/index.ts').then((m) => m.default),
    import('./replacements/index.ts').then((m) => m.default),
    import('./replacement-city-settings/index.tsx').then((m) => m.default),
    import('./licence-services/index.ts').then((m) => m.default),
    import('./licence-deferrals/index.ts').then((m) => m.default),
    import('./temp-plates/index.ts'),
    import('./archive-records/index.ts'),
    import('./paper-files/index.ts'),
    import('./payments/index.ts').then((m) => m.default),
    import('./payment-reconciliation/index.ts'),
    import('./violations/index.ts').then((m) => m.default),
    import('./violation-objections/index.ts').then((m) => m.default),
    import('./exam-plans/index.ts').then((m) => m.default),
    import('./exam-allocations/index.ts').then((m) => m.default),
    import('./exam-results/index.ts').then((m) => m.default),
    import('./medical-qualifications/index.ts'),
    import('./health-certificates/index.ts'),
    import('./learner-permits/index.ts').then((m) => m.default),
  ]);
  return (
    <>
      <Resource name="audit-log" {...auditLog} />
      <Resource name="outbox" {...outbox} />
      <Resource name="calendar-days" {...calendarDays} />
      <Resource name="jobs" {...jobs} />
      <Resource name="staff-accounts" {...staffAccounts} />
      <Resource name="inspection-slots" {...inspectionSlots} />
      <Resource name="station-roster" {...stationRoster} />
      <Resource name="inspection-plans" {...inspectionPlans} />
      <Resource name="plate-plans" {...platePlans} />
      <Resource name="plate-preselections" {...platePreselections} />
      <Resource name="replacements" {...replacements} />
      <Resource name="replacement-city-settings" {...replacementCitySettings} />
      <Resource name="licence-services" {...licenceServices} />
      <Resource name="licence-deferrals" {...licenceDeferrals} />
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
      <Resource name="archive-records" {...archiveRecords} />
      <Resource name="paper-files" {...paperFiles} />
      <Resource name="archive-chains" {...archiveChains} />
      <Resource name="archive-destructions" {...archiveDestructions} />
      <Resource name="archive-retention" {...archiveRetention} />
      <Resource name="paper-file-transfers" {...paperFileTransfers} />
      <Resource name="returned-certificates" {...returnedCertificates} />
      <Resource name="payment-orders" {...paymentOrders} />
      <Resource name="payment-reconciliations" {...paymentReconciliations} />
      <Resource name="payment-rejected-notifications" {...paymentRejectedNotifications} />
      <Resource name="violations" {...violations} />
      <Resource name="violation-objections" {...violationObjections} />
      <Resource name="exam-plans" {...examPlans} />
      <Resource name="exam-allocations" {...examAllocations} />
      <Resource name="exam-results" {...examResults} />
      <Resource name="learner-permits" {...learnerPermits} />
      <Resource name="medical-qualifications" {...medicalQualifications} />
      <Resource name="health-certificates" {...healthCertificates} />
      <CustomRoutes>
        <Route path="/calendar-year" element={<CalendarYearPage />} />
        <Route path="/my-totp" element={<MyTotpPage />} />
        <Route path="/paper-files/:id/label" element={<PaperFileLabelPage />} />
      </CustomRoutes>
    </>
  );
};

/**
 * What react-admin's <Admin> renders (AdminContext + AdminUI), put together
 * here because AdminUI's defaults — its layout, app bar, menus, error and
 * not-found pages — are static imports: every page besides the sign-in form
 * comes as a chunk after sign-in (issue 18).
 */
export const App = () => {
  return (
    <AdminContext
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      store={store}
      theme={theme}
      darkTheme={null}
    >
      <CssBaseline enableColorScheme>
        <CoreAdminUI
          title="app.title"
          loginPage={LoginPage}
          dashboard={Dashboard}
          layout={Layout}
          loading={LoadingPage}
          catchAll={NotFound}
          error={ErrorPage}
          accessDenied={AccessDenied}
          authenticationError={AuthenticationError}
          authCallbackPage={AuthCallback}
          requireAuth
          disableTelemetry
        >
          {signedInRoutes}
        </CoreAdminUI>
        <Notification />
      </CssBaseline>
    </AdminContext>
  );
};
