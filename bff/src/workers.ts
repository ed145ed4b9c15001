import type { Deps } from './http/context.ts';
import { enqueueJob, runDueJobs } from './platform/jobs.ts';
import { dispatchDue } from './platform/outbox.ts';
import { platformNow } from './platform/dev-clock.ts';
import { jobHandlers } from './jobs.ts';

/**
 * Polling loops for the durable job table and the outbox. They hold no
 * deadline state themselves: every deadline is a row, so a restart or a second
 * process loses nothing, and SKIP LOCKED keeps two processes off the same row.
 */
export function startWorkers(deps: Deps, opts: { jobEveryMs?: number; outboxEveryMs?: number } = {}) {
  let stopped = false;
  const running: Promise<void>[] = [];
  const loop = (name: string, everyMs: number, tick: (now: Date) => Promise<unknown>) => {
    const p = (async () => {
      while (!stopped) {
        try {
          const now = await platformNow(deps.sql, deps.clock.now(), deps.config.allowTestClock);
          await tick(now);
        } catch (e) {
          deps.log.warn({ err: (e as Error).message, loop: name }, 'worker tick failed');
        }
        await new Promise((r) => setTimeout(r, everyMs));
      }
    })();
    running.push(p);
  };
  void (async () => {
    try {
      const now = deps.clock.now();
      await enqueueJob(deps.sql, { kind: 'platform.cleanup', runAt: now, dedupeKey: 'hourly' }, now);
    } catch (e) {
      deps.log.warn({ err: (e as Error).message }, 'could not schedule cleanup');
    }
  })();
  loop('jobs', opts.jobEveryMs ?? 1000, (now) => runDueJobs(deps, jobHandlers, now));
  loop('outbox', opts.outboxEveryMs ?? 300, (now) => dispatchDue(deps.sql, deps.providers, now));
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
