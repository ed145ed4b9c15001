/**
 * Admission control: at most `limit` API requests of this process are past the
 * gate at once; the rest wait in arrival order, and beyond `maxQueued` waiting
 * a request is refused at once with 503 `request.busy` (Retry-After).
 *
 * Why (ADR-016): a request makes two or three
 * statements, each taking a pooled connection on its own. Without a gate, a
 * release rush of 2,000 requests queues every statement behind everyone's —
 * each request waits through the whole queue three times, all of them read
 * the slot before anybody has booked it, and every loser then waits on the
 * slot's row lock. Through the gate, the first arrivals finish first and
 * the later ones read a full slot and are answered without a write.
 *
 * This is only scheduling inside one process: nothing correct depends on it
 * (the database still decides every contest), so several processes need no
 * coordination.
 */
export class AdmissionGate {
  private active = 0;
  private readonly waiting: ((() => void) | undefined)[] = [];
  private head = 0;

  constructor(
    readonly limit: number,
    readonly maxQueued: number,
  ) {}

  /** Requests past the gate and waiting at it (tests read it). */
  get stats() {
    return { active: this.active, queued: this.waiting.length - this.head };
  }

  /** true: go on; false: the queue is full, refuse; a promise: go on when it resolves. */
  enter(): true | false | Promise<void> {
    if (this.active < this.limit) {
      this.active++;
      return true;
    }
    if (this.waiting.length - this.head >= this.maxQueued) return false;
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  leave(): void {
    if (this.head < this.waiting.length) {
      // The place passes straight to the next in line: `active` is unchanged.
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.active--;
  }
}
