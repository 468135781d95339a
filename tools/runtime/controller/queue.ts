// client-go's rate-limited work queue for one controller policy, on a virtual clock: keys are
// de-duplicated while queued, AddRateLimited waits 5 ms·2^n per key (capped at 1000 s), Forget resets n.
// Deviation: the global token bucket of DefaultControllerRateLimiter (10 qps, burst 100) is not emulated.

export const BASE_DELAY_MS = 5;
export const MAX_DELAY_MS = 1000 * 1000;

export class WorkQueue {
  private readonly order: string[] = [];
  private readonly queued = new Set<string>();
  private readonly waiting = new Map<string, number>();
  private readonly failures = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Queues the key unless it is already queued. */
  add(key: string): void {
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.order.push(key);
  }

  /** Next key in FIFO order, or undefined. */
  pop(): string | undefined {
    const key = this.order.shift();
    if (key !== undefined) this.queued.delete(key);
    return key;
  }

  /** Takes the key out of the queue (not out of the waiting set). */
  remove(key: string): void {
    if (!this.queued.delete(key)) return;
    const index = this.order.indexOf(key);
    if (index >= 0) this.order.splice(index, 1);
  }

  /** AddRateLimited: waits 5 ms·2^n where n counts this key's requeues since the last forget(). Returns the delay. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min(BASE_DELAY_MS * 2 ** n, MAX_DELAY_MS);
    this.addAfter(key, delay);
    return delay;
  }

  /** AddAfter: a key already waiting keeps the earlier due time. */
  addAfter(key: string, delayMs: number): void {
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = this.now() + delayMs;
    const existing = this.waiting.get(key);
    if (existing === undefined || due < existing) this.waiting.set(key, due);
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  requeueCount(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** Moves every waiting key due at or before `nowMs` into the queue, earliest first. */
  promoteDue(nowMs: number): void {
    const due = [...this.waiting.entries()].filter(([, at]) => at <= nowMs).sort((a, b) => a[1] - b[1]);
    for (const [key] of due) {
      this.waiting.delete(key);
      this.add(key);
    }
  }

  /** Earliest due time among waiting keys. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const at of this.waiting.values()) if (next === undefined || at < next) next = at;
    return next;
  }

  get length(): number {
    return this.order.length;
  }

  snapshot(): { queued: string[]; waiting: Array<{ key: string; dueMs: number }> } {
    return {
      queued: [...this.order],
      waiting: [...this.waiting.entries()].map(([key, dueMs]) => ({ key, dueMs })).sort((a, b) => a.dueMs - b.dueMs),
    };
  }
}
