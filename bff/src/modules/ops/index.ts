import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { auditExportRoutes, opsAdminRoutes } from './admin.routes.ts';
import { dashboardRoutes } from './dashboard.routes.ts';

/** Operations: the working-day calendar, the audit log, the dev inbox and clock. */
export const opsModule = defineModule({ name: 'ops', routes: [auditExportRoutes, opsAdminRoutes, dashboardRoutes], messages });
