// How a run ends. jsPolicy's exit() calls isolate.TerminateExecution() and spins until V8 notices:
// not an exception, so neither catch nor finally runs. Node exposes the same V8 termination through
// vm's breakOnSigint: __exit sends SIGINT to this process, the script's while(true){} is cut, and
// runInContext throws ERR_SCRIPT_EXECUTION_INTERRUPTED, which means "completed" (pkg/vm/vm.go runScript).
// SIGINT is process-wide, so runs must never overlap in several threads of one process (nesting
// on one thread is fine).
import vm from 'node:vm';
import { thrownText } from './thrown.ts';

const TERMINATED = 'ExecutionTerminated: script execution has been terminated';

let running = false;
let haltRequested = false;

/** The native __exit. */
export function requestHalt(): void {
  // Outside runInContext (e.g. a toJSON called while __response is read) no SIGINT watchdog is armed
  // and the signal would kill the process; V8 would fail that call with the termination instead.
  if (!running) throw TERMINATED;
  haltRequested = true;
  process.kill(process.pid, 'SIGINT');
}

/**
 * Ends a run at its timeout by the same SIGINT as exit(), at a moment the engine chooses (never while
 * a native waits for the host, see engine/child.ts). Without one, node:vm's own timeout does it.
 */
export interface Deadline {
  arm(timeoutMs: number): void;
  /** Stops the clock; true when the run was interrupted because its time was up. */
  disarm(): boolean;
}

/** Runs `code` as jsPolicy's RunScriptWithTimeout does; `error` is the text jsPolicy reports. */
export function runUntilHalt(code: string | vm.Script, context: vm.Context, origin: string, timeoutMs: number, deadline?: Deadline): { error?: string } {
  let script: vm.Script;
  try {
    script = typeof code === 'string' ? new vm.Script(code, { filename: origin }) : code;
  } catch (err) {
    // V8 raises compile errors with no JS frame on the stack, so jsPolicy's text is just the first
    // line; Node would prefix the stack with the offending source line.
    return { error: `Uncaught ${String(err)}` };
  }
  // Runs nest: a policy's create() can run the admission policies of the cluster inside this run.
  // Node gives a SIGINT to the innermost breakOnSigint run only, and cancels the termination there.
  const outer = { running, haltRequested };
  running = true;
  haltRequested = false;
  const started = performance.now();
  let timedOut = false;
  try {
    deadline?.arm(timeoutMs);
    try {
      script.runInContext(context, { ...(deadline ? {} : { timeout: timeoutMs }), breakOnSigint: true, displayErrors: false });
    } finally {
      timedOut = deadline?.disarm() ?? false;
    }
    return {};
  } catch (err) {
    // Node creates these errors in the context's realm, so a policy could throw look-alikes: they
    // only count when this runner caused them.
    const isNodeError = (code: string) => {
      try {
        return (err as { code?: unknown } | null)?.code === code;
      } catch {
        return false;
      }
    };
    if (timedOut && isNodeError('ERR_SCRIPT_EXECUTION_INTERRUPTED')) return { error: `script ${origin} timed out` };
    if (haltRequested && isNodeError('ERR_SCRIPT_EXECUTION_INTERRUPTED')) return {};
    // Node's watchdog may fire a little before our clock says the time is up.
    if (performance.now() - started >= timeoutMs - 10 && isNodeError('ERR_SCRIPT_EXECUTION_TIMEOUT')) {
      return { error: `script ${origin} timed out` };
    }
    return { error: thrownText(err) };
  } finally {
    ({ running, haltRequested } = outer);
  }
}
