import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('latest', 'usesLatestTag("nginx:latest")', 'true'),
  truthy('untagged', 'usesLatestTag("registry.local:5000/app")', 'true'),
  falsy('pinned tag', 'usesLatestTag("nginx:1.25")'),
  falsy('digest', 'usesLatestTag("nginx@sha256:0123")'),
  falsy('latest but digest-pinned', 'usesLatestTag("nginx:latest@sha256:0123")'),
];
export const keywords = ['image', 'latest', 'tag', 'pinned', 'floating', 'untagged'];
