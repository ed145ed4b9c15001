import { redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem, bffFor } from '$lib/server/bff';
import { field, invalid, rawField, refused, safeRedirect } from '$lib/server/forms';
import type { Actions } from './$types';

function destination(data: FormData): string {
  return safeRedirect(field(data, 'redirectTo'), '/account');
}

export const actions: Actions = {
  password: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = { phone: field(data, 'phone') };
    const password = rawField(data, 'password');
    const extra = { method: 'password' as const };

    const missing: Record<string, string> = {};
    if (!values.phone) missing.phone = t('validation.phoneRequired');
    if (!password) missing.password = t('validation.passwordRequired');
    if (Object.keys(missing).length > 0) return invalid(missing, values, extra);

    try {
      await bffFor(event).signIn({ phone: values.phone, password });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, extra);
    }
    redirect(303, destination(data));
  },

  sms: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = { phone: field(data, 'phone') };
    const smsCode = field(data, 'smsCode');
    const extra = { method: 'sms' as const };

    const missing: Record<string, string> = {};
    if (!values.phone) missing.phone = t('validation.phoneRequired');
    if (!smsCode) missing.smsCode = t('validation.smsCodeRequired');
    if (Object.keys(missing).length > 0) return invalid(missing, values, extra);

    try {
      await bffFor(event).signInWithSms({ phone: values.phone, smsCode });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, extra);
    }
    redirect(303, destination(data));
  },

  /** The "send code" button without JavaScript; with it, the page calls /api/v1/auth/sms-codes itself. */
  sendCode: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = { phone: field(data, 'phone') };
    const extra = { method: 'sms' as const };
    if (!values.phone) return invalid({ phone: t('validation.phoneRequired') }, values, extra);
    try {
      const { data: sent } = await bffFor(event).requestSmsCode({ phone: values.phone, purpose: 'sign_in' });
      return { ...extra, values, codeSent: { phone: values.phone, ...sent } };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, extra);
    }
  },
};
