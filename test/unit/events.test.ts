// The Event decisions (lib/events) without a controller: which Events a status write produces, how
// a repeat merges, the bounds, and the edge against the in-memory API server.
import { describe, expect, it } from 'vitest';
import { decide } from '../../lib/controller/outcome.ts';
import { boundedNote, eventName, involvedObjectOf, MAX_EVENT_MESSAGE, newEvent, repeatedEvent, type CoreEvent, type EventNote } from '../../lib/events/core-event.ts';
import { MAX_EVENTS_PER_RUN, recordEvents } from '../../lib/events/record.ts';
import { statusEvents } from '../../lib/events/status-events.ts';
import type { GenerationState, GPTPolicy, GPTPolicyStatus } from '../../lib/gptpolicy/types.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import type { Platform } from '../../lib/platform/platform.ts';
import { eventsOf, eventsTable, humanDuration } from '../../tools/cli/events-table.ts';
import { InMemoryCluster } from '../../tools/runtime/apiserver/index.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const GP = 'gptpolicy.dev/v1alpha1';

function gptPolicy(status?: GPTPolicyStatus, namespace?: string): GPTPolicy {
  return { apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod', uid: 'uid-1', generation: 1, ...(namespace ? { namespace } : {}) }, spec: { description: 'Deny pods labelled env=prod in namespace test' }, ...(status ? { status } : {}) } as GPTPolicy;
}

const generation = (calls: number, extra: Partial<GenerationState> = {}): GenerationState => ({ intentHash: 'h1', calls, transientFailures: 0, ...extra });
const note: EventNote = { type: 'Warning', reason: 'ModelUnavailable', message: 'model API answered 503: overloaded' };

describe('statusEvents: which Events a status write produces', () => {
  it('none for the marks of a run under way', () => {
    const gp = gptPolicy();
    const calling = decide(gp, generation(1, { inFlightSince: 'x' }), { kind: 'calling' }, NOW).status;
    expect(statusEvents(gp.status, calling)).toEqual([]);
    const answered = decide({ ...gp, status: calling }, generation(1), { kind: 'answered', tokens: { prompt: 10, completion: 5, total: 15 } }, NOW).status;
    expect(statusEvents(calling, answered)).toEqual([]);
  });

  it('the same model failure retried later is the same note (the retry time is left out), so it is counted, not written anew', () => {
    const failure = { kind: 'transient', reason: 'ModelUnavailable', message: 'model API answered 503: overloaded' } as const;
    const marked = (calls: number, failures: number) => gptPolicy(decide(gptPolicy(), generation(calls, { transientFailures: failures, inFlightSince: 'x' }), { kind: 'calling' }, NOW).status);
    const first = decide(marked(1, 0), generation(1, { inFlightSince: 'x' }), failure, NOW);
    const second = decide(marked(1, 1), generation(1, { transientFailures: 1, inFlightSince: 'x' }), failure, NOW + 60_000);
    expect(first.status.conditions?.[0]?.message).not.toBe(second.status.conditions?.[0]?.message);
    const a = statusEvents(marked(1, 0).status, first.status);
    const b = statusEvents(marked(1, 1).status, second.status);
    expect(a).toEqual([note]);
    expect(b).toEqual(a);
  });

  it('a repeated final failure of a new intent is noted again, though the status reads the same', () => {
    const failed = decide(gptPolicy(), generation(1), { kind: 'not-started', reason: 'NoApiKey', message: 'Secret jspolicy/gptpolicy-openai has no OPENAI_API_KEY' }, NOW).status;
    const again = decide(gptPolicy(failed), { ...generation(1), intentHash: 'h2' }, { kind: 'not-started', reason: 'NoApiKey', message: 'Secret jspolicy/gptpolicy-openai has no OPENAI_API_KEY' }, NOW).status;
    expect(statusEvents(failed, again)).toEqual([{ type: 'Warning', reason: 'NoApiKey', message: 'Secret jspolicy/gptpolicy-openai has no OPENAI_API_KEY' }]);
    // The same status written again (a merge after a conflict, a resync) is no new outcome.
    expect(statusEvents(again, again)).toEqual([]);
  });

  it('a correction round carries the top finding', () => {
    const before = decide(gptPolicy(), generation(1), { kind: 'answered', tokens: { prompt: 1, completion: 1, total: 2 } }, NOW).status;
    const after = decide(gptPolicy(before), generation(1), { kind: 'malformed', stage: 'transport', findings: ['no submit_policy tool call', 'second'], answerText: 'secret answer text' }, NOW).status;
    const [round] = statusEvents(before, after);
    expect(round).toEqual({ type: 'Normal', reason: 'CorrectionRound', message: 'attempt 1: no submit_policy tool call (and 1 more); asking the model to fix it' });
    expect(JSON.stringify(round)).not.toContain('secret answer text');
  });

  it("a round started by a code error in the cluster does not repeat the error, which may quote an object", () => {
    const applied: GPTPolicyStatus = { conditions: [{ type: 'Ready', status: 'True', reason: 'PolicyApplied', message: 'JsPolicy p is applied', lastTransitionTime: 't' }], policyName: 'p', generation: generation(1), intentHash: 'h1' };
    const after = decide(gptPolicy(applied), generation(1), { kind: 'runtime-error', problem: 'in the cluster it threw TypeError: s3cr3t-value; jsPolicy let the request through' }, NOW).status;
    expect(statusEvents(applied, after)).toEqual([{ type: 'Normal', reason: 'CorrectionRound', message: "JsPolicy p threw in the cluster (the error is in the status's attempts); asking the model to fix it" }]);
  });

  it('a stage moved by an approval, up or down; nothing for a write that changes neither outcome nor stage', () => {
    const ready = { type: 'Ready', status: 'True' as const, reason: 'PolicyApplied', message: 'JsPolicy p is applied', lastTransitionTime: 't' };
    const status = (stage: 'Dry' | 'Warn' | 'Deny', approval?: string): GPTPolicyStatus => ({
      conditions: [ready],
      policyName: 'p',
      generation: generation(1),
      rollout: { stage, specHash: 'abc', ...(approval ? { approval, approvedBy: 'alice' } : {}) },
    });
    expect(statusEvents(status('Dry'), status('Warn', 'x.warn'))).toEqual([{ type: 'Normal', reason: 'Promoted', message: 'JsPolicy p moved from Dry to Warn: approved by alice (PolicyApproval x.warn) for spec hash abc' }]);
    expect(statusEvents(status('Deny', 'x.deny'), status('Warn', 'x.warn'))).toEqual([{ type: 'Normal', reason: 'Demoted', message: 'JsPolicy p moved from Deny to Warn: the approval in force is now PolicyApproval x.warn' }]);
    expect(statusEvents(status('Dry'), { ...status('Dry'), impact: { specHash: 'abc', pending: true } })).toEqual([]);
  });
});

describe('core/v1 Events as the recorder writes them', () => {
  it('a cluster-scoped object has its Events in default, a namespaced one in its namespace', () => {
    const cluster = newEvent(involvedObjectOf(gptPolicy()), note, NOW);
    expect(cluster.metadata.namespace).toBe('default');
    expect(cluster.involvedObject).toEqual({ apiVersion: GP, kind: 'GPTPolicy', name: 'deny-prod', uid: 'uid-1' });
    const namespaced = { apiVersion: GP, kind: 'NamespacedGPTPolicy', metadata: { name: 'deny-prod', namespace: 'team-a', uid: 'uid-2' } };
    expect(newEvent(involvedObjectOf(namespaced), note, NOW)).toMatchObject({ metadata: { namespace: 'team-a' }, involvedObject: { namespace: 'team-a', kind: 'NamespacedGPTPolicy' } });
  });

  it('its name is the same for the same object and note, another for another uid, message or reason, and always a valid name', () => {
    const involved = involvedObjectOf(gptPolicy());
    expect(eventName(involved, note)).toBe(eventName({ ...involved, resourceVersion: '42' }, note));
    expect(eventName(involved, note)).not.toBe(eventName({ ...involved, uid: 'uid-9' }, note));
    expect(eventName(involved, note)).not.toBe(eventName(involved, { ...note, message: 'other' }));
    expect(eventName(involved, note)).not.toBe(eventName(involved, { ...note, reason: 'ModelUnreachable' }));
    const long = eventName({ ...involved, name: `${'a'.repeat(250)}.b` }, note);
    expect(long.length).toBeLessThanOrEqual(253);
    expect(long).toMatch(/^a+\.[0-9a-f]{16}$/);
  });

  it('a repeat counts on the stored Event: count + 1, lastTimestamp now, the first occurrence kept', () => {
    const involved = involvedObjectOf(gptPolicy());
    const stored = { ...newEvent(involved, note, NOW), metadata: { ...newEvent(involved, note, NOW).metadata, resourceVersion: '7' }, count: 3 };
    const repeat = repeatedEvent(stored, newEvent(involved, note, NOW + 90_000), NOW + 90_000);
    expect(repeat).toMatchObject({ count: 4, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:01:30Z', metadata: { resourceVersion: '7' } });
    // Not this Event (another object under the name, another component): left alone.
    expect(repeatedEvent({ ...stored, involvedObject: { ...involved, uid: 'other' } }, newEvent(involved, note, NOW), NOW)).toBeUndefined();
    expect(repeatedEvent({ ...stored, source: { component: 'someone-else' } }, newEvent(involved, note, NOW), NOW)).toBeUndefined();
  });

  it('a message is bounded', () => {
    expect(boundedNote({ ...note, message: 'x'.repeat(5000) }).message).toHaveLength(MAX_EVENT_MESSAGE);
  });
});

/** A run's Platform over the in-memory API server, as jsPolicy's natives reach it. */
function platformOver(cluster: InMemoryCluster, logs: string[] = []): Platform {
  const platform = {
    now: () => NOW,
    getUncached: (kind: string, apiVersion: string, name: string) => {
      const [namespace, local] = name.includes('/') ? name.split('/') : [undefined, name];
      return cluster.get(apiVersion, kind, namespace, local ?? '');
    },
    create: (object: KubeObject) => cluster.create(object),
    update: (object: KubeObject) => cluster.update(object),
    log: (_level: string, message: string) => logs.push(message),
  };
  return platform as unknown as Platform;
}

function clusterWith(...namespaces: string[]): InMemoryCluster {
  return new InMemoryCluster({ now: () => NOW, objects: namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })) });
}

