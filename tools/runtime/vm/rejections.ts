// V8 in jsPolicy drops unhandled Promise rejections silently. Node tracks them for every context of
// the isolate and, by default, crashes the process (or a test runner reports them). The policy's
// rejections are filtered out of process.emit('unhandledRejection') before anyone sees them; all
// other rejections take Node's normal path.

const policyPromisePrototypes = new WeakSet<object>();
let installed = false;

/** Marks a context's Promise.prototype: rejections of its promises (and subclasses') are dropped. */
export function ignoreRejectionsOf(promisePrototype: object): void {
  policyPromisePrototypes.add(promisePrototype);
  if (installed) return;
  installed = true;
  const emit = process.emit;
  process.emit = function (this: NodeJS.Process, event: string | symbol, ...args: unknown[]): boolean {
    if (event === 'unhandledRejection' && fromPolicy(args[1])) return true;
    return (emit as (...a: unknown[]) => boolean).call(this, event, ...args);
  } as typeof process.emit;
}

function fromPolicy(promise: unknown): boolean {
  for (let proto = promise; proto !== null && typeof proto === 'object'; proto = Object.getPrototypeOf(proto)) {
    if (policyPromisePrototypes.has(proto)) return true;
  }
  return false;
}
