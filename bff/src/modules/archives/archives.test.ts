import { describe, expect, it } from 'vitest';
import { fieldsOf, testEnv, type TestEnv } from '../../../test/support.ts';
import { CHEN_JING, PERSON_DOCS, personForm, scan, staffCookie } from '../accounts/testing.ts';
import { archiveCase } from '../../platform/archive.ts';
import { runDueJobs } from '../../platform/jobs.ts';
import { jobHandlers } from '../index.ts';

// Monday 2026-11-23 10:00 in Shanghai.
const MONDAY = '2026-11-23T02:00:00Z';

async function gzArchiveCookie(env: TestEnv) {
  await env.sql`
    INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id, totp_key, totp_enabled)
    VALUES ('gz.archive.t', '广州档案员 测试', 'x', '{archive}', '440100', '\\x00'::bytea, true) ON CONFLICT (username) DO NOTHING`;
  return staffCookie(env, 'gz.archive.t');
}

const json = async (res: Response | { status: number; json(): Promise<unknown> }, status = 200) => {
  expect(res.status).toBe(status);
  return (await res.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('archives: a counter registration from its end to its paper file on loan (X-6.1, X-6.2, X-6.3)', async () => {
  const env = await testEnv({ start: MONDAY });
  const intake = await staffCookie(env, 'sz.intake');
  const review = await staffCookie(env, 'sz.review');
  let archive = await staffCookie(env, 'sz.archive');
  let reference = '';
  let recordId = '';
  let fileId = '';

  it('X-6.1 a counter registration that ends (管理岗 approves) is archived once, with its scans (one object per content), review trail and SMS', async () => {
    const docs = await scan(env, intake, PERSON_DOCS);
    const a = await json(await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'person', kind: 'registration', form: personForm(CHEN_JING), documents: docs } }), 201);
    reference = a.reference;
    expect(await env.sql`SELECT 1 FROM archive_record WHERE case_ref = ${reference}`).toHaveLength(0); // not finished yet
    await json(await env.call('POST', `/admin-api/account-applications/${a.id}/approve`, { cookie: review }));
    const rows = await env.sql<{ id: string }[]>`SELECT id FROM archive_record WHERE business_type = 'account_registration' AND case_ref = ${reference}`;
    expect(rows).toHaveLength(1);
    recordId = rows[0]!.id;
    const r = await json(await env.call('GET', `/admin-api/archive-records/${recordId}`, { cookie: archive }));
    expect(r).toMatchObject({ businessType: 'account_registration', caseRef: reference, version: 1, status: 'kept', contentOk: true, files: 3 });
    expect(r.documents.map((d: { purpose: string }) => d.purpose).sort()).toEqual([...PERSON_DOCS].sort());
    const actions = r.trail.map((t: { action: string }) => t.action);
    expect(actions).toEqual(expect.arrayContaining(['accounts.application_accepted', 'accounts.application_approved', 'accounts.registered_at_counter']));
    expect(actions.indexOf('accounts.application_accepted')).toBeLessThan(actions.indexOf('accounts.application_approved'));
    expect(r.messages.map((m: { template: string }) => m.template)).toEqual(expect.arrayContaining(['accounts.application_accepted', 'accounts.registered_at_counter']));
    // the scans are the same bytes here: one object, three references
    const shas = new Set(r.documents.map((d: { sha256: string }) => d.sha256));
    expect(await env.sql`SELECT 1 FROM archive_object WHERE sha256 = ANY(${[...shas] as string[]})`).toHaveLength(shas.size);
    const file = await env.app.request(`/admin-api/archive-records/${recordId}/files/0`, { headers: { cookie: archive } });
    expect(file.status).toBe(200);
    expect(file.headers.get('x-content-sha256')).toBe(r.documents[0].sha256);
    // personal data masked on the page
    expect(JSON.stringify(r)).not.toContain(CHEN_JING.idNumber);
    expect(JSON.stringify(r)).not.toContain(CHEN_JING.phone);
    expect(r.personIdNumberMasked).toMatch(/\*/);
  });

  it('X-6.3 every view of a record is logged and shown to the citizen in "who viewed my data" (ADR-024)', async () => {
    const [acct] = await env.sql<{ user_account_id: string }[]>`SELECT user_account_id FROM archive_record WHERE id = ${recordId}`;
    const views = await env.sql`SELECT staff_roles, authority_id FROM personal_data_access WHERE resource = 'archive-records' AND record_id = ${recordId}`;
    expect(views.length).toBeGreaterThanOrEqual(1);
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'archives.record_viewed' AND entity_id = ${recordId}`).not.toHaveLength(0);
    const { userSessionCookie } = await import('../../../test/support.ts');
    const citizen = await userSessionCookie(env, acct!.user_account_id);
    const log = await json(await env.call('GET', '/api/v1/me/data-access', { cookie: citizen }));
    expect(log.entries.some((e: { resource: string; dataKind: string; posts: string[] }) => e.resource === 'archive-records' && e.dataKind === 'archive_record' && e.posts.includes('archive'))).toBe(true);
  });

  it('X-6.1 search by reference, by person (full ID number typed, masked answer), by type and date; PD-9 another city’s staff cannot open it', async () => {
    const q = (f: Record<string, string>) => env.call('GET', `/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify(f))}`, { cookie: review });
    expect((await json(await q({ q: reference }))).map((r: { id: string }) => r.id)).toEqual([recordId]);
    const byId = await json(await q({ idNumber: CHEN_JING.idNumber }));
    expect(byId.map((r: { id: string }) => r.id)).toContain(recordId);
    expect(byId[0].personIdNumberMasked).not.toBe(CHEN_JING.idNumber);
    expect((await json(await q({ businessType: 'account_registration', from: '2026-11-23', to: '2026-11-23' }))).map((r: { id: string }) => r.id)).toContain(recordId);
    expect(await json(await q({ businessType: 'account_registration', from: '2026-11-24' }))).toEqual([]);
    // PD-9: a Guangzhou archive clerk sees nothing of it; the counter clerk of Guangzhou holds no archive post
    const gz = await gzArchiveCookie(env);
    expect((await env.call('GET', `/admin-api/archive-records/${recordId}`, { cookie: gz })).status).toBe(404);
    expect(await json(await env.call('GET', `/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify({ q: reference }))}`, { cookie: gz }))).toEqual([]);
    expect((await env.call('GET', `/admin-api/archive-records/${recordId}`, { cookie: await staffCookie(env, 'gz.intake') })).status).toBe(403);
    // the province sees its cities
    expect((await env.call('GET', `/admin-api/archive-records/${recordId}`, { cookie: await staffCookie(env, 'gd.review') })).status).toBe(200);
    // a bad filter is a localised 400
    const bad = await env.call('GET', `/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify({ from: 'yesterday' }))}`, { cookie: review });
    expect(bad.status).toBe(400);
    expect((await env.call('GET', `/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify({ to: '2026-02-30' }))}`, { cookie: review })).status).toBe(400);
  });

  it('X-6.2 R-12.3 check-in is reconciled with the system and checked against the checklist; the account’s 档案岗 step is done with it', async () => {
    const body = { businessType: 'account_registration', caseRef: reference, checkedDocuments: ['application_form_original'], bound: true, room: 'A101', cabinet: '03', shelf: '2', box: '0415' };
    const missing = await json(await env.call('POST', '/admin-api/paper-files', { cookie: archive, body }), 422);
    expect(missing.code).toBe('archives.checklist_incomplete');
    expect(fieldsOf(missing)).toEqual({ checkedDocuments: 'archives.checklist_incomplete' });
    expect(missing.detail).toContain('身份证明复印件');
    const unknown = await json(await env.call('POST', '/admin-api/paper-files', { cookie: archive, body: { ...body, caseRef: 'YH-NOPE' } }), 422);
    expect(unknown.code).toBe('archives.case_not_archived');
    expect((await env.call('POST', '/admin-api/paper-files', { cookie: review, body })).status).toBe(403);
    const f = await json(await env.call('POST', '/admin-api/paper-files', { cookie: archive, body: { ...body, checkedDocuments: ['application_form_original', 'identity_document_copy'] } }), 201);
    fileId = f.id;
    expect(f).toMatchObject({ status: 'on_shelf', bound: true, location: 'A101 / 03 / 2 / 0415', archiveRecordId: recordId });
    expect(f.fileNo).toMatch(/^DA-440300-2026-\d{6}$/);
    expect(f.events.map((e: { kind: string }) => e.kind)).toEqual(['checked_in', 'bound']);
    const [acc] = await env.sql<{ status: string; file_location: string }[]>`
      SELECT r.status, r.file_location FROM account_archive r JOIN account_application a ON a.id = r.application_id WHERE a.reference = ${reference}`;
    expect(acc).toMatchObject({ status: 'archived', file_location: `${f.fileNo} A101 / 03 / 2 / 0415` });
    const twice = await json(await env.call('POST', '/admin-api/paper-files', { cookie: archive, body: { ...body, checkedDocuments: ['application_form_original', 'identity_document_copy'] } }), 409);
    expect(twice.code).toBe('archives.paper_file_exists');
    // the record page shows its paper file
    expect((await json(await env.call('GET', `/admin-api/archive-records/${recordId}`, { cookie: archive }))).paperFile).toMatchObject({ id: fileId });
  });

  it('X-6.2 X-6.3 a loan is an event (who, why, due back); the file overdue by the injected clock is listed; its return is recorded; the history is whole', async () => {
    const [rv] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'sz.review'`;
    const bad = await json(await env.call('POST', `/admin-api/paper-files/${fileId}/lend`, { cookie: archive, body: { borrowerId: rv!.id, reason: '复核注册材料', dueBack: '2027-02-01' } }), 422);
    expect(fieldsOf(bad)).toEqual({ dueBack: 'archives.due_back_invalid' });
    const lent = await json(await env.call('POST', `/admin-api/paper-files/${fileId}/lend`, { cookie: archive, body: { borrowerId: rv!.id, reason: '复核注册材料', dueBack: '2026-11-25' } }));
    expect(lent).toMatchObject({ status: 'on_loan', loan: { borrower: '深圳审核员 陈国华', overdue: false, dueBack: '2026-11-25T16:00:00.000Z' } });
    expect((await json(await env.call('POST', `/admin-api/paper-files/${fileId}/lend`, { cookie: archive, body: { borrowerId: rv!.id, reason: '再借' } }), 409)).code).toBe('archives.not_on_shelf');
    const overdue = () => env.call('GET', `/admin-api/paper-files?filter=${encodeURIComponent(JSON.stringify({ overdue: 'true' }))}`, { cookie: archive });
    expect(await json(await overdue())).toEqual([]);
    env.clock.set(new Date('2026-11-26T03:00:00Z'));
    archive = await staffCookie(env, 'sz.archive'); // staff sessions idle out after 30 minutes
    const late = await json(await overdue());
    expect(late.map((f: { id: string }) => f.id)).toEqual([fileId]);
    expect(late[0].loan.overdue).toBe(true);
    const back = await json(await env.call('POST', `/admin-api/paper-files/${fileId}/return`, { cookie: archive, body: { note: '完好' } }));
    expect(back.status).toBe('on_shelf');
    expect(back.events.map((e: { kind: string }) => e.kind)).toEqual(['checked_in', 'bound', 'lent', 'returned']);
    expect(back.events[2]).toMatchObject({ counterpart: '深圳审核员 陈国华', reason: '复核注册材料', by: '深圳档案员 何丽' });
    expect(back.events[3].detail).toEqual({ late: true });
    expect((await json(await env.call('POST', `/admin-api/paper-files/${fileId}/return`, { cookie: archive, body: {} }), 409)).code).toBe('archives.not_on_loan');
    const moved = await json(await env.call('POST', `/admin-api/paper-files/${fileId}/move`, { cookie: archive, body: { room: 'B201', cabinet: '01', shelf: '1', box: '0001', reason: '档案室整理' } }));
    expect(moved.events.at(-1)).toMatchObject({ kind: 'moved', detail: { from: 'A101 / 03 / 2 / 0415', to: 'B201 / 01 / 1 / 0001' } });
    expect((await env.call('GET', `/admin-api/paper-files/${fileId}`, { cookie: await gzArchiveCookie(env) })).status).toBe(404);
  });

  it('non-negotiable 2: two 档案岗 lending the same file at once — one loan, the other refused', async () => {
    const [rv] = await env.sql<{ id: string }[]>`SELECT id FROM staff_member WHERE username = 'sz.review'`;
    const results = await Promise.all([1, 2].map(() => env.call('POST', `/admin-api/paper-files/${fileId}/lend`, { cookie: archive, body: { borrowerId: rv!.id, reason: '并发借阅' } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await env.sql`SELECT 1 FROM paper_file_loan WHERE paper_file_id = ${fileId} AND returned_at IS NULL`).toHaveLength(1);
    await json(await env.call('POST', `/admin-api/paper-files/${fileId}/return`, { cookie: archive, body: {} }));
  });

  it('ADR-037 a person’s files move to another city with both sides’ confirmation', async () => {
    const gz = await gzArchiveCookie(env);
    archive = await staffCookie(env, 'sz.archive');
    const same = await json(await env.call('POST', '/admin-api/paper-file-transfers', { cookie: archive, body: { idNumber: CHEN_JING.idNumber, toAuthorityId: '440300', reason: '车辆迁出' } }), 422);
    expect(fieldsOf(same)).toEqual({ toAuthorityId: 'archives.transfer_same_city' });
    const t = await json(await env.call('POST', '/admin-api/paper-file-transfers', { cookie: archive, body: { idNumber: CHEN_JING.idNumber, toAuthorityId: '440100', reason: '车辆迁出至广州' } }), 201);
    expect(t).toMatchObject({ status: 'sent', files: [expect.stringMatching(/^DA-/)], canReceive: false });
    // only the receiving city is offered the decision
    expect((await json(await env.call('GET', `/admin-api/paper-file-transfers/${t.id}`, { cookie: gz }))).canReceive).toBe(true);
    expect(JSON.stringify(t)).not.toContain(CHEN_JING.idNumber);
    expect((await json(await env.call('GET', `/admin-api/paper-files/${fileId}`, { cookie: archive }))).status).toBe('in_transfer');
    // the sender cannot confirm its own transfer
    expect((await env.call('POST', `/admin-api/paper-file-transfers/${t.id}/receive`, { cookie: archive, body: { room: 'G1', cabinet: '1', shelf: '1', box: '1' } })).status).toBe(404);
    const done = await json(await env.call('POST', `/admin-api/paper-file-transfers/${t.id}/receive`, { cookie: gz, body: { room: 'G1', cabinet: '1', shelf: '1', box: '1' } }));
    expect(done.status).toBe('received');
    expect((await env.call('GET', `/admin-api/paper-files/${fileId}`, { cookie: archive })).status).toBe(404);
    const there = await json(await env.call('GET', `/admin-api/paper-files/${fileId}`, { cookie: gz }));
    expect(there).toMatchObject({ authorityId: '440100', status: 'on_shelf', location: 'G1 / 1 / 1 / 1' });
    expect(there.events.slice(-2).map((e: { kind: string; city: string }) => [e.kind, e.city])).toEqual([['transfer_sent', '深圳市'], ['transfer_received', '广州市']]);
    expect((await json(await env.call('POST', `/admin-api/paper-file-transfers/${t.id}/refuse`, { cookie: gz, body: { reason: '重复' } }), 409)).code).toBe('archives.transfer_decided');
  });
});

describe('archives: digest chain, retention, destruction, returned certificates (X-6.1, X-6.2, ADR-036)', async () => {
  const env = await testEnv({ start: MONDAY });
  const archive = await staffCookie(env, 'sz.archive');
  const actor = { kind: 'system' as const, label: 'test' };
  const meta = () => ({ requestId: crypto.randomUUID(), ip: '127.0.0.1', now: env.clock.now() });
  const put = (c: Parameters<typeof archiveCase>[3]) => env.sql.begin((tx) => archiveCase(tx, actor, meta(), c));

  it('X-6.1 search by plate and by licence finds the record', async () => {
    const r = await put({ businessType: 'replacement', caseRef: 'BH-PLATE-1', authorityId: '440300', plateNo: '粤B9X001', licenceNo: '440300001', data: { x: 1 }, finishedAt: env.clock.now() });
    const q = (f: Record<string, string>) => env.call('GET', `/admin-api/archive-records?filter=${encodeURIComponent(JSON.stringify(f))}`, { cookie: archive });
    expect((await json(await q({ plateNo: '粤B9X001' }))).map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect((await json(await q({ licenceNo: '440300001' }))).map((x: { id: string }) => x.id)).toEqual([r.id]);
    expect((await json(await q({ q: '粤B9X001' }))).map((x: { id: string }) => x.id)).toEqual([r.id]);
  });

  it('X-6.1 tamper test: a row changed directly in SQL is reported by verification, at that record', async () => {
    const a = await put({ businessType: 'exam', caseRef: 'KS-1', authorityId: '440300', data: { score: 80 }, finishedAt: env.clock.now() });
    await put({ businessType: 'exam', caseRef: 'KS-2', authorityId: '440300', data: { score: 95 }, finishedAt: env.clock.now() });
    const chains = async () => (await json(await env.call('GET', '/admin-api/archive-chains', { cookie: archive }))) as { id: string; ok: boolean; brokenAt: { recordId: string; reason: string } | null }[];
    expect((await chains()).find((c) => c.id === '440300/exam')).toMatchObject({ ok: true, brokenAt: null });
    // the append-only guard refuses the change …
    await expect(env.sql`UPDATE archive_record SET content = jsonb_set(content, '{data,score}', '100') WHERE id = ${a.id}`).rejects.toThrow(/append-only/);
    // … so someone with the database's keys switches it off and changes the score
    await env.sql.begin(async (tx) => {
      await tx`ALTER TABLE archive_record DISABLE TRIGGER archive_record_append_only`;
      await tx`UPDATE archive_record SET content = jsonb_set(content, '{data,score}', '100') WHERE id = ${a.id}`;
      await tx`ALTER TABLE archive_record ENABLE TRIGGER archive_record_append_only`;
    });
    const broken = (await chains()).find((c) => c.id === '440300/exam')!;
    expect(broken).toMatchObject({ ok: false, brokenAt: { recordId: a.id, reason: 'content_changed' } });
    expect((await json(await env.call('GET', `/admin-api/archive-records/${a.id}`, { cookie: archive }))).contentOk).toBe(false);
  });

  it('ADR-036 retention is configurable by 管理岗 only; a bad value is a localised 400 that changes nothing', async () => {
    const review = await staffCookie(env, 'sz.review');
    expect((await env.call('PUT', '/admin-api/archive-retention/inspection_booking', { cookie: archive, body: { years: 5 } })).status).toBe(403);
    const bad = await env.call('PUT', '/admin-api/archive-retention/inspection_booking', { cookie: review, body: { years: 0 }, headers: { 'accept-language': 'en' } });
    expect(bad.status).toBe(400);
    expect((await json(await env.call('GET', '/admin-api/archive-retention/inspection_booking', { cookie: archive }))).years).toBe(3);
    expect(await json(await env.call('PUT', '/admin-api/archive-retention/inspection_booking', { cookie: review, body: { years: 5, note: '按工作规范' } }))).toMatchObject({ years: 5 });
    expect((await env.call('PUT', '/admin-api/archive-retention/nothing_here', { cookie: review, body: { years: 5 } })).status).toBe(404);
  });

  it('X-6.1 ADR-036 destruction: the durable job proposes records past retention, 档案岗 approves, the content is dropped and a tombstone with its digest kept; the chain still verifies', async () => {
    const old = await put({ businessType: 'inspection_booking', caseRef: 'JY-OLD', authorityId: '440300', plateNo: '粤B0LD01', data: { booking: 1 }, finishedAt: new Date('2020-01-06T02:00:00Z') });
    const fresh = await put({ businessType: 'inspection_booking', caseRef: 'JY-NEW', authorityId: '440300', data: { booking: 2 }, finishedAt: env.clock.now() });
    await env.sql`UPDATE job SET run_at = ${env.clock.now()} WHERE kind = 'archives.propose_destructions' AND status = 'queued'`;
    await runDueJobs(env.deps, jobHandlers, env.clock.now());
    const proposed = await json(await env.call('GET', `/admin-api/archive-destructions?filter=${encodeURIComponent(JSON.stringify({ status: 'proposed' }))}`, { cookie: archive }));
    expect(proposed.map((d: { recordId: string }) => d.recordId)).toEqual([old.id]);
    expect(proposed.map((d: { recordId: string }) => d.recordId)).not.toContain(fresh.id);
    // the job runs again tomorrow; nothing is proposed twice
    const [next] = await env.sql<{ run_at: Date }[]>`SELECT run_at FROM job WHERE kind = 'archives.propose_destructions' AND status = 'queued'`;
    expect(next!.run_at.getTime()).toBeGreaterThan(env.clock.now().getTime());
    expect((await env.call('POST', `/admin-api/archive-destructions/${proposed[0].id}/approve`, { cookie: await staffCookie(env, 'sz.review'), body: {} })).status).toBe(403);
    const done = await json(await env.call('POST', `/admin-api/archive-destructions/${proposed[0].id}/approve`, { cookie: archive, body: { note: '保管期满' } }));
    expect(done).toMatchObject({ status: 'approved', recordStatus: 'destroyed', digest: old.digest });
    const [row] = await env.sql<{ content: unknown; plate_no: string | null; digest: string; status: string }[]>`SELECT content, plate_no, digest, status FROM archive_record WHERE id = ${old.id}`;
    expect(row).toEqual({ content: null, plate_no: null, digest: old.digest, status: 'destroyed' });
    expect(await env.sql`SELECT 1 FROM audit_log WHERE action = 'archives.record_destroyed' AND entity_id = ${old.id}`).toHaveLength(1);
    expect((await json(await env.call('POST', `/admin-api/archive-destructions/${proposed[0].id}/approve`, { cookie: archive, body: {} }), 409)).code).toBe('archives.destruction_decided');
    const chains = await json(await env.call('GET', '/admin-api/archive-chains', { cookie: archive }));
    expect(chains.find((c: { id: string }) => c.id === '440300/inspection_booking')).toMatchObject({ ok: true });
    expect((await json(await env.call('GET', `/admin-api/archive-records/${old.id}`, { cookie: archive }))).data).toBeNull();
  });

  it('X-6.2 R-29.2 a returned certificate is destroyed with a record; 恢复证芯 only for an archived case, 退办 only for one not archived', async () => {
    await put({ businessType: 'licence_service', caseRef: 'JZ-1', authorityId: '440300', data: {}, finishedAt: env.clock.now() });
    const rec = (body: Record<string, string>) => env.call('POST', '/admin-api/returned-certificates', { cookie: archive, body: { businessType: 'licence_service', certificate: 'driving_licence', reason: '交回旧证', ...body } });
    expect(await json(await rec({ caseRef: 'JZ-1', serial: '440300000111', action: 'destroyed' }), 201)).toMatchObject({ action: 'destroyed', by: '深圳档案员 何丽' });
    expect((await json(await rec({ caseRef: 'JZ-1', serial: '440300000111', action: 'destroyed' }), 409)).code).toBe('archives.certificate_recorded');
    const withdraw = await json(await rec({ caseRef: 'JZ-1', serial: '440300000112', action: 'case_withdrawn' }), 422);
    expect(fieldsOf(withdraw)).toEqual({ action: 'archives.withdraw_needs_no_archive' });
    expect((await json(await rec({ caseRef: 'JZ-2', serial: '440300000113', action: 'core_restored' }), 422)).code).toBe('archives.core_restore_needs_archive');
    expect(await json(await rec({ caseRef: 'JZ-1', serial: '440300000114', action: 'core_restored' }), 201)).toMatchObject({ action: 'core_restored' });
    expect(await json(await rec({ caseRef: 'JZ-2', serial: '440300000115', action: 'case_withdrawn' }), 201)).toMatchObject({ action: 'case_withdrawn' });
    expect(await env.sql`SELECT kind FROM paper_file_event WHERE kind IN ('certificate_destroyed', 'core_restored', 'case_withdrawn') ORDER BY id`).toEqual([{ kind: 'certificate_destroyed' }, { kind: 'core_restored' }, { kind: 'case_withdrawn' }]);
  });
});

describe('X-6.1 the account cases of chapter 2 are each archived exactly once when they end', async () => {
  const env = await testEnv({ start: MONDAY });
  const count = async (type: string, userId: string) => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM archive_record WHERE business_type = ${type} AND user_account_id = ${userId}`)[0]!.n;

  it('X-6.1 online registration, contact change and binding: one record each', async () => {
    const { signUp } = await import('../accounts/testing.ts');
    const res = await signUp(env, { name: '赵磊', idNumber: '440306197902142234', phone: '13500135000' });
    expect(res.status).toBe(201);
    const [u] = await env.sql<{ id: string }[]>`SELECT id FROM user_account WHERE phone = '13500135000'`;
    expect(await count('account_registration', u!.id)).toBe(1);
    const r = await env.call('POST', '/api/v1/me/contact', { cookie: res.cookie, body: { email: 'zhao.lei@example.cn', postalAddress: null, postcode: null } });
    expect(r.status).toBe(200);
    expect(await count('account_change', u!.id)).toBe(1);
    // an online binding is its own case: unbinding is not archived, binding again is (one record, by its plate)
    const [b] = await env.sql<{ vehicle_id: string; plate_no: string }[]>`
      SELECT b.vehicle_id, v.plate_no FROM vehicle_binding b JOIN vehicle v ON v.id = b.vehicle_id WHERE b.user_account_id = ${u!.id} AND b.unbound_at IS NULL LIMIT 1`;
    expect((await env.call('POST', `/api/v1/me/vehicles/${b!.vehicle_id}/unbind`, { cookie: res.cookie })).status).toBe(200);
    expect(await count('account_binding', u!.id)).toBe(0);
    expect((await env.call('POST', `/api/v1/me/vehicles/${b!.vehicle_id}/bind`, { cookie: res.cookie })).status).toBe(200);
    expect(await count('account_binding', u!.id)).toBe(1);
    const [rec] = await env.sql<{ plate_no: string; authority_id: string }[]>`SELECT plate_no, authority_id FROM archive_record WHERE business_type = 'account_binding' AND user_account_id = ${u!.id}`;
    expect(rec).toEqual({ plate_no: b!.plate_no, authority_id: '440300' });
  });

  it('X-6.1 R-13.3 a unit registered at the counter ends at acceptance: archived once with its five scans; its paper file needs the unit checklist', async () => {
    const { ORG_DOCS } = await import('../accounts/testing.ts');
    const intake = await staffCookie(env, 'sz.intake');
    const hospital = {
      organisationKind: 'public_institution', organisationName: '深圳市滨海人民医院', uscc: '1244030045571806XX', postalAddress: '广东省深圳市南山区后海大道2108号',
      postcode: '518057', legalRepName: '郭志远', legalRepPhone: '19170466362',
      agent: { name: '任静怡', sex: 'F', birthDate: '1998-01-05', idType: 'resident_id', idNumber: '440309199801053521', phone: '13312345678', email: 'fleet@binhai.example.com' },
      matters: '注册单位用户，绑定本单位机动车',
    };
    const docs = await scan(env, intake, ORG_DOCS);
    const a = await json(await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form: hospital, documents: docs } }), 201);
    expect((await env.call('POST', '/admin-api/account-applications', { cookie: intake, body: { subject: 'organisation', kind: 'registration', form: hospital, documents: docs } })).status).toBe(409);
    const rows = await env.sql<{ organisation_id: string | null; files: number }[]>`
      SELECT r.organisation_id, (SELECT count(*)::int FROM archive_record_object o WHERE o.record_id = r.id) AS files FROM archive_record r WHERE r.case_ref = ${a.reference}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ files: 5 });
    expect(rows[0]!.organisation_id).not.toBeNull();
    const archive = await staffCookie(env, 'sz.archive');
    const body = { businessType: 'account_registration', caseRef: a.reference, checkedDocuments: ['application_form_original', 'identity_document_copy'], bound: false, room: 'A1', cabinet: '1', shelf: '1', box: '1' };
    const refused = await json(await env.call('POST', '/admin-api/paper-files', { cookie: archive, body }), 422);
    expect(refused.detail).toContain('委托书原件');
    const f = await json(await env.call('POST', '/admin-api/paper-files', {
      cookie: archive, body: { ...body, checkedDocuments: ['application_form_original', 'organisation_certificate_copy', 'letter_of_authorisation_original', 'agent_identity_document_copy'] },
    }), 201);
    expect(f.requiredDocuments).toHaveLength(4);
  });
});
