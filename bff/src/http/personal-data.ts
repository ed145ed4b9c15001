import { idempotency } from './idempotency.ts';
import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db.ts';
import type { Deps, StaffPrincipal } from '../core/context.ts';
import { DomainError } from '../core/errors.ts';
import { parseListQuery, type ListQuery } from '../core/list-query.ts';
import { toCsv, type CsvColumn } from '../platform/csv.ts';
import { recordExport, revealPersonalData, type RevealTarget } from '../platform/personal-data.ts';
import { RevealAnswer, RevealRequest } from '../modules/data-access/schemas.ts';
import type { Guard } from './auth.ts';
import { jsonBody, jsonResponse, meta, problems, router, staffActor } from './openapi.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IdParam = z.object({ id: z.string().max(100) });
const ExportQuery = z.object({ sort: z.string().max(200).optional(), filter: z.string().max(2000).optional(), range: z.string().max(200).optional() });

/** At most this many rows in one export; the list's filter narrows it. */
export const EXPORT_MAX_ROWS = 10_000;

/**
 * `POST /admin-api/<resource>/{id}/reveal` `{ field, reason }` → `{ field, kind, value }`
 * (issue 17, ADR-024): one full value of one record, for a staff member of the
 * posts that may open the record. `load` reads the record in the member's
 * scope (another city's or post's record is the module's "not found") and
 * names its revealable fields; the reveal is audited and written to the
 * citizen's access log in one transaction (platform/personal-data.ts).
 */
export function revealRoute(o: {
  resource: string;
  tags: string[];
  guard: Guard;
  /** the record's revealable fields, for the document */
  fields: string;
  load: (db: Db, staff: StaffPrincipal, id: string) => Promise<RevealTarget>;
}) {
  return router().openapi(
    createRoute({
      method: 'post', path: `/admin-api/${o.resource}/{id}/reveal`, tags: o.tags,
      summary: `Reveal one masked value of this record (${o.fields}) with a reason; audited and shown to the citizen as "who viewed my data"`,
      middleware: [o.guard, idempotency({ store: false })] as const, request: { params: IdParam, ...jsonBody(RevealRequest) },
      responses: { 200: jsonResponse(RevealAnswer, 'the full value'), ...problems(401, 403, 404, 422) },
    }),
    async (c) => {
      const id = c.req.valid('param').id;
      if (!UUID.test(id)) throw new DomainError('request.not_found');
      const staff = c.get('staff')!;
      const body = c.req.valid('json');
      const answer = await revealPersonalData(c.get('deps'), staff, staffActor(c), meta(c), { resource: o.resource, recordId: id, ...body }, (db) => o.load(db, staff, id));
      c.header('Cache-Control', 'no-store');
      return c.json(answer, 200);
    },
  );
}

/**
 * `GET /admin-api/<resource>/export.csv?sort=…&filter=…` (issue 17, ADR-024):
 * the staff list as the list endpoint would answer it (same guard, scope,
 * filter and sort, so values are masked as there), all pages, with zh-CN
 * headers and a UTF-8 BOM; one audit entry per export. Mount it before the
 * module's `/{id}` route, which would otherwise take `export.csv` for an id.
 */
export function csvExportRoute<Row>(o: {
  resource: string;
  tags: string[];
  guard: Guard;
  /** the file's name, zh-CN (e.g. 窗口注册申请) */
  title: string;
  sortable: readonly string[];
  defaultSort: [string, 'ASC' | 'DESC'];
  list: (deps: Deps, staff: StaffPrincipal, q: ListQuery, now: Date) => Promise<{ rows: Row[] }>;
  columns: readonly CsvColumn<Row>[];
}) {
  return router().openapi(
    createRoute({
      method: 'get', path: `/admin-api/${o.resource}/export.csv`, tags: o.tags,
      summary: `Export the list as CSV (${o.title}): zh-CN headers, masked values, UTF-8 with BOM; audited`,
      middleware: [o.guard] as const, request: { query: ExportQuery },
      responses: {
        200: { description: 'CSV, UTF-8 with a byte order mark', content: { 'text/csv': { schema: z.string() } } },
        ...problems(401, 403),
      },
    }),
    async (c) => {
      const { sort, filter } = c.req.valid('query');
      const q = { ...parseListQuery({ sort, filter }, o.sortable, o.defaultSort), offset: 0, limit: EXPORT_MAX_ROWS };
      const deps = c.get('deps');
      const { rows } = await o.list(deps, c.get('staff')!, q, c.get('now'));
      await recordExport(deps.sql, staffActor(c), meta(c), { resource: o.resource, rows: rows.length, filter: q.filter, sort: [q.sortField, q.sortDesc ? 'DESC' : 'ASC'] });
      const day = c.get('now').toISOString().slice(0, 10);
      return c.body(toCsv(o.columns, rows), 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${o.resource}-${day}.csv"; filename*=UTF-8''${encodeURIComponent(`${o.title}-${day}`)}.csv`,
        'cache-control': 'no-store',
      });
    },
  );
}
