import { admit, pod, falsy, truthy } from '../fixtures.ts';

const labelled = admit(pod({ containers: [] }, { labels: { env: 'prod', 'app.kubernetes.io/name': 'web' } }));
export const cases = [
  truthy('present', 'labelOf(request.object, "env")', '"prod"', labelled),
  truthy('dotted key', 'labelOf(request.object, "app.kubernetes.io/name")', '"web"', labelled),
  falsy('absent label', 'labelOf(request.object, "team")', labelled),
  falsy('no labels at all', 'labelOf(request.object, "env")', admit(pod({ containers: [] }))),
  falsy('no object', 'labelOf(null, "env")'),
];
export const keywords = ['label', 'metadata'];
