import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnv, fieldsOf, type TestEnv } from '../../test/support.ts';
import { DomainError, refusalOfConstraint, type ConstraintMap } from './errors.ts';
import { constraintMap } from '../modules/index.ts';

/**
 * One error path (issue 16): a database guard that refuses a write is
 * answered with the refusal its module declared for that constraint; one that
 * no module declared is a bug — 500, never a guessed "already registered".
 */
describe('constraint violations', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv();
    // Two probe routes on the real app, before its first request: each makes the database refuse a write.
    env.app.post('/api/v1/__probe/mapped', async () => {
      const [u] = await env.sql<{ phone: string }[]>`SELECT phone FROM user_account WHERE status = 'active' LIMIT 1`;
      await env.sql`UPDATE user_account SET phone = ${u!.phone} WHERE id = (SELECT id FROM user_account WHERE status = 'active' AND phone <> ${u!.phone} LIMIT 1)`;
      return new Response(null, { status: 204 });
    });
    env.app.post('/api/v1/__probe/unmapped', async () => {
      await env.sql`INSERT INTO staff_member (username, display_name, password_hash, roles, authority_id)
        SELECT username, display_name, password_hash, roles, authority_id FROM staff_member LIMIT 1`;
      return new Response(null, { status: 204 });
    });
  });
  afterAll(() => env.sql.end());

  it('a mapped unique violation answers the module’s refusal at its field (accounts: one account per phone)', async () => {
    const r = await env.call('POST', '/api/v1/__probe/mapped');
    expect(r.status).toBe(409);
    const p = await r.json();
    expect(p.code).toBe('accounts.phone_in_use');
    expect(fieldsOf(p)).toEqual({ phone: 'accounts.phone_in_use' });
    // The field shows the refusal's name and what to do next (the catalog's `next`).
    expect(p.errors[0].detail).toBe(`${p.title}。${p.detail}`);
    expect(p.detail).toContain('短信验证码登录');
  });

  it('an unmapped unique violation is a bug: 500 request.internal, not a guessed refusal', async () => {
    const r = await env.call('POST', '/api/v1/__probe/unmapped');
    expect(r.status).toBe(500);
    const p = await r.json();
    expect(p.code).toBe('request.internal');
    expect(JSON.stringify(p)).not.toContain('staff_member');
  });

  it('every constraint a module maps exists in the database (a renamed index cannot silently become a 500)', async () => {
    const names = new Set(
      (await env.sql<{ name: string }[]>`
        SELECT conname AS name FROM pg_constraint
        UNION SELECT indexname FROM pg_indexes WHERE schemaname = 'public'`).map((r) => r.name),
    );
    expect(Object.keys(constraintMap).filter((n) => !names.has(n))).toEqual([]);
  });

  it('refusalOfConstraint: only integrity violations of a named constraint', () => {
    const map: ConstraintMap = { a_key: 'accounts.already_bound', b_key: { code: 'plates.number_taken', field: 'serial' } };
    expect(refusalOfConstraint({ code: '23505', constraint_name: 'a_key' }, map)).toBeInstanceOf(DomainError);
    expect(refusalOfConstraint({ code: '23505', constraint_name: 'b_key' }, map)?.details).toEqual({ field: 'serial' });
    expect(refusalOfConstraint({ code: '23505', constraint_name: 'other' }, map)).toBeNull();
    expect(refusalOfConstraint({ code: '40001', constraint_name: 'a_key' }, map)).toBeNull();
    expect(refusalOfConstraint(new Error('x'), map)).toBeNull();
  });
});
