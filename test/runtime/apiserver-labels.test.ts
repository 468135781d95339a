import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../tools/runtime/apiserver/labels.ts';
import type { KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { configMap, FIXED_NOW } from './apiserver-fixtures.ts';

const labels = { app: 'web', tier: 'frontend', 'example.com/size': '3' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web , tier = frontend', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['example.com/size>2', true],
    ['example.com/size<3', false],
    ['missing=', false],
    ['app=web,tier=backend', false],
  ])('%j matches %s', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('treats an empty value as a label set to the empty string', () => {
    expect(parseLabelSelector('flag=')({ flag: '' })).toBe(true);
    expect(parseLabelSelector('flag in (a,)')({ flag: '' })).toBe(true);
  });

  it.each(['app=web,', 'app in web', 'app in ()', 'app=(x)', '=web', 'app=web=x', 'bad key=x', 'app=no spaces', 'a/b/c=x', 'size>big', 'a in (x'])(
    'rejects %j',
    (selector) => {
      expect(() => parseLabelSelector(selector)).toThrow(`invalid label selector "${selector}"`);
    },
  );
});

describe('label validation on write (ValidateObjectMeta)', () => {
  const cluster = () => new InMemoryCluster({ now: () => FIXED_NOW, objects: [namespace('default')] });
  const withLabels = (labels: Record<string, string>): KubeObject => ({ ...configMap('c'), metadata: { ...configMap('c').metadata, labels } });
  const long = 'a'.repeat(64);

  it('refuses a value over 63 characters, or not starting and ending alphanumeric, as an API server does', () => {
    const refused = cluster().create(withLabels({ owner: long }));
    expect(refused).toMatchObject({ ok: false, code: 422, reason: 'Invalid' });
    expect(!refused.ok && refused.message).toBe(`ConfigMap "c" is invalid: metadata.labels: Invalid value: "${long}": must be no more than 63 characters`);
    const dotted = cluster().create(withLabels({ owner: 'name.' }));
    expect(!dotted.ok && dotted.message).toBe(
      `ConfigMap "c" is invalid: metadata.labels: Invalid value: "name.": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });

  it('refuses a key that is no qualified name, on create and on update, and keeps what fits', () => {
    const c = cluster();
    expect(c.create(withLabels({ 'example.com/owner': 'a'.repeat(63), empty: '' })).ok).toBe(true);
    const stored = c.get('v1', 'ConfigMap', 'default', 'c') as KubeObject;
    const updated = c.update({ ...stored, metadata: { ...stored.metadata, labels: { 'a/b/c': 'x', 'Example.com/x': 'y' } } });
    expect(!updated.ok && updated.message).toBe(
      `ConfigMap "c" is invalid: [metadata.labels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'), metadata.labels: Invalid value: "Example.com/x": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')]`,
    );
    expect(c.get('v1', 'ConfigMap', 'default', 'c')?.metadata.labels).toEqual({ 'example.com/owner': 'a'.repeat(63), empty: '' });
  });
});
