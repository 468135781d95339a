// The one edge that writes Events: one uncached read of the Event's deterministic name, then a
// create or an update of its count. Recording is a report, never part of the outcome: a failed
// read or write is logged and the run goes on.
import type { KubeObject } from '../k8s/types.ts';
import type { Platform } from '../platform/platform.ts';
import { describeThrown } from '../util/thrown.ts';
import { involvedObjectOf, newEvent, repeatedEvent, type CoreEvent, type EventNote } from './core-event.ts';

/**
 * Events one run may record (a read and a write each). The busiest run records two (Generated,
 * Applied); the bound keeps a bug or a loop from turning one run into a stream of writes, as the
 * recorder's spam filter does for a process.
 */
export const MAX_EVENTS_PER_RUN = 4;

// Per run: jsPolicy gives every run a Platform of its own (tests too).
const recorded = new WeakMap<Platform, number>();

export function recordEvents(platform: Platform, object: KubeObject, notes: readonly EventNote[]): void {
  for (const note of notes) {
    const count = recorded.get(platform) ?? 0;
    if (count >= MAX_EVENTS_PER_RUN) {
      platform.log('info', `event not recorded: this run already recorded ${MAX_EVENTS_PER_RUN}`, { kind: object.kind, name: object.metadata.name, reason: note.reason });
      return;
    }
    recorded.set(platform, count + 1);
    try {
      recordEvent(platform, object, note);
    } catch (thrown) {
      platform.log('error', `could not record event ${note.reason}: ${describeThrown(thrown)}`, { kind: object.kind, name: object.metadata.name });
    }
  }
}

function recordEvent(platform: Platform, object: KubeObject, note: EventNote): void {
  const fresh = newEvent(involvedObjectOf(object), note, platform.now());
  const { name, namespace } = fresh.metadata;
  const existing = platform.getUncached<CoreEvent>('Event', 'v1', `${namespace}/${name}`);
  const repeat = existing ? repeatedEvent(existing, fresh, platform.now()) : undefined;
  if (existing && !repeat) {
    platform.log('error', `event ${namespace}/${name} exists and is not this one; left alone`, { reason: note.reason });
    return;
  }
  const result = repeat ? platform.update(repeat) : platform.create(fresh);
  if (!result.ok) platform.log('error', `could not record event ${note.reason}: ${result.reason ?? ''}: ${String(result.message ?? '').slice(0, 300)}`, { event: `${namespace}/${name}` });
}
