import { describe, expect, it } from 'vitest';
import { lintPolicy } from '../../lib/lint/index.ts';
import { BUILTIN_RESOURCES } from '../../lib/k8s/builtin-resources.ts';

const policy = (javascript: string) => ({
  apiVersion: 'policy.jspolicy.com/v1beta1',
  kind: 'JsPolicy',
  metadata: { name: 'p.gptpolicy.dev' },
  spec: { operations: ['CREATE'], resources: ['pods'], apiGroups: [''], javascript },
});

const clockFindings = (javascript: string, description: string, profile: 'generated' | 'jspolicy' = 'generated') =>
  lintPolicy(policy(javascript), { profile, resources: BUILTIN_RESOURCES, description }).filter((f) => f.rule === 'clock-read');

describe('clock-read', () => {
  const bomb = 'if (Date.now() > 1767225600000) { deny("no") }';

  it.each([
    ['Date.now()', bomb],
    ['new Date()', 'if (new Date().getUTCFullYear() > 2026) deny("no")'],
    ['Date()', 'if (Date() !== "") deny("no")'],
    ['an optional call', 'if (Date?.now() > 1) deny("no")'],
  ])('refuses %s when the intent is not about time', (_what, js) => {
    expect(clockFindings(js, 'Deny pods labelled env=prod in namespace test')).toHaveLength(1);
  });

  it('allows it when the intent is about time, and in hand-written policies', () => {
    expect(clockFindings(bomb, 'Deny new pods in namespace shop outside business hours (08:00-18:00 UTC)')).toEqual([]);
    expect(clockFindings(bomb, 'Deny CronJobs older than 30 days')).toEqual([]);
    expect(clockFindings(bomb, 'Deny pods labelled env=prod', 'jspolicy')).toEqual([]);
  });

  it('allows parsing a timestamp of the object, and a local named Date', () => {
    expect(clockFindings('if (new Date(request.object.metadata.creationTimestamp).getTime() > 0) deny("x")', 'Deny pods labelled env=prod')).toEqual([]);
    expect(clockFindings('const Date = { now: () => 1 }; if (Date.now() > 0) deny("x")', 'Deny pods labelled env=prod')).toEqual([]);
  });
});
