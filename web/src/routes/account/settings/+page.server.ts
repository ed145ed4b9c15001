import { redirect } from '@sveltejs/kit';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, rawField, refused } from '$lib/server/forms';
import { SESSION_COOKIE } from '$lib/server/session';
import { accounts, loadAccount } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ me: await loadAccount(event, () => accounts(event).me()) });

export const actions: Actions = {
  /** R-15 变更用户信息 */
  contact: async (event) => {
    const data = await event.request.formData();
    const values = { email: field(data, 'email'), postalAddress: field(data, 'postalAddress'), postcode: field(data, 'postcode') };
    try {
      await accounts(event).changeContact({ email: values.email || null, postalAddress: values.postalAddress || null, postcode: values.postcode || null });
      return { done: 'contact' as const, values };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, { part: 'contact' });
    }
  },
  /** the code goes to the new number. */
  sendPhoneCode: async (event) => {
    const data = await event.request.formData();
    const values = { phone: field(data, 'phone') };
    if (!values.phone) return invalid({ phone: translator(event.locals.lang)('validation.phoneRequired') }, values, { part: 'phone' });
    try {
      const { data: sent } = await accounts(event).requestPhoneCode(values.phone);
      return { codeSent: sent, values };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, { part: 'phone' });
    }
  },
  phone: async (event) => {
    const data = await event.request.formData();
    const values = { phone: field(data, 'phone') };
    const smsCode = field(data, 'smsCode');
    const t = translator(event.locals.lang);
    const problems: Record<string, string> = {};
    if (!values.phone) problems.phone = t('validation.phoneRequired');
    if (!smsCode) problems.smsCode = t('validation.smsCodeRequired');
    if (Object.keys(problems).length > 0) return invalid(problems, values, { part: 'phone' });
    try {
      await accounts(event).changePhone({ phone: values.phone, smsCode });
      return { done: 'phone' as const, values: {} };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values, { part: 'phone' });
    }
  },
  password: async (event) => {
    const data = await event.request.formData();
    const currentPassword = rawField(data, 'currentPassword');
    const newPassword = rawField(data, 'newPassword');
    if (!newPassword) return invalid({ newPassword: translator(event.locals.lang)('validation.passwordRequired') }, {}, { part: 'password' });
    try {
      await accounts(event).changePassword({ ...(currentPassword ? { currentPassword } : {}), newPassword });
      return { done: 'password' as const, values: {} };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), {}, { part: 'password' });
    }
  },
  /** R-15 暂停用户账号 (PD-4): signed out everywhere. */
  suspend: async (event) => {
    const data = await event.request.formData();
    if (field(data, 'confirm') !== 'yes') return invalid({ confirm: translator(event.locals.lang)('accounts.confirmRequired') }, {}, { part: 'suspend' });
    try {
      await accounts(event).suspend();
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), {}, { part: 'suspend' });
    }
    event.cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: event.url.protocol === 'https:' });
    redirect(303, '/sign-in?suspended=1');
  },
};
