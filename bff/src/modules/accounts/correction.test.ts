import { describe, expect, it } from 'vitest';
import { testEnv } from '../../../test/support.ts';
import { auditActions, CHEN_JING, PERSON_DOCS, personForm, scan, staffCookie } from './testing.ts';

/**
 * Issue 18: a case 管理岗 returned because a scan was unreadable is corrected by
 * 受理岗 with new scans (R-12.2.4, ADR-013) — the new files replace the old ones
 * on the application, the log names which were replaced, and a scan that is not
 * usable changes nothing.
 */
describe('R-12.2.4 a returned application corrected with new scans', async () => {
  const env = await testEnv({ start: '2026-11-25T02:00:00Z' });
  const intake = await staffCookie(env, 'sz.intake');
  const review = await staffCookie(env, 'sz.review');
  const form = personForm({ ...CHEN_JING, phone: '15800158666' });
  let appId = '';
  let oldDocs: Record<string, string> = {};

  it('accepted, then returned for an unreadable ID scan', async () => {
    oldDocs = await scan(env, intake, PERSON_DOCS);
    const res = await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form, documents: oldDocs } });
    expect(res.status).toBe(201);
    appId = (await res.json()).id;
    const ret = await env.call('POST', `/admin-api/account-applications/${appId}/return`, { cookie: review, body: { note: '身份证扫描件不清晰，请重新扫描' } });
    expect(ret.status).toBe(200);
  });

  it('R-12.2.4 a scan of the wrong purpose or another city\'s upload is refused at its field and changes nothing', async () => {
    const wrong = await scan(env, intake, ['application_form']);
    const res = await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, {
      cookie: intake, body: { form, documents: { identity_document: wrong.application_form } },
    });
    expect(res.status).toBe(422);
    const p = await res.json();
    expect(p.code).toBe('uploads.not_usable');
    expect(p.errors.map((e: { field: string }) => e.field)).toEqual(['documents.identity_document']);
    const gz = await staffCookie(env, 'gz.intake');
    const foreign = await scan(env, gz, ['identity_document']);
    expect((await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, { cookie: intake, body: { form, documents: foreign } })).status).toBe(422);
    const a = await (await env.call('GET', `/admin-api/account-applications/${appId}`, { cookie: intake })).json();
    expect(a.status).toBe('returned');
    expect(a.documents.find((d: { purpose: string }) => d.purpose === 'identity_document').uploadId).toBe(oldDocs.identity_document);
  });

  it('R-12.2.4 the new scan replaces the old one, the case goes back to review, the log names the replaced document', async () => {
    const fresh = await scan(env, intake, ['identity_document']);
    const res = await env.call('POST', `/admin-api/account-applications/${appId}/resubmit`, {
      cookie: intake, body: { form, documents: fresh, note: '已重新扫描身份证' },
    });
    expect(res.status).toBe(200);
    const a = await res.json();
    expect(a.status).toBe('review');
    const byPurpose = Object.fromEntries(a.documents.map((d: { purpose: string; uploadId: string }) => [d.purpose, d.uploadId]));
    expect(byPurpose).toEqual({ ...oldDocs, identity_document: fresh.identity_document });
    const [entry] = await env.sql<{ after: Record<string, unknown>; actor_id: string }[]>`
      SELECT after, actor_id FROM audit_log WHERE entity_id = ${appId} AND action = 'accounts.application_resubmitted'`;
    expect(entry!.after).toMatchObject({ reference: a.reference, status: 'review', replacedDocuments: ['identity_document'], note: '已重新扫描身份证' });
    expect(await auditActions(env, 'account_application', appId)).toContain('accounts.application_resubmitted');
  });
});
