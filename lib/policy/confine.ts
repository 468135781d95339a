// Confinement, second line (the linter is the first): the top of every generated policy takes away
// from the run what a generated policy must never reach. jsPolicy gives every run a fresh V8 context,
// so what this changes holds for the whole run and for nothing else.
//
// jsPolicy's natives (__get, __list, __create, __update, __remove, __fetchSync, env, readFileSync,
// sleep, print, atob, btoa, __exit) are global properties set with v8go.ReadOnly only
// (pkg/vm/vm.go): not writable, but configurable, so they can be deleted. create/update/remove/
// fetchSync/requeue/get/list are `var`s of the prepare script: writable, so they can be replaced.
// After this prologue, no name, no path through globalThis, Function or a prototype leads to a
// write, an HTTP call, an environment variable, a file or a Secret: the functions are gone from the
// global object itself. get/list stay, read-only, through captured natives, refuse Secrets, and
// answer only what the policy's webhook could be asked about: objects in the namespaces it sees
// (its namespaceSelector: the intent's namespaces, or all but the protected ones), those
// namespaces' Namespace objects, and the cluster-scoped kinds the description names. Anything else
// reads as absent (get → undefined, list leaves it out; an empty list is undefined, as jsPolicy's).
// jsPolicy's cluster-admin could read every object: a policy reading outside its scope would leak
// what its author may not see through its verdicts and messages.
//
// Expanded:
//   (function (g) {                       // g: the global object (globalThis: webpack, which jsPolicy
//                                         //   bundles spec.javascript with, may change `this`)
//     var G = g.__get, L = g.__list;
//     function no() { throw { reason: "Forbidden", message: "...", toString: ... }; }  // like jsPolicy's own throws
//     function low(k) { … }     // non-strings refused; lower-cased with operators only (String and
//                               //   its prototype could be replaced by the candidate), then compared
//     var N = [visible namespaces] or null, Q = [protected namespaces], Y = [cluster-scoped kinds];
//     function see(o, k) { … }  // o's namespace visible; a cluster-scoped o: a visible Namespace or a kind in Y
//     function t(r) { if (r && r.__throw) throw { reason, message, toString }; return r; }   // = __throw
//     g.get = function (k, v, n, o) { ... the prepare script's get, over G, refusing Secrets, then see() ... };
//     g.list = function (k, v, o) { ... over L, refusing Secrets, keeping what see() keeps ... };
//     create, update, remove, fetchSync, requeue = no;
//     delete __get, __list, __create, __update, __remove, __fetchSync, env, readFileSync, sleep;
//   })(globalThis);
import { kindsNamedIn } from './intent-kinds.ts';
import { BUILTIN_RESOURCES } from '../k8s/builtin-resources.ts';
import type { LabelSelector } from '../k8s/types.ts';
import { NAMESPACE_NAME_LABEL } from './guardrails.ts';

const REFUSAL = 'gptpolicy: a generated policy may not do this';

/** What get/list of a generated policy may answer. */
export interface ReadScope {
  /** The namespaces its webhook sees; undefined: every namespace but the protected ones. */
  namespaces?: string[];
  protectedNamespaces: string[];
  /** Lower-case cluster-scoped kinds the description names (Namespaces are handled by visibility). */
  clusterKinds: string[];
}

/**
 * The read scope of a policy with this namespaceSelector (as confineNamespaces writes it). A selector
 * it does not recognise sees no namespace at all.
 */
export function readScopeOf(namespaceSelector: LabelSelector | undefined, clusterKinds: readonly string[]): ReadScope {
  const byName = (operator: string) => namespaceSelector?.matchExpressions?.find((e) => e.key === NAMESPACE_NAME_LABEL && e.operator === operator)?.values;
  const keepOut = byName('NotIn');
  const namespaces = keepOut ? byName('In') : [];
  return { ...(namespaces ? { namespaces } : {}), protectedNamespaces: keepOut ?? [], clusterKinds: [...clusterKinds] };
}

/** Cluster-scoped built-in kinds a description names ("nodes", "storage classes", "PriorityClass"), lower-case. */
export function clusterKindsNamedIn(description: string): string[] {
  const named = kindsNamedIn(description, BUILTIN_RESOURCES);
  return BUILTIN_RESOURCES.filter((r) => !r.namespaced && r.kind !== 'Namespace' && named.indexOf(r.resource) >= 0).map((r) => r.kind.toLowerCase());
}

export function confinePrologue(scope: ReadScope): string {
  return (
    '(function(g){var G=g.__get,L=g.__list;' +
    `function x(r,m){throw{reason:r,message:m,toString:function(){return r+": "+m}}}` +
    `function no(){x("Forbidden",${JSON.stringify(REFUSAL)})}` +
    // Only primitives and operators: the candidate could replace String or its prototype's methods.
    'var U="ABCDEFGHIJKLMNOPQRSTUVWXYZ",W="abcdefghijklmnopqrstuvwxyz";' +
    'function low(k){if(typeof k!=="string")no();var o="";for(var i=0;i<k.length;i++){var c=k[i];for(var j=0;j<26;j++)if(c===U[j]){c=W[j];break}o+=c}return o}' +
    'function sec(o){return o==="secret"||o==="secrets"||o==="secretlist"}' +
    // jsPolicy's list() takes "Pod" or "PodList"; the scope is about the kind.
    'function kind(o){var n=o.length-4,s="";if(n>0&&o[n]+o[n+1]+o[n+2]+o[n+3]==="list")for(var i=0;i<n;i++)s+=o[i];return s||o}' +
    `var N=${JSON.stringify(scope.namespaces ?? null)},Q=${JSON.stringify(scope.protectedNamespaces)},Y=${JSON.stringify(scope.clusterKinds)};` +
    'function has(a,v){for(var i=0;i<a.length;i++)if(a[i]===v)return true;return false}' +
    'function vis(n){return typeof n==="string"&&(N?has(N,n):!has(Q,n))}' +
    'function see(o,k){var m=o&&o.metadata;if(!m)return false;' +
    'if(typeof m.namespace==="string"&&m.namespace!=="")return vis(m.namespace);' +
    'return k==="namespace"?vis(m.name):has(Y,k)}' +
    'function t(r){if(r&&r.__throw)x(r.reason,r.message);return r}' +
    'g.get=function(k,v,n,o){var l=low(k),r;if(sec(l))no();' +
    'r=o&&o.cache==="smart"?t(G(k,v,n)).object||t(G(k,v,n,{cache:false})).object:t(G(k,v,n,o)).object;' +
    'return see(r,kind(l))?r:void 0};' +
    'g.list=function(k,v,o){var l=low(k),r,s=[],i;if(sec(l))no();r=t(L(k,v,o)).list;if(!r)return r;' +
    'for(i=0;i<r.length;i++)if(see(r[i],kind(l)))s[s.length]=r[i];return s.length?s:void 0};' +
    '["create","update","remove","fetchSync","requeue"].forEach(function(n){g[n]=no});' +
    '["__get","__list","__create","__update","__remove","__fetchSync","env","readFileSync","sleep"].forEach(function(n){delete g[n]})' +
    '})(globalThis);\n'
  );
}
