// core/v1 Events as client-go's event recorder writes them (tools/record: event.go, events_cache.go),
// so that `kubectl describe` and `kubectl get events` show what the controller did. Pure: which
// Event a note becomes, its name, and how a repeat merges into the Event already stored.
import type { KubeObject } from '../k8s/types.ts';
import { clip } from '../util/clip.ts';
import { sha256Hex } from '../util/sha256.ts';

export type EventType = 'Normal' | 'Warning';

/** What happened, as the controller says it: one Event, or one more count of an Event already there. */
export interface EventNote {
  type: EventType;
  /** UpperCamelCase, as Kubernetes reasons are; at most 128 characters. */
  reason: string;
  message: string;
}

/** core/v1 ObjectReference: what `kubectl describe` matches an Event on (name, namespace, kind, uid). */
export interface ObjectReference {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
}

/** core/v1 Event, the fields the recorder sets (no eventTime: the legacy shape kubectl describe lists). */
export interface CoreEvent extends KubeObject {
  apiVersion: 'v1';
  kind: 'Event';
  involvedObject: ObjectReference;
  type: EventType;
  reason: string;
  message: string;
  source: { component: string };
  reportingComponent: string;
  reportingInstance?: string;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

/** source.component and reportingComponent of every Event the controller records (one identity for both controllers). */
export const EVENT_COMPONENT = 'gptpolicy-controller';
/** Where the recorder puts the Events of a cluster-scoped object (record.makeEvent: metav1.NamespaceDefault). */
export const CLUSTER_SCOPED_EVENT_NAMESPACE = 'default';
/** A message is cut to this: an Event is read in a table, and the events.k8s.io API caps its note at 1 KiB. */
export const MAX_EVENT_MESSAGE = 1000;
const MAX_REASON = 128;
const MAX_NAME = 253;
const HASH_CHARS = 16;

/** The reference to whatever object a run is about: cluster-scoped (no namespace) or namespaced. */
export function involvedObjectOf(object: KubeObject): ObjectReference {
  const { name = '', namespace, uid, resourceVersion } = object.metadata;
  return { apiVersion: object.apiVersion, kind: object.kind, name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}), ...(resourceVersion ? { resourceVersion } : {}) };
}

/** The Event's namespace: the object's own, or `default` for a cluster-scoped object. */
export function eventNamespace(involved: ObjectReference): string {
  return involved.namespace || CLUSTER_SCOPED_EVENT_NAMESPACE;
}

/** A note within the bounds an Event is written with. */
export function boundedNote(note: EventNote): EventNote {
  return { type: note.type, reason: clip(note.reason, MAX_REASON), message: clip(note.message, MAX_EVENT_MESSAGE) };
}

/**
 * The recorder's aggregation key (events_cache.go getEventKey): the same source, object, type,
 * reason and message are the same Event, counted again instead of written anew. The object's
 * resourceVersion is not part of it, as there.
 */
export function eventKey(involved: ObjectReference, note: EventNote): string {
  return JSON.stringify([EVENT_COMPONENT, involved.kind, involved.namespace ?? '', involved.name, involved.uid ?? '', involved.apiVersion, note.type, note.reason, note.message]);
}

/**
 * `<object>.<16 hex>` like the recorder's `<object>.<hex timestamp>`, but the hex is the key's hash:
 * jsPolicy's controllers keep nothing between runs, so a repeat finds its Event with one read by
 * name instead of the recorder's in-memory cache (or a list).
 */
export function eventName(involved: ObjectReference, note: EventNote): string {
  const hash = sha256Hex(eventKey(involved, note)).slice(0, HASH_CHARS);
  const prefix = involved.name.slice(0, MAX_NAME - HASH_CHARS - 1).replace(/[.-]+$/, '');
  return `${prefix || 'object'}.${hash}`;
}

/** A first occurrence: count 1, first and last timestamp now (record.makeEvent). */
export function newEvent(involved: ObjectReference, note: EventNote, nowMs: number): CoreEvent {
  const bounded = boundedNote(note);
  const now = rfc3339(nowMs);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(involved, bounded), namespace: eventNamespace(involved) },
    involvedObject: involved,
    type: bounded.type,
    reason: bounded.reason,
    message: bounded.message,
    source: { component: EVENT_COMPONENT },
    reportingComponent: EVENT_COMPONENT,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

/**
 * A repeat of `existing` (events_cache.go eventObserve): count + 1 and lastTimestamp now, the rest
 * as first recorded; its resourceVersion kept, so a concurrent write conflicts instead of being
 * lost. Undefined when the stored Event is not this one (another object's Event under that name, a
 * recreated object with a new uid): it is left alone.
 */
export function repeatedEvent(existing: CoreEvent, fresh: CoreEvent, nowMs: number): CoreEvent | undefined {
  if (existing.kind !== 'Event' || eventKey(existing.involvedObject ?? ({} as ObjectReference), existing) !== eventKey(fresh.involvedObject, fresh)) return undefined;
  if (existing.source?.component !== EVENT_COMPONENT) return undefined;
  const count = typeof existing.count === 'number' && existing.count >= 1 ? existing.count : 1;
  return { ...existing, count: count + 1, lastTimestamp: rfc3339(nowMs) };
}

// Timestamps are metav1.Time: RFC 3339 to the second.
function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
