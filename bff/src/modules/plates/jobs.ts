import type { JobHandlers } from '../../platform/jobs.ts';
import { buildPoolChunk, expireOffer, expireReservation, PLATE_JOBS } from './service.ts';

/** Durable job handlers of the plates module; each runs inside the job's transaction with the worker's `now`. */
export const plateJobs: JobHandlers = {
  [PLATE_JOBS.buildPool]: ({ tx, job, now }) => buildPoolChunk(tx, job.id, String(job.payload.planId), now),
  [PLATE_JOBS.offerExpiry]: ({ tx, job, now }) =>
    expireOffer(tx, job.id, String(job.payload.preselectionId), typeof job.payload.drawId === 'string' ? job.payload.drawId : null, now),
  [PLATE_JOBS.reservationDeadline]: ({ tx, job, now }) => expireReservation(tx, job.id, String(job.payload.preselectionId), now),
};
