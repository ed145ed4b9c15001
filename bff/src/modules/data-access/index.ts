import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { dataAccessRoutes } from './routes.ts';

/**
 * Personal-data access (issue 17, ADR-024): the citizen's "who viewed my
 * data". Staff reveals and exports are declared by each module on its own
 * records (http/personal-data.ts, platform/personal-data.ts).
 */
export const dataAccessModule = defineModule({
  name: 'data-access',
  routes: [dataAccessRoutes],
  messages,
  constraints: {
    staff_member_auditor_holds_no_post: { code: 'data_access.auditor_holds_no_post', field: 'roles' },
  },
});
