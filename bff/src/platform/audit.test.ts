import { describe, expect, it } from 'vitest';
import { testEnv } from '../../test/support.ts';
import { writeAudit } from './audit.ts';
import type { Actor, RequestMeta } from '../core/context.ts';

const SYSTEM: Actor = { kind: 'system', label: 'audit.test' };
const ZHANG_WEI_ACCOUNT = '50000000-0000-4000-8000-000000000001';

describe('audit log (non-negotiable 5)', async () => {
  const env = await testEnv();
  const meta = (requestId: string): RequestMeta => ({ requestId, ip: '192.0.2.1', now: env.clock.now() });
  const countAction = async (action: string) => (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = ${action}`)[0]!.n;

  it('non-negotiable 5: an audit row commits with its transaction and disappears when the transaction fails', async () => {
    await expect(
      env.sql.begin(async (tx) => {
        await tx`INSERT INTO calendar_override (day, kind, note, updated_at) VALUES ('2026-12-30', 'holiday', 'audit.test', ${env.clock.now()})`;
        await writeAudit(tx, SYSTEM, meta('req-rolled-back'), { action: 'test.rolled_back', entityType: 'calendar_override', entityId: '2026-12-30' });
        // The row is visible inside the transaction…
        const [seen] = await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log WHERE action = 'test.rolled_back'`;
        expect(seen!.n).toBe(1);
        throw new Error('the change fails after the audit row was written');
      }),
    ).rejects.toThrow('the change fails');
    // …and gone with the change after the rollback.
    expect(await countAction('test.rolled_back')).toBe(0);
    expect(await env.sql`SELECT 1 FROM calendar_override WHERE day = '2026-12-30'`).toHaveLength(0);

    await env.sql.begin(async (tx) => {
      await writeAudit(tx, SYSTEM, meta('req-committed'), { action: 'test.committed', entityType: 'thing', entityId: 'x' });
    });
    expect(await countAction('test.committed')).toBe(1);
  });

  it('non-negotiable 5: UPDATE, DELETE and TRUNCATE on audit_log are refused by the trigger', async () => {
    await env.sql.begin((tx) => writeAudit(tx, SYSTEM, meta('req-append-only'), { action: 'test.append_only', entityType: 'thing', entityId: 'orig' }));
    const [row] = await env.sql<{ id: number }[]>`SELECT id FROM audit_log WHERE action = 'test.append_only'`;
    const before = (await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n;

    await expect(env.sql`UPDATE audit_log SET entity_id = 'tampered' WHERE id = ${row!.id}`).rejects.toMatchObject({ code: '42501' });
    await expect(env.sql`UPDATE audit_log SET actor_label = NULL`).rejects.toMatchObject({ code: '42501' });
    await expect(env.sql`DELETE FROM audit_log WHERE id = ${row!.id}`).rejects.toMatchObject({ code: '42501' });
    await expect(env.sql`DELETE FROM audit_log`).rejects.toMatchObject({ code: '42501' });
    await expect(env.sql`TRUNCATE audit_log`).rejects.toMatchObject({ code: '42501' });
    await expect(env.sql`TRUNCATE audit_log CASCADE`).rejects.toMatchObject({ code: '42501' });

    const [after] = await env.sql<{ entity_id: string }[]>`SELECT entity_id FROM audit_log WHERE id = ${row!.id}`;
    expect(after!.entity_id).toBe('orig');
    expect((await env.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM audit_log`)[0]!.n).toBe(before);
  });

  it('non-negotiable 7: snapshots and actor labels are stored masked (ID number, phone)', async () => {
    await env.sql.begin((tx) =>
      writeAudit(tx, { kind: 'staff', id: '90000000-0000-4000-8000-000000000001', label: '受理员 13800138000' }, meta('req-mask'), {
        action: 'test.masked',
        entityType: 'person',
        entityId: 'p1',
        before: { idNumber: '44030519900721340X', phones: ['13700137000'] },
        after: { idNumber: '440304198503122756', phone: '13800138000', note: '张伟 440304198503122756 电话13800138000', nested: { contact: { phone: '13600136000' } } },
      }),
    );
    const [row] = await env.sql<{ before: Record<string, unknown>; after: Record<string, unknown>; actor_label: string }[]>`
      SELECT before, after, actor_label FROM audit_log WHERE action = 'test.masked'`;
    expect(row!.after).toEqual({
      idNumber: '440304********2756',
      phone: '138****8000',
      note: '张伟 440304********2756 电话138****8000',
      nested: { contact: { phone: '136****6000' } },
    });
    expect(row!.before).toEqual({ idNumber: '440305********340X', phones: ['137****7000'] });
    expect(row!.actor_label).toBe('受理员 138****8000');
    const raw = JSON.stringify(row);
    for (const secret of ['440304198503122756', '13800138000', '44030519900721340X', '13700137000', '13600136000']) expect(raw).not.toContain(secret);
  });

  it('PD-14 a hash in hex is not a phone: a draw commitment holding eleven digits 13… is stored whole, a phone beside it masked', async () => {
    const commitment = 'c44d13370241869c017bfedafee9bf66b1c91d6d44550e42766729e31d18d9bd';
    await env.sql.begin((tx) =>
      writeAudit(tx, SYSTEM, meta('req-mask-hex'), {
        action: 'test.masked_hex',
        entityType: 'thing',
        after: { commitment, note: `承诺 ${commitment} 电话13800138000`, phone: '13800138000' },
      }),
    );
    const [row] = await env.sql<{ after: Record<string, unknown> }[]>`SELECT after FROM audit_log WHERE action = 'test.masked_hex'`;
    expect(row!.after).toEqual({ commitment, note: `承诺 ${commitment} 电话138****8000`, phone: '138****8000' });
  });

  it('non-negotiable 7: numbers that are phone or ID numbers are masked too, and the write still succeeds', async () => {
    // A snapshot taken straight from a row may carry a phone as a number; masking must not break the JSON.
    await env.sql.begin((tx) =>
      writeAudit(tx, SYSTEM, meta('req-mask-num'), {
        action: 'test.masked_numbers',
        entityType: 'thing',
        after: { phone: 13800138000, points: 12, fen: 1500000, big: 12345678901234567890n },
      }),
    );
    const [row] = await env.sql<{ after: Record<string, unknown> }[]>`SELECT after FROM audit_log WHERE action = 'test.masked_numbers'`;
    expect(row!.after.phone).toBe('138****8000');
    expect(row!.after.points).toBe(12);
    expect(row!.after.fen).toBe(1500000);
    expect(JSON.stringify(row!.after)).not.toContain('13800138000');
  });

  it('non-negotiable 5: a citizen sign-in writes auth.signed_in with actor, the clock time and the request id', async () => {
    env.clock.advance(3_600_000);
    const at = env.clock.now();
    const requestId = 'audit-test-sign-in-0001';
    const res = await env.call('POST', '/api/v1/auth/sign-in', {
      body: { phone: '13800138000', password: 'Demo#2026pass' },
      headers: { 'x-request-id': requestId, 'x-forwarded-for': '198.51.100.23' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(requestId);
    const rows = await env.sql<{ at: Date; actor_kind: string; actor_id: string; actor_label: string; authority_id: string; entity_type: string; request_id: string; ip: string; after: Record<string, string> }[]>`
      SELECT at, actor_kind, actor_id, actor_label, authority_id, entity_type, request_id, ip, after FROM audit_log WHERE action = 'auth.signed_in'`;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.actor_kind).toBe('user');
    expect(row.actor_id).toBe(ZHANG_WEI_ACCOUNT);
    expect(row.at.toISOString()).toBe(at.toISOString());
    expect(row.request_id).toBe(requestId);
    expect(row.ip).toBe('198.51.100.23');
    expect(row.authority_id).toBe('440300');
    expect(row.entity_type).toBe('session');
    expect(new Date(row.after.absoluteExpiresAt!).getTime()).toBe(at.getTime() + 30 * 24 * 3600_000);
    // The session key in the log is a prefix of the hash, never the cookie token.
    const token = res.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('non-negotiable 5: a refused sign-in is audited too, and a missing request id is generated', async () => {
    const res = await env.call('POST', '/api/v1/auth/sign-in', { body: { phone: '13800138000', password: 'not-the-password-1' } });
    expect(res.status).toBe(401);
    const generated = res.headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await env.sql<{ request_id: string; actor_id: string }[]>`SELECT request_id, actor_id FROM audit_log WHERE action = 'auth.sign_in_failed' ORDER BY id DESC LIMIT 1`;
    expect(row!.request_id).toBe(generated);
    expect(row!.actor_id).toBe(ZHANG_WEI_ACCOUNT);
  });
});
