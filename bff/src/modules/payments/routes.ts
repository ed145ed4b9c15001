import { createRoute } from '@hono/zod-openapi';
import { router, problems, jsonResponse, meta } from '../../http/openapi.ts';
import { requireUser } from '../../http/auth.ts';
import { PaymentIdParam, PaymentOrderDto, PaymentPayAnswer } from './schemas.ts';
import * as citizen from './citizen.ts';

const tags = ['payments'];

/** Citizen API of payments (issue 21, X-5.5, X-5.7): the pay page, the provider's page, the result page's polling. */
export const paymentRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/api/v1/payments/orders/{id}', tags, summary: 'My payment order: amount in fen with its parts (fine, late fee), status, reference number (X-5.7, X-5.8)',
      middleware: [requireUser()] as const, request: { params: PaymentIdParam },
      responses: { 200: jsonResponse(PaymentOrderDto, 'order'), ...problems(401, 404) },
    }),
    async (c) => c.json(await citizen.getOwnOrder(c.get('deps'), c.get('user')!.id, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/payments/orders/{id}/pay', tags, summary: 'The provider’s page where I pay this open order (every tab of one payable pays the same order)',
      middleware: [requireUser()] as const, request: { params: PaymentIdParam },
      responses: { 200: jsonResponse(PaymentPayAnswer, 'where to go'), ...problems(401, 404, 409, 503) },
    }),
    async (c) => c.json(await citizen.payOwnOrder(c.get('deps'), c.get('user')!.id, c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/api/v1/payments/orders/{id}/check', tags, summary: 'Ask the provider now whether my order is paid (the result page; a late notification changes nothing twice)',
      middleware: [requireUser()] as const, request: { params: PaymentIdParam },
      responses: { 200: jsonResponse(PaymentOrderDto, 'order'), ...problems(401, 404, 503) },
    }),
    async (c) => c.json(await citizen.checkOwnOrder(c.get('deps'), c.get('user')!.id, c.req.valid('param').id, meta(c)), 200),
  );
