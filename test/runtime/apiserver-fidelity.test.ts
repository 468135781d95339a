// What a real kube-apiserver (1.36) refuses and prunes, and the in-memory one must too: structural
// schema validation and pruning of custom resources, the etcd/request size limits, and the
// resourceVersion custom resources need on updates. Expected texts are read from the Kubernetes
// source (apiextensions-apiserver, kube-openapi, apimachinery field errors, apiserver registry).
import { describe, expect, it } from 'vitest';
import type { AdmissionRequest, KubeObject } from '../../lib/k8s/types.ts';
import { InMemoryCluster, namespace } from '../../tools/runtime/apiserver/index.ts';
import { readYamlObjects } from '../../tools/local/local-jspolicy.ts';
import { repoFile } from '../../tools/local/paths.ts';
import { configMap, FIXED_NOW, widget, widgetCrd } from './apiserver-fixtures.ts';

const GADGET = 'example.com/v1';

/** A CRD whose v1 schema exercises every keyword the server checks. */
function gadgetCrd(schemaChanges: (spec: Record<string, any>) => void = () => {}): KubeObject {
  const spec: Record<string, any> = {
    type: 'object',
    required: ['description'],
    properties: {
      description: { type: 'string', minLength: 10, maxLength: 40 },
      model: { type: 'string', maxLength: 5 },
      stage: { type: 'string', enum: ['Warn', 'Deny'] },
      replicas: { type: 'integer', minimum: 1, maximum: 10, exclusiveMaximum: true },
      ratio: { type: 'number', minimum: 0.5 },
      hash: { type: 'string', pattern: '^[0-9a-f]+$' },
      tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
      port: { 'x-kubernetes-int-or-string': true },
      note: { type: 'string', nullable: true },
      plain: { type: 'string' },
      flag: { type: 'boolean' },
      nested: {
        type: 'object',
        properties: { deep: { type: 'object', properties: { kept: { type: 'string' } } } },
      },
      items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      limits: { type: 'object', additionalProperties: { type: 'integer' } },
      labelsLike: { type: 'object', additionalProperties: { type: 'object', properties: { v: { type: 'string' } } } },
      free: {
        type: 'object',
        'x-kubernetes-preserve-unknown-fields': true,
        properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } },
      },
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
      when: { type: 'string', format: 'date-time' },
    },
  };
  schemaChanges(spec);
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Gadget', plural: 'gadgets' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                apiVersion: { type: 'string' },
                kind: { type: 'string' },
                metadata: { type: 'object' },
                spec,
                status: {
                  type: 'object',
                  properties: {
                    phase: { type: 'string', enum: ['Pending', 'Ready'] },
                    observedGeneration: { type: 'integer', format: 'int64' },
                    conditions: {
                      type: 'array',
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['type'],
                      items: { type: 'object', required: ['type', 'status'], properties: { type: { type: 'string' }, status: { type: 'string' } } },
                    },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
}

const VALID_SPEC = { description: 'a valid description' };

function gadget(name: string, spec: Record<string, unknown> = VALID_SPEC, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: GADGET, kind: 'Gadget', metadata: { name, namespace: 'default' }, spec, ...extra };
}

function cluster(objects: KubeObject[] = []): InMemoryCluster {
  return new InMemoryCluster({ now: () => FIXED_NOW, objects: [namespace('default'), gadgetCrd(), ...objects] });
}

function must(result: ReturnType<InMemoryCluster['create']>): KubeObject {
  if (!result.ok) throw new Error(result.message);
  return result.object;
}

function invalid(message: string) {
  return { ok: false, code: 422, reason: 'Invalid', message };
}