describe('recordEvents: the edge', () => {
  it('creates an Event, then counts a repeat on it in a later run', () => {
    const cluster = clusterWith('default');
    recordEvents(platformOver(cluster), gptPolicy(), [note]);
    recordEvents(platformOver(cluster), gptPolicy(), [note]);
    const events = cluster.list('v1', 'Event') as CoreEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 2, reason: 'ModelUnavailable', type: 'Warning' });
  });

  it("puts a namespaced object's Events in its namespace", () => {
    const cluster = clusterWith('default', 'team-a');
    recordEvents(platformOver(cluster), gptPolicy(undefined, 'team-a'), [note]);
    expect(cluster.list('v1', 'Event', { namespace: 'team-a' })).toHaveLength(1);
    expect(cluster.list('v1', 'Event', { namespace: 'default' })).toHaveLength(0);
  });

  it(`records at most ${MAX_EVENTS_PER_RUN} Events per run`, () => {
    const cluster = clusterWith('default');
    const logs: string[] = [];
    const notes = Array.from({ length: MAX_EVENTS_PER_RUN + 2 }, (_, i) => ({ ...note, message: `failure ${i}` }));
    recordEvents(platformOver(cluster, logs), gptPolicy(), notes);
    expect(cluster.list('v1', 'Event')).toHaveLength(MAX_EVENTS_PER_RUN);
    expect(logs.some((l) => l.startsWith('event not recorded'))).toBe(true);
  });

  it('never throws: a failed write or a throwing read is logged and the run goes on', () => {
    const logs: string[] = [];
    // No default namespace: the API server refuses the Event.
    expect(() => recordEvents(platformOver(clusterWith(), logs), gptPolicy(), [note])).not.toThrow();
    expect(logs[0]).toMatch(/could not record event ModelUnavailable: NotFound/);
    const throwing = { ...platformOver(clusterWith('default'), logs), getUncached: () => { throw { message: 'boom' }; } } as unknown as Platform;
    expect(() => recordEvents(throwing, gptPolicy(), [note])).not.toThrow();
    expect(logs.at(-1)).toMatch(/could not record event ModelUnavailable/);
  });
});

