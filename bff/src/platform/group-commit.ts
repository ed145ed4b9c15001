/**
 * Group commit in the application (issue 23, docs/decisions/040-group-commit.md).
 *
 * Requests for a contested write that arrive close together are handed to
 * PostgreSQL as ONE statement (one round trip, one transaction, one commit),
 * which decides each of them in arrival order and answers one outcome per
 * request. Every rule stays in that statement (row locks, conditional
 * UPDATEs, unique indexes, CHECKs): the batcher only groups, it decides
 * nothing, so two processes each with a batcher of their own agree exactly
 * as two single requests do.
 *
 * - A lone request on an idle batcher goes at once (after the current I/O
 *   turn, so requests answered by the same socket read share a batch).
 * - While a batch is in flight, new requests wait for it to finish, at most
 *   `windowMs`, or until `maxBatch` have gathered; at most `maxInFlight`
 *   batches run at once (the rest gather meanwhile).
 * - A batch that fails as a whole (deadlock, serialisation failure, one
 *   malformed member) committed nothing: it is split in two halves, run one
 *   after the other, down to single requests, so one bad request fails only
 *   itself. A single request that failed on a transient error (deadlock,
 *   serialisation failure) is tried once more.
 * - A request's promise settles only when its statement has returned, i.e.
 *   after the commit: an answer is never given for a booking that a crash
 *   could still lose.
 *
 * The timer is a 2 ms flush window inside one process, not business time: a
 * lost window (a crash) loses only requests that were never answered.
 */
import { isPgError, PG } from '../core/errors.ts';

export type GroupCommitOptions<I, O> = {
  /** Runs the batch as one statement; answers one outcome per item, in the items' order. */
  run: (items: I[]) => Promise<O[]>;
  /** How long requests gather while a batch is in flight (ms). */
  windowMs?: number;
  /** Most requests in one batch. */
  maxBatch?: number;
  /** Most batches in flight at once. */
  maxInFlight?: number;
  /** Whether a single request's failure is worth one more try. Default: deadlock or serialisation failure. */
  retryable?: (e: unknown) => boolean;
};

export type GroupCommitStats = {
  batches: number; items: number; splits: number; retries: number; largest: number;
  /** milliseconds its batches' statements took, summed (splits and retries included) */
  runMs: number;
  /** milliseconds from each request's submit to its answer, summed: its wait for a batch plus the batch */
  answerMs: number;
};

const noStats = (): GroupCommitStats => ({ batches: 0, items: 0, splits: 0, retries: 0, largest: 0, runMs: 0, answerMs: 0 });

type Entry<I, O> = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };

/**
 * The statement changed nothing and may simply run again: a deadlock, a
 * serialisation failure, or its backend ended by a server shutdown or restart
 * (an error answered for the statement, so it did not commit; a connection
 * pooled in the last instants of a restarting server meets this once, ADR-040).
 * A connection lost without an answer is not here: whether it committed is unknown.
 */
export const transientPgError = (e: unknown) =>
  [PG.deadlockDetected, PG.serializationFailure, PG.adminShutdown, PG.crashShutdown, PG.cannotConnectNow].some((code) => isPgError(e, code));

export class GroupCommit<I, O> implements Batcher<I, O> {
  readonly windowMs: number;
  readonly maxBatch: number;
  readonly maxInFlight: number;
  readonly stats: GroupCommitStats = noStats();
  private readonly run: (items: I[]) => Promise<O[]>;
  private readonly retryable: (e: unknown) => boolean;
  private pending: Entry<I, O>[] = [];
  private inFlight = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;

  constructor(o: GroupCommitOptions<I, O>) {
    this.run = o.run;
    this.windowMs = o.windowMs ?? 2;
    this.maxBatch = Math.max(1, o.maxBatch ?? 64);
    this.maxInFlight = Math.max(1, o.maxInFlight ?? 4);
    this.retryable = o.retryable ?? transientPgError;
  }

  /** Queues one request; settles with its own outcome (or its own error) once its batch has committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      const at = performance.now();
      const answered = () => (this.stats.answerMs += performance.now() - at);
      this.pending.push({
        item,
        resolve: (o) => {
          answered();
          resolve(o);
        },
        reject: (e) => {
          answered();
          reject(e);
        },
      });
      this.schedule();
    });
  }

  /** Requests waiting for a batch (not yet sent). */
  get waiting(): number {
    return this.pending.length;
  }

  private schedule() {
    if (this.inFlight >= this.maxInFlight) return; // a finishing batch sends the next
    if (this.pending.length >= this.maxBatch) return this.flush();
    if (this.inFlight === 0) {
      // Idle: no window. Only the rest of this I/O turn, so that requests whose reads came back
      // in the same socket read go together.
      this.immediate ??= setImmediate(() => {
        this.immediate = null;
        this.flush();
      });
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.windowMs);
  }

