import { describe, expect, it } from 'vitest';
import { admissionLatencies } from '../../bench/pool.ts';
import { VmPoolModel } from '../../tools/runtime/engine/pool-model.ts';

describe("jsPolicy's VM pool on the virtual clock", () => {
  it('a run waits for the VM free soonest, in arrival order', () => {
    const pool = new VmPoolModel(2);
    expect(pool.take(0, 5000)).toEqual({ startMs: 0, waitedMs: 0, endMs: 5000 });
    expect(pool.take(10, 100)).toEqual({ startMs: 10, waitedMs: 0, endMs: 110 });
    expect(pool.take(20, 100)).toEqual({ startMs: 110, waitedMs: 90, endMs: 210 });
    expect(pool.take(300, 1)).toEqual({ startMs: 300, waitedMs: 0, endMs: 301 });
    expect(() => new VmPoolModel(0)).toThrow('positive integer');
  });

  it("an unrelated webhook waits for a model call only when the call holds jsPolicy's last VM", async () => {
    const scenario = { latencyMs: 5000, requestsPerSecond: 4, idleWindowMs: 1000, syncing: 1 };
    const starved = await admissionLatencies({ ...scenario, poolSize: 1 });
    expect(Math.max(...starved)).toBeGreaterThanOrEqual(4000);
    const shared = await admissionLatencies({ ...scenario, poolSize: 4 });
    expect(Math.max(...shared)).toBeLessThan(4000);
  }, 180_000);
});
