import type { Context } from 'hono';
import { z } from '@hono/zod-openapi';
import { jsonResponse } from './openapi.ts';
import type { ListQuery } from '../core/list-query.ts';

/** The react-admin simple-rest list answer: rows and `Content-Range` (the query is parsed in core/list-query.ts). */
export function listResponse<T>(c: Context, resource: string, q: ListQuery, rows: T[], total: number) {
  const end = rows.length === 0 ? q.offset : q.offset + rows.length - 1;
  c.header('Content-Range', `${resource} ${q.offset}-${end}/${total}`);
  c.header('Access-Control-Expose-Headers', 'Content-Range');
  return c.json(rows, 200);
}

/** A whole (small) collection — cities, a station list — answered as one page of the simple-rest dialect. */
export function wholeListResponse<T>(c: Context, resource: string, q: ListQuery, rows: T[]) {
  return listResponse(c, resource, q, rows.slice(q.offset, q.offset + q.limit), rows.length);
}

/** The 200 answer of a list operation, for the OpenAPI document (rows, and the total in `Content-Range`). */
export const listOf = (schema: z.ZodType, what: string) => ({
  200: { ...jsonResponse(z.array(schema), what), headers: z.object({ 'Content-Range': z.string() }) },
});