describe('custom resources are validated against the served version’s structural schema', () => {
  it('type errors name the JSON type found, as kube-openapi does', () => {
    expect(cluster().create(gadget('g', { description: 5 }))).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.description: Invalid value: "integer": spec.description in body must be of type string: "integer"'),
    );
    expect(cluster().create(gadget('g', { ...VALID_SPEC, flag: 'yes' }))).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.flag: Invalid value: "string": spec.flag in body must be of type boolean: "string"'),
    );
    expect(cluster().create(gadget('g', { ...VALID_SPEC, nested: [] }))).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.nested: Invalid value: "array": spec.nested in body must be of type object: "array"'),
    );
  });

  it('a fractional number for an integer also fails the native range check, reported without a field', () => {
    expect(cluster().create(gadget('g', { ...VALID_SPEC, replicas: 2.5 }))).toEqual(
      invalid(
        'Gadget.example.com "g" is invalid: [spec.replicas: Invalid value: "number": spec.replicas in body must be of type integer: "number", : Invalid value: "": Checked value must be of type integer (default format) in spec.replicas]',
      ),
    );
  });

  it('required fields, at the root of spec and nested', () => {
    const crd = gadgetCrd();
    const root = (crd.spec as any).versions[0].schema.openAPIV3Schema;
    root.required = ['spec'];
    const c = new InMemoryCluster({ objects: [namespace('default'), crd] });
    expect(c.create({ apiVersion: GADGET, kind: 'Gadget', metadata: { name: 'g', namespace: 'default' } })).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec: Required value'),
    );
    expect(c.create(gadget('g', {}))).toEqual(invalid('Gadget.example.com "g" is invalid: spec.description: Required value'));
  });

  it('enum, bounds (exclusive too), lengths, item counts and patterns', () => {
    const message = (spec: Record<string, unknown>) => {
      const result = cluster().create(gadget('g', { ...VALID_SPEC, ...spec }));
      return result.ok ? 'accepted' : result.message.replace('Gadget.example.com "g" is invalid: ', '');
    };
    expect(message({ stage: 'Maybe' })).toBe('spec.stage: Unsupported value: "Maybe": supported values: "Warn", "Deny"');
    expect(message({ replicas: 0 })).toBe('spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1');
    expect(message({ replicas: 10 })).toBe('spec.replicas: Invalid value: 10: spec.replicas in body should be less than 10');
    expect(message({ replicas: 9 })).toBe('accepted');
    expect(message({ ratio: 0.25 })).toBe('spec.ratio: Invalid value: 0.25: spec.ratio in body should be greater than or equal to 0.5');
    expect(message({ description: 'too short' })).toBe('spec.description: Invalid value: "too short": spec.description in body should be at least 10 chars long');
    expect(message({ model: 'gpt-4o-mini' })).toBe('spec.model: Too long: may not be more than 5 bytes');
    // Lengths count characters (runes), as kube-openapi does: five two-byte characters fit.
    expect(message({ model: 'ééééé' })).toBe('accepted');
    expect(message({ tags: [] })).toBe('spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items');
    expect(message({ tags: ['a', 'b', 'c'] })).toBe('spec.tags: Too many: 3: must have at most 2 items');
    expect(message({ hash: 'xyz' })).toBe("spec.hash: Invalid value: \"xyz\": spec.hash in body should match '^[0-9a-f]+$'");
    expect(message({ when: 'yesterday' })).toBe('spec.when: Invalid value: "yesterday": spec.when in body must be of type date-time: "yesterday"');
    expect(message({ when: '2024-05-01T12:00:00Z' })).toBe('accepted');
  });

  it('joins several errors in brackets, in the order kube-openapi finds them, without repeats', () => {
    const result = cluster().create(gadget('g', { description: 'short', stage: 'Maybe', tags: [1] }));
    expect(result).toEqual(
      invalid(
        'Gadget.example.com "g" is invalid: [spec.description: Invalid value: "short": spec.description in body should be at least 10 chars long, spec.stage: Unsupported value: "Maybe": supported values: "Warn", "Deny", spec.tags[0]: Invalid value: "integer": spec.tags[0] in body must be of type string: "integer"]',
      ),
    );
  });

  it('x-kubernetes-int-or-string takes integers and strings only', () => {
    const c = cluster();
    expect(c.create(gadget('a', { ...VALID_SPEC, port: 8080 })).ok).toBe(true);
    expect(c.create(gadget('b', { ...VALID_SPEC, port: '50%' })).ok).toBe(true);
    expect(c.create(gadget('c', { ...VALID_SPEC, port: true }))).toEqual(
      invalid('Gadget.example.com "c" is invalid: spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"'),
    );
  });

  it('nullable keeps null; a null in a non-nullable field is dropped; a null list item is refused', () => {
    const c = cluster();
    const created = must(c.create(gadget('g', { ...VALID_SPEC, note: null, plain: null })));
    expect(created.spec).toEqual({ ...VALID_SPEC, note: null });
    expect(c.create(gadget('h', { ...VALID_SPEC, tags: [null] }))).toEqual(
      invalid('Gadget.example.com "h" is invalid: spec.tags[0]: Invalid value: "null": spec.tags[0] in body must be of type string: "null"'),
    );
  });

  it('map values (additionalProperties) are validated under their key', () => {
    expect(cluster().create(gadget('g', { ...VALID_SPEC, limits: { cpu: 2, memory: 'lots' } }))).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.limits.memory: Invalid value: "string": spec.limits.memory in body must be of type integer: "string"'),
    );
  });

  it('the same checks on update, on the REST paths, and not on built-in kinds', () => {
    const c = cluster([gadget('g')]);
    const stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    expect(c.update({ ...stored, spec: { description: 7 } })).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.description: Invalid value: "integer": spec.description in body must be of type string: "integer"'),
    );
    const post = c.handleHttp({ method: 'POST', path: '/apis/example.com/v1/namespaces/default/gadgets', headers: {}, body: JSON.stringify(gadget('h', { stage: 'Maybe', description: 'a valid description' })) });
    expect(post.status).toBe(422);
    expect(JSON.parse(post.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Gadget.example.com "h" is invalid: spec.stage: Unsupported value: "Maybe": supported values: "Warn", "Deny"',
      reason: 'Invalid',
      code: 422,
    });
    const put = c.handleHttp({ method: 'PUT', path: '/apis/example.com/v1/namespaces/default/gadgets/g', headers: {}, body: JSON.stringify({ ...stored, spec: {} }) });
    expect([put.status, JSON.parse(put.body).message]).toEqual([422, 'Gadget.example.com "g" is invalid: spec.description: Required value']);
    const odd = { ...configMap('odd'), data: { a: 'b' }, whatever: { x: 1 } };
    expect(must(c.create(odd)).whatever).toEqual({ x: 1 });
  });

  it('does not evaluate x-kubernetes-validations (CEL): a rule that would fail is not enforced', () => {
    const crd = gadgetCrd((spec) => {
      spec['x-kubernetes-validations'] = [{ rule: 'self.description == "never"', message: 'never' }];
    });
    const c = new InMemoryCluster({ objects: [namespace('default'), crd] });
    expect(c.create(gadget('g')).ok).toBe(true);
  });

  it('GPTPolicy with the project’s own CRD: the message of the brief, the length bound', () => {
    const crds = readYamlObjects(repoFile('manifests/gptpolicy-crds.yaml'));
    const c = new InMemoryCluster({ objects: crds });
    const gp = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'GPTPolicy', metadata: { name: 'name' }, spec });
    expect(c.create(gp({ description: 5 }))).toEqual(
      invalid('GPTPolicy.gptpolicy.dev "name" is invalid: spec.description: Invalid value: "integer": spec.description in body must be of type string: "integer"'),
    );
    expect(c.create(gp({ description: 'short' }))).toEqual(
      invalid('GPTPolicy.gptpolicy.dev "name" is invalid: spec.description: Invalid value: "short": spec.description in body should be at least 10 chars long'),
    );
    expect(c.create({ apiVersion: 'gptpolicy.dev/v1alpha1', kind: 'PolicyApproval', metadata: { name: 'name.deny' }, spec: { gptPolicy: 'name', stage: 'Deny', specHash: 'abc' } })).toEqual(
      invalid("PolicyApproval.gptpolicy.dev \"name.deny\" is invalid: spec.specHash: Invalid value: \"abc\": spec.specHash in body should match '^[0-9a-f]{64}$'"),
    );
  });
});

