import { redirect } from '@sveltejs/kit';
import type { OwnerIdType } from 'bff/client';
import { translator } from '$lib/i18n';
import { asProblem, bffFor } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { loadPlates, plates } from '$lib/server/plates';
import type { Actions, PageServerLoad } from './$types';

const ID_TYPES: readonly OwnerIdType[] = ['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'foreign_permanent_id', 'military_id', 'uscc'];

export const load: PageServerLoad = async (event) => {
  const api = plates(event);
  const [segments, me] = await Promise.all([loadPlates(event, () => api.segments()), loadPlates(event, () => bffFor(event).me())]);
  const open = segments.filter((s) => s.state === 'open');
  const wanted = event.url.searchParams.get('segment');
  const serial = (event.url.searchParams.get('serial') ?? '').slice(0, 12);
  return {
    segments: open,
    idTypes: ID_TYPES,
    // The owner is the user: the name is known, the ID number is theirs to type.
    defaults: {
      planId: open.find((s) => s.id === wanted)?.id ?? open[0]?.id ?? '',
      mode: 'self',
      serial,
      ownerIdType: me.user.kind === 'organisation' ? 'uscc' : 'resident_id',
      ownerName: me.user.name,
    },
  };
};

function typed(data: FormData) {
  return {
    planId: field(data, 'planId'),
    mode: field(data, 'mode') === 'random' ? 'random' : 'self',
    serial: field(data, 'serial').toUpperCase(),
    vin: field(data, 'vin').toUpperCase(),
    ownerIdType: field(data, 'ownerIdType'),
    ownerIdNumber: field(data, 'ownerIdNumber').toUpperCase(),
    ownerName: field(data, 'ownerName'),
    phone: field(data, 'phone'),
  };
}

export const actions: Actions = {
  start: async (event) => {
    const data = await event.request.formData();
    const t = translator(event.locals.lang);
    const values = typed(data);
    const problems: Record<string, string> = {};
    if (!values.planId) problems.planId = t('plates.new.segmentRequired');
    if (values.mode === 'self' && !values.serial) problems.serial = t('plates.new.serialRequired');
    if (!values.vin) problems.vin = t('plates.new.vinRequired');
    if (!values.ownerIdNumber) problems.ownerIdNumber = t('plates.new.ownerIdNumberRequired');
    if (!values.ownerName) problems.ownerName = t('plates.new.ownerNameRequired');
    if (!values.phone) problems.phone = t('plates.new.phoneRequired');
    if (Object.keys(problems).length > 0) return invalid(problems, values);

    let id: string;
    try {
      const ownerIdType = (ID_TYPES as readonly string[]).includes(values.ownerIdType) ? (values.ownerIdType as OwnerIdType) : 'resident_id';
      const { data: ps } = await plates(event).preselect({
        planId: values.planId,
        mode: values.mode as 'self' | 'random',
        ...(values.mode === 'self' ? { serial: values.serial } : {}),
        vin: values.vin,
        ownerIdType,
        ownerIdNumber: values.ownerIdNumber,
        ownerName: values.ownerName,
        phone: values.phone,
      });
      id = ps.id;
    } catch (e) {
      // The bff names the field at fault (a serial the rules refuse, an ID number not the user's) in its own words.
      return refused(asProblem(e, event.locals.lang), values);
    }
    redirect(303, values.mode === 'random' ? `/plates/preselections/${id}/draw` : `/plates/preselections/${id}`);
  },
};
