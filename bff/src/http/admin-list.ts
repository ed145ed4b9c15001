import type { Context } from 'hono';
import type { ListQuery } from '../core/list-query.ts';

/** The react-admin simple-rest list answer: rows and `Content-Range` (the query is parsed in core/list-query.ts). */
export function listResponse<T>(c: Context, resource: string, q: ListQuery, rows: T[], total: number) {
  const end = rows.length === 0 ? q.offset : q.offset + rows.length - 1;
  c.header('Content-Range', `${resource} ${q.offset}-${end}/${total}`);
  c.header('Access-Control-Expose-Headers', 'Content-Range');
  return c.json(rows, 200);
}
