import { redirect } from '@sveltejs/kit';
import type { PersonForm } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { accounts } from '$lib/server/accounts';
import type { Actions } from './$types';

const FIELDS = ['name', 'sex', 'birthDate', 'idNumber', 'phone', 'email', 'postalAddress', 'postcode'] as const;

export const actions: Actions = {
  /** 《互联网个人用户注册/变更申请表》 kept by the bff under a short code for the counter (QR). */
  create: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = Object.fromEntries(FIELDS.map((f) => [f, f === 'idNumber' ? field(data, f).toUpperCase() : field(data, f)])) as Record<(typeof FIELDS)[number], string>;
    const missing = FIELDS.filter((f) => f !== 'email' && !values[f]);
    if (missing.length > 0) return invalid(Object.fromEntries(missing.map((f) => [f, t('accounts.required')])), values);
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
