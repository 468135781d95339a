import { admit, deployment, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('pod images', 'containerImages(request.object).join(" ")', '"nginx:1.25 busybox"', admit(pod({ containers: [{ name: 'a', image: 'nginx:1.25' }], initContainers: [{ name: 'i', image: 'busybox' }] }))),
  truthy('missing image skipped', 'containerImages(request.object).join(" ")', '"redis"', admit(deployment({ containers: [{ name: 'a' }, { name: 'b', image: 'redis' }] }))),
  truthy('ephemeral container image', 'containerImages(request.object).join(" ")', '"nginx busybox:1.36"', ephemeralUpdate(pod({ containers: [{ name: 'a', image: 'nginx' }], ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36' }] }))),
  ...kindCases('every image', 'containerImages(request.object).join(" ")', '"nginx:1.25 busybox"', { containers: [{ name: 'a', image: 'nginx:1.25' }], initContainers: [{ name: 'i', image: 'busybox' }] }),
];
export const keywords = ['image'];
