import type { MyPenaltyDecisions, MyViolations, PenaltyDecision, PenaltyDecisionVerification, PenaltyPayment, PointsLedger, ViolationConfirmCode, ViolationDetail, ViolationObjectionRequest } from 'bff/client';
import { bffFor } from '$lib/server/bff';

type Event = Parameters<typeof bffFor>[0];

/** The violation calls of the bff (issue 21, 第五章), for one request. */
export function violations(event: Event) {
  const { call } = bffFor(event);
  const base = '/api/v1/violations';
  return {
    mine: () => call<MyViolations>('GET', base),
    record: (id: string) => call<ViolationDetail>('GET', `${base}/${encodeURIComponent(id)}`),
    confirmCode: (violationIds: string[]) => call<ViolationConfirmCode>('POST', `${base}/confirm-code`, { violationIds }),
    handle: (violationIds: string[], smsCode: string) => call<PenaltyDecision>('POST', `${base}/handle`, { violationIds, smsCode }),
    decisions: () => call<MyPenaltyDecisions>('GET', `${base}/decisions`),
    decision: (id: string) => call<PenaltyDecision>('GET', `${base}/decisions/${encodeURIComponent(id)}`),
    byNumber: (decisionNo: string) => call<PenaltyDecision>('GET', `${base}/decisions/by-number?decisionNo=${encodeURIComponent(decisionNo)}`),
    pay: (id: string) => call<PenaltyPayment>('POST', `${base}/decisions/${encodeURIComponent(id)}/pay`),
    payByNumber: (decisionNo: string) => call<PenaltyPayment>('POST', `${base}/decisions/pay-by-number`, { decisionNo }),
    points: () => call<PointsLedger>('GET', `${base}/points`),
    object: (id: string, body: ViolationObjectionRequest) => call<ViolationDetail>('POST', `${base}/${encodeURIComponent(id)}/objections`, body),
    verify: (decisionNo: string, code: string) =>
      call<PenaltyDecisionVerification>('GET', `/api/v1/public/violations/decisions/verify?decisionNo=${encodeURIComponent(decisionNo)}&code=${encodeURIComponent(code)}`),
  };
}
