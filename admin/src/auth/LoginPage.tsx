import { useState } from 'react';
import {
  LocalesMenuButton,
  Login,
  PasswordInput,
  SaveButton,
  TextInput,
  regex,
  required,
  useLogin,
  useTranslate,
} from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { formErrorsOf, problemCode, problemOf, problemText } from '../shared/problem.ts';
import { TOTP_ENROLMENT_REQUIRED, type SignInParams } from './auth-provider.ts';
import { sessionExpiry } from './session-expiry.ts';
import { lazyView } from '../shared/lazy.tsx';

/** First sign-in only: its own chunk, not in the sign-in form's download (issue 18). */
const FirstSignInEnrolment = lazyView(() => import('./TotpEnrolment.tsx').then((m) => m.FirstSignInEnrolment));

/** The bff's answer when the account has a second factor and none was sent. */
const TOTP_REQUIRED = 'auth.totp_required';

type Values = { username?: string; password?: string; totp?: string };

/**
 * Staff sign-in. The 动态口令 field appears only once the bff says the account
 * needs it (`401 auth.totp_required`); failures show the bff's localised title
 * above the form, announced to screen readers.
 */
const StaffLoginForm = () => {
  const login = useLogin();
  const translate = useTranslate();
  const [totpRequired, setTotpRequired] = useState(false);
  // signed in with the password, no second factor yet: enrol before anything else (issue 17)
  const [enrolling, setEnrolling] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  // sent here because the session ended during an action: say so, and that the typed values wait
  const [sessionEnded] = useState(() => sessionExpiry.noticePending());

  const submit = async (values: Values) => {
    setFailure(null);
    const params: SignInParams = { username: values.username ?? '', password: values.password ?? '' };
    if (totpRequired && values.totp) params.totp = values.totp;
    try {
      await login(params);
    } catch (error) {
      if (problemCode(error) === TOTP_REQUIRED && !totpRequired) {
        setTotpRequired(true);
        return undefined;
      }
      if (problemCode(error) === TOTP_ENROLMENT_REQUIRED) {
        setEnrolling(true);
        return undefined;
      }
      // a refusal about one field (a wrong 动态口令): its title above the form, the server's words under the field
      const fields = formErrorsOf(error);
      if (fields) {
        setFailure(problemOf(error)?.title ?? translate('ra.notification.http_error'));
        return Object.fromEntries(Object.entries(fields).filter(([name]) => name !== 'root'));
      }
      // the bff's localised title and particulars; anything else (offline, proxy down) gets our own words
      setFailure(translate(problemText(error)));
      return undefined;
    }
    return undefined;
  };

  if (enrolling) {
    return (
      <div className="login-form">
        <h1 className="login-title">{translate('app.title')}</h1>
        <FirstSignInEnrolment onDone={() => login({ enrolled: true })} />
      </div>
    );
  }

  return (
    <Form onSubmit={(values: Values) => submit(values)} noValidate keepDraft={false} disableInvalidFormNotification>
      <div className="login-form">
        <div className="login-locale">
          <LocalesMenuButton />
        </div>
        <h1 className="login-title">{translate('app.title')}</h1>
        <p className="login-subtitle">{translate('app.auth.heading')}</p>
        {failure ? (
          <p role="alert" className="notice notice-error">
            {failure}
          </p>
        ) : null}
        {sessionEnded && !failure ? (
          <p role="status" className="notice notice-warning">
            {translate(sessionEnded === 'action' ? 'app.auth.session_ended' : 'app.auth.session_ended_idle')}
          </p>
        ) : null}
        {totpRequired && !failure ? (
          <p role="status" className="notice notice-info">
            {translate('app.auth.totp_required')}
          </p>
        ) : null}
        <TextInput
          source="username"
          label="app.auth.username"
          autoComplete="username"
          autoFocus
          validate={required()}
          fullWidth
        />
        <PasswordInput
          source="password"
          label="app.auth.password"
          autoComplete="current-password"
          validate={required()}
          fullWidth
        />
        {totpRequired ? (
          <TextInput
            source="totp"
            label="app.auth.totp"
            helperText="app.auth.totp_help"
            autoComplete="one-time-code"
            autoFocus
            validate={[required(), regex(/^\d{6}$/, 'app.auth.totp_help')]}
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6, pattern: '[0-9]*' } }}
            fullWidth
          />
        ) : null}
        <SaveButton label="app.auth.sign_in" icon={<></>} alwaysEnable fullWidth />
      </div>
    </Form>
  );
};

export const LoginPage = () => (
  <Login>
    <StaffLoginForm />
  </Login>
);
