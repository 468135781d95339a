// Local jsPolicy installations the sections measure: our built controller against a scripted fake
// model, or the prototype's script in the same place (LocalJsPolicy with its spec swapped in).
import type { GPTPolicy } from '../lib/gptpolicy/types.ts';
import type { JsPolicy, KubeObject } from '../lib/k8s/types.ts';
import { startFakeModel, type FakeModel, type ScriptedReply } from '../tools/fake-model/index.ts';
import { LocalJsPolicy } from '../tools/local/local-jspolicy.ts';
import { prototypeControllerSpec } from './prototype.ts';
import { GP_API_VERSION } from './scenarios.ts';

export const BENCH_API_KEY = 'sk-bench-not-a-real-key';

export interface OursInstallation {
  local: LocalJsPolicy;
  model: FakeModel;
  /** Every print() line of the controller, in order. */
  logs: string[];
  close(): Promise<void>;
}

/** Our built controller (manifests/gptpolicy-controller.yaml) with a fake model answering `script`. */
export async function startOurs(
  script: ScriptedReply[],
  options: { objects?: KubeObject[]; repeatLast?: boolean; bookkeeping?: boolean; controllerSpec?: Partial<JsPolicy['spec']> } = {},
): Promise<OursInstallation> {
  const model = await startFakeModel(script, { whenExhausted: options.repeatLast ? 'repeat-last' : 'error' });
  const logs: string[] = [];
  try {
    const local = new LocalJsPolicy({
      apiKey: BENCH_API_KEY,
      env: { OPENAI_BASE_URL: model.baseUrl, OPENAI_MODEL: 'fake' },
      objects: options.objects,
      log: (line) => logs.push(line),
      ...(options.bookkeeping === false ? { bookkeeping: false } : {}),
      ...(options.controllerSpec ? { controllerSpec: options.controllerSpec } : {}),
    });
    return { local, model, logs, close: () => model.close() };
  } catch (error) {
    await model.close();
    throw error;
  }
}

/** The prototype's script as the controller policy, in the same local installation (no model: it never calls one on these events). */
export function startPrototype(options: { objects?: KubeObject[] } = {}): { local: LocalJsPolicy; logs: string[] } {
  const logs: string[] = [];
  const local = new LocalJsPolicy({ controllerSpec: prototypeControllerSpec(), bookkeeping: false, objects: options.objects, log: (line) => logs.push(line) });
  return { local, logs };
}

export function readyCondition(gp: GPTPolicy | undefined): { status?: string; reason?: string; message?: string } | undefined {
  return gp?.status?.conditions?.find((c) => c.type === 'Ready');
}

export function getGptPolicy(local: LocalJsPolicy, name: string): GPTPolicy | undefined {
  return local.get<GPTPolicy>(GP_API_VERSION, 'GPTPolicy', name);
}

/** The controller's error lines (failed reconciles, runs jsPolicy reports as errors), deduplicated. */
export function errorLines(logs: readonly string[], max = 3): string[] {
  const errors = logs.filter((l) => l.includes('"level":"error"') || l.startsWith('Error executing policy'));
  return [...new Set(errors.map((l) => l.replace(/"gptpolicy":"[^"]*"/, '"gptpolicy":…')))].slice(0, max);
}

/** "Ready=True PolicyApplied" for a status line. */
export function describeReady(gp: GPTPolicy | undefined): string {
  const ready = readyCondition(gp);
  if (!ready) return 'no Ready condition';
  return `Ready=${ready.status} ${ready.reason ?? ''}${ready.status === 'True' ? '' : `: ${clipText(ready.message ?? '', 160)}`}`;
}

export function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