describe('unknown fields are pruned, silently, before admission', () => {
  it('at every depth, in arrays and maps, keeping apiVersion, kind and the standard metadata', () => {
    const c = cluster();
    const created = must(
      c.create({
        apiVersion: GADGET,
        kind: 'Gadget',
        metadata: { name: 'g', namespace: 'default', labels: { a: 'b' }, annotations: {}, bogus: 'x' } as KubeObject['metadata'],
        spec: {
          ...VALID_SPEC,
          unknown: 1,
          nested: { deep: { kept: 'yes', dropped: 'no' }, extra: true },
          items: [{ name: 'one', colour: 'red' }],
          labelsLike: { first: { v: 'x', w: 'y' } },
        },
        topLevel: 'dropped',
      }),
    );
    expect(created.spec).toEqual({ ...VALID_SPEC, nested: { deep: { kept: 'yes' } }, items: [{ name: 'one' }], labelsLike: { first: { v: 'x' } } });
    expect(created).not.toHaveProperty('topLevel');
    expect(created.apiVersion).toBe(GADGET);
    expect(created.kind).toBe('Gadget');
    // metadata goes through ObjectMeta: unknown and empty fields vanish, the standard ones stay.
    expect(created.metadata).not.toHaveProperty('bogus');
    expect(created.metadata).not.toHaveProperty('annotations');
    expect(created.metadata.labels).toEqual({ a: 'b' });
  });

  it('prunes what the status schema does not declare on a /status write, and the whole status when none is declared', () => {
    const c = cluster([gadget('g')]);
    const stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    const written = must(c.updateStatus({ ...stored, status: { phase: 'Ready', secret: 'x', conditions: [{ type: 'A', status: 'True', extra: 1 }] } }));
    expect(written.status).toEqual({ phase: 'Ready', conditions: [{ type: 'A', status: 'True' }] });

    const noStatusSchema = gadgetCrd();
    delete (noStatusSchema.spec as any).versions[0].schema.openAPIV3Schema.properties.status;
    const d = new InMemoryCluster({ objects: [namespace('default'), noStatusSchema, gadget('g')] });
    const again = d.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    expect(must(d.updateStatus({ ...again, status: { phase: 'Ready' } })).status).toBeUndefined();
  });

  it('x-kubernetes-preserve-unknown-fields keeps unknown fields below it, but still prunes inside declared properties', () => {
    const created = must(cluster().create(gadget('g', { ...VALID_SPEC, free: { anything: { goes: [1, 2] }, typed: { a: 'x', b: 'pruned' } } })));
    expect((created.spec as Record<string, unknown>).free).toEqual({ anything: { goes: [1, 2] }, typed: { a: 'x' } });
  });

  it('an embedded resource keeps apiVersion, kind and metadata (standard fields only) and must name its kind', () => {
    const c = cluster();
    const template = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' }, junk: 1 }, spec: { containers: [] } };
    const created = must(c.create(gadget('g', { ...VALID_SPEC, template })));
    expect((created.spec as Record<string, unknown>).template).toEqual({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [] } });
    expect(c.create(gadget('h', { ...VALID_SPEC, template: { apiVersion: 'v1', metadata: {} } }))).toEqual(
      invalid('Gadget.example.com "h" is invalid: spec.template.kind: Required value'),
    );
    expect(c.create(gadget('i', { ...VALID_SPEC, template: { apiVersion: 5, kind: 'Pod' } }))).toEqual({
      ok: false,
      code: 400,
      reason: 'BadRequest',
      message: 'Gadget in version "v1" cannot be handled as a Gadget: spec.template.apiVersion: Invalid value: 5: must be a string',
    });
  });

  it('a mutating webhook sees the pruned object, and what its patch adds outside the schema is pruned too', () => {
    const c = cluster();
    const seen: AdmissionRequest[] = [];
    c.setAdmission({
      mutating: (request) => {
        seen.push(request);
        const object = request.object as KubeObject;
        return { allowed: true, patchedObject: { ...object, spec: { ...(object.spec as object), injected: true, model: 'gpt' } } };
      },
    });
    const created = must(c.create(gadget('g', { ...VALID_SPEC, unknown: 1 })));
    expect((seen[0].object as KubeObject).spec).toEqual(VALID_SPEC);
    expect(created.spec).toEqual({ ...VALID_SPEC, model: 'gpt' });
  });

  it('handleHttp POST prunes like create', () => {
    const c = cluster();
    const response = c.handleHttp({ method: 'POST', path: '/apis/example.com/v1/namespaces/default/gadgets', headers: {}, body: JSON.stringify(gadget('g', { ...VALID_SPEC, x: 1 })) });
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body).spec).toEqual(VALID_SPEC);
  });

  it('built-in kinds and CRDs without a schema are not pruned', () => {
    const c = new InMemoryCluster({ objects: [namespace('default'), widgetCrd()] });
    expect(must(c.create(widget('w', { anything: { at: 'all' } }))).spec).toEqual({ anything: { at: 'all' } });
    const noSchema = widgetCrd();
    for (const version of (noSchema.spec as any).versions) delete version.schema;
    const d = new InMemoryCluster({ objects: [namespace('default'), noSchema] });
    expect(must(d.create({ ...widget('w'), extra: 1 })).extra).toBe(1);
  });
});

