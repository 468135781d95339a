import { admit, pod, falsy, truthy } from '../fixtures.ts';

const annotated = admit(pod({ containers: [] }, { annotations: { 'example.com/owner': 'team-a' } }));
export const cases = [
  truthy('present', 'annotationOf(request.object, "example.com/owner")', '"team-a"', annotated),
  falsy('absent', 'annotationOf(request.object, "example.com/cost-center")', annotated),
  falsy('no annotations', 'annotationOf(request.object, "x")', admit(pod({ containers: [] }))),
  falsy('undefined object', 'annotationOf(undefined, "x")'),
];
export const keywords = ['annotation', 'metadata'];