  private flush() {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = this.immediate = null;
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight++;
      this.stats.batches++;
      this.stats.items += batch.length;
      this.stats.largest = Math.max(this.stats.largest, batch.length);
      void this.settle(batch).finally(() => {
        this.inFlight--;
        // Whatever gathered while this batch ran goes now: it has waited a round trip already.
        if (this.pending.length > 0) this.flush();
      });
      // Below the size cap, only one batch leaves per flush: the rest gather for the next.
      if (this.pending.length < this.maxBatch) break;
    }
    if (this.pending.length > 0 && this.inFlight < this.maxInFlight) this.schedule();
  }

  /** Runs a batch; on failure splits it (binary) so that each request gets its own answer. */
  private async settle(batch: Entry<I, O>[], retried = false): Promise<void> {
    let out: O[];
    const started = performance.now();
    try {
      try {
        out = await this.run(batch.map((e) => e.item));
      } finally {
        this.stats.runMs += performance.now() - started;
      }
      if (out.length !== batch.length) throw new Error(`group commit: ${batch.length} requests but ${out.length} outcomes`);
    } catch (e) {
      if (batch.length === 1) {
        if (!retried && this.retryable(e)) {
          this.stats.retries++;
          return this.settle(batch, true);
        }
        batch[0]!.reject(e);
        return;
      }
      // Nothing of the batch committed (one statement): run the halves one after the other, in arrival order.
      this.stats.splits++;
      const half = Math.ceil(batch.length / 2);
      await this.settle(batch.slice(0, half));
      await this.settle(batch.slice(half));
      return;
    }
    batch.forEach((e, i) => e.resolve(out[i]!));
  }
}

/** What the services use: one batcher, or several lanes of them ({@link LanedGroupCommit}). */
export type Batcher<I, O> = { submit(item: I): Promise<O>; readonly stats: GroupCommitStats; readonly waiting: number };

export type LanedOptions<I, O> = GroupCommitOptions<I, O> & {
  /** How many independent batchers. */
  lanes: number;
  /** The key whose requests always share a lane (a slot id, a plan id): requests that lock the same rows. */
  laneKey: (item: I) => string;
};

/** FNV-1a of a string: a cheap, stable spread of keys over lanes. */
export function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

/**
 * Several batchers side by side, a request going to the lane of its key
 * (ADR-040 "Lanes"). A batch locks the rows its members contend for (the
 * slots of a booking batch); two batches of one lane wait for each other
 * there, two batches of different lanes lock different rows and run on
 * PostgreSQL's cores at once. The key only chooses a lane: the statement
 * still locks and decides exactly as before, so a key that hashed elsewhere
 * (another process, another lane count) costs a wait, never a wrong answer.
 */
export class LanedGroupCommit<I, O> implements Batcher<I, O> {
  readonly lanes: GroupCommit<I, O>[];
  private readonly laneKey: (item: I) => string;

  constructor(o: LanedOptions<I, O>) {
    this.lanes = Array.from({ length: Math.max(1, o.lanes) }, () => new GroupCommit(o));
    this.laneKey = o.laneKey;
  }

  submit(item: I): Promise<O> {
    return this.lanes[laneOf(this.laneKey(item), this.lanes.length)]!.submit(item);
  }

  get stats(): GroupCommitStats {
    const t = noStats();
    for (const l of this.lanes) {
      t.batches += l.stats.batches;
      t.items += l.stats.items;
      t.splits += l.stats.splits;
      t.retries += l.stats.retries;
      t.largest = Math.max(t.largest, l.stats.largest);
      t.runMs += l.stats.runMs;
      t.answerMs += l.stats.answerMs;
    }
    return t;
  }

  get waiting(): number {
    return this.lanes.reduce((a, l) => a + l.waiting, 0);
  }
}

const perPool = new WeakMap<object, Map<string, Batcher<unknown, unknown>>>();
/** Every batcher this process made, by name, for {@link batcherReport} (weakly: a test's pool and its batchers may go). */
const made: { name: string; batcher: WeakRef<Batcher<unknown, unknown>> }[] = [];

/**
 * One line a batcher, for a trace of where a request waits (GROUP_COMMIT_TRACE,
 * server.ts; ADR-040): requests, batches and their mean size, the mean time a
 * batch's statement took, and the mean time from a request's submit to its
 * answer (its wait for a batch, then that batch). Batchers of one name on two
 * pools (the tests' second process) are listed apart.
 */
export function batcherReport(): string[] {
  const avg = (a: number, b: number) => (b === 0 ? '—' : (a / b).toFixed(1));
  return made.flatMap(({ name, batcher }) => {
    const s = batcher.deref()?.stats;
    return s ? [`${name.padEnd(22)} requests ${String(s.items).padStart(7)}  batches ${String(s.batches).padStart(6)}  mean size ${avg(s.items, s.batches).padStart(5)}  largest ${String(s.largest).padStart(3)}  statement ${avg(s.runMs, s.batches).padStart(6)} ms  submit to answer ${avg(s.answerMs, s.items).padStart(6)} ms  splits ${s.splits}  retries ${s.retries}`] : [];
  });
}

/**
 * The batcher of one write for one database pool: one per process and pool
 * (a test's second pool stands for a second process, with a batcher of its own).
 * With `lanes`, several side by side ({@link LanedGroupCommit}).
 */
export function groupCommitFor<I, O>(pool: object, name: string, make: () => GroupCommitOptions<I, O> | LanedOptions<I, O>): Batcher<I, O> {
  let byName = perPool.get(pool);
  if (!byName) perPool.set(pool, (byName = new Map()));
  let g = byName.get(name) as Batcher<I, O> | undefined;
  if (!g) {
    const o = make();
    g = 'lanes' in o ? new LanedGroupCommit(o) : new GroupCommit(o);
    byName.set(name, g as Batcher<unknown, unknown>);
    made.push({ name, batcher: new WeakRef(g as Batcher<unknown, unknown>) });
  }
  return g;
}