describe('/status writes validate only status, and updates ratchet unchanged values', () => {
  it('status errors are reported under status, with kube-openapi’s own path inside it', () => {
    const c = cluster([gadget('g')]);
    const stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    expect(c.updateStatus({ ...stored, status: { phase: 'Lost', observedGeneration: 'one' } })).toEqual(
      invalid(
        'Gadget.example.com "g" is invalid: [status.phase: Unsupported value: "Lost": supported values: "Pending", "Ready", status.observedGeneration: Invalid value: "string": observedGeneration in body must be of type integer: "string"]',
      ),
    );
    expect(c.updateStatus({ ...stored, status: { conditions: [{ type: 'Ready' }] } })).toEqual(
      invalid('Gadget.example.com "g" is invalid: status.conditions[0].status: Required value'),
    );
  });

  it('a main-resource write ignores the status it carries (the stored one is kept and not re-validated)', () => {
    const c = cluster([gadget('g')]);
    const stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    const updated = must(c.update({ ...stored, spec: { description: 'another valid one' }, status: { phase: 'Lost' } }));
    expect(updated.status).toBeUndefined();
  });

  it('after the schema tightens, unchanged invalid values pass (spec on /status, untouched fields on updates); changed ones do not', () => {
    const c = cluster([gadget('g', { description: 'a valid description', model: 'abc' })]);
    const tighter = c.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'gadgets.example.com') as KubeObject;
    (tighter.spec as any).versions[0].schema.openAPIV3Schema.properties.spec.properties.model.maxLength = 2;
    must(c.update(tighter));
    let stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    stored = must(c.updateStatus({ ...stored, status: { phase: 'Ready' } }));
    stored = must(c.update({ ...stored, spec: { ...(stored.spec as object), stage: 'Warn' } }));
    expect(stored.spec).toEqual({ description: 'a valid description', model: 'abc', stage: 'Warn' });
    expect(c.update({ ...stored, spec: { ...(stored.spec as object), model: 'abcd' } })).toEqual(
      invalid('Gadget.example.com "g" is invalid: spec.model: Too long: may not be more than 2 bytes'),
    );
  });
});

