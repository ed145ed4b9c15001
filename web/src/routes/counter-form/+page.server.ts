import { redirect } from '@sveltejs/kit';
import type { PersonForm } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { accounts } from '$lib/server/accounts';
import { SESSION_COOKIE } from '$lib/server/session';
import { checkCounterForm, COUNTER_FORM_FIELDS, type CounterFormValues } from './checks';
import type { Actions, PageServerLoad } from './$types';

/** Signed in: the form starts from the person's own record; anyone may still fill it in blank. */
export const load: PageServerLoad = async (event) => {
  if (!event.cookies.get(SESSION_COOKIE)) return { record: null };
  try {
    const { data } = await accounts(event).ownRecord();
    const record: Partial<CounterFormValues> = {
      name: data.name, sex: data.sex ?? '', birthDate: data.birthDate ?? '', idNumber: data.idType === 'resident_id' ? data.idNumber : '',
      phone: data.phone, email: data.email ?? '', postalAddress: data.postalAddress ?? '', postcode: data.postcode ?? '',
    };
    return { record };
  } catch {
    // Signed out meanwhile, a unit account, or the bff is down: a blank form still works.
    return { record: null };
  }
};

export const actions: Actions = {
  /** 《互联网个人用户注册/变更申请表》 kept by the bff under a short code for the counter (QR). */
  create: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = Object.fromEntries(COUNTER_FORM_FIELDS.map((f) => [f, f === 'idNumber' ? field(data, f).toUpperCase() : field(data, f)])) as CounterFormValues;
    const problems = checkCounterForm(values);
    if (Object.keys(problems).length > 0) {
      return invalid(Object.fromEntries(Object.entries(problems).map(([f, p]) => [f, t(p.key, p.params)])), values);
    }
    const form: PersonForm = {
      name: values.name, sex: values.sex === 'F' ? 'F' : 'M', birthDate: values.birthDate, idType: 'resident_id', idNumber: values.idNumber,
      phone: values.phone, email: values.email || null, postalAddress: values.postalAddress, postcode: values.postcode,
    };
    let code: string;
    try {
      code = (await accounts(event).createPrefill(form)).data.code;
    } catch (e) {
      // The bff names fields by their path in its body (`form.name`); refused() puts them at this page's `name`.
      return refused(asProblem(e, event.locals.lang), values);
    }
    redirect(303, `/counter-form/${code}`);
  },
};
