import { admit, falsy, pod, truthy } from '../fixtures.ts';

export const cases = [
  truthy('an own field', 'ownValue({ a: 1, "b.c": "x" }, "b.c")', '"x"'),
  truthy('a field of the request object', 'ownValue(request.object.metadata.labels, "team")', '"web"', admit(pod({ containers: [] }, { labels: { team: 'web' } }))),
  truthy('an array element by its index', 'ownValue(["x", "y"], "1")', '"y"'),
  falsy('a missing field', 'ownValue({ a: 1 }, "b")'),
  falsy('an inherited name is not found', 'ownValue({}, "constructor") || ownValue({}, "toString") || ownValue({}, "__proto__")'),
  falsy('no object', 'ownValue(null, "a")'),
  falsy('a string is no object', 'ownValue("abc", "length")'),
];
export const keywords = ['key', 'field', 'property', 'dynamic', 'computed', 'lookup'];
