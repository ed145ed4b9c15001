import type { PaymentOrder, PaymentPayResult } from 'bff/client';
import { bffFor } from '$lib/server/bff';

type Event = Parameters<typeof bffFor>[0];

/** The payment calls of the bff (issue 21), for one request. */
export function payments(event: Event) {
  const { call } = bffFor(event);
  const path = (id: string) => `/api/v1/payments/orders/${encodeURIComponent(id)}`;
  return {
    get: (id: string) => call<PaymentOrder>('GET', path(id)),
    pay: (id: string) => call<PaymentPayResult>('POST', `${path(id)}/pay`),
    check: (id: string) => call<PaymentOrder>('POST', `${path(id)}/check`),
  };
}
