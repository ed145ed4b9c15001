import { DefaultTitleContextProvider, NotFound as RaNotFound, useTranslate } from 'react-admin';

/**
 * react-admin's own pages for what happens rarely — a wrong address, a crash,
 * a refused page, a failed sign-in check — as one chunk that App.tsx loads
 * when one is shown, not before the sign-in form (issue 18).
 */
export { AccessDenied, AuthCallback, AuthenticationError, Error } from 'react-admin';

/**
 * react-admin's not-found page, named in the app bar: it puts the app's
 * default title there untranslated (the key `app.title`).
 */
export const NotFound = () => {
  const translate = useTranslate();
  return (
    <DefaultTitleContextProvider value={translate('ra.page.not_found')}>
      <RaNotFound />
    </DefaultTitleContextProvider>
  );
};
