import { createRoute, z } from '@hono/zod-openapi';
import { problems, router } from '../../http/openapi.ts';
import { DomainError } from '../../core/errors.ts';
import { bodyLimitOf } from '../../http/body-limit.ts';
import { platformNow } from '../../platform/dev-clock.ts';
import { handleNotification } from './service.ts';
import { formFields } from './form.ts';

/**
 * The provider's asynchronous notification (Alipay 异步通知): a form-encoded
 * POST from the provider's servers, so outside `/api` (JSON only) and without
 * a user session — the RSA2 signature over the fields is the credential
 * (checked with the provider's public key, then the app id, the order, the
 * amount and the trade status). The answer is the bare text Alipay expects:
 * `success` once the notification is taken (also for a duplicate), anything
 * else makes the provider send it again later; a forgery gets `failure`.
 * An address that sent too many refused notifications is answered 429 (a
 * problem) for a while (ADR-038): never `success`, so nothing is dropped.
 */
export const paymentNotifyRoutes = router().openapi(
  createRoute({
    method: 'post', path: '/payment-notify/alipay', tags: ['payments'],
    summary: 'Alipay asynchronous notification (form-encoded, RSA2-signed; public: the signature is the credential)',
    middleware: [bodyLimitOf(16 * 1024, 'request.too_large')] as const,
    // The body is Alipay's form (application/x-www-form-urlencoded), read as text: its fields are whatever the provider signs.
    responses: {
      200: { content: { 'text/plain': { schema: z.enum(['success', 'failure']) } }, description: '`success` when taken, else `failure`' },
      // the source address sent too many refused notifications: not taken (anything but `success`), the provider sends it again later (ADR-038)
      ...problems(429),
    },
  }),
  async (c) => {
    const deps = c.get('deps');
    // A form's fields; anything else has no fields, so no signature.
    const params = await formFields(c.req);
    const now = await platformNow(deps.sql, c.get('now'), deps.config.allowTestClock);
    const r = await handleNotification(deps, { requestId: c.get('requestId'), ip: c.get('ip'), now }, params);
    if ('limitedUntil' in r) {
      const seconds = Math.max(1, Math.ceil((r.limitedUntil.getTime() - now.getTime()) / 1000));
      c.header('Retry-After', String(seconds));
      throw new DomainError('payments.notifications_limited', { params: { minutes: Math.ceil(seconds / 60) } });
    }
    return c.text(r.accepted ? 'success' : 'failure', 200);
  },
);
