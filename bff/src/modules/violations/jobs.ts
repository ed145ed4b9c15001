import type { JobHandlers } from '../../platform/jobs.ts';
import type { PaymentRefundedPayload, PaymentSettledPayload } from '../payments/orders.ts';
import { endCycle, settleFinePaid, settleFineRefunded, VIOLATION_JOBS } from './service.ts';

/** Durable job handlers of the violations module; each runs inside the job's transaction with the worker's `now`. */
export const violationJobs: JobHandlers = {
  // the payments module recorded the payment (enqueued in its transaction); idempotent
  [VIOLATION_JOBS.finePaid]: ({ tx, job, now }) => settleFinePaid(tx, job.payload as PaymentSettledPayload, now),
  // ADR-038: 管理岗 refunded the payment that counted; the fine is unpaid again; idempotent
  [VIOLATION_JOBS.fineRefunded]: ({ tx, job, now }) => settleFineRefunded(tx, job.payload as PaymentRefundedPayload, now),
  // X-5.9: a scoring cycle ended; unpaid fines' points carried into the next
  [VIOLATION_JOBS.cycleEnd]: ({ tx, job, now }) => endCycle(tx, job.payload as { licenceId: string; cycleStart: string }, now),
};
