import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testEnv } from '../../test/support.ts';
import { archiveCase, chainDigestOf, contentDigestOf, GENESIS_DIGEST } from './archive.ts';
import { writeAudit } from './audit.ts';
import { enqueueMessage } from './outbox.ts';
import { referenceSource } from './references.ts';

describe('platform/archive: archiveCase (X-6.1, ADR-036)', async () => {
  const env = await testEnv();
  const { sql } = env;
  const actor = { kind: 'system' as const, label: 'test' };
  const meta = () => ({ requestId: 'req-archive', ip: '127.0.0.1', now: env.clock.now() });
  const upload = async (bytes: string, purpose = 'counter_scan') => {
    const buf = Buffer.from(bytes);
    const sha = createHash('sha256').update(buf).digest('hex');
    const [u] = await sql<{ id: string }[]>`
      INSERT INTO upload (purpose, content_type, size_bytes, sha256, content, owner_kind, owner_id, authority_id, status, created_at, completed_at)
      VALUES (${purpose}, 'image/jpeg', ${buf.length}, ${sha}, ${buf}, 'staff', gen_random_uuid(), '440300', 'complete', now(), now()) RETURNING id`;
    return u!.id;
  };

  it('X-6.1 a finished case becomes one record with its data, review trail, messages and files; a file stored twice is one object', async () => {
    const caseId = crypto.randomUUID();
    const a = await upload('scan-of-form-' + caseId);
    const b = await upload('scan-of-form-' + caseId); // the same content again
    const c = await upload('id-copy-' + caseId);
    await sql.begin(async (tx) => {
      await writeAudit(tx, { kind: 'staff', id: crypto.randomUUID(), label: '受理员', authorityId: '440300' }, meta(), { action: 'test.accepted', entityType: 'test_case', entityId: caseId });
      await writeAudit(tx, { kind: 'staff', id: crypto.randomUUID(), label: '审核员', authorityId: '440300' }, meta(), { action: 'test.approved', entityType: 'test_case', entityId: caseId });
      await enqueueMessage(tx, { channel: 'sms', recipient: '13800138000', template: 'test.done', authorityId: '440300', dedupeKey: `test.done:${caseId}` }, meta().now);
    });
    const ref = await sql.begin((tx) => archiveCase(tx, actor, meta(), {
      businessType: 'account_registration', caseRef: caseId, authorityId: '440300', plateNo: '粤B12345',
      data: { form: { name: '张三' }, payment: { amount: 10 } }, uploadIds: [a, b, c], finishedAt: env.clock.now(),
    }));
    expect(ref.version).toBe(1);
    const [rec] = await sql<{ content: { trail: { action: string }[]; messages: { template: string }[]; files: { sha256: string }[]; data: unknown } }[]>`SELECT content FROM archive_record WHERE id = ${ref.id}`;
    expect(rec!.content.trail.map((t) => t.action)).toEqual(['test.accepted', 'test.approved']);
    expect(rec!.content.messages.map((m) => m.template)).toEqual(['test.done']);
    expect(rec!.content.files).toHaveLength(3);
    expect(rec!.content.data).toEqual({ form: { name: '张三' }, payment: { amount: 10 } });
    const shas = rec!.content.files.map((f) => f.sha256);
    expect(shas[0]).toBe(shas[1]);
    const objects = await sql`SELECT sha256 FROM archive_object WHERE sha256 = ANY(${shas}::text[])`;
    expect(objects).toHaveLength(2);
    expect(await sql`SELECT 1 FROM audit_log WHERE action = 'archives.record_archived' AND entity_id = ${ref.id}`).toHaveLength(1);
  });

  it('X-6.1 append-only and versioned: the same case unchanged answers its record; a correction is version 2, version 1 kept; UPDATE and DELETE are refused', async () => {
    const caseRef = `T-${crypto.randomUUID().slice(0, 8)}`;
    const finishedAt = env.clock.now();
    const arch = (data: Record<string, unknown>) => sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'replacement', caseRef, authorityId: '440300', data, finishedAt }));
    const v1 = await arch({ a: 1 });
    expect(await arch({ a: 1 })).toEqual(v1);
    const v2 = await arch({ a: 2 });
    expect(v2.version).toBe(2);
    expect(await sql`SELECT version FROM archive_record WHERE case_ref = ${caseRef} ORDER BY version`).toEqual([{ version: 1 }, { version: 2 }]);
    await expect(sql`UPDATE archive_record SET content = '{"a":3}' WHERE id = ${v1.id}`).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM archive_record WHERE id = ${v1.id}`).rejects.toThrow(/append-only/);
  });

  it('X-6.1 digest chain: each record covers the previous one of its chain (city + business type)', async () => {
    const finishedAt = env.clock.now();
    const refs = [];
    for (let i = 0; i < 3; i++) {
      refs.push(await sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'exam', caseRef: `E-${i}-${crypto.randomUUID().slice(0, 6)}`, authorityId: '440100', data: { i }, finishedAt })));
    }
    const rows = await sql<{ chain: string; chain_seq: number; prev_digest: string; content_digest: string; digest: string; business_type: string; case_ref: string; version: number; authority_id: string; person_id: null; organisation_id: null; user_account_id: null; plate_no: null; licence_no: null; finished_at: Date; content: unknown }[]>`
      SELECT * FROM archive_record WHERE chain = '440100/exam' ORDER BY chain_seq`;
    let prev = GENESIS_DIGEST;
    for (const r of rows) {
      expect(r.prev_digest).toBe(prev);
      expect(contentDigestOf(r)).toBe(r.content_digest);
      expect(chainDigestOf(prev, r.chain, r.chain_seq, r.content_digest)).toBe(r.digest);
      prev = r.digest;
    }
    expect(rows.at(-1)!.digest).toBe(refs.at(-1)!.digest);
  });

  it('non-negotiable 2: concurrent archiving into one chain keeps it gap-free and linked', async () => {
    const finishedAt = env.clock.now();
    await Promise.all(Array.from({ length: 8 }, (_, i) => sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'violation', caseRef: `V-${i}`, authorityId: '440300', data: { i }, finishedAt }))));
    const rows = await sql<{ chain_seq: number; prev_digest: string; digest: string }[]>`SELECT chain_seq, prev_digest, digest FROM archive_record WHERE chain = '440300/violation' ORDER BY chain_seq`;
    expect(rows.map((r) => r.chain_seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_digest).toBe(rows[i - 1]!.digest);
  });

  it('ADR-036 retention: retain_until follows the business type (default row when the type has none, NULL when permanent)', async () => {
    const finishedAt = new Date('2026-11-25T02:00:00Z');
    const r1 = await sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'inspection_booking', caseRef: 'I-ret', authorityId: '440300', data: {}, finishedAt }));
    const r2 = await sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'account_registration', caseRef: 'R-ret', authorityId: '440300', data: {}, finishedAt }));
    const r3 = await sql.begin((tx) => archiveCase(tx, actor, meta(), { businessType: 'something_new', caseRef: 'N-ret', authorityId: '440300', data: {}, finishedAt }));
    const until = async (id: string) => (await sql<{ retain_until: string | null }[]>`SELECT retain_until FROM archive_record WHERE id = ${id}`)[0]!.retain_until;
    expect(await until(r1.id)).toBe('2029-11-25');
    expect(await until(r2.id)).toBeNull();
    expect(await until(r3.id)).toBe('2056-11-25');
  });

  it('X-6.1 a new case\'s number drawn twice (32 random bits a day, ADR-041): the second case gets another, version 1, never a version of the first', async () => {
    const taken = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    let draws = 0;
    const realBytes = referenceSource.bytes;
    referenceSource.bytes = (n) => (n === taken.length && ++draws <= 3 ? taken : realBytes(n));
    try {
      const file = (person: string) => sql.begin((tx) => archiveCase(tx, actor, meta(), {
        businessType: 'account_change', caseRef: { newCase: 'CHG' }, authorityId: '440300', personId: null, userAccountId: null,
        data: { change: 'contact', person }, finishedAt: env.clock.now(),
      }));
      const first = await file('甲');
      const second = await file('乙');
      expect(first.caseRef).toBe('CHG-20261125-DEADBEEF');
      expect([first.version, second.version]).toEqual([1, 1]);
      expect(second.caseRef).not.toBe(first.caseRef);
      expect(second.caseRef).toMatch(/^CHG-20261125-[0-9A-F]{8}$/);
      const rows = await sql<{ case_ref: string; version: number; person: string }[]>`
        SELECT case_ref, version, content->'data'->>'person' AS person FROM archive_record
        WHERE business_type = 'account_change' AND case_ref = ANY(${[first.caseRef, second.caseRef]}::text[]) ORDER BY person`;
      expect(rows).toHaveLength(2);
      expect(Object.fromEntries(rows.map((r) => [r.person, [r.case_ref, r.version]]))).toEqual({ 甲: [first.caseRef, 1], 乙: [second.caseRef, 1] });
      expect(draws).toBe(4); // the first case's draw; the second's three, two of them taken
    } finally {
      referenceSource.bytes = realBytes;
    }
  });
});