describe('the local API server keeps Events where Kubernetes allows them', () => {
  it("refuses an Event outside its object's namespace", () => {
    const cluster = clusterWith('default', 'team-a');
    const event = newEvent(involvedObjectOf(gptPolicy(undefined, 'team-a')), note, NOW);
    const result = cluster.create({ ...event, metadata: { ...event.metadata, namespace: 'default' } });
    expect(result).toMatchObject({ ok: false, code: 422, message: `Event "${event.metadata.name}" is invalid: involvedObject.namespace: Invalid value: "team-a": does not match event.namespace` });
    const clusterScoped = newEvent(involvedObjectOf(gptPolicy()), note, NOW);
    expect(cluster.create({ ...clusterScoped, metadata: { ...clusterScoped.metadata, namespace: 'team-a' } })).toMatchObject({ ok: false, code: 422 });
  });
});

describe("the local API server answers kubectl describe's query for an object's Events", () => {
  it('lists across namespaces by involvedObject name, namespace, kind and uid; refuses a field it cannot select on', () => {
    const cluster = clusterWith('default', 'team-a');
    recordEvents(platformOver(cluster), gptPolicy(), [note]);
    recordEvents(platformOver(cluster), { ...gptPolicy(), metadata: { ...gptPolicy().metadata, uid: 'uid-old' } }, [note]);
    recordEvents(platformOver(cluster), gptPolicy(undefined, 'team-a'), [note]);
    const get = (query: string) => cluster.handleHttp({ method: 'GET', path: `/api/v1/events?fieldSelector=${encodeURIComponent(query)}`, headers: {} });
    const found = get('involvedObject.name=deny-prod,involvedObject.namespace=,involvedObject.kind=GPTPolicy,involvedObject.uid=uid-1');
    expect(found.status).toBe(200);
    const items = (JSON.parse(found.body) as { items: CoreEvent[] }).items;
    expect(items.map((e) => [e.metadata.namespace, e.involvedObject.uid])).toEqual([['default', 'uid-1']]);
    expect((JSON.parse(get('involvedObject.name=deny-prod,type!=Normal').body) as { items: unknown[] }).items).toHaveLength(3);
    expect(get('spec.nodeName=a')).toMatchObject({ status: 400, body: expect.stringContaining('field label not supported: spec.nodeName') });
  });
});

