import { useEffect, useRef, useState } from 'react';
import { SaveButton, TextInput, regex, required, useTranslate } from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { postJson } from '../shared/http.ts';
import { formErrorsOf, problemOf, problemText } from '../shared/problem.ts';

/** POST /admin-api/auth/totp/setup: a new key, shown once; it takes effect when a code from it confirms it. */
export type TotpSetup = { secretBase32: string; otpauthUri: string; qrDataUrl?: string };

/** Starts an enrolment (first sign-in: no body) or a replacement (current password and a current code). */
export const startTotpSetup = async (body: { password?: string; code?: string } = {}): Promise<TotpSetup> => {
  const { json } = await postJson('/auth/totp/setup', body);
  return json as TotpSetup;
};

/** `ABCD EFGH …`: easier to type into an authenticator app. */
export const groupedSecret = (secret: string) => secret.replace(/(.{4})(?=.)/g, '$1 ');

const CODE = /^\d{6}$/;

/**
 * The new key (base32, and as an otpauth:// link an authenticator on this
 * device opens), and the code that confirms it. On confirmation the key is the
 * staff member's second factor and their other sessions end.
 */
export const TotpKeyPanel = ({ setup, onConfirmed }: { setup: TotpSetup; onConfirmed: () => Promise<unknown> }) => {
  const translate = useTranslate();
  const [failure, setFailure] = useState<string | null>(null);

  const confirm = async (values: { code?: string }) => {
    setFailure(null);
    try {
      await postJson('/auth/totp/confirm', { code: (values.code ?? '').trim() });
    } catch (error) {
      const fields = formErrorsOf(error);
      setFailure(fields ? (problemOf(error)?.title ?? translate('ra.notification.http_error')) : translate(problemText(error)));
      return fields ? Object.fromEntries(Object.entries(fields).filter(([name]) => name !== 'root')) : undefined;
    }
    await onConfirmed();
    return undefined;
  };

  return (
    <div className="totp-setup">
      <ol className="totp-steps">
        <li>{translate('app.totp.step_add')}</li>
        <li>{translate('app.totp.step_code')}</li>
      </ol>
      {setup.qrDataUrl ? <img className="totp-qr" src={setup.qrDataUrl} alt={translate('app.totp.qr_alt')} width={180} height={180} /> : null}
      <label htmlFor="totp-secret" className="totp-label">
        {translate('app.totp.secret')}
      </label>
      <input id="totp-secret" className="totp-secret mono" readOnly value={groupedSecret(setup.secretBase32)} onFocus={(e) => e.currentTarget.select()} />
      <p className="totp-hint">{translate('app.totp.secret_help')}</p>
      <p className="totp-uri">
        <a href={setup.otpauthUri}>{translate('app.totp.open_app')}</a>
        <span className="mono totp-uri-text">{setup.otpauthUri}</span>
      </p>
      {failure ? (
        <p role="alert" className="notice notice-error">
          {failure}
        </p>
      ) : null}
      <Form onSubmit={(values: { code?: string }) => confirm(values)} noValidate keepDraft={false} disableInvalidFormNotification>
        <TextInput
          source="code"
          label="app.totp.code"
          helperText="app.auth.totp_help"
          autoComplete="one-time-code"
          validate={[required(), regex(CODE, 'app.auth.totp_help')]}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6, pattern: '[0-9]*' } }}
          fullWidth
        />
        <SaveButton label="app.totp.confirm" icon={<></>} alwaysEnable fullWidth />
      </Form>
    </div>
  );
};

/**
 * First sign-in of a staff member without a second factor (GB/T 22239 level 3):
 * the session opens nothing else until this is done. Starts the enrolment at
 * once and shows the key.
 */
export const FirstSignInEnrolment = ({ onDone }: { onDone: () => Promise<unknown> }) => {
  const translate = useTranslate();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    startTotpSetup()
      .then(setSetup)
      .catch((error: unknown) => setFailure(translate(problemText(error))));
  }, [translate]);

  return (
    <section aria-labelledby="totp-enrol-heading">
      <h2 id="totp-enrol-heading" className="totp-heading">
        {translate('app.totp.enrol_heading')}
      </h2>
      <p role="status" className="notice notice-info">
        {translate('app.totp.enrol_intro')}
      </p>
      {failure ? (
        <p role="alert" className="notice notice-error">
          {failure}
        </p>
      ) : null}
      {setup ? <TotpKeyPanel setup={setup} onConfirmed={onDone} /> : null}
    </section>
  );
};
