import { redirect } from '@sveltejs/kit';
import { passwordResetClient } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem, bffFor } from '$lib/server/bff';
import { field, invalid, rawField, refused } from '$lib/server/forms';
import type { Actions } from './$types';

/**
 * Issue 18, "forgot password": a code to the phone, then the code and a new
 * password, then a confirmation. The bff answers a phone without an account
 * exactly like one with an account, so neither step tells which exist.
 */
export const actions: Actions = {
  /** Step 1, and "send again" on step 2. */
  requestCode: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = { phone: field(data, 'phone') };
    // "Send again" comes from step 2: a refusal keeps the user there.
    const step = field(data, 'step') === 'code' ? ('code' as const) : ('phone' as const);
    if (!values.phone) return invalid({ phone: t('validation.phoneRequired') }, values, { step: 'phone' as const });
    try {
      const { data: sent } = await passwordResetClient(bffFor(event)).requestCode({ phone: values.phone });
      return { step: 'code' as const, values, codeSent: { phone: values.phone, ...sent } };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, { step });
    }
  },

  /** Step 2: the code and the new password. */
  reset: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = { phone: field(data, 'phone') };
    const smsCode = field(data, 'smsCode');
    const newPassword = rawField(data, 'newPassword');
    const newPasswordConfirm = rawField(data, 'newPasswordConfirm');
    const extra = { step: 'code' as const };

    if (!values.phone) return invalid({ phone: t('validation.phoneRequired') }, values, { step: 'phone' as const });
    const problems: Record<string, string> = {};
    if (!smsCode) problems.smsCode = t('validation.smsCodeRequired');
    if (!newPassword) problems.newPassword = t('validation.passwordRequired');
    if (!newPasswordConfirm) problems.newPasswordConfirm = t('validation.passwordConfirmRequired');
    else if (newPassword && newPassword !== newPasswordConfirm) problems.newPasswordConfirm = t('validation.passwordMismatch');
    if (Object.keys(problems).length > 0) return invalid(problems, values, extra);

    try {
      await passwordResetClient(bffFor(event)).reset({ phone: values.phone, smsCode, newPassword });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, extra);
    }
    redirect(303, '/reset-password?done=1');
  },
};
