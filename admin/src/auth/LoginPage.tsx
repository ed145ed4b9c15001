import { useState } from 'react';
import {
  Form,
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
import { problemCode } from '../shared/problem.ts';
import type { SignInParams } from './auth-provider.ts';

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
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: Values) => {
    setFailure(null);
    const params: SignInParams = { username: values.username ?? '', password: values.password ?? '' };
    if (totpRequired && values.totp) params.totp = values.totp;
    try {
      await login(params);
    } catch (error) {
      if (problemCode(error) === TOTP_REQUIRED && !totpRequired) {
        setTotpRequired(true);
        return;
      }
      // an HttpError's message is already the bff's localised problem title;
      // anything else (offline, proxy down) gets our own words
      const answered = typeof (error as { status?: unknown } | null)?.status === 'number';
      setFailure(
        answered && error instanceof Error && error.message ? error.message : translate('ra.notification.http_error'),
      );
    }
  };

  return (
    <Form onSubmit={(values: Values) => submit(values)} noValidate>
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
