import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { opsAdminRoutes } from './admin.routes.ts';

/** Operations: the working-day calendar, the audit log, the dev inbox and clock. */
export const opsModule = defineModule({ name: 'ops', routes: [opsAdminRoutes], messages });
