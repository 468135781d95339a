import { falsy, namespace, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('two pods in team-a', 'countObjects(list("Pod", "v1", { namespace: "team-a" })) === 2', 'true'),
  truthy('three pods in all namespaces', 'countObjects(list("Pod", "v1")) === 3', 'true'),
  falsy('none in team-c', 'countObjects(list("Pod", "v1", { namespace: "team-c" }))'),
];
export const cluster = [
  namespace('team-a'),
  namespace('team-b'),
  pod({ containers: [{ name: 'a' }] }, { name: 'p1', namespace: 'team-a' }),
  pod({ containers: [{ name: 'a' }] }, { name: 'p2', namespace: 'team-a' }),
  pod({ containers: [{ name: 'a' }] }, { name: 'p3', namespace: 'team-b' }),
];
export const keywords = ['count', 'number', 'quota', 'limit', 'list', 'how', 'many', 'at', 'most', 'maximum'];
