/**
 * SMS delivery measured on its own: the bff's outbox dispatcher (dev adapter,
 * in-process) working off what the booking and pgbench runs left queued.
 * The ratio runs keep delivery out of both sides (ADR-020); this is
 * what it costs and how fast it goes.
 */
import type { Sql } from 'postgres';
import { cpuSnapshot, cpuUse } from './cpu.ts';
import { log, num, sleep } from './util.ts';

export type DrainFigures = {
  messages: number;
  seconds: number;
  /** messages still pending when the cap was reached (0 when drained) */
  left: number;
  cpu: string;
  /** CPU milliseconds per delivered message, by process group */
  cpuPerMessage: { bff: number; postgres: number } | null;
};

export async function drainOutbox(sql: Sql, capSeconds = 300): Promise<DrainFigures> {
  const pending = async () => (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM outbox_message WHERE status IN ('pending', 'sending')`)[0]!.n;
  const c0 = cpuSnapshot();
  const t0 = performance.now();
  const first = await pending();
  if (first === 0) {
    log('  SMS delivery after the ratio runs: nothing queued (delivered while the runs went on)');
    return { messages: 0, seconds: 0, left: 0, cpu: '', cpuPerMessage: null };
  }
  let left = first;
  while (left > 0 && performance.now() - t0 < capSeconds * 1000) {
    await sleep(200);
    left = await pending();
  }
  const seconds = (performance.now() - t0) / 1000;
  const use = cpuUse(c0, cpuSnapshot());
  const delivered = first - left;
  const cpuPerMessage = use && delivered ? { bff: (1000 * use.bff) / delivered, postgres: (1000 * use.postgres) / delivered } : null;
  log(
    `  SMS delivery after the ratio runs: ${num(first)} messages queued, ${left ? `${num(left)} still queued after ${Math.round(seconds)} s` : `all delivered in ${seconds.toFixed(1)} s`}: ${num(delivered / seconds)} messages/s` +
      (cpuPerMessage ? `; CPU per message: bff ${cpuPerMessage.bff.toFixed(2)} ms, postgres ${cpuPerMessage.postgres.toFixed(2)} ms` : ''),
  );
  if (use) log(`    ${use.text}`);
  return { messages: delivered, seconds, left, cpu: use?.text ?? '', cpuPerMessage };
}
