import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { configMap, widget, widgetCrd } from './apiserver-fixtures.ts';

const TOKEN = 'sa-token';
const AUTH = { authorization: `Bearer ${TOKEN}` };

function setup(objects: KubeObject[] = []): InMemoryCluster {
  return new InMemoryCluster({ serviceAccountToken: TOKEN, objects: [namespace('default'), widgetCrd(), ...objects] });
}

function call(c: InMemoryCluster, method: string, path: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const response = c.handleHttp({ method, path, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: JSON.parse(response.body) as Record<string, unknown> };
}

const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';

describe('handleHttp', () => {
  it('requires the bearer token, header names case-insensitive', () => {
    const c = setup([configMap('a')]);
    expect(call(c, 'GET', '/api/v1/namespaces/default/configmaps/a', undefined, {})).toEqual({
      status: 401,
      headers: { 'Content-Type': 'application/json' },
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 },
    });
    expect(call(c, 'GET', '/api/v1/namespaces/default/configmaps/a', undefined, { Authorization: 'Bearer wrong' }).status).toBe(401);
    expect(call(c, 'GET', '/api/v1/namespaces/default/configmaps/a', undefined, { AUTHORIZATION: `Bearer ${TOKEN}` }).status).toBe(200);
  });

  it('needs no token when none is configured', () => {
    const c = new InMemoryCluster({ objects: [namespace('default')] });
    expect(call(c, 'GET', '/api/v1/namespaces/default', undefined, {}).body.kind).toBe('Namespace');
  });

  it('gets one object, lists a collection with a label selector, answers Status NotFound', () => {
    const c = setup([configMap('a', 'default', {}, { app: 'x' }), configMap('b')]);
    expect(call(c, 'GET', '/api/v1/namespaces/default/configmaps/a').body.metadata).toMatchObject({ name: 'a' });
    const list = call(c, 'GET', '/api/v1/configmaps?labelSelector=app%3Dx').body;
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMapList' });
    expect((list.items as KubeObject[]).map((o) => o.metadata.name)).toEqual(['a']);
    expect(call(c, 'GET', '/api/v1/namespaces/default/configmaps/zz')).toMatchObject({
      status: 404,
      body: { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'configmaps "zz" not found', code: 404 },
    });
    expect(call(c, 'GET', '/api/v1/configmaps?labelSelector=a%20in%20b')).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
  });

  it('creates with POST on a collection, taking the namespace from the path', () => {
    const c = setup();
    const response = call(c, 'POST', WIDGETS, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: {} });
    expect(response.status).toBe(201);
    expect(c.get('example.com/v1', 'Widget', 'default', 'w')).toBeDefined();
    expect(call(c, 'POST', WIDGETS, widget('w')).body).toMatchObject({ reason: 'AlreadyExists', code: 409 });
    expect(call(c, 'POST', WIDGETS, widget('x', {}, 'other')).body).toMatchObject({ reason: 'BadRequest', code: 400 });
  });

  it('writes status through PUT …/status and ignores it on the main resource', () => {
    const c = setup([widget('w')]);
    const stored = c.get('example.com/v1', 'Widget', 'default', 'w') as KubeObject;
    const status = call(c, 'PUT', `${WIDGETS}/w/status`, { ...stored, spec: { size: 5 }, status: { phase: 'Ready' } });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ spec: { size: 1 }, status: { phase: 'Ready' } });
    const current = (status.body as KubeObject).metadata.resourceVersion;
    const main = call(c, 'PUT', `${WIDGETS}/w`, { ...widget('w', { size: 2 }), metadata: { ...widget('w').metadata, resourceVersion: current }, status: { phase: 'Lost' } });
    expect(main.body).toMatchObject({ spec: { size: 2 }, status: { phase: 'Ready' } });
    const stale = call(c, 'PUT', `${WIDGETS}/w/status`, { ...stored, status: {} });
    expect(stale).toMatchObject({ status: 409, body: { reason: 'Conflict' } });
  });

  it('runs admission with the subresource and the configured user', () => {
    const c = new InMemoryCluster({ objects: [namespace('default'), widgetCrd(), widget('w')], httpUser: { username: 'system:serviceaccount:jspolicy:serviceaccount' } });
    const requests: AdmissionRequest[] = [];
    c.setAdmission({ validating: (r) => (requests.push(r), { allowed: true }) });
    const stored = c.get('example.com/v1', 'Widget', 'default', 'w') as KubeObject;
    call(c, 'PUT', `${WIDGETS}/w/status`, { ...stored, status: { phase: 'Ready' } }, {});
    expect(requests[0]).toMatchObject({ operation: 'UPDATE', subResource: 'status', userInfo: { username: 'system:serviceaccount:jspolicy:serviceaccount' } });
  });

  it('answers 400 for a name that does not match the path and for invalid JSON', () => {
    const c = setup([widget('w')]);
    expect(call(c, 'PUT', `${WIDGETS}/w`, widget('other'))).toMatchObject({
      status: 400,
      body: { reason: 'BadRequest', message: 'the name of the object (other) does not match the name on the URL (w)' },
    });
    expect(call(c, 'PUT', `${WIDGETS}/w`, '{not json')).toMatchObject({ status: 400, body: { reason: 'BadRequest', code: 400 } });
  });

  it('deletes with DELETE', () => {
    const c = setup([widget('w')]);
    expect(call(c, 'DELETE', `${WIDGETS}/w`).status).toBe(200);
    expect(c.get('example.com/v1', 'Widget', 'default', 'w')).toBeUndefined();
    expect(call(c, 'DELETE', `${WIDGETS}/w`).status).toBe(404);
  });

  it('serves cluster-scoped objects and a Namespace status subresource', () => {
    const c = setup();
    expect(call(c, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com').status).toBe(200);
    const ns = call(c, 'GET', '/api/v1/namespaces/default').body as KubeObject;
    expect(call(c, 'PUT', '/api/v1/namespaces/default/status', { ...ns, status: { phase: 'Active', extra: 1 } }).body.status).toEqual({ phase: 'Active', extra: 1 });
  });

  it('answers 404 for paths it does not serve and 405 for unsupported methods', () => {
    const c = setup([configMap('a')]);
    for (const path of ['/healthz', '/api/v1/namespaces/default/nothings/a', '/api/v1/configmaps/a', '/api/v1/namespaces/default/configmaps/a/scale', `${WIDGETS.replace('/v1/', '/v9/')}/w`]) {
      expect(call(c, 'GET', path)).toMatchObject({ status: 404, body: { reason: 'NotFound', message: 'the server could not find the requested resource' } });
    }
    expect(call(c, 'PATCH', '/api/v1/namespaces/default/configmaps/a', {})).toMatchObject({ status: 405, body: { reason: 'MethodNotAllowed' } });
    expect(call(c, 'PUT', '/api/v1/namespaces/default/configmaps/a/status', configMap('a'))).toMatchObject({ status: 404 });
  });
});