describe("the CLI's Events table", () => {
  it('lists the Events of one object as kubectl describe does, a repeat with its count', () => {
    const gp = gptPolicy();
    const first = newEvent(involvedObjectOf(gp), { type: 'Normal', reason: 'Applied', message: 'JsPolicy p applied at stage Dry' }, NOW - 90_000);
    const repeat = { ...newEvent(involvedObjectOf(gp), note, NOW - 600_000), count: 3, lastTimestamp: '2026-01-01T00:00:00Z' };
    const other = newEvent(involvedObjectOf({ ...gp, metadata: { ...gp.metadata, uid: 'uid-old' } }), note, NOW);
    const table = eventsTable(eventsOf(gp, [repeat, first, other]), NOW);
    expect(table).toBe(
      [
        'Events:',
        '  Type     Reason            Age               From                  Message',
        '  ----     ------            ----              ----                  -------',
        '  Normal   Applied           90s               gptpolicy-controller  JsPolicy p applied at stage Dry',
        '  Warning  ModelUnavailable  0s (x3 over 10m)  gptpolicy-controller  model API answered 503: overloaded',
        '',
      ].join('\n'),
    );
    expect(eventsTable([], NOW)).toBe('Events:  <none>\n');
  });

  it('ages as apimachinery prints them', () => {
    expect([1_000, 119_000, 150_000, 600_000, 3 * 3600_000 + 60_000, 30 * 3600_000, 50 * 3600_000, -5_000].map(humanDuration)).toEqual(['1s', '119s', '2m30s', '10m', '3h1m', '30h', '2d2h', '<invalid>']);
  });
});
