// Benign controls: sound answers that must still be applied (Dry) whatever the defences refuse.
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, namespace, pod, podAnswer, podObjects, POD_INTENT, requestJson } from './common.ts';

const LABEL_INTENT = "Add the label team=a to pods in the 'dev' namespace.";

const labelPod = (labels: Record<string, string>) => requestJson(pod('dev', labels));

export const CONTROL_CASES: CorpusCase[] = [
  {
    name: 'a Validating policy that denies exactly what the intent says',
    class: 'control',
    intent: POD_INTENT,
    answer: podAnswer(DENY_PROD),
    objects: podObjects(),
    expect: { applied: true },
    admissions: [{ object: pod('test', { env: 'prod' }, undefined, 'new-prod'), expect: { allowed: false } }, { object: pod('test', { env: 'dev' }, undefined, 'new-dev'), expect: { allowed: true } }],
    defence: 'none (control)',
  },
  {
    name: 'a Mutating policy that sets exactly the label the intent names',
    class: 'control',
    intent: LABEL_INTENT,
    answer: {
      plan: { summary: 'Label pods in dev with team=a', resources: [{ group: '', version: 'v1', resource: 'pods' }], operations: ['CREATE'], namespaces: ['dev'], denies: '', allows: 'every pod', mutates: 'sets metadata.labels.team to a' },
      policy: {
        type: 'Mutating',
        operations: ['CREATE'],
        resources: ['pods'],
        apiGroups: [''],
        apiVersions: ['v1'],
        scope: 'Namespaced',
        objectSelector: '',
        javascript: "if (request.object?.metadata && request.object.metadata.labels?.team !== 'a') { request.object.metadata.labels = { ...(request.object.metadata.labels || {}), team: 'a' }; mutate(request.object); }",
      },
      tests: [
        { name: 'a pod without the label gets team=a', request: labelPod({}), expect: 'mutate', detail: JSON.stringify({ metadata: { labels: { team: 'a' } } }) },
        { name: 'a pod with team=a is left alone', request: labelPod({ team: 'a' }), expect: 'allow', detail: '' },
      ],
    },
    objects: [namespace('dev'), pod('dev', {}, undefined, 'old')],
    expect: { applied: true },
    admissions: [{ object: pod('dev', {}, undefined, 'new'), expect: { labels: { team: 'a' } } }],
    defence: 'none (control)',
  },
];
