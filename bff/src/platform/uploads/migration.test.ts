import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { createDatabase, dropDatabase, listMigrations, migrate } from 'db';

/**
 * Migration 0008 (ADR-021): the two upload tables become one, every file kept
 * with its id, and every reference to either table still resolves — checked
 * on a database holding files and references in both stores as of 0007.
 */
const MIGRATIONS = path.resolve(import.meta.dirname, '../../../../db/migrations');

/** A folder with the numbered migrations up to `version`, as a database of that time saw them. */
function migrationsUpTo(version: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'jg-mig-'));
  for (const m of listMigrations(MIGRATIONS).filter((m) => m.version <= version)) copyFileSync(path.join(MIGRATIONS, m.file), path.join(dir, m.file));
  return dir;
}

const ids = {
  scan: '10000000-0000-4000-8000-00000000a001',
  photo: '10000000-0000-4000-8000-00000000a002',
  insurance: '10000000-0000-4000-8000-00000000b001',
  dealerDoc: '10000000-0000-4000-8000-00000000b002',
  receiving: '10000000-0000-4000-8000-00000000b003',
};
const someone = '20000000-0000-4000-8000-00000000c001';

describe('migration 0008: one upload store', async () => {
  const server = inject('pgServerUrl');
  const name = `jg_t${inject('pgTemplate').slice(7)}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(server, name);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const dirs = [migrationsUpTo('0007'), migrationsUpTo('0008')];
  afterAll(async () => {
    await sql.end({ timeout: 1 });
    await dropDatabase(server, name).catch(() => {});
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  await migrate(sql, dirs[0]);
  // Files and their references as 0007 stored them. The referencing rows' other parents are not the point:
  // foreign-key triggers are off for this session; the migration's new foreign keys check the upload ids themselves.
  await sql.begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await tx`
      INSERT INTO upload (id, purpose, content_type, size_bytes, sha256, data, owner_kind, owner_id, authority_id, created_at) VALUES
        (${ids.scan}, 'application_form', 'application/pdf', 5, ${'a'.repeat(64)}, '\\x255044462d'::bytea, 'staff', ${someone}, '440300', '2026-01-05T02:00:00Z'),
        (${ids.photo}, 'certificate_photo', 'image/jpeg', 3, ${'b'.repeat(64)}, '\\xffd8ff'::bytea, 'user', ${someone}, '440300', '2026-01-05T02:00:00Z')`;
    await tx`
      INSERT INTO evidence_upload (id, owner_kind, owner_id, purpose, file_name, content_type, size_bytes, sha256, content, next_chunk, status, created_at, completed_at) VALUES
        (${ids.insurance}, 'user', ${someone}, 'insurance_certificate', 'jqx.png', 'image/png', 8, ${'c'.repeat(64)}, '\\x89504e470d0a1a0a'::bytea, 1, 'complete', '2026-01-06T02:00:00Z', '2026-01-06T02:01:00Z'),
        (${ids.dealerDoc}, 'staff', ${someone}, 'qualification_document', 'permit.pdf', 'application/pdf', 5, ${'d'.repeat(64)}, '\\x255044462d'::bytea, 1, 'complete', '2026-01-06T02:00:00Z', '2026-01-06T02:01:00Z'),
        (${ids.receiving}, 'staff', ${someone}, 'qualification_document', 'half.pdf', 'application/pdf', 10, ${'e'.repeat(64)}, '\\x2550'::bytea, 1, 'receiving', '2026-01-06T02:00:00Z', NULL)`;
    await tx`INSERT INTO account_application_document (application_id, purpose, upload_id) VALUES (${someone}, 'application_form', ${ids.scan})`;
    await tx`
      INSERT INTO certificate_photo_submission (user_account_id, licence_id, upload_id, authority_id, submitted_at, due_at)
      VALUES (${someone}, ${someone}, ${ids.photo}, '440300', '2026-01-05T02:00:00Z', '2026-01-06T16:00:00Z')`;
    await tx`
      INSERT INTO replacement_application (reference, user_account_id, vehicle_id, authority_id, item, kind, plate_kind, delivery, insurance_upload_id, submitted_at, accept_deadline, updated_at)
      VALUES ('R-MIG-1', ${someone}, ${someone}, '440300', 'inspection_sticker', 'replacement', 'small_blue', 'pickup', ${ids.insurance},
              '2026-01-06T02:00:00Z', '2026-01-07T16:00:00Z', '2026-01-06T02:00:00Z')`;
    await tx`INSERT INTO dealer_qualification_document (review_id, kind, upload_id) VALUES (${someone}, 'sales_permit', ${ids.dealerDoc})`;
  });
  const applied = await migrate(sql, dirs[1]);

  it('applies', () => {
    expect(applied.applied).toEqual(['0008_one_upload_store.sql']);
  });

  it('keeps every file of both stores with its id, bytes, checksum and state', async () => {
    const rows = await sql<{ id: string; purpose: string; status: string; file_name: string | null; content: Buffer; sha256: string; completed_at: Date | null; next_chunk: number }[]>`
      SELECT id, purpose, status, file_name, content, sha256, completed_at, next_chunk FROM upload ORDER BY id`;
    expect(rows.map((r) => [r.id, r.purpose, r.status, r.file_name])).toEqual([
      [ids.scan, 'application_form', 'complete', null],
      [ids.photo, 'certificate_photo', 'complete', null],
      [ids.insurance, 'insurance_certificate', 'complete', 'jqx.png'],
      [ids.dealerDoc, 'qualification_document', 'complete', 'permit.pdf'],
      [ids.receiving, 'qualification_document', 'receiving', 'half.pdf'],
    ]);
    expect(rows[0]!.content.toString('hex')).toBe('255044462d');
    expect(rows[2]!.content.toString('hex')).toBe('89504e470d0a1a0a');
    expect(rows[4]!.content.toString('hex')).toBe('2550');
    expect(rows[3]!.sha256).toBe('d'.repeat(64));
    // 0002's files were complete when stored: completed when created.
    expect(rows[0]!.completed_at?.toISOString()).toBe('2026-01-05T02:00:00.000Z');
    expect(rows[4]!.completed_at).toBeNull();
    expect(rows[4]!.next_chunk).toBe(1);
  });

  it('drops the other table; every reference to a file now points at the one store and still resolves', async () => {
    const [gone] = await sql<{ t: string | null }[]>`SELECT to_regclass('evidence_upload')::text AS t`;
    expect(gone!.t).toBeNull();
    const fks = await sql<{ tbl: string; def: string }[]>`
      SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE contype = 'f' AND pg_get_constraintdef(oid) LIKE '%upload%' ORDER BY 1`;
    expect(fks.map((f) => [f.tbl, f.def.replace(/.*REFERENCES /, '')])).toEqual([
      ['account_application_document', 'upload(id)'],
      ['certificate_photo_submission', 'upload(id)'],
      ['dealer_qualification_document', 'upload(id)'],
      ['replacement_application', 'upload(id)'],
    ]);
    const [joined] = await sql<{ n: number }[]>`
      SELECT (SELECT count(*) FROM account_application_document d JOIN upload u ON u.id = d.upload_id)
           + (SELECT count(*) FROM certificate_photo_submission s JOIN upload u ON u.id = s.upload_id)
           + (SELECT count(*) FROM replacement_application a JOIN upload u ON u.id = a.insurance_upload_id)
           + (SELECT count(*) FROM dealer_qualification_document d JOIN upload u ON u.id = d.upload_id) AS n`;
    expect(Number(joined!.n)).toBe(4);
  });

  it('the table guards what both did: whole files complete, chunks within the declared size, a purpose of the right form', async () => {
    const insert = (over: { status?: string; content?: string; size?: number; purpose?: string; completed?: boolean }) => sql`
      INSERT INTO upload (purpose, content_type, size_bytes, sha256, content, owner_kind, owner_id, status, created_at, completed_at)
      VALUES (${over.purpose ?? 'onsite_photo'}, 'image/jpeg', ${over.size ?? 3}, ${'f'.repeat(64)}, decode(${over.content ?? 'ffd8ff'}, 'hex'), 'staff', ${someone},
              ${over.status ?? 'complete'}, now(), ${over.completed === false ? null : new Date()})`;
    await expect(insert({ content: 'ffd8' })).rejects.toMatchObject({ constraint_name: 'upload_complete_is_whole' });
    await expect(insert({ status: 'receiving', content: 'ffd8ff00', size: 3, completed: false })).rejects.toMatchObject({ constraint_name: 'upload_received_within_size' });
    await expect(insert({ status: 'receiving' })).rejects.toMatchObject({ constraint_name: 'upload_completed_at' });
    await expect(insert({ purpose: 'Not A Kind' })).rejects.toMatchObject({ constraint_name: 'upload_purpose_form' });
    await expect(insert({})).resolves.toBeDefined();
  });
});
