import { defineModule } from '../../core/module.ts';
import { messages, smsTemplates } from './messages.ts';
import { authRoutes } from './routes.ts';
import { staffAuthRoutes } from './admin.routes.ts';
import { staffAccountAdminRoutes } from './staff-accounts-admin.routes.ts';

/** Sign-in, sign-up, sessions, password reset and the staff's second factor (第二章). */
export const authModule = defineModule({ name: 'auth', routes: [authRoutes, staffAuthRoutes, staffAccountAdminRoutes], messages, smsTemplates });
