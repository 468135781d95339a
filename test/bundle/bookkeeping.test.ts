import { describe, expect, it } from 'vitest';
import { approvalUnderLoad } from '../../bench/contention.ts';
import { BOOKKEEPER_POLICY, CONTROLLER_POLICY, builtPolicies } from '../../tools/local/local-jspolicy.ts';

const LATENCY_MS = 5000;

describe('bookkeeping apart from generation', () => {
  it('the manifest installs two controller policies, and only the generation controller watches what calls the model (both kinds of intent, goals)', () => {
    const controllers = builtPolicies().filter((p) => p.spec.type === 'Controller');
    expect(controllers.map((p) => p.metadata.name).sort()).toEqual([BOOKKEEPER_POLICY, CONTROLLER_POLICY].sort());
    const byName = new Map(controllers.map((p) => [p.metadata.name, p.spec.resources]));
    expect(byName.get(CONTROLLER_POLICY)).toEqual(['gptpolicies', 'namespacedgptpolicies', 'policygoals']);
    for (const resource of ['gptpolicies', 'namespacedgptpolicies', 'policygoals']) expect(byName.get(BOOKKEEPER_POLICY)).not.toContain(resource);
  });

  it('an approval changes the stage at once while model calls are queued, not after them', async () => {
    const split = await approvalUnderLoad(3, { split: true, latencyMs: LATENCY_MS });
    expect(split.approvalMs).not.toBeNull();
    expect(split.approvalMs as number).toBeLessThan(LATENCY_MS);
    expect(split).toMatchObject({ ready: 3, modelCalls: 3 });
    // One controller policy for every kind: the approval waits for every call queued before it.
    const one = await approvalUnderLoad(3, { split: false, latencyMs: LATENCY_MS });
    expect(one.approvalMs as number).toBeGreaterThanOrEqual(3 * LATENCY_MS);
    expect(one.lastReadyMs).toBe(split.lastReadyMs);
  }, 180_000);
});
