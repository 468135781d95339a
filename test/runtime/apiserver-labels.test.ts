import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../tools/runtime/apiserver/labels.ts';

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
