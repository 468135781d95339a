// The prototype controller (bench/fixtures/prototype-controller.js) as a jsPolicy Controller policy.
import { readFileSync } from 'node:fs';
import type { JsPolicy } from '../lib/k8s/types.ts';
import { repoFile } from '../tools/local/paths.ts';

export const PROTOTYPE_FIXTURE = 'bench/fixtures/prototype-controller.js';

/** The annotation the reconstructed prototype compares with spec.description (its value was elided in the post). */
export const PROTOTYPE_LASTAPPLIED_ANNOT = 'gptpolicy.dev/last-applied-description';

/** The script as the prototype's spec.javascript would hold it: the fixture minus its header comment. */
export function prototypeJavascript(): string {
  const text = readFileSync(repoFile(PROTOTYPE_FIXTURE), 'utf8');
  const match = /^\/\*[\s\S]*?\*\/\n/.exec(text);
  const script = match ? text.slice(match[0].length) : text;
  if (!script.includes(`const LASTAPPLIED_ANNOT = '${PROTOTYPE_LASTAPPLIED_ANNOT}'`)) {
    throw new Error(`${PROTOTYPE_FIXTURE} no longer sets LASTAPPLIED_ANNOT to '${PROTOTYPE_LASTAPPLIED_ANNOT}'`);
  }
  return script;
}

/** The spec fields of the prototype's JsPolicy in the post (type Controller, gptpolicies, scope Cluster). */
export function prototypeControllerSpec(javascript = prototypeJavascript()): Partial<JsPolicy['spec']> {
  return { type: 'Controller', resources: ['gptpolicies'], apiGroups: ['gptpolicy.dev'], apiVersions: ['v1alpha1'], scope: 'Cluster', javascript };
}

/** The system prompt inside the prototype's payload (the first message's template literal). */
export function prototypeSystemPrompt(javascript = prototypeJavascript()): string {
  const match = /role: 'system', content: `([\s\S]*?)`/.exec(javascript);
  if (!match?.[1]) throw new Error(`${PROTOTYPE_FIXTURE}: no system message found`);
  return match[1];
}

/** The user message template, with the owner filled in as the script would. */
export function prototypeUserMessage(name: string, uid: string, javascript = prototypeJavascript()): string {
  const match = /role: 'user', content: `([\s\S]*?)`/.exec(javascript);
  if (!match?.[1]) throw new Error(`${PROTOTYPE_FIXTURE}: no user message found`);
  return match[1].replace('${request.object.metadata.name}', name).replace('${request.object.metadata.uid}', uid);
}

/** The prototype's functions[] (its tool schema), evaluated from the payload literal. */
export function prototypeFunctions(javascript = prototypeJavascript()): unknown {
  const start = javascript.indexOf('functions: [');
  const end = javascript.indexOf('\n    ],\n', start);
  if (start < 0 || end < 0) throw new Error(`${PROTOTYPE_FIXTURE}: no functions array found`);
  const literal = javascript.slice(start + 'functions: '.length, end + '\n    ]'.length);
  return new Function(`return (${literal});`)() as unknown;
}
