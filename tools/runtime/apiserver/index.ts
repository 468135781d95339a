// An in-memory Kubernetes API server for the local jsPolicy runtime. The write paths follow the
// generic registry: mutating admission → strategy → validation → validating admission → storage →
// watch event; deletion and the controllers reacting to it live in deletion.ts.
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { AdmissionHook, ApiResource, Cluster, StatusFailure, UserInfo, WatchEvent, WriteResult } from '../contracts.ts';
import { DEFAULT_USER, mutate, validate, type AdmissionHooks } from './admission.ts';
import { definitionOf, isContainer, isNamespace, NAMESPACES } from './containers.ts';
import { validateCoreEvent } from './core-events.ts';
import { CRD_RESOURCE, crdPreservesUnknownFields, crdVersionSchema, isCrd, validateCrd } from './crd.ts';
import { Deleter } from './deletion.ts';
import { Discovery } from './discovery.ts';
import { EventBroadcaster } from './events.ts';
import { renderFieldError } from './field-errors.ts';
import { jsonEqual } from '../../../lib/util/json-equal.ts';
import { clone } from './json.ts';
import { parseLabelSelector } from './labels.ts';
import { labelErrors } from './label-validation.ts';
import { byteLength, requestEntityTooLarge, storageTooLarge } from './limits.ts';
import { generateName, rfc3339 } from './names.ts';
import { Persistence } from './persistence.ts';
import { handleRest, type HttpRequest, type HttpResponse } from './rest.ts';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  methodNotSupported,
  noKindMatch,
  notFound,
  resourceNotServed,
  resourceVersionOnCreate,
  resourceVersionRequired,
} from './status.ts';
import { coerce, validateCustomResource, validateCustomResourceStatus, type Schema } from './schema.ts';
import { ObjectStore } from './store.ts';
import { prepareForCreate, prepareForStatusUpdate, prepareForUpdate } from './strategy.ts';

export { namespace } from './namespace.ts';

export interface InMemoryClusterOptions {
  /** Clock for creationTimestamp/deletionTimestamp; real time when absent. */
  now?: () => number;
  /** When set, handleHttp requires `Authorization: Bearer <token>`. */
  serviceAccountToken?: string;
  /** Created in order, after CRDs and Namespaces (their resourceVersion is dropped, as an export would carry one). */
  objects?: KubeObject[];
  /** Who requests through handleHttp act as; DEFAULT_USER when absent. */
  httpUser?: UserInfo;
}

type Target = { ok: true; resource: ApiResource; input: KubeObject; old: KubeObject } | StatusFailure;

/** How the served version of a custom resource is decoded and validated (from its CRD). */
interface CustomResourceHandling {
  /** The version's openAPIV3Schema; undefined when it has none. */
  schema: Schema | undefined;
  preserveUnknownFields: boolean;
}

/** jsPolicy's kinds are served from this table here, but they are custom resources in a real cluster. */
const JSPOLICY_GROUP = 'policy.jspolicy.com';

/** A resourceVersion that parses to 0 (ParseResourceVersion) asks for no precondition. */
function requestedVersion(object: KubeObject): string | undefined {
  const version = object.metadata?.resourceVersion;
  return version && !/^0+$/.test(version) ? version : undefined;
}

function preloadRank(object: KubeObject): number {
  if (isCrd(object)) return 0;
  return isNamespace(object) ? 1 : 2;
}

/** A private copy with metadata present and, for cluster-scoped kinds, no namespace. */
function normalize(object: KubeObject, resource: ApiResource): KubeObject {
  const copy = clone(object);
  copy.metadata = { ...copy.metadata };
  if (!resource.namespaced) delete copy.metadata.namespace;
  return copy;
}

/** A copy as read through one served version (every version shares the stored object). */
function present(object: KubeObject, apiVersion: string): KubeObject {
  return { ...clone(object), apiVersion };
}

export class InMemoryCluster implements Cluster {
  private readonly store = new ObjectStore();
  private readonly events = new EventBroadcaster();
  private readonly persistence = new Persistence(this.store, this.events);
  private readonly discovery = new Discovery(() => this.store.list(CRD_RESOURCE));
  private hooks: AdmissionHooks = {};
  private readonly now: () => number;
  private readonly deleter: Deleter;
  private readonly serviceAccountToken: string | undefined;
  private readonly httpUser: UserInfo;

