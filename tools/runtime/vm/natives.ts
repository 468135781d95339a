// The natives of jsPolicy's VM (pkg/vm/vm.go NewVM) that the host serves: the cluster, the network
// and the log. The engine serves the rest itself (engine/core.ts): sleep, atob, btoa, env,
// readFileSync and __exit. Natives see their arguments as V8 values described by their type and
// their JSONStringify text, and answer the JSON text of the Go struct jsPolicy would marshal.
import type { RunOptions } from '../contracts.ts';
import { HOST_NATIVES, type Arg, type HostNative } from '../engine/protocol.ts';
import { clusterNatives } from './cluster-natives.ts';
import { fetchNative } from './fetch-native.ts';

export function hostNatives(options: RunOptions): Record<(typeof HOST_NATIVES)[number], HostNative> {
  return {
    print: (args, origin) => print(options, args, origin),
    ...clusterNatives(options.cluster),
    __fetchSync: fetchNative(options),
  };
}

// "[" + __policy + "] " + args: strings raw, the rest through V8's JSON.stringify, where undefined,
// functions and symbols read "undefined" and values it cannot serialise are left out.
function print(options: RunOptions, args: Arg[], origin: string): undefined {
  const parts: string[] = [];
  for (const arg of args) {
    if (arg.type === 'string') parts.push(arg.value!);
    // v8go's JSONStringify failed: jsPolicy skips the argument.
    else if (arg.error === undefined) parts.push(arg.json!);
  }
  options.log?.(`[${origin}] ${parts.join(' ')}`);
  return undefined;
}
