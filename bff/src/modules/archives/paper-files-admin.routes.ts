/**
 * Paper files, staff API (X-6.2, R-12.3, R-13.3, R-29.2; ADR-037): 档案岗
 * checks files in, moves, lends and takes them back, sends and receives them
 * between cities, and records returned certificates; 管理岗 reads. Own city
 * only (a province its cities', PD-9): another city's file is 404.
 */
import { createRoute, type z } from '@hono/zod-openapi';
import { router, problems, jsonBody, jsonResponse, meta, staffActor } from '../../http/openapi.ts';
import { requireStaff } from '../../http/auth.ts';
import { listResponse, listOf, wholeListResponse } from '../../http/admin-list.ts';
import { parseListQuery } from '../../core/list-query.ts';
import {
  BorrowerDto, CertificateDto, CertificateRequest, CheckInRequest, IdParam, LendRequest, ListQuery, MoveRequest, PaperFileDetailDto, PaperFileDto,
  PaperFileLabelDto, ReceiveRequest, RefuseTransferRequest, ReturnRequest, TransferDto, TransferRequest,
} from './schemas.ts';
import * as files from './paper-files.ts';

const readers = requireStaff('archive', 'review');
const archivePost = requireStaff('archive');
const tags = ['archives (staff)'];

const fileCommand = <T extends z.ZodType>(path: string, summary: string, body: T) =>
  createRoute({
    method: 'post', path: `/admin-api/paper-files/{id}/${path}`, tags, summary,
    middleware: [archivePost] as const, request: { params: IdParam, ...jsonBody(body) },
    responses: { 200: jsonResponse(PaperFileDetailDto, 'paper file'), ...problems(400, 401, 403, 404, 409, 422) },
  });

export const paperFileRoutes = router()
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-files', tags, summary: 'Paper files of my city (filter: q = file no. / reference / plate, status, overdue=true)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(PaperFileDto, 'paper files'), ...problems(400, 401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), files.PAPER_FILE_SORTS, ['checkedInAt', 'DESC']);
      const { rows, total } = await files.listFiles(c.get('deps'), c.get('staff')!, q, c.get('now'));
      return listResponse(c, 'paper-files', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-file-borrowers', tags, summary: 'Staff of my city who may borrow a file',
      middleware: [archivePost] as const, request: { query: ListQuery },
      responses: { ...listOf(BorrowerDto, 'staff'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['id'], ['id', 'ASC']);
      return wholeListResponse(c, 'paper-file-borrowers', q, await files.borrowers(c.get('deps').sql, c.get('staff')!));
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-files/{id}', tags, summary: 'One paper file: where it is, who has it since when, its whole history',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PaperFileDetailDto, 'paper file'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await files.getFile(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, c.get('now')), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-files/{id}/label', tags, summary: 'The printable label: file number, place, and a QR code of the file’s page (X-6.2)',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PaperFileLabelDto, 'label'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      // The console is served at /admin/ (http/admin-static.ts): on PUBLIC_ADMIN_URL's origin, or the bff's own.
      const configured = c.get('deps').config.PUBLIC_ADMIN_URL;
      const consoleUrl = configured && new URL(configured).pathname !== '/' ? configured : new URL('/admin/', configured ?? c.req.url).toString();
      return c.json(await files.labelOf(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id, consoleUrl, c.get('now')), 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/paper-files', tags, summary: 'Check a case’s paper file in: checklist, binding, shelf place (R-12.3, R-13.3, X-6.2)',
      middleware: [archivePost] as const, request: jsonBody(CheckInRequest),
      responses: { 201: jsonResponse(PaperFileDetailDto, 'paper file'), ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => c.json(await files.checkIn(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/paper-files/{id}/bind', tags, summary: 'Record the file as bound (装订)',
      middleware: [archivePost] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(PaperFileDetailDto, 'paper file'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await files.bindFile(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, meta(c)), 200),
  )
  .openapi(fileCommand('move', 'Move the file to another shelf place, with the reason', MoveRequest),
    async (c) => c.json(await files.moveFile(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200))
  .openapi(fileCommand('lend', 'Lend the file to a member of my city: who, why, due back (X-6.3)', LendRequest),
    async (c) => c.json(await files.lendFile(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200))
  .openapi(fileCommand('return', 'Record the file’s return', ReturnRequest),
    async (c) => c.json(await files.returnFile(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, c.req.valid('json'), meta(c)), 200))
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-file-transfers', tags, summary: 'Transfers sent by or to my city (filter status)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(TransferDto, 'transfers'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['sentAt', 'id'], ['sentAt', 'DESC']);
      const { rows, total } = await files.listTransfers(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'paper-file-transfers', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/paper-file-transfers/{id}', tags, summary: 'One transfer',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(TransferDto, 'transfer'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await files.getTransfer(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/paper-file-transfers', tags, summary: 'Send every shelved file of a person to another city (its 档案岗 confirms receipt)',
      middleware: [archivePost] as const, request: jsonBody(TransferRequest),
      responses: { 201: jsonResponse(TransferDto, 'transfer'), ...problems(400, 401, 403, 422) },
    }),
    async (c) => c.json(await files.sendTransfer(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/paper-file-transfers/{id}/receive', tags, summary: 'The receiving city confirms receipt and shelves the files',
      middleware: [archivePost] as const, request: { params: IdParam, ...jsonBody(ReceiveRequest) },
      responses: { 200: jsonResponse(TransferDto, 'transfer'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await files.decideTransfer(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { decision: 'received', ...c.req.valid('json') }, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/paper-file-transfers/{id}/refuse', tags, summary: 'The receiving city refuses: the files go back on the sender’s shelves',
      middleware: [archivePost] as const, request: { params: IdParam, ...jsonBody(RefuseTransferRequest) },
      responses: { 200: jsonResponse(TransferDto, 'transfer'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await files.decideTransfer(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('param').id, { decision: 'refused', ...c.req.valid('json') }, meta(c)), 200),
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/returned-certificates', tags, summary: 'Returned certificates: destroyed, core number restored, or case withdrawn (R-29.2)',
      middleware: [readers] as const, request: { query: ListQuery },
      responses: { ...listOf(CertificateDto, 'certificates'), ...problems(401, 403) },
    }),
    async (c) => {
      const q = parseListQuery(c.req.valid('query'), ['at', 'id'], ['at', 'DESC']);
      const { rows, total } = await files.listCertificates(c.get('deps'), c.get('staff')!, q);
      return listResponse(c, 'returned-certificates', q, rows, total);
    },
  )
  .openapi(
    createRoute({
      method: 'get', path: '/admin-api/returned-certificates/{id}', tags, summary: 'One returned certificate',
      middleware: [readers] as const, request: { params: IdParam },
      responses: { 200: jsonResponse(CertificateDto, 'certificate'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json(await files.getCertificate(c.get('deps').sql, c.get('staff')!, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'post', path: '/admin-api/returned-certificates', tags, summary: '档案岗 records a returned certificate destroyed, or 恢复证芯 / 退办 of its case (R-29.2)',
      middleware: [archivePost] as const, request: jsonBody(CertificateRequest),
      responses: { 201: jsonResponse(CertificateDto, 'certificate'), ...problems(400, 401, 403, 409, 422) },
    }),
    async (c) => c.json(await files.recordCertificate(c.get('deps'), c.get('staff')!, staffActor(c), c.req.valid('json'), meta(c)), 201),
  );
