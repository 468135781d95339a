// Controller-type JsPolicies: the watch → queue → run loop on a virtual clock.
export { ControllerLoop, VirtualClock } from './loop.ts';
export type { ControllerLoopOptions, ControllerStartResult, ControllerStats, ProcessResult, SettleOptions } from './loop.ts';
export { BASE_DELAY_MS, MAX_DELAY_MS, WorkQueue } from './queue.ts';
export { apiVersionOf, buildControllerRequest, controllerOperation, formatKey, parseKey, sortKeysDeep } from './request.ts';
export type { ControllerKey } from './request.ts';
export { resolveWatchedKinds } from './resolve.ts';
export { settleAll } from './settle-all.ts';
export type { WatchedKinds } from './resolve.ts';
