import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { smsTemplates } from './sms.ts';
import { accountRoutes } from './routes.ts';
import { accountAdminRoutes } from './admin.routes.ts';
import { bindingRoutes } from './bindings.routes.ts';
import { bindingAdminRoutes } from './bindings-admin.routes.ts';
import { counterRoutes } from './counter.routes.ts';
import { counterAdminRoutes } from './counter-admin.routes.ts';
import { counterDeskAdminRoutes } from './counter-desk-admin.routes.ts';
import { accountPersonalDataRoutes } from './personal-data-admin.routes.ts';
import { accountJobs } from './jobs.ts';
import { accountUploadKinds } from './uploads.ts';
import { dueSoonRoutes, ownRecordRoutes } from './due-soon.routes.ts';

/**
 * Internet users (第二章, R-7 – R-21), in three parts: the account itself —
 * online registration, my account, changes, suspension, cancellation, the
 * certificate photo (service.ts, routes.ts, admin.routes.ts); bindings of
 * vehicles and licences and the events that end them (bindings.ts,
 * bindings.routes.ts, bindings-admin.routes.ts); registration and changes at
 * the counter through 受理岗, 管理岗 and 档案岗 (counter.ts, counter.routes.ts,
 * counter-admin.routes.ts). One rule book (rules.ts), one catalog; SQL and
 * schemas shared in repo.ts / schemas.ts, each part's own in <part>.repo.ts /
 * <part>.schemas.ts; helpers the parts share in shared.ts.
 */
export const accountsModule = defineModule({
  name: 'accounts',
  // Exports first: `/admin-api/<resource>/export.csv` before the `/{id}` routes that would take it for an id (issue 17).
  routes: [...accountPersonalDataRoutes, accountRoutes, bindingRoutes, dueSoonRoutes, ownRecordRoutes, counterRoutes, accountAdminRoutes, bindingAdminRoutes, counterAdminRoutes, counterDeskAdminRoutes],
  jobs: accountJobs,
  messages,
  smsTemplates,
  uploadKinds: accountUploadKinds,
  constraints: {
    user_account_one_per_phone: { code: 'accounts.phone_in_use', field: 'phone' },
    user_account_one_personal_per_person: { code: 'accounts.already_registered', field: 'idNumber' },
    user_account_one_per_organisation: { code: 'accounts.already_registered', field: 'uscc' },
    vehicle_binding_active: 'accounts.already_bound',
    licence_binding_active: 'accounts.already_bound',
    licence_application_one_open: 'accounts.application_wrong_status',
    certificate_photo_one_open: 'accounts.photo_pending',
    account_counter_action_one_cancel: 'accounts.not_active',
  },
});
