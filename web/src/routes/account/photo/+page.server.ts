import { translator } from '$lib/i18n';
import { asProblem } from '$lib/server/bff';
import { field, invalid, refused } from '$lib/server/forms';
import { accounts, loadAccount, uploadPhoto } from '$lib/server/accounts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const api = accounts(event);
  const me = await loadAccount(event, () => api.me());
  const photos = me.services.includes('certificate_photo_upload') ? await loadAccount(event, () => api.photos()) : [];
  return { me, photos };
};

export const actions: Actions = {
  /** R-15 / R-18: the photo's bytes to the bff, then the submission for 管理岗's review. */
  submit: async (event) => {
    const data = await event.request.formData();
    const licenceId = field(data, 'licenceId');
    const file = data.get('photo');
    if (!(file instanceof File) || file.size === 0) return invalid({ photo: translator(event.locals.lang)('accounts.photoFileRequired') }, {});
    try {
      const upload = await uploadPhoto(event, file);
      const { data: photos } = await accounts(event).submitPhoto({ licenceId, uploadId: upload.id });
      return { submitted: photos[0] ?? null };
    } catch (e) {
      return refused(asProblem(e, event.locals.lang), {});
    }
  },
};
