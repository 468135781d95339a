// Shapes shared by the webhook emulation (matching, admission, audit).
import type { KubeObject } from '../../../lib/k8s/types.ts';

/** One RFC 6902 operation, as jsonpatch.CreatePatch emits them (add / remove / replace only). */
export type JsonPatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'replace'; path: string; value: unknown }
  | { op: 'remove'; path: string };

/** What jsPolicy's answer to one admission request turns into, after violationPolicy. */
export interface AdmissionOutcome {
  /** false: the policy's webhook configuration does not select this request (the policy never sees it). */
  matched: boolean;
  /** What the API server does with the request (after violationPolicy Warn/Dry). */
  allowed: boolean;
  code?: number;
  reason?: string;
  message?: string;
  /** As the client receives them: warn() messages prefixed "[<policy>]: ", plus the Warn-policy entry. */
  warnings: string[];
  /** Mutating policies only; dropped by violationPolicy Dry. */
  patch?: JsonPatchOp[];
  /** request.object with `patch` applied. */
  patchedObject?: KubeObject;
  /** When the policy threw, timed out, answered an undecodable __response, or its bundle is missing. */
  error?: string;
  /**
   * The policy's own verdict, i.e. jsPolicy's answer before violationPolicy: set when that answer was
   * allowed:false (a deny() or an error). Under violationPolicy Warn/Dry `allowed` is true while this is set.
   */
  violation?: { kind: 'deny' | 'error'; code: number; reason?: string; message: string };
  /** jsPolicy never answered (the run hung or crashed jsPolicy): failurePolicy decided `allowed`. */
  unanswered?: { kind: 'hang' | 'crash'; message: string };
}
