/**
 * The embedded PostgreSQL that `npm start`, `npm test` and `pnpm bench` run
 * when DATABASE_URL is unset (db/src/embedded.ts). On a server of one's own
 * (DATABASE_URL) the operator's settings hold, and this file has nothing to check.
 */
import postgres from 'postgres';
import { describe, expect, inject, it } from 'vitest';

describe.skipIf(!!process.env.DATABASE_URL)('the embedded PostgreSQL', () => {
  it('runs PostgreSQL’s own group commit: a commit’s WAL flush waits 300 µs for the commits of two or more open transactions to share it (ADR-040)', async () => {
    const sql = postgres(inject('pgServerUrl'), { max: 1, onnotice: () => {} });
    try {
      const [s] = await sql<{ commit_delay: string; commit_siblings: string; fsync: string; synchronous_commit: string }[]>`
        SELECT current_setting('commit_delay') AS commit_delay, current_setting('commit_siblings') AS commit_siblings,
               current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`;
      expect(s).toEqual({ commit_delay: '300', commit_siblings: '2', fsync: 'on', synchronous_commit: 'on' }); // grouped, and still durable
    } finally {
      await sql.end();
    }
  });
});
