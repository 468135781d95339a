import { admit, pod, statefulSet, truthy } from '../fixtures.ts';

const spec = {
  containers: [
    { name: 'small', resources: { limits: { memory: '512Mi', cpu: '500m' } } },
    { name: 'big', resources: { limits: { memory: '8Gi', cpu: '4' } } },
    { name: 'unset' },
  ],
};
export const cases = [
  truthy('memory over 2Gi', 'containersExceeding(request.object, "limits", "memory", "2Gi").join(",")', '"big"', admit(statefulSet(spec))),
  truthy('cpu over 1 core', 'containersExceeding(request.object, "limits", "cpu", "1").join(",")', '"big"', admit(pod(spec))),
  truthy('nothing over a high limit', 'containersExceeding(request.object, "limits", "memory", "16Gi").length === 0', 'true', admit(pod(spec))),
  truthy('unparsable value exceeds', 'containersExceeding(request.object, "limits", "cpu", "1").join(",")', '"x"', admit(pod({ containers: [{ name: 'x', resources: { limits: { cpu: 'lots' } } }] }))),
];
export const keywords = ['resource', 'limit', 'maximum', 'max', 'exceed', 'more', 'than', 'cpu', 'memory', 'quantity', 'cap'];
