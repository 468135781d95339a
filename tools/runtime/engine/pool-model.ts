// jsPolicy's VM pool on the virtual clock: VM_POOL_SIZE VMs shared by every webhook and every
// controller run (pkg/vm/vmpool: a buffered channel, so a run that finds none free waits for the
// next one released, in arrival order). The engine pool (pool.ts) runs the code for real, at once;
// this model says when each run could have started, given what held the VMs before it. A
// controller run holds its VM for the whole run, its model call included.

export interface SlotTaken {
  /** Virtual ms since the epoch when a VM was free for it. */
  startMs: number;
  waitedMs: number;
  endMs: number;
}

export class VmPoolModel {
  private readonly freeAt: number[];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`VM pool size must be a positive integer, got ${size}`);
    this.freeAt = new Array<number>(size).fill(Number.NEGATIVE_INFINITY);
  }

  /** A run arriving at `atMs` that holds a VM for `holdMs`: takes the VM free soonest. */
  take(atMs: number, holdMs: number): SlotTaken {
    let slot = 0;
    for (let i = 1; i < this.freeAt.length; i++) if ((this.freeAt[i] as number) < (this.freeAt[slot] as number)) slot = i;
    const startMs = Math.max(atMs, this.freeAt[slot] as number);
    const endMs = startMs + Math.max(0, holdMs);
    this.freeAt[slot] = endMs;
    return { startMs, waitedMs: startMs - atMs, endMs };
  }
}
