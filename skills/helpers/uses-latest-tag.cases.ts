import { falsy, truthy } from '../fixtures.ts';

const D = 'sha256:' + '0123456789abcdef'.repeat(4);
export const cases = [
  truthy('latest', 'usesLatestTag("nginx:latest")', 'true'),
  truthy('untagged', 'usesLatestTag("registry.local:5000/app")', 'true'),
  falsy('pinned tag', 'usesLatestTag("nginx:1.25")'),
  falsy('digest', `usesLatestTag("nginx@${D}")`),
  falsy('latest but digest-pinned', `usesLatestTag("nginx:latest@${D}")`),
  truthy('an invalid digest pins nothing', 'usesLatestTag("nginx@sha256:0123")', 'true'),
];
export const keywords = ['image', 'latest', 'tag', 'pinned', 'floating', 'untagged'];
