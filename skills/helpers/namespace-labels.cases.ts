import { admit, namespace, pod, falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('labels of an existing namespace', 'namespaceLabels("payments").env', '"prod"', admit(pod({ containers: [] }, { namespace: 'payments' }))),
  falsy('missing namespace: no labels', 'Object.keys(namespaceLabels("nowhere")).length'),
  falsy('empty name', 'Object.keys(namespaceLabels("")).length'),
];
export const cluster = [namespace('payments', { env: 'prod' })];
export const keywords = ['namespace', 'label', 'environment', 'get', 'read'];
