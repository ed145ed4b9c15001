import { registerTemplates } from './platform/outbox.ts';
import { smsTemplates as accounts } from './modules/accounts/sms.ts';
import { smsTemplates as inspections } from './modules/inspections/messages.ts';
import { smsTemplates as plates } from './modules/plates/messages.ts';
import { smsTemplates as replacements } from './modules/replacements/messages.ts';

/** Every module's SMS texts, registered once for the outbox dispatcher and the dev inbox. */
for (const t of [accounts, inspections, plates, replacements]) registerTemplates(t);
