/**
 * The indexes of the migrated schema, from PostgreSQL's catalog: what
 * test/schema-indexes.test.ts checks across every table and the plates
 * query-plan tests check for plate_number (ADR-040 "Plates: one index of the number").
 */
import type { Sql } from 'postgres';

export type Index = { table: string; name: string; columns: string[]; unique: boolean; predicate: string | null; expressions: boolean; method: string };

/** Every index of the public schema's tables: its key columns in order, uniqueness, partial predicate and access method. */
export function schemaIndexes(sql: Sql): Promise<Index[]> {
  return sql<Index[]>`
    SELECT t.relname AS table, c.relname AS name, i.indisunique AS unique, am.amname AS method,
           pg_get_expr(i.indpred, i.indrelid) AS predicate, i.indexprs IS NOT NULL AS expressions,
           ARRAY(SELECT a.attname::text FROM unnest(i.indkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o) AS columns
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid JOIN pg_am am ON am.oid = c.relam
    JOIN pg_namespace ns ON ns.oid = t.relnamespace WHERE ns.nspname = 'public'`;
}