describe('updates of custom resources need a resourceVersion', () => {
  const refusal = invalid('gadgets.example.com "g" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update');

  it('refuses update and updateStatus without one (or with "0"), before the schema is checked', () => {
    const c = cluster([gadget('g')]);
    expect(c.update(gadget('g', { description: 'a new valid description' }))).toEqual(refusal);
    expect(c.update(gadget('g', { description: 5 }))).toEqual(refusal);
    expect(c.updateStatus(gadget('g', VALID_SPEC, { status: { phase: 'Ready' } }))).toEqual(refusal);
    const zero = gadget('g', { description: 'a new valid description' });
    zero.metadata.resourceVersion = '0';
    expect(c.update(zero)).toEqual(refusal);
    expect(c.get(GADGET, 'Gadget', 'default', 'g')?.spec).toEqual(VALID_SPEC);
  });

  it('on the REST path too', () => {
    const c = cluster([gadget('g')]);
    const put = c.handleHttp({ method: 'PUT', path: '/apis/example.com/v1/namespaces/default/gadgets/g', headers: {}, body: JSON.stringify(gadget('g')) });
    expect([put.status, JSON.parse(put.body)]).toEqual([422, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: refusal.message, reason: 'Invalid', code: 422 }]);
  });

  it('jsPolicy’s kinds are custom resources in a real cluster: the same refusal', () => {
    const policy: KubeObject = { apiVersion: 'policy.jspolicy.com/v1beta1', kind: 'JsPolicy', metadata: { name: 'p.example.com' }, spec: { operations: ['CREATE'], resources: ['pods'] } };
    const c = new InMemoryCluster({ objects: [policy] });
    expect(c.update({ ...policy, spec: { operations: ['UPDATE'], resources: ['pods'] } })).toEqual(
      invalid('jspolicies.policy.jspolicy.com "p.example.com" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update'),
    );
  });

  it('built-in kinds still take unconditional updates', () => {
    const c = cluster([configMap('a', 'default', { k: 'v' })]);
    const result = c.update(configMap('a', 'default', { k: 'w' }));
    expect(result.ok && result.object.data).toEqual({ k: 'w' });
    const zero = configMap('a', 'default', { k: 'x' });
    zero.metadata.resourceVersion = '0';
    expect(must(c.update(zero)).data).toEqual({ k: 'x' });
  });

  it('a stale resourceVersion is still a Conflict', () => {
    const c = cluster([gadget('g')]);
    const stored = c.get(GADGET, 'Gadget', 'default', 'g') as KubeObject;
    must(c.update({ ...stored, spec: { description: 'a newer description' } }));
    expect(c.update({ ...stored, spec: { description: 'a stale description' } })).toMatchObject({ ok: false, code: 409, reason: 'Conflict' });
  });
});

