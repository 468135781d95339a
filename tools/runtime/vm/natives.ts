// The native globals of jsPolicy's VM (pkg/vm/vm.go NewVM) that need no cluster or network.
// Natives see their arguments as V8 values (type checks like v8go's IsString/IsNumber) and answer
// undefined where the Go function returns nil.
import type { RunOptions } from '../contracts.ts';
import { clusterNatives } from './cluster-natives.ts';
import type { Native, PolicyContext } from './context.ts';
import { fetchNative } from './fetch-native.ts';
import { atob, btoa } from './go-base64.ts';
import { requestHalt } from './halting.ts';

const sleeper = new Int32Array(new SharedArrayBuffer(4));

export function policyNatives(options: RunOptions, policy: PolicyContext): Record<string, Native> {
  const access = options.access ?? {};
  return {
    print: (...args) => print(options, policy, args),
    sleep: (...args) => {
      // One number; time.Duration(min(ms, 1000)) truncates fractions; NaN and negatives do not sleep.
      if (args.length !== 1 || typeof args[0] !== 'number') return undefined;
      const ms = Math.trunc(Math.min(args[0], 1000));
      if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
      return undefined;
    },
    atob,
    btoa,
    env: (...args) => lookup(access.env, args, ''),
    readFileSync: (...args) => lookup(access.files, args, undefined),
    __exit: () => requestHalt(),
    ...clusterNatives(options.cluster, policy),
    __fetchSync: fetchNative(options, policy),
  };
}

// env() answers "" for unset variables (os.Getenv); readFileSync() undefined for missing files.
function lookup(table: Record<string, string> | undefined, args: unknown[], missing: string | undefined): string | undefined {
  if (args.length !== 1 || typeof args[0] !== 'string') return undefined;
  return table && Object.hasOwn(table, args[0]) ? table[args[0]] : missing;
}

// "[" + __policy + "] " + args: strings raw, the rest through V8's JSON.stringify, where undefined,
// functions and symbols read "undefined" and values it cannot serialise are left out.
function print(options: RunOptions, policy: PolicyContext, args: unknown[]): undefined {
  const parts: string[] = [];
  for (const arg of args) {
    if (typeof arg === 'string') parts.push(arg);
    else {
      try {
        parts.push(String(JSON.stringify(arg)));
      } catch {
        // v8go's JSONStringify failed: jsPolicy skips the argument.
      }
    }
  }
  let origin: string;
  try {
    origin = String(policy.global.__policy);
  } catch {
    origin = '';
  }
  options.log?.(`[${origin}] ${parts.join(' ')}`);
  return undefined;
}
