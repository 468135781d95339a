import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('tagged', 'imageTag("nginx:1.25")', '"1.25"'),
  truthy('registry port is not a tag', 'imageTag("registry.local:5000/app:v1")', '"v1"'),
  falsy('untagged', 'imageTag("registry.local:5000/app")'),
  falsy('invalid reference', 'imageTag("nginx:-x")'),
];
export const keywords = ['image', 'tag', 'version'];
