/**
 * The plans of batched reads (ADR-040 "Batched reads look up by key"). A
 * batched read joins its requests' input (a JSON array, which PostgreSQL
 * guesses at 100 rows) to the tables it reads; flattened into an ordinary join,
 * the planner may hash the input and scan the whole table, cheaper on paper
 * while the table is small or its statistics stale, and a cost that grows with
 * the table in fact. Each request's row must be a lookup by key, whatever the
 * statistics say.
 *
 * {@link plansOf} runs a call on a connection that records its statements,
 * then EXPLAINs the ones asked for with nested loops and sequential scans
 * priced out of reach (`enable_nestloop`, `enable_seqscan` off): a statement
 * whose plan could be a hash or merge join over the table then shows it (over
 * the whole of an index), and only one whose per-request read cannot be
 * anything but a lookup (a LATERAL subquery with LIMIT, never flattened; keys
 * given as an array) still finds its rows by key. A test's tables are small,
 * where scanning them is cheapest; a deployment's are not.
 */
import type { Sql } from 'postgres';
import { createSql } from '../src/db.ts';

export type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  Plans?: PlanNode[];
  [k: string]: unknown;
};

/** Every node of a plan, depth first. */
export function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

/** The statements `call` sends that match `which`, each EXPLAINed with its own parameters, nested loops and sequential scans priced out. */
export async function plansOf(url: string, which: RegExp, call: (sql: Sql) => Promise<unknown>): Promise<PlanNode[]> {
  const sent: { query: string; params: unknown[] }[] = [];
  let recording = true;
  const sql = createSql(url, {
    max: 1,
    debug: (_c, query, params) => {
      if (recording && which.test(query)) sent.push({ query, params });
    },
  });
  try {
    await sql`SELECT 1`; // the connection open and its array types known before the call's parameters are serialised
    await call(sql);
    recording = false;
    const plans: PlanNode[] = [];
    for (const s of sent) {
      await sql.begin(async (tx) => {
        await tx`SET LOCAL enable_nestloop = off`;
        await tx`SET LOCAL enable_seqscan = off`; // a test's tables are small; a deployment's are not
        const params = s.params.map((p) => (Array.isArray(p) ? tx.array(p as string[]) : p));
        const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${s.query}`, params as never[]);
        plans.push(row!['QUERY PLAN'][0]!.Plan);
      });
    }
    return plans;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * How a plan reads `relation` (under `alias`, if given): `lookup` where the
 * read is an index scan whose condition takes its value from the input
 * (`input`: a column such as `i.sid`, or any of the input's, `i.`), else what
 * it does instead (a sequential scan, a whole-index scan, a hash).
 */
export function readsOf(plan: PlanNode, relation: string, input: string, alias?: string): string[] {
  return nodesOf(plan)
    .filter((n) => n['Relation Name'] === relation && (alias === undefined || n.Alias === alias))
    .map((n) => (/Index/.test(n['Node Type']) && (n['Index Cond'] ?? '').includes(input) ? 'lookup' : `${n['Node Type']}${n['Index Cond'] ? ` (${n['Index Cond']})` : ''}`));
}

/** Whether a plan finds rows through `index` by a list of keys (`= ANY(…)`): the batched updates that name their keys as arrays. */
export function keyedByArray(plan: PlanNode, index: string): boolean {
  return nodesOf(plan).some((n) => n['Index Name'] === index && /ANY/.test(n['Index Cond'] ?? ''));
}

export type ExecutedStatement = { query: string; plan: PlanNode };

/**
 * A pool whose connections report the plan of every statement they run, those
 * inside functions too (`auto_explain`, nested statements, its log sent to the
 * client): what a PL/pgSQL function does per call, statement by statement —
 * which {@link plansOf}, seeing only what the client sends, cannot tell.
 * `executed` holds the statements since the last `clear()`.
 */
export function explainingSql(url: string, max = 4) {
  const executed: ExecutedStatement[] = [];
  const sql = createSql(url, {
    max,
    connection: {
      session_preload_libraries: 'auto_explain',
      'auto_explain.log_min_duration': '0',
      'auto_explain.log_nested_statements': 'on',
      'auto_explain.log_format': 'json',
      client_min_messages: 'log',
    },
    onnotice: (n) => {
      const at = n.message?.indexOf('plan:\n') ?? -1;
      if (at < 0) return;
      const { 'Query Text': query, Plan: plan } = JSON.parse(n.message!.slice(at + 'plan:\n'.length)) as { 'Query Text': string; Plan: PlanNode };
      executed.push({ query, plan });
    },
  });
  return { sql, executed, clear: () => void (executed.length = 0) };
}
