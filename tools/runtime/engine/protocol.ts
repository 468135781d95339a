// What crosses between the host (the local runtime: cluster, network, logs) and an engine (the V8
// that runs policy code: a V8 9.6 child process, or this process as a fallback). Everything is
// plain JSON, as jsPolicy's natives pass everything through JSON between Go and V8.

/**
 * A native's argument as the host needs to see it: jsPolicy's Go callbacks check a value's type
 * (v8go IsString …) and read objects through JSONStringify, which runs in the engine.
 */
export interface Arg {
  type: 'undefined' | 'object' | 'boolean' | 'number' | 'string' | 'function' | 'symbol' | 'bigint';
  /** The string itself, for strings. */
  value?: string;
  /** String(JSON.stringify(value)) for everything else ("undefined" where V8 gives undefined). */
  json?: string;
  /** What JSON.stringify threw instead. */
  error?: string;
}

/** A native the host serves: answers the JSON text the engine parses in the policy's realm, or undefined. */
export type HostNative = (args: Arg[], origin: string) => string | undefined;

/** Natives that need the host; the rest (sleep, atob, btoa, env, readFileSync, __exit) run in the engine. */
export const HOST_NATIVES = ['print', '__get', '__list', '__create', '__update', '__remove', '__fetchSync'] as const;

export interface RunRequest {
  policyName: string;
  /** The whole script jsPolicy runs: `var __policy = …; var request = …; <javascript>`. */
  code: string;
  timeoutMs: number;
  env: Record<string, string>;
  files: Record<string, string>;
  /** Date inside the run asks the host for the time (RunOptions.now). */
  virtualClock: boolean;
  /** Every native is served by the host, none by the engine (test harnesses that spy on natives). */
  allNativesRemote?: boolean;
  /** Only compile the code (no context, no run): `error` is V8's SyntaxError text. */
  parseOnly?: boolean;
}

/** How the script ended, before jsPolicy reads __response. */
export interface RunReply {
  /** The error text jsPolicy reports (compile error, uncaught exception, timeout, stringify failure). */
  error?: string;
  /** JSON.stringify(__response) as V8's JSON::Stringify writes it, read after the run. */
  response?: string;
  /** process.versions.v8 of the engine that ran it. */
  v8: string;
  /** Measured inside the engine: the fresh context with natives and prepare script, and the rest of the run. */
  contextMs: number;
  scriptMs: number;
}

/** A context kept open for several evaluations (test harnesses: a controller run calling the sandbox). */
export interface EvalRequest {
  session: number;
  code: string;
  filename: string;
  timeoutMs: number;
}

/** The completion value of an evaluation as JSON text, or what it threw. */
export type EvalReply = { json: string } | { error: string };

// Frames host → engine: run | open | eval | close | answer (to a native call or the clock).
// Frames engine → host: ready (once, at start) | native | now | done.
export type ToEngine =
  | { op: 'run'; request: RunRequest }
  | { op: 'open'; session: number; request: RunRequest }
  | { op: 'eval'; request: EvalRequest }
  | { op: 'close'; session: number }
  | { op: 'answer'; id: number; value: string | number | undefined };

export type FromEngine =
  | { op: 'ready'; v8: string }
  | { op: 'native'; id: number; name: string; args: Arg[]; origin: string }
  | { op: 'now'; id: number }
  | { op: 'done'; value: RunReply | EvalReply | null };
