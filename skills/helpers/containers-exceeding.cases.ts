import { admit, ephemeralUpdate, kindCases, pod, statefulSet, truthy } from '../fixtures.ts';

const spec = {
  containers: [
    { name: 'small', resources: { limits: { memory: '512Mi', cpu: '500m' } } },
    { name: 'big', resources: { limits: { memory: '8Gi', cpu: '4' } } },
    { name: 'unset' },
  ],
  initContainers: [{ name: 'init', resources: { limits: { cpu: '3' } } }],
};
const exact = { containers: [{ name: 'exact', resources: { limits: { cpu: '700m' } } }, { name: 'over', resources: { limits: { cpu: '701m' } } }] };
export const cases = [
  truthy('memory over 2Gi', 'containersExceeding(request.object, "limits", "memory", "2Gi").join(",")', '"big"', admit(statefulSet(spec))),
  truthy('cpu over 1 core, init containers too', 'containersExceeding(request.object, "limits", "cpu", "1").join(",")', '"big,init"', admit(pod(spec))),
  truthy('nothing over a high limit', 'containersExceeding(request.object, "limits", "memory", "16Gi").length === 0', 'true', admit(pod(spec))),
  truthy('700m is not above 0.7, 701m is', 'containersExceeding(request.object, "limits", "cpu", "0.7").join(",")', '"over"', admit(pod(exact))),
  truthy('2048Mi is not above 2Gi', 'containersExceeding(request.object, "limits", "memory", "2Gi").length === 0', 'true', admit(pod({ containers: [{ name: 'a', resources: { limits: { memory: '2048Mi' } } }] }))),
  truthy('unparsable value exceeds', 'containersExceeding(request.object, "limits", "cpu", "1").join(",")', '"x"', admit(pod({ containers: [{ name: 'x', resources: { limits: { cpu: 'lots' } } }] }))),
  truthy('an unparsable max: every set value exceeds', 'containersExceeding(request.object, "limits", "cpu", "2 cores").join(",")', '"small,big,init"', admit(pod(spec))),
  truthy('ephemeral containers set no resources and are not read', 'containersExceeding(request.object, "limits", "cpu", "1").join(",")', '"big"', ephemeralUpdate(pod({ containers: spec.containers, ephemeralContainers: [{ name: 'debug', image: 'busybox' }] }))),
  ...kindCases('big over 2 cores', 'containersExceeding(request.object, "limits", "cpu", "2").join(",")', '"big,init"', spec),
];
export const keywords = ['resource', 'limit', 'maximum', 'max', 'exceed', 'more', 'than', 'cpu', 'memory', 'quantity', 'cap'];
