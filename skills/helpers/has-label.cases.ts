import { admit, pod, falsy, truthy } from '../fixtures.ts';

const labelled = admit(pod({ containers: [] }, { labels: { env: 'prod', tier: '' } }));
export const cases = [
  truthy('key and value match', 'hasLabel(request.object, "env", "prod")', 'true', labelled),
  falsy('other value', 'hasLabel(request.object, "env", "dev")', labelled),
  truthy('key only, empty value counts', 'hasLabel(request.object, "tier")', 'true', labelled),
  falsy('missing key', 'hasLabel(request.object, "team")', labelled),
  falsy('no metadata', 'hasLabel({}, "env", "prod")'),
];
export const keywords = ['label'];
