import { useState } from 'react';
import { PasswordInput, SaveButton, TextInput, Title, regex, required, useNotify, useTranslate } from 'react-admin';
import { Form } from '../shared/forms.tsx';
import { formErrorsOf, problemOf, problemText } from '../shared/problem.ts';
import { startTotpSetup, TotpKeyPanel, type TotpSetup } from '../auth/TotpEnrolment.tsx';

/**
 * 我的动态口令: a staff member replaces their own second factor (a new phone).
 * Needs the current password and a current code (wrong ones count toward the
 * sign-in lockout); the old key keeps working until a code from the new one
 * confirms it, and then the member's other sessions end (issue 17).
 */
export const MyTotpPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const start = async (values: { password?: string; code?: string }) => {
    setFailure(null);
    try {
      setSetup(await startTotpSetup({ password: values.password ?? '', code: (values.code ?? '').trim() }));
    } catch (error) {
      const fields = formErrorsOf(error);
      setFailure(fields ? (problemOf(error)?.title ?? translate('ra.notification.http_error')) : translate(problemText(error)));
      return fields ? Object.fromEntries(Object.entries(fields).filter(([name]) => name !== 'root')) : undefined;
    }
    return undefined;
  };

  return (
    <div className="page page-narrow">
      <Title title="app.totp.my_title" />
      <p className="lead">{translate('app.totp.my_intro')}</p>
      {failure ? (
        <p role="alert" className="notice notice-error">
          {failure}
        </p>
      ) : null}
      {setup ? (
        <TotpKeyPanel
          setup={setup}
          onConfirmed={async () => {
            setSetup(null);
            notify('app.totp.replaced', { type: 'success' });
          }}
        />
      ) : (
        <Form onSubmit={(values: { password?: string; code?: string }) => start(values)} noValidate keepDraft={false}>
          <PasswordInput source="password" label="app.totp.current_password" autoComplete="current-password" validate={required()} fullWidth />
          <TextInput
            source="code"
            label="app.totp.current_code"
            helperText="app.auth.totp_help"
            autoComplete="one-time-code"
            validate={[required(), regex(/^\d{6}$/, 'app.auth.totp_help')]}
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6, pattern: '[0-9]*' } }}
            fullWidth
          />
          <SaveButton label="app.totp.start_replace" icon={<></>} alwaysEnable />
        </Form>
      )}
    </div>
  );
};
