import type { JobHandlers } from '../../platform/jobs.ts';
import { writeAudit } from '../../platform/audit.ts';
import { PAYMENT_JOBS } from './shared.ts';
import { queryOrderJob, refundOrderJob, SYSTEM } from './service.ts';
import { reconcileDay } from './reconciliation.ts';

/** The settled job of the dev-only test payable (routes POST /dev/payments/test-orders): it only notes the payment. */
export const DEV_TEST_SETTLED_JOB = 'payments.dev_test_paid';

/** Durable job handlers of the payments module; each runs inside the job's transaction with the worker's `now` (ADR-035). */
export const paymentJobs: JobHandlers = {
  [PAYMENT_JOBS.queryOrder]: ({ tx, job, now, deps }) => queryOrderJob(tx, deps, now, String(job.payload.orderId), Number(job.payload.round ?? 0)),
  [PAYMENT_JOBS.refundOrder]: ({ tx, job, now, deps }) => refundOrderJob(tx, deps, now, String(job.payload.orderId)),
  [PAYMENT_JOBS.reconcileDay]: async ({ tx, job, now, deps }) => { await reconcileDay(tx, deps, now, String(job.payload.day)); },
  [DEV_TEST_SETTLED_JOB]: async ({ tx, job, now }) => {
    await writeAudit(tx, SYSTEM, { requestId: `job:${job.id}`, ip: '', now }, {
      action: 'payments.dev_test_settled', entityType: 'payment_order', entityId: String(job.payload.orderId), after: job.payload,
    });
  },
};
