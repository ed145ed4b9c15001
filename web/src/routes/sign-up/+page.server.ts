import { redirect } from '@sveltejs/kit';
import { accountsClient } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem, bffFor } from '$lib/server/bff';
import { field, invalid, rawField, refused } from '$lib/server/forms';
import type { Actions } from './$types';

const PERSONAL_TYPES = ['owner_driver', 'learner', 'new_car_owner'] as const;
type PersonalType = (typeof PERSONAL_TYPES)[number];

/** 车主或驾驶人 (default), 学员 or 新车车主. */
function personalType(data: FormData): PersonalType {
  const v = field(data, 'personalType');
  return (PERSONAL_TYPES as readonly string[]).includes(v) ? (v as PersonalType) : 'owner_driver';
}

function typed(data: FormData) {
  return { name: field(data, 'name'), idNumber: field(data, 'idNumber').toUpperCase(), phone: field(data, 'phone'), personalType: personalType(data) };
}

export const actions: Actions = {
  signUp: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = typed(data);
    const smsCode = field(data, 'smsCode');
    const password = rawField(data, 'password');
    const passwordConfirm = rawField(data, 'passwordConfirm');

    const problems: Record<string, string> = {};
    if (!values.name) problems.name = t('validation.nameRequired');
    if (!values.idNumber) problems.idNumber = t('validation.idNumberRequired');
    if (!values.phone) problems.phone = t('validation.phoneRequired');
    if (!smsCode) problems.smsCode = t('validation.smsCodeRequired');
    if (!password) problems.password = t('validation.passwordRequired');
    if (!passwordConfirm) problems.passwordConfirm = t('validation.passwordConfirmRequired');
    else if (password && password !== passwordConfirm) problems.passwordConfirm = t('validation.passwordMismatch');
    if (Object.keys(problems).length > 0) return invalid(problems, values);

    try {
      await accountsClient(bffFor(event)).signUp({ ...values, smsCode, password });
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values);
    }
    redirect(303, '/account');
  },

  /** The "send code" button without JavaScript; with it, the page calls /api/v1/auth/sms-codes itself. */
  sendCode: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = typed(data);
    if (!values.phone) return invalid({ phone: t('validation.phoneRequired') }, values);
    try {
      const { data: sent } = await bffFor(event).requestSmsCode({ phone: values.phone, purpose: 'sign_up' });
      return { values, codeSent: { phone: values.phone, ...sent } };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), values);
    }
  },
};
