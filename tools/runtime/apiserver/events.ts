// Watch fan-out. Events are queued so that a listener that writes to the cluster from inside its
// callback cannot make other listeners see the resulting events before the one being delivered.
import type { WatchEvent } from '../contracts.ts';
import { clone } from './json.ts';

type Listener = (event: WatchEvent) => void;

export class EventBroadcaster {
  private readonly listeners = new Set<Listener>();
  private readonly queue: WatchEvent[] = [];
  private delivering = false;

  subscribe(listener: Listener): () => void {
    // A fresh wrapper per call: subscribing one function twice gives two independent subscriptions.
    const subscription: Listener = (event) => listener(event);
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  /** Takes a snapshot of the object now; delivery happens before the outermost emit returns. */
  emit(event: WatchEvent): void {
    this.queue.push({ type: event.type, object: clone(event.object) });
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        for (const listener of [...this.listeners]) {
          try {
            listener({ type: next.type, object: clone(next.object) });
          } catch (error) {
            // The write is already stored and may still have cascading steps to run: a failing
            // listener must neither abort it nor starve the other listeners, yet must stay loud.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}
