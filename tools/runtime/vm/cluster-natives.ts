// __get, __list, __create, __update, __remove (pkg/vm/vm.go getFn, listFn, createFn, updateFn,
// removeFn). Results are Go structs marshalled to JSON: fields in declaration order, omitempty
// applied, objects with their keys sorted. The cached and the uncached client both read the one
// in-memory cluster; the cache only shows in how a namespace meets a cluster-scoped kind.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import type { Cluster, UserInfo, WriteResult } from '../contracts.ts';
import type { Arg, HostNative } from '../engine/protocol.ts';
import { goUnmarshal, sortKeys, type GoType } from './go-json.ts';
import { equalityTerms } from './label-selector.ts';

/** The chart's service account: writes reach the API server as this user. */
const JSPOLICY_USER: UserInfo = {
  username: 'system:serviceaccount:jspolicy:serviceaccount',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:jspolicy', 'system:authenticated'],
};

const CACHE: GoType = { kind: 'ptr', elem: { kind: 'bool' } };
const GET_OPTIONS: GoType = { kind: 'struct', name: 'GetOptions', pkg: 'vm', fields: { cache: CACHE } };
const LIST_OPTIONS: GoType = {
  kind: 'struct',
  name: 'ListOptions',
  pkg: 'vm',
  fields: { labelSelector: { kind: 'string' }, namespace: { kind: 'string' }, cache: CACHE },
};
const OBJECT: GoType = { kind: 'map', name: 'map[string]interface {}', elem: { kind: 'any' } };

// What a cluster that serves nothing answers (no RunOptions.cluster).
const NOT_FOUND = { ok: false, code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' } as const;

type Fields = Record<string, unknown>;

/** Go's omitempty: false, "", 0, nil and empty slices/maps are left out. */
function omitEmpty(fields: Fields, keep: string[] = []): Fields {
  const out: Fields = {};
  for (const [key, value] of Object.entries(fields)) {
    const empty = value === undefined || value === null || value === false || value === '' || value === 0 ||
      (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value as object).length === 0);
    if (!empty || keep.includes(key)) out[key] = value;
  }
  return out;
}