  constructor(options: InMemoryClusterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.deleter = new Deleter(this.store, this.persistence, this.now, () => this.hooks);
    this.serviceAccountToken = options.serviceAccountToken;
    this.httpUser = options.httpUser ?? DEFAULT_USER;
    const objects = [...(options.objects ?? [])].sort((a, b) => preloadRank(a) - preloadRank(b));
    for (const object of objects) {
      const input = clone(object);
      input.metadata = { ...input.metadata };
      delete input.metadata.resourceVersion;
      const result = this.create(input);
      if (!result.ok) throw new Error(`cannot preload ${object.kind} "${object.metadata?.name ?? ''}": ${result.message}`);
    }
  }

  resources(): ApiResource[] {
    return this.discovery.resources();
  }

  resourceFor(apiVersion: string, kind: string): ApiResource | undefined {
    return this.discovery.resourceFor(apiVersion, kind);
  }

  /** Throws for kinds that are not served, like the REST mapper's error. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const resource = this.served(apiVersion, kind);
    const object = this.store.get(resource, resource.namespaced ? namespace : undefined, name);
    return object && present(object, apiVersion);
  }

  /** Throws for kinds that are not served and for selectors that do not parse. */
  list(apiVersion: string, kind: string, options: { namespace?: string; labelSelector?: string } = {}): KubeObject[] {
    const resource = this.served(apiVersion, kind);
    const matches = parseLabelSelector(options.labelSelector ?? '');
    return this.store
      .list(resource, options.namespace)
      .filter((object) => matches(object.metadata.labels))
      .map((object) => present(object, apiVersion));
  }

  create(object: KubeObject, as: UserInfo = DEFAULT_USER): WriteResult {
    const resource = this.resourceFor(object.apiVersion, object.kind);
    if (!resource) return noKindMatch(object.apiVersion, object.kind);
    const tooLarge = requestEntityTooLarge(byteLength(JSON.stringify(object)));
    if (tooLarge) return tooLarge;
    const custom = this.customResource(resource);
    const input = normalize(object, resource);
    const decoded = this.decode(custom, input);
    if (decoded) return decoded;
    const namespace = input.metadata.namespace;
    const requestedName = input.metadata.name ?? '';
    const closed = this.refuseNewContent(resource, namespace, requestedName);
    if (closed) return closed;
    const attributes = { operation: 'CREATE' as const, resource, name: requestedName, namespace, oldObject: null, user: as };
    const mutated = mutate(this.hooks, { ...attributes, object: input });
    if (!mutated.ok) return mutated;
    const prepared = mutated.object;
    const patched = this.decode(custom, prepared, 'patch');
    if (patched) return patched;
    const metadata = (prepared.metadata = { ...prepared.metadata, namespace });
    if (!metadata.name && metadata.generateName) metadata.name = generateName(metadata.generateName);
    const nameErrors = metadata.name ? [] : ['metadata.name: Required value: name or generateName is required'];
    // Without a name only the metadata errors are known for built-in kinds here; custom resources report their schema errors with it.
    if (nameErrors.length > 0 && !custom?.schema) return invalid(resource, '', nameErrors);
    const timestamp = rfc3339(this.now());
    Object.assign(metadata, { uid: randomUUID(), creationTimestamp: timestamp, generation: 1 });
    delete metadata.deletionTimestamp;
    delete (metadata as Record<string, unknown>).deletionGracePeriodSeconds;
    prepareForCreate(resource, prepared, timestamp);
    const errors = [...nameErrors, ...labelErrors(prepared), ...(isCrd(prepared) ? validateCrd(prepared) : this.schemaErrors(custom, prepared)), ...validateCoreEvent(prepared)];
    if (errors.length > 0) return invalid(resource, metadata.name ?? '', errors);
    const denied = validate(this.hooks, { ...attributes, object: prepared });
    if (denied) return denied;
    // Storage-level checks come last, after admission, as etcd is only reached then.
    if (metadata.resourceVersion) return resourceVersionOnCreate();
    const refused = storageTooLarge(resource, prepared, { custom: custom !== undefined, update: false, revision: 0 });
    if (refused) return refused;
    if (this.store.get(resource, namespace, metadata.name ?? '')) return alreadyExists(resource, metadata.name ?? '');
    return { ok: true, object: this.persistence.write('ADDED', resource, prepared) };
  }

