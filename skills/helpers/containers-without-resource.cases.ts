import { admit, deployment, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

const spec = {
  containers: [
    { name: 'ok', image: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } } },
    { name: 'nolimits', image: 'b', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
  ],
  initContainers: [{ name: 'init', image: 'c' }],
  ephemeralContainers: [{ name: 'debug', image: 'd' }],
};
export const cases = [
  truthy('memory limits missing', 'containersWithoutResource(request.object, "limits", "memory").join(",")', '"nolimits,init"', admit(deployment(spec))),
  truthy('cpu requests missing', 'containersWithoutResource(request.object, "requests", "cpu").join(",")', '"init"', admit(pod(spec))),
  truthy('all set', 'containersWithoutResource(request.object, "limits", "cpu").length === 0', 'true', admit(pod({ containers: [spec.containers[0]] }))),
  truthy('ephemeral containers are not listed', 'containersWithoutResource(request.object, "limits", "cpu").length === 0', 'true', ephemeralUpdate(pod({ containers: [spec.containers[0]], ephemeralContainers: [{ name: 'debug', image: 'd' }] }))),
  ...kindCases('memory limits missing', 'containersWithoutResource(request.object, "limits", "memory").join(",")', '"nolimits,init"', spec),
];
export const keywords = ['resource', 'requests', 'limits', 'cpu', 'memory', 'missing', 'require', 'set'];
