import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';
import { DomainError, type ErrorCode } from '../core/errors.ts';

/**
 * The request body limit, from Content-Length where the client sent one (Node's
 * parser reads exactly that many bytes), so the body is then read straight from
 * the socket; only a chunked body goes through Hono's streaming limiter, which
 * needs the web Request object (costly to make on every POST).
 */
export function bodyLimitOf(maxSize: number, code: ErrorCode): MiddlewareHandler<AppEnv> {
  const streaming = bodyLimit({ maxSize, onError: () => { throw new DomainError(code); } });
  return (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const len = c.req.header('content-length');
    if (c.req.header('transfer-encoding') === undefined && len !== undefined) {
      if (!/^\d{1,12}$/.test(len)) throw new DomainError('request.malformed');
      if (Number(len) > maxSize) throw new DomainError(code);
      return next();
    }
    return streaming(c, next);
  };
}
