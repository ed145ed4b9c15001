import postgres, { type Sql } from 'postgres';

export type { Sql, TransactionSql } from 'postgres';
/** Either the pool or a transaction: every repo function takes one of these. */
export type Db = Sql | postgres.TransactionSql;
/** A piece of SQL made by `db\`…\`` to put inside another statement (a column instead of a value, say). */
export type SqlFragment = ReturnType<Db['unsafe']>;

/**
 * postgres.js with `date` columns kept as 'YYYY-MM-DD' strings (a calendar
 * day has no time zone) and bigint counters as JS numbers.
 */
export function createSql(
  url: string,
  opts: {
    max?: number;
    debug?: (connection: number, query: string, params: unknown[]) => void;
    /** Settings of each connection, sent when it opens (tests: test/query-plans.ts). */
    connection?: Record<string, string>;
    onnotice?: (notice: postgres.Notice) => void;
  } = {},
): Sql {
  return postgres(url, {
    max: opts.max ?? 20,
    ...(opts.debug ? { debug: opts.debug } : {}),
    ...(opts.connection ? { connection: opts.connection } : {}),
    idle_timeout: 30,
    connect_timeout: 5,
    // While the server is unreachable, every query waiting for a connection triggers the next
    // attempt; postgres.js's default backoff (up to 20 s between attempts) leaves requests hanging
    // for tens of seconds before their 503. A refused connection fails in well under a millisecond,
    // so retry almost at once: requests answer 503 at once while Postgres is down, and the pool
    // is back the moment it is (test/chaos/restart-postgres.test.ts).
    backoff: (attempt: number) => Math.min(0.01 * attempt, 0.1),
    onnotice: opts.onnotice ?? (() => {}),
    types: {
      date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
}
