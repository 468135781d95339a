// The built controller records core/v1 Events, as `kubectl describe gptp NAME` lists them: one for
// each step of a generation, an approval, a refusal, a model error — and a repeat counted on the
// Event already there. Run as jsPolicy runs it, against a fake model on 127.0.0.1.
import { afterEach, describe, expect, it } from 'vitest';
import type { CoreEvent } from '../../lib/events/core-event.ts';
import type { GPTPolicy } from '../../lib/gptpolicy/types.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../../tools/local/local-jspolicy.ts';
import { denyProdAnswer, INCIDENT_INTENT } from '../fixtures/answers.ts';

const API_KEY = 'sk-test-key-that-must-never-leak';
const GP = 'gptpolicy.dev/v1alpha1';
const POLICY_NAME = 'deny-prod.gptpolicy.dev';

let model: FakeModel | undefined;
afterEach(async () => {
  await model?.close();
  model = undefined;
});

async function setup(script: ScriptedReply[], options: { whenExhausted?: 'repeat-last' | 'error' } = {}): Promise<LocalJsPolicy> {
  model = await startFakeModel(script, options);
  return new LocalJsPolicy({ apiKey: API_KEY, env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' } });
}

function apply(local: LocalJsPolicy, description = INCIDENT_INTENT): GPTPolicy {
  return local.apply({ apiVersion: GP, kind: 'GPTPolicy', metadata: { name: 'deny-prod' }, spec: { description } }) as GPTPolicy;
}

/** Every Event in the cluster (they all belong to deny-prod here): first seen first, then by when last written. */
function events(local: LocalJsPolicy): CoreEvent[] {
  const all = local.cluster.list('v1', 'Event') as CoreEvent[];
  return all.sort((a, b) => Date.parse(a.firstTimestamp) - Date.parse(b.firstTimestamp) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}

const answered = (): ScriptedReply => ({ toolCall: { name: 'submit_policy', arguments: denyProdAnswer() } });

describe('Events of a GPTPolicy', () => {
  it('tell a correction round, the generation with its calls and tokens, and the stage it was applied at', { timeout: 60_000 }, async () => {
    const local = await setup([{ content: 'I would deny prod pods in test.' }, answered()]);
    const gp = apply(local);
    expect(local.settle()).toMatchObject({ settled: true, errors: [] });
    const list = events(local);
    expect(list.map((e) => [e.type, e.reason])).toEqual([
      ['Normal', 'CorrectionRound'],
      ['Normal', 'Generated'],
      ['Normal', 'Applied'],
    ]);
    expect(list[0]?.message).toMatch(/^attempt 1: no submit_policy tool call.*; asking the model to fix it$/);
    expect(list[1]?.message).toMatch(new RegExp(`JsPolicy ${POLICY_NAME} generated: it passed every check after 2 model calls for this intent \\(usage so far: 2 model calls, \\d+ tokens\\)$`));
    const hash = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status?.rollout?.specHash;
    expect(list[2]?.message).toBe(`JsPolicy ${POLICY_NAME} applied at stage Dry; to go further, approve spec hash ${hash}`);
    for (const event of list) {
      // Where `kubectl describe` looks for a cluster-scoped object's Events: namespace default, matched on the object's name, kind and uid.
      expect(event).toMatchObject({
        metadata: { namespace: 'default' },
        involvedObject: { apiVersion: GP, kind: 'GPTPolicy', name: 'deny-prod', uid: gp.metadata.uid },
        source: { component: 'gptpolicy-controller' },
        reportingComponent: 'gptpolicy-controller',
        count: 1,
      });
      expect(event.involvedObject.namespace).toBeUndefined();
      expect(event.metadata.name).toMatch(/^deny-prod\.[0-9a-f]{16}$/);
    }
    expect(JSON.stringify(list)).not.toContain(API_KEY);
  });

  it('tell a promotion by an approval, and the step back when it is deleted', { timeout: 60_000 }, async () => {
    const local = await setup([answered()]);
    apply(local);
    local.settle();
    const specHash = local.get<GPTPolicy>(GP, 'GPTPolicy', 'deny-prod')?.status?.rollout?.specHash;
    const approval = { apiVersion: GP, kind: 'PolicyApproval', metadata: { name: 'deny-prod.deny' }, spec: { gptPolicy: 'deny-prod', stage: 'Deny', specHash } };
    expect(local.cluster.create(approval, { username: 'alice' }).ok).toBe(true);
    expect(local.settle()).toMatchObject({ settled: true, errors: [] });
    const promoted = events(local).find((e) => e.reason === 'Promoted');
    expect(promoted?.message).toBe(`JsPolicy ${POLICY_NAME} moved from Dry to Deny: approved by alice (PolicyApproval deny-prod.deny) for spec hash ${specHash}`);
    expect(local.cluster.remove(GP, 'PolicyApproval', undefined, 'deny-prod.deny').ok).toBe(true);
    local.settle();
    const demoted = events(local).find((e) => e.reason === 'Demoted');
    expect(demoted?.message).toBe(`JsPolicy ${POLICY_NAME} moved from Deny to Dry: no approval of spec hash ${specHash} stands`);
    expect(events(local).map((e) => e.reason)).toEqual(['Generated', 'Applied', 'Promoted', 'Demoted']);
  });

  it('tell a refusal as a Warning', { timeout: 60_000 }, async () => {
    const local = await setup([answered()]);
    apply(local, 'Deny privileged pods in the kube-system namespace');
    local.settle();
    const [refused, ...rest] = events(local);
    expect(rest).toEqual([]);
    expect(refused).toMatchObject({ type: 'Warning', reason: 'PolicyRefused', count: 1 });
  });

  it('count a repeated model failure on one Event instead of writing new ones, and never hold the key', { timeout: 60_000 }, async () => {
    // The server echoes the key back: the Event, like the status, holds it scrubbed.
    const failing: ScriptedReply = { status: 503, body: { error: { message: `overloaded, try later (${API_KEY})` } } };
    const local = await setup([failing], { whenExhausted: 'repeat-last' });
    apply(local);
    local.settle({ maxRuns: 100 });
    const list = events(local);
    const retried = list.filter((e) => e.reason === 'ModelUnavailable');
    // Four failures retried with backoff on one Event, then the fifth gives up: a message of its own.
    expect(retried.map((e) => e.count)).toEqual([4, 1]);
    expect(retried[0]).toMatchObject({ type: 'Warning', message: expect.stringMatching(/^model API answered 503: overloaded, try later \(\[redacted\]\)$/) });
    expect(Date.parse(retried[0]?.lastTimestamp ?? '')).toBeGreaterThan(Date.parse(retried[0]?.firstTimestamp ?? ''));
    expect(retried[1]?.message).toMatch(/gave up after 5 tries/);
    expect(list).toHaveLength(2);
    expect(JSON.stringify(list)).not.toContain(API_KEY);
  });
});
