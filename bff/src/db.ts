import postgres, { type Sql } from 'postgres';

export type { Sql, TransactionSql } from 'postgres';
/** Either the pool or a transaction: every repo function takes one of these. */
export type Db = Sql | postgres.TransactionSql;

/**
 * postgres.js with `date` columns kept as 'YYYY-MM-DD' strings (a calendar
 * day has no time zone) and bigint counters as JS numbers.
 */
export function createSql(url: string, opts: { max?: number } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 20,
    idle_timeout: 30,
    connect_timeout: 5,
    onnotice: () => {},
    types: {
      date: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  });
}