describe('size limits', () => {
  const MiB = 1024 * 1024;
  const big = (bytes: number) => 'x'.repeat(bytes);

  it('etcd refuses a stored object over 1.5 MiB: 500, no reason, etcd’s text (every kind)', () => {
    const c = cluster();
    const tooLarge = { ok: false, code: 500, reason: '', message: 'etcdserver: request is too large' };
    expect(c.create(configMap('big', 'default', { blob: big(1.6 * MiB) }))).toEqual(tooLarge);
    expect(c.create(gadget('big', VALID_SPEC, { data: big(1.6 * MiB) }))).toEqual({ ok: true, object: expect.anything() }); // pruned: not stored
    const crd = gadgetCrd((spec) => {
      spec.properties.blob = { type: 'string' };
    });
    const d = new InMemoryCluster({ objects: [namespace('default'), crd] });
    expect(d.create(gadget('big', { ...VALID_SPEC, blob: big(1.6 * MiB) }))).toEqual(tooLarge);
    expect(d.get(GADGET, 'Gadget', 'default', 'big')).toBeUndefined();
    expect(c.get('v1', 'ConfigMap', 'default', 'big')).toBeUndefined();
  });

  it('just under the limit is stored; an update that grows past it is refused and changes nothing', () => {
    const c = cluster();
    const fits = must(c.create(configMap('edge', 'default', { blob: big(1.5 * MiB - 400) })));
    expect(c.update({ ...fits, data: { blob: big(1.5 * MiB) } })).toEqual({ ok: false, code: 500, reason: '', message: 'etcdserver: request is too large' });
    expect(c.get('v1', 'ConfigMap', 'default', 'edge')?.metadata.resourceVersion).toBe(fits.metadata.resourceVersion);
  });

  it('over 2 MiB the etcd client refuses to send the request (gRPC ResourceExhausted)', () => {
    const result = cluster().create(configMap('huge', 'default', { blob: big(2.5 * MiB) }));
    expect(result).toMatchObject({ ok: false, code: 500, reason: '' });
    expect(result.ok || result.message).toMatch(/^rpc error: code = ResourceExhausted desc = trying to send message larger than max \(\d+ vs\. 2097152\)$/);
    const size = Number(/\((\d+) vs/.exec(result.ok ? '' : result.message)?.[1]);
    expect(size).toBeGreaterThan(2.5 * MiB);
    expect(size).toBeLessThan(2.5 * MiB + 400);
  });

  it('a request body over 3 MiB is refused before anything else: 413', () => {
    const c = cluster([configMap('a')]);
    const expected = { ok: false, code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' };
    expect(c.create(configMap('huge', 'default', { blob: big(3 * MiB) }))).toEqual(expected);
    expect(c.update(configMap('a', 'default', { blob: big(3 * MiB) }))).toEqual(expected);
    const response = c.handleHttp({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: {}, body: JSON.stringify(configMap('huge', 'default', { blob: big(3 * MiB) })) });
    expect([response.status, JSON.parse(response.body).reason]).toEqual([413, 'RequestEntityTooLarge']);
  });
});
