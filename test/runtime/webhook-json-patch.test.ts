import { describe, expect, it } from 'vitest';
import { applyJsonPatch, createJsonPatch } from '../../tools/runtime/webhook/json-patch.ts';

const pairs: Array<[string, unknown, unknown]> = [
  ['equal objects', { a: 1, b: [1, 2] }, { a: 1, b: [1, 2] }],
  ['added key', { a: 1 }, { a: 1, b: { c: 'x' } }],
  ['removed key', { a: 1, b: 2 }, { a: 1 }],
  ['replaced scalar', { a: 1 }, { a: '1' }],
  ['type change object → array', { a: { x: 1 } }, { a: [1] }],
  ['null → object', { a: null }, { a: { b: 1 } }],
  ['object → null', { a: { b: 1 } }, { a: null }],
  ['array grows', { c: [{ n: 'a' }] }, { c: [{ n: 'a' }, { n: 'b' }, { n: 'c' }] }],
  ['array shrinks', { c: [1, 2, 3, 4] }, { c: [1] }],
  ['array element changes', { c: [{ n: 'a', i: 'x' }, { n: 'b' }] }, { c: [{ n: 'a', i: 'y' }, { n: 'b', p: 'Always' }] }],
  ['array shrinks and changes', { c: [1, 2, 3] }, { c: [9] }],
  ['keys with / and ~', { 'a/b': 1, 'c~d': 2 }, { 'a/b': 3, 'e~/f': 4 }],
  [
    'pod annotations and sidecar',
    { metadata: { name: 'p', annotations: { x: '1' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    { metadata: { name: 'p', annotations: { x: '1', 'required-annotation': 'is-required' } }, spec: { containers: [{ name: 'app', image: 'nginx' }, { name: 'injected-container', image: 'busybox', command: ['sleep', '3600'] }] } },
  ],
  ['root null → object', null, { a: 1 }],
];

describe('createJsonPatch', () => {
  it.each(pairs)('%s: applying the patch gives the patched object', (_name, original, patched) => {
    const patch = createJsonPatch(original, patched);
    expect(applyJsonPatch(original, patch)).toEqual(patched);
  });

  it('is empty for equal documents', () => {
    expect(createJsonPatch({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });

  it('escapes pointer tokens (RFC 6901)', () => {
    expect(createJsonPatch({ metadata: { labels: {} } }, { metadata: { labels: { 'app.kubernetes.io/name': 'x' } } })).toEqual([
      { op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'x' },
    ]);
  });

  it('emits add / remove / replace operations only, minimal for a single change', () => {
    expect(createJsonPatch({ a: 1, b: 2 }, { a: 2, b: 2 })).toEqual([{ op: 'replace', path: '/a', value: 2 }]);
    expect(createJsonPatch({ a: 1, b: 2 }, { a: 1 })).toEqual([{ op: 'remove', path: '/b' }]);
    expect(createJsonPatch({ l: [1, 2, 3] }, { l: [1] })).toEqual([
      { op: 'remove', path: '/l/2' },
      { op: 'remove', path: '/l/1' },
    ]);
  });

  it('does not alias the patched document', () => {
    const patched = { a: { b: 1 } };
    const patch = createJsonPatch({}, patched);
    patched.a.b = 2;
    expect(patch).toEqual([{ op: 'add', path: '/a', value: { b: 1 } }]);
  });
});

describe('applyJsonPatch', () => {
  it('rejects paths that do not exist', () => {
    expect(() => applyJsonPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch({ a: [] }, [{ op: 'replace', path: '/a/0', value: 1 }])).toThrow(/out of range/);
  });
  it('does not change its input', () => {
    const input = { a: [1] };
    applyJsonPatch(input, [{ op: 'add', path: '/a/1', value: 2 }]);
    expect(input).toEqual({ a: [1] });
  });
});
