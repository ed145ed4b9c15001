import { defineModule } from '../../core/module.ts';
import { messages } from './messages.ts';
import { paymentJobs } from './jobs.ts';
import { paymentRoutes } from './routes.ts';
import { paymentAdminRoutes } from './admin.routes.ts';
import { paymentNotifyRoutes } from './notify.routes.ts';
import { paymentDevGatewayRoutes } from './dev-gateway.routes.ts';

/**
 * Payments through a payment provider (issue 21, X-5.5, X-5.7, X-5.8, PD-10;
 * ADR-035): orders other modules open (`orders.ts`), the provider's signed
 * notifications, the query and refund jobs, the daily reconciliation.
 */
export const paymentsModule = defineModule({
  name: 'payments',
  routes: [paymentRoutes, paymentAdminRoutes, paymentNotifyRoutes],
  // the dev gateway that plays Alipay, and the dev-only test payable: DEV_TOOLS=1 only
  devRoutes: [paymentDevGatewayRoutes],
  jobs: paymentJobs,
  messages,
  constraints: {
    payment_order_one_open_per_payable: 'payments.order_busy',
    payment_order_one_paid_per_payable: 'payments.order_busy',
  },
});