export function clusterNatives(cluster: Cluster | undefined): Record<'__get' | '__list' | '__create' | '__update' | '__remove', HostNative> {
  const answer = (fields: Fields, keep?: string[]) => JSON.stringify(omitEmpty(fields, keep));
  const fail = (reason: string, message: string) => answer({ __throw: true, reason, message });

  // Decodes an options argument the way jsPolicy does: undefined = none, else JSONStringify + Unmarshal.
  function options(value: Arg, type: GoType): { value: Fields } | { fail: string } {
    if (value.error !== undefined) return { fail: fail('StringifyOptions', value.error) };
    const decoded = goUnmarshal(jsonOf(value), type);
    return 'error' in decoded ? { fail: fail('UnmarshalOptions', decoded.error) } : { value: decoded.value as Fields };
  }

  return {
    __get: (args) => {
      if (args.length !== 3 && args.length !== 4) {
        return fail('WrongArguments', 'three arguments expected. Example get("Pod", "v1", "test")');
      }
      const [kindArg, apiVersionArg, nameArg, rawOptions] = args as [Arg, Arg, Arg, Arg | undefined];
      if (kindArg.type !== 'string' || apiVersionArg.type !== 'string' || nameArg.type !== 'string') {
        return fail('WrongArguments', 'kind, group version and name need to be string values');
      }
      const [kind, apiVersion, name] = [kindArg.value!, apiVersionArg.value!, nameArg.value!];
      let cached = true;
      if (rawOptions !== undefined && rawOptions.type !== 'undefined') {
        const decoded = options(rawOptions, GET_OPTIONS);
        if ('fail' in decoded) return decoded.fail;
        cached = decoded.value.cache !== false;
      }
      const parts = name.split('/');
      const [namespace, objectName] = parts.length === 2 ? parts : [undefined, name];
      if (!cluster) return answer({});
      const resource = cluster.resourceFor(apiVersion, kind);
      if (!resource) return fail('RetrieveObject', noKindMatch(kind, apiVersion));
      // A namespaced kind asked for without "namespace/" is simply not found.
      const scoped = resource.namespaced ? namespace || null : clusterScoped(namespace, cached);
      const object = scoped === null ? undefined : cluster.get(apiVersion, kind, scoped, objectName!);
      return answer({ object: object && sortKeys(object) });
    },

    __list: (args) => {
      if (args.length !== 2 && args.length !== 3) {
        return fail('WrongArguments', 'three arguments expected. Example list("Pod", "v1")');
      }
      const [kindArg, apiVersionArg, rawOptions] = args as [Arg, Arg, Arg | undefined];
      if (kindArg.type !== 'string' || apiVersionArg.type !== 'string') {
        return fail('WrongArguments', 'kind and group version need to be string values');
      }
      const [kind, apiVersion] = [kindArg.value!, apiVersionArg.value!];
      let listOptions: Fields = { cache: null, namespace: '', labelSelector: '' };
      if (rawOptions !== undefined && rawOptions.type !== 'undefined') {
        const decoded = options(rawOptions, LIST_OPTIONS);
        if ('fail' in decoded) return decoded.fail;
        listOptions = decoded.value;
      }
      let labelSelector = '';
      if (listOptions.labelSelector !== '') {
        const narrowed = equalityTerms(listOptions.labelSelector as string);
        if ('error' in narrowed) return fail('ParseLabelSelector', narrowed.error);
        labelSelector = narrowed.selector;
      }
      if (!cluster) return answer({});
      // jsPolicy asks for "<Kind>List"; both clients strip the suffix again to find the resource.
      const itemKind = kind.endsWith('List') ? kind.slice(0, -'List'.length) : kind;
      const resource = cluster.resourceFor(apiVersion, itemKind);
      if (!resource) return fail('ErrorListing', noKindMatch(itemKind, apiVersion));
      const requested = (listOptions.namespace as string) || undefined;
      const namespace = resource.namespaced ? requested : clusterScoped(requested, listOptions.cache !== false);
      const items = namespace === null ? [] : cluster.list(apiVersion, itemKind, { namespace, labelSelector: labelSelector || undefined });
      return answer({ list: items.map(sortKeys) });
    },

    __create: (args) => write(args, true, (object) => cluster ? cluster.create(object, JSPOLICY_USER) : NOT_FOUND),
    __update: (args) => write(args, true, (object) => cluster ? cluster.update(object, JSPOLICY_USER) : NOT_FOUND),
    // remove reports its own argument errors as a result instead of throwing, and on success
    // answers the object it was given.
    __remove: (args) => write(args, false, (object) => {
      if (!cluster) return NOT_FOUND;
      const result = cluster.remove(object.apiVersion, object.kind, object.metadata?.namespace, object.metadata?.name ?? '', JSPOLICY_USER);
      return result.ok ? { ok: true, object } : result;
    }),
  };

  // ResourceResponse {__throw, object, ok, reason, message}; `ok` has no omitempty.
  function write(args: Arg[], throws: boolean, send: (object: KubeObject) => WriteResult): string {
    const argumentError = (reason: string, message: string) => answer({ __throw: throws, ok: false, reason, message }, ['ok']);
    if (args.length !== 1) return argumentError('WrongArguments', 'single argument expected');
    if (args[0]!.error !== undefined) return argumentError('StringifyObject', args[0]!.error);
    const decoded = goUnmarshal(jsonOf(args[0]!), OBJECT);
    if ('error' in decoded) return argumentError('UnmarshalObject', decoded.error);
    // JSON null decodes to a nil map: the client then sends an object without kind or name.
    const result = send((sortKeys(decoded.value ?? {}) as KubeObject));
    return result.ok
      ? answer({ object: sortKeys(result.object), ok: true })
      : answer({ ok: false, reason: result.reason, message: result.message }, ['ok']);
  }
}

// meta.NoKindMatchError as the REST mapper reports an unknown kind.
function noKindMatch(kind: string, apiVersion: string): string {
  return `no matches for kind "${kind}" in version "${apiVersion}"`;
}

/**
 * The namespace to ask the cluster for, or null when nothing can match. A namespace given for a
 * cluster-scoped kind finds nothing in jsPolicy's cache (its keys have no namespace), while the
 * uncached client leaves it out of the URL.
 */
function clusterScoped(namespace: string | undefined, cached: boolean): undefined | null {
  return namespace && cached ? null : undefined;
}

/** The JSON text JSONStringify gave for an argument (a string argument is its JSON string). */
export function jsonOf(arg: Arg): string {
  return arg.type === 'string' ? JSON.stringify(arg.value) : arg.json ?? 'undefined';
}
