import type { Deps } from './core/context.ts';
import { enqueueJob, runDueJobs } from './platform/jobs.ts';
import { dispatchDue, DISPATCH_BATCH } from './platform/outbox.ts';
import { platformNow } from './platform/dev-clock.ts';
import { jobHandlers } from './modules/index.ts';

/**
 * Polling loops for the durable job table and the outbox. They hold no
 * deadline state themselves: every deadline is a row, so a restart or a second
 * process loses nothing, and SKIP LOCKED keeps two processes off the same row.
 */
export function startWorkers(deps: Deps, opts: { jobEveryMs?: number; outboxEveryMs?: number } = {}) {
  let stopped = false;
  const running: Promise<void>[] = [];
  /** `tick` returns true when there is more to do at once (a full batch): no pause then. */
  const loop = (name: string, everyMs: number, tick: (now: Date) => Promise<boolean>) => {
    const p = (async () => {
      while (!stopped) {
        let more = false;
        try {
          const now = await platformNow(deps.sql, deps.clock.now(), deps.config.allowTestClock);
          more = await tick(now);
        } catch (e) {
          deps.log.warn({ err: (e as Error).message, loop: name }, 'worker tick failed');
        }
        // A backlog is worked off at once, but never so tightly that requests starve (one event-loop turn between batches).
        await new Promise((r) => (more ? setImmediate(r) : setTimeout(r, everyMs)));
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
  loop('jobs', opts.jobEveryMs ?? 1000, async (now) => {
    await runDueJobs(deps, jobHandlers, now);
    return false;
  });
  loop('outbox', opts.outboxEveryMs ?? 300, async (now) => (await dispatchDue(deps.sql, deps.providers, now)) === DISPATCH_BATCH);
  return {
    async stop() {
      stopped = true;
      await Promise.all(running);
    },
  };
}
