import type { ExamApplication, ExamApplications, ExamLedger, ExamPermits, ExamPlans } from 'bff/client';
import { bffFor } from '$lib/server/bff';

type Event = Parameters<typeof bffFor>[0];

/** The exam-booking calls of the bff (issue 20, X-4.4), for one request. */
export function exams(event: Event) {
  const { call } = bffFor(event);
  const base = '/api/v1/exams';
  return {
    permits: () => call<ExamPermits>('GET', `${base}/permits`),
    plans: (subject: number) => call<ExamPlans>('GET', `${base}/plans?subject=${subject}`),
    applications: () => call<ExamApplications>('GET', `${base}/applications`),
    application: (id: string) => call<ExamApplication>('GET', `${base}/applications/${encodeURIComponent(id)}`),
    apply: (planId: string) => call<ExamApplication>('POST', `${base}/applications`, { planId }),
    cancel: (id: string) => call<ExamApplication>('POST', `${base}/applications/${encodeURIComponent(id)}/cancel`),
    ledger: (planId: string) => call<ExamLedger>('GET', `/api/v1/public/exam-plans/${encodeURIComponent(planId)}/ledger`),
  };
}