  update(object: KubeObject, as: UserInfo = DEFAULT_USER): WriteResult {
    const target = this.target(object);
    if (!target.ok) return target;
    const { resource, input, old } = target;
    const custom = this.customResource(resource);
    const decoded = this.decode(custom, input);
    if (decoded) return decoded;
    const attributes = { operation: 'UPDATE' as const, resource, name: old.metadata.name, namespace: old.metadata.namespace, oldObject: old, user: as };
    const mutated = mutate(this.hooks, { ...attributes, object: input });
    if (!mutated.ok) return mutated;
    const patched = this.decode(custom, mutated.object, 'patch');
    if (patched) return patched;
    const prepared = this.keepIdentity(mutated.object, old);
    const precondition = this.checkPrecondition(resource, prepared, old);
    if (precondition) return precondition;
    prepareForUpdate(resource, prepared, old);
    const errors = [...labelErrors(prepared), ...(isCrd(prepared) ? validateCrd(prepared) : this.schemaErrors(custom, prepared, old)), ...validateCoreEvent(prepared)];
    if (errors.length > 0) return invalid(resource, old.metadata.name ?? '', errors);
    const denied = validate(this.hooks, { ...attributes, object: prepared });
    if (denied) return denied;
    return this.commitUpdate(resource, prepared, old);
  }

  updateStatus(object: KubeObject, as: UserInfo = DEFAULT_USER): WriteResult {
    const target = this.target(object);
    if (!target.ok) return target;
    const { resource, input, old } = target;
    if (!resource.statusSubresource) return resourceNotServed();
    const attributes = {
      operation: 'UPDATE' as const,
      resource,
      subResource: 'status' as const,
      name: old.metadata.name,
      namespace: old.metadata.namespace,
      oldObject: old,
      user: as,
    };
    const custom = this.customResource(resource);
    const decoded = this.decode(custom, input);
    if (decoded) return decoded;
    const mutated = mutate(this.hooks, { ...attributes, object: input });
    if (!mutated.ok) return mutated;
    const patched = this.decode(custom, mutated.object, 'patch');
    if (patched) return patched;
    const precondition = this.checkPrecondition(resource, mutated.object, old);
    if (precondition) return precondition;
    const prepared = prepareForStatusUpdate(mutated.object, old);
    const schema = custom?.schema;
    const errors = schema ? validateCustomResourceStatus(prepared, schema, old).map(renderFieldError) : [];
    if (errors.length > 0) return invalid(resource, old.metadata.name ?? '', errors);
    const denied = validate(this.hooks, { ...attributes, object: prepared });
    if (denied) return denied;
    return this.commitUpdate(resource, prepared, old);
  }

  remove(apiVersion: string, kind: string, namespace: string | undefined, name: string, as: UserInfo = DEFAULT_USER): WriteResult {
    const resource = this.resourceFor(apiVersion, kind);
    if (!resource) return noKindMatch(apiVersion, kind);
    const stored = this.store.entry(resource, resource.namespaced ? namespace : undefined, name);
    if (!stored) return notFound(resource, name);
    const result = this.deleter.removeAs(stored, as);
    return result.ok ? { ok: true, object: present(result.object, apiVersion) } : result;
  }

  handleHttp(request: HttpRequest): HttpResponse {
    return handleRest(this, request, { token: this.serviceAccountToken, user: this.httpUser });
  }

