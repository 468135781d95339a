import { describe, expect, it } from 'vitest';
import { withRequestDefaults } from '../../lib/toolkit/plausible-request.ts';

describe('a test case request, filled in as the API server sends it', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' } };

  it('carries no marker of a test: a random v4 uid, a plausible user, the operation options', () => {
    const a = withRequestDefaults({ operation: 'CREATE', namespace: 'shop', object: pod });
    const b = withRequestDefaults({ operation: 'CREATE', namespace: 'shop', object: pod });
    expect(a.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.uid).not.toBe(b.uid);
    expect(a.userInfo.username).toBe('system:serviceaccount:shop:default');
    expect(a).toMatchObject({ dryRun: false, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' }, oldObject: null });
    expect(JSON.stringify(a)).not.toMatch(/test/i);
  });

  it('keeps what the case says, and a DELETE names its options too', () => {
    const r = withRequestDefaults({ operation: 'DELETE', oldObject: pod, userInfo: { username: 'alice' } });
    expect(r.userInfo).toEqual({ username: 'alice' });
    expect(r.options).toEqual({ kind: 'DeleteOptions', apiVersion: 'meta.k8s.io/v1' });
    expect(r.object).toBeNull();
  });
});
