import { admit, deployment, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('pod images', 'containerImages(request.object).join(" ")', '"nginx:1.25 busybox"', admit(pod({ containers: [{ name: 'a', image: 'nginx:1.25' }], initContainers: [{ name: 'i', image: 'busybox' }] }))),
  truthy('missing image skipped', 'containerImages(request.object).join(" ")', '"redis"', admit(deployment({ containers: [{ name: 'a' }, { name: 'b', image: 'redis' }] }))),
];
export const keywords = ['image'];
