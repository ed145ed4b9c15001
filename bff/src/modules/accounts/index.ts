import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { smsTemplates } from './sms.ts';
import { accountRoutes } from './routes.ts';
import { accountAdminRoutes } from './admin.routes.ts';
import { accountJobs } from './jobs.ts';
import { accountUploadKinds } from './uploads.ts';

/** Internet users: registration online and at the counter, changes, bindings, cancellation (第二章, R-7 – R-21). */
export const accountsModule = defineModule({
  name: 'accounts',
  routes: [accountRoutes, accountAdminRoutes],
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
  },
});
