import { createRoute, z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import { PaymentAdminOrderDto, PaymentIdParam, PaymentListQuery, PaymentMismatchDto, PaymentReconciliationDto, PaymentRefundRequest, PaymentRejectedNotificationDto, PaymentResolveRequest } from './schemas.ts';
import * as admin from './admin.ts';
import { requestRefund } from './service.ts';
import { reconcileDay, resolveMismatch } from './reconciliation.ts';

const review = requireStaff('review');
const tags = ['payments (staff)'];
const DayParam = z.object({ id: z.string().max(20) });
const NumParam = z.object({ id: z.string().max(20) });

/**
 * Staff API of payments (管理岗, issue 21): orders of their cities, refunds
 * with a reason, and — province level, the merchant account's — the daily
 * reconciliation, its mismatches and the refused notifications.
 */
export const paymentAdminRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-orders', tags, summary: 'Payment orders of my cities (filter: status, q = reference / trade no / payable)',
      middleware: [review] as const, request: { query: PaymentListQuery },
      responses: { ...listOf(PaymentAdminOrderDto, 'orders'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), admin.ORDER_SORTABLE, ['createdAt', 'DESC']);
      const { rows, total } = await admin.listOrders(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'payment-orders', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-orders/{id}', tags, summary: 'One payment order with its ledger count',
      middleware: [review] as const, request: { params: PaymentIdParam },
      responses: { 200: jsonResponse(PaymentAdminOrderDto, 'order'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await admin.getOrder(c.get('deps'), c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/payment-orders/{id}/refund', tags, summary: 'Refund a paid order, with a reason (the refund job sends it to the provider)',
      middleware: [review] as const, request: { params: PaymentIdParam, ...jsonBody(PaymentRefundRequest) },
      responses: { 200: jsonResponse(PaymentAdminOrderDto, 'order'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const deps = c.get('deps');
      const id = c.req.valid('param').id;
      await requestRefund(deps.sql, staffActor(c), meta(c), id, c.req.valid('json').reason, await admin.refundScope(deps, c.get('staff')!));
      return c.json(await admin.getOrder(deps, c.get('staff')!, id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-reconciliations', tags, summary: 'Daily reconciliations: platform ledger vs provider statement, totals in fen (province 管理岗)',
      middleware: [review] as const, request: { query: PaymentListQuery },
      responses: { ...listOf(PaymentReconciliationDto, 'days'), ...problems(401, 403) },
    }),
    async (c) => {
      await admin.requireProvince(c.get('deps'), c.get('staff')!);
      const q = parseListQuery(c.req.valid('query'), ['businessDay', 'id'], ['businessDay', 'DESC']);
      const { rows, total } = await admin.listReconciliations(c.get('deps'), q);
      return listResponse(c, 'payment-reconciliations', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/payment-reconciliations/{id}/run', tags, summary: 'Reconcile one business day now (id = YYYY-MM-DD; fetches the provider statement)',
      middleware: [review] as const, request: { params: z.object({ id: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }), ...jsonBody(z.strictObject({}).openapi('PaymentReconcileRun')) },
      responses: { 200: jsonResponse(PaymentReconciliationDto, 'the day'), ...problems(401, 403, 422, 503) },
    }),
    async (c) => {
      const deps = c.get('deps');
      await admin.requireProvince(deps, c.get('staff')!);
      const day = c.req.valid('param').id;
      const m = meta(c);
      await deps.sql.begin((tx) => reconcileDay(tx, deps, m.now, day, staffActor(c), m.requestId));
      return c.json(await admin.getReconciliation(deps, day), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-reconciliations/{id}', tags, summary: 'One business day’s reconciliation (id = YYYY-MM-DD)',
      middleware: [review] as const, request: { params: DayParam },
      responses: { 200: jsonResponse(PaymentReconciliationDto, 'the day'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      await admin.requireProvince(c.get('deps'), c.get('staff')!);
      return c.json(await admin.getReconciliation(c.get('deps'), c.req.valid('param').id), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-mismatches', tags, summary: 'Reconciliation mismatches (filter: businessDay, resolved=false)',
      middleware: [review] as const, request: { query: PaymentListQuery },
      responses: { ...listOf(PaymentMismatchDto, 'mismatches'), ...problems(401, 403) },
    }),
    async (c) => {
      await admin.requireProvince(c.get('deps'), c.get('staff')!);
      const q = parseListQuery(c.req.valid('query'), ['businessDay', 'id'], ['businessDay', 'DESC']);
      const { rows, total } = await admin.listMismatches(c.get('deps'), q);
      return listResponse(c, 'payment-mismatches', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/payment-mismatches/{id}/resolve', tags, summary: 'Note how a mismatch was settled',
      middleware: [review] as const, request: { params: NumParam, ...jsonBody(PaymentResolveRequest) },
      responses: { 200: jsonResponse(z.object({ id: z.string() }), 'resolved'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      await admin.requireProvince(c.get('deps'), c.get('staff')!);
      const id = c.req.valid('param').id;
      await resolveMismatch(c.get('deps').sql, staffActor(c), meta(c), id, c.req.valid('json').note);
      return c.json({ id }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/payment-rejected-notifications', tags, summary: 'Notifications refused (forged, tampered, unknown order): kept and audited',
      middleware: [review] as const, request: { query: PaymentListQuery },
      responses: { ...listOf(PaymentRejectedNotificationDto, 'refused notifications'), ...problems(401, 403) },
    }),
    async (c) => {
      await admin.requireProvince(c.get('deps'), c.get('staff')!);
      const q = parseListQuery(c.req.valid('query'), ['receivedAt', 'id'], ['receivedAt', 'DESC']);
      const { rows, total } = await admin.listRejected(c.get('deps'), q);
      return listResponse(c, 'payment-rejected-notifications', q, rows, total);
    },
  );