  watch(listener: (event: WatchEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  setAdmission(hooks: { mutating?: AdmissionHook; validating?: AdmissionHook }): void {
    this.hooks = { ...hooks };
  }

  private served(apiVersion: string, kind: string): ApiResource {
    const resource = this.resourceFor(apiVersion, kind);
    if (!resource) throw new Error(noKindMatch(apiVersion, kind).message);
    return resource;
  }

  /** NamespaceLifecycle admission and the CRD handler's guard, both ahead of any webhook. */
  private refuseNewContent(resource: ApiResource, namespace: string | undefined, name: string): StatusFailure | undefined {
    if (resource.namespaced) {
      if (!namespace) return invalid(resource, name, ['metadata.namespace: Required value']);
      const holder = this.store.get(NAMESPACES, undefined, namespace);
      if (!holder) return notFound(NAMESPACES, namespace);
      if (holder.metadata.deletionTimestamp) {
        return forbidden(resource, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      }
    }
    if (definitionOf(this.store, resource)?.object.metadata.deletionTimestamp) return methodNotSupported(resource, 'create');
    return undefined;
  }

  /** The served resource, a private copy of the submitted object and the stored object it replaces. */
  private target(object: KubeObject): Target {
    const resource = this.resourceFor(object.apiVersion, object.kind);
    if (!resource) return noKindMatch(object.apiVersion, object.kind);
    const tooLarge = requestEntityTooLarge(byteLength(JSON.stringify(object)));
    if (tooLarge) return tooLarge;
    const input = normalize(object, resource);
    const name = input.metadata.name;
    if (!name) return badRequest('resource name may not be empty');
    const old = this.store.get(resource, input.metadata.namespace, name);
    if (!old) return notFound(resource, name);
    return { ok: true, resource, input, old };
  }

  /** A mutating hook cannot move the object to another name or namespace. */
  private keepIdentity(object: KubeObject, old: KubeObject): KubeObject {
    return { ...object, metadata: { ...object.metadata, name: old.metadata.name, namespace: old.metadata.namespace } };
  }

  /**
   * Optimistic concurrency (registry/store.go Update): without a resourceVersion the update is
   * unconditional where the strategy allows it (built-in kinds) and refused where it does not
   * (custom resources); with one, it must be the stored one.
   */
  private checkPrecondition(resource: ApiResource, object: KubeObject, old: KubeObject): StatusFailure | undefined {
    const version = requestedVersion(object);
    if (version === undefined) {
      return this.isCustomResource(resource) ? resourceVersionRequired(resource, old.metadata.name ?? '') : undefined;
    }
    return version === old.metadata.resourceVersion ? undefined : conflict(resource, old.metadata.name ?? '');
  }

  private commitUpdate(resource: ApiResource, prepared: KubeObject, old: KubeObject): WriteResult {
    prepared.metadata.resourceVersion = old.metadata.resourceVersion;
    // An unchanged object is not written, so it keeps its resourceVersion and no watch event fires.
    if (jsonEqual(prepared, old)) return { ok: true, object: clone(old) };
    const finalized = Boolean(prepared.metadata.deletionTimestamp) && !prepared.metadata.finalizers?.length;
    if (finalized && !isContainer(prepared)) return { ok: true, object: this.deleter.erase(resource, prepared) };
    const revision = Number(old.metadata.resourceVersion ?? 0);
    const refused = storageTooLarge(resource, prepared, { custom: this.customResource(resource) !== undefined, update: true, revision });
    if (refused) return refused;
    const written = this.persistence.write('MODIFIED', resource, prepared);
    if (finalized) this.deleter.finalizeIfEmpty(this.store.entry(resource, undefined, written.metadata.name ?? ''));
    return { ok: true, object: written };
  }

  /** The CRD's handling of a resource it serves; undefined for built-in kinds. */
  private customResource(resource: ApiResource): CustomResourceHandling | undefined {
    const definition = definitionOf(this.store, resource)?.object;
    if (!definition) return undefined;
    return { schema: crdVersionSchema(definition, resource.version), preserveUnknownFields: crdPreservesUnknownFields(definition) };
  }

  /** AllowUnconditionalUpdate is false for custom resources, jsPolicy's included (CRDs in a real cluster). */
  private isCustomResource(resource: ApiResource): boolean {
    return resource.group === JSPOLICY_GROUP || definitionOf(this.store, resource) !== undefined;
  }

  /**
   * The schema coercion of a custom resource (pruning …), in place. On the request body it is the
   * decoder's, whose error the handler answers as 400 (handlers/rest.go transformDecodeError); on a
   * mutating webhook's patch it is the converter's, whose error comes back as a plain error (500).
   */
  private decode(custom: CustomResourceHandling | undefined, object: KubeObject, stage: 'request' | 'patch' = 'request'): StatusFailure | undefined {
    if (!custom?.schema) return undefined;
    const { error } = coerce(object as unknown as Record<string, unknown>, custom.schema, { preserveUnknownFields: custom.preserveUnknownFields });
    if (!error) return undefined;
    if (stage === 'patch') return { ok: false, code: 500, reason: '', message: renderFieldError(error) };
    const version = object.apiVersion.slice(object.apiVersion.indexOf('/') + 1);
    return badRequest(`${object.kind} in version "${version}" cannot be handled as a ${object.kind}: ${renderFieldError(error)}`);
  }

  /** Schema validation of a custom resource's main-resource write, ratcheted against `old` on updates. */
  private schemaErrors(custom: CustomResourceHandling | undefined, object: KubeObject, old?: KubeObject): string[] {
    if (!custom?.schema) return [];
    const record = (o: KubeObject) => o as unknown as Record<string, unknown>;
    return validateCustomResource(record(object), custom.schema, old && record(old)).map(renderFieldError);
  }
}
