// What a generated Mutating policy may change, decided by code and never by the model:
// - mutableFieldsFromIntent: the fields the user's own description names (a small vocabulary of
//   field phrases); a description naming none allows no mutation at all;
// - SENSITIVE: what no generated policy may ever set, whatever the description says.
// mutationViolations applies both to an object and its patched version. It is used where patches are
// judged ahead of time (the self-tests, the impact preview), and the guard of every emitted policy
// runs the same check on every admission (mutationCheckSource: the same tables, in ES5), so a patch
// its tests never showed is refused at run time too.
//
// Paths: dot-separated fields, `[*]` for any array element, e.g. `spec.containers[*].imagePullPolicy`.
// A path rooted at `spec` means the spec of every pod-bearing kind (a Pod's `spec`, a workload's
// `spec.template.spec`, a CronJob's `spec.jobTemplate.spec.template.spec`, a PodTemplate's
// `template.spec`), one rooted at `metadata` the object's metadata and its pod template's: a policy
// that may label Pods may label the pods of a Deployment too.

/** A path segment: a field, `*` (any key or index), `prefix*` (keys starting with prefix), or alternatives. */
type Segment = string | string[];

type Test =
  /** any change at or below the path */
  | { test: 'any' }
  /** the path holds a value after the change (set, or changed while set) */
  | { test: 'exists' }
  /** the element at the path appeared or disappeared */
  | { test: 'added' }
  /** the value (or its `field`, absent = "") is one of `is` after the change */
  | { test: 'is'; is: Array<string | number | boolean>; field?: string };

type Rule = Test & { what: string; at: Segment[] };

const POD = '@pod';
const META = '@meta';

/** Where pod specs and pod metadata sit in the pod-bearing kinds. */
const PREFIXES: Record<string, string[][]> = {
  [POD]: [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec'], ['template', 'spec']],
  [META]: [['metadata'], ['spec', 'template', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata'], ['template', 'metadata']],
};

const CONTAINER: Segment[] = [POD, ['containers', 'initContainers', 'ephemeralContainers'], '*'];
const SECURITY: Segment[][] = [[POD, 'securityContext'], [...CONTAINER, 'securityContext']];
const CONTROL_PLANE = ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'];
const NODE_TERMS: Segment[][] = [
  [POD, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', '*'],
  [POD, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', '*', 'preference'],
];

const any = (what: string, at: Segment[]): Rule => ({ what, at, test: 'any' });
const exists = (what: string, at: Segment[]): Rule => ({ what, at, test: 'exists' });
const is = (what: string, at: Segment[], values: Array<string | number | boolean>, field?: string): Rule => ({ what, at, test: 'is', is: values, ...(field ? { field } : {}) });

/**
 * Never set by a generated policy. Some are stricter than the Pod Security Standards because telling
 * a safe value from an unsafe one is not worth the risk here: any sysctl, any SELinux option, any
 * host port, any change to the added capabilities.
 */
export const SENSITIVE: readonly Rule[] = [
  { what: 'a container added or removed', at: CONTAINER, test: 'added' },
  ...['name', 'image', 'command', 'args', 'env', 'envFrom'].map((field) => any(field, [...CONTAINER, field])),
  ...['secret', 'projected', 'hostPath'].map((type) => exists(`${type} volume`, [POD, 'volumes', '*', type])),
  is('privileged: true', [...CONTAINER, 'securityContext', 'privileged'], [true]),
  exists('added capabilities', [...CONTAINER, 'securityContext', 'capabilities', 'add']),
  is('allowPrivilegeEscalation: true', [...CONTAINER, 'securityContext', 'allowPrivilegeEscalation'], [true]),
  ...['hostNetwork', 'hostPID', 'hostIPC'].map((field) => is(`${field}: true`, [POD, field], [true])),
  exists('hostPort', [...CONTAINER, 'ports', '*', 'hostPort']),
  ...SECURITY.flatMap((at) => [
    is('runAsUser: 0', [...at, 'runAsUser'], [0]),
    is('runAsGroup: 0', [...at, 'runAsGroup'], [0]),
    is('seccomp Unconfined', [...at, 'seccompProfile', 'type'], ['Unconfined']),
    is('AppArmor Unconfined', [...at, 'appArmorProfile', 'type'], ['Unconfined']),
    exists('seLinuxOptions', [...at, 'seLinuxOptions']),
    is('Windows hostProcess', [...at, 'windowsOptions', 'hostProcess'], [true]),
  ]),
  is('AppArmor unconfined', [META, 'annotations', 'container.apparmor.security.beta.kubernetes.io/*'], ['unconfined']),
  is('seccomp unconfined', [META, 'annotations', 'seccomp.security.alpha.kubernetes.io/pod'], ['unconfined']),
  is('seccomp unconfined', [META, 'annotations', 'container.seccomp.security.alpha.kubernetes.io/*'], ['unconfined']),
  is('procMount: Unmasked', [...CONTAINER, 'securityContext', 'procMount'], ['Unmasked']),
  exists('sysctls', [POD, 'securityContext', 'sysctls']),
  exists('nodeName', [POD, 'nodeName']),
  // A toleration without a key tolerates every taint, the control plane's included.
  is('toleration of control-plane nodes', [POD, 'tolerations', '*'], ['', ...CONTROL_PLANE], 'key'),
  exists('nodeSelector for control-plane nodes', [POD, 'nodeSelector', 'node-role.kubernetes.io/*']),
  ...NODE_TERMS.flatMap((term) => [
    is('affinity to control-plane nodes', [...term, 'matchExpressions', '*'], CONTROL_PLANE, 'key'),
    exists('affinity to named nodes', [...term, 'matchFields']),
  ]),
  exists('hostAliases', [POD, 'hostAliases']),
  exists('dnsConfig', [POD, 'dnsConfig']),
  any('serviceAccountName', [POD, 'serviceAccountName']),
  any('serviceAccountName', [POD, 'serviceAccount']),
  is('automountServiceAccountToken: true', [POD, 'automountServiceAccountToken'], [true]),
  is('system priorityClassName', [POD, 'priorityClassName'], ['system-cluster-critical', 'system-node-critical']),
];

const containers = (field: string): string[] => ['containers', 'initContainers', 'ephemeralContainers'].map((c) => `spec.${c}[*].${field}`);
const securityContexts = (field: string): string[] => [`spec.securityContext.${field}`, ...containers(`securityContext.${field}`)];

/** Field phrases of a description (lower-cased) and the paths they make mutable. */
const VOCABULARY: ReadonlyArray<[RegExp, string[]]> = [
  [/\blabel(s|led|ling)?\b/, ['metadata.labels']],
  [/\bannotat(e|es|ed|ing|ion|ions)\b/, ['metadata.annotations']],
  [/\b(image ?)?pull ?polic(y|ies)\b/, containers('imagePullPolicy')],
  [/\bresources\b/, containers('resources')],
  [/\b(resource|cpu|memory) requests?\b/, containers('resources.requests')],
  [/\b(resource|cpu|memory) limits?\b/, containers('resources.limits')],
  [/\brun ?as ?non[ -]?root\b/, securityContexts('runAsNonRoot')],
  [/\brun ?as ?user\b/, securityContexts('runAsUser')],
  [/\brun ?as ?group\b/, securityContexts('runAsGroup')],
  [/\bfs ?group\b/, ['spec.securityContext.fsGroup']],
  [/\bread[ -]?only[ -]?root[ -]?file ?system\b/, containers('securityContext.readOnlyRootFilesystem')],
  [/\b(allow ?)?privilege ?escalation\b/, containers('securityContext.allowPrivilegeEscalation')],
  [/\bcapabilit(y|ies)\b/, containers('securityContext.capabilities.drop')],
  [/\bseccomp\b/, securityContexts('seccompProfile')],
  [/\bsecurity ?contexts?\b/, ['spec.securityContext', ...containers('securityContext')]],
  [/\bnode ?selectors?\b/, ['spec.nodeSelector']],
  [/\btolerations?\b/, ['spec.tolerations']],
  [/\baffinit(y|ies)\b/, ['spec.affinity']],
  [/\bpriority ?class(es|name)?\b/, ['spec.priorityClassName']],
  [/\btermination ?grace\b/, ['spec.terminationGracePeriodSeconds']],
  [/\bautomount|service ?account ?tokens?\b/, ['spec.automountServiceAccountToken']],
  [/\breplicas?\b/, ['spec.replicas']],
];

/** The paths a Mutating policy for this description may change (sorted; none when it names no known field). */
export function mutableFieldsFromIntent(description: string): string[] {
  const text = description.toLowerCase();
  return [...new Set(VOCABULARY.filter(([phrase]) => phrase.test(text)).flatMap(([, paths]) => paths))].sort();
}

/** A path as segments: `spec` and `metadata` at the root stand for every pod-bearing kind's. */
function parsePath(path: string): Segment[] {
  const segments = path.split('.').flatMap((part) => (part.endsWith('[*]') ? [part.slice(0, -3), '*'] : [part]));
  if (segments[0] === 'spec') segments[0] = POD;
  else if (segments[0] === 'metadata') segments[0] = META;
  return segments;
}

type Key = string | number;

// The interpreter below is written twice, here and in CHECK (ES5, inside every guard): keep them in
// step (test/policy/mutation-bounds.test.ts runs both on the same cases on V8 9.6).

/** Where `pattern` matches the start of `path`: the number of path segments it covers, or -1. */
function match(pattern: readonly Segment[], i: number, path: readonly Key[], j: number): number {
  if (i === pattern.length) return j;
  const s = pattern[i] as Segment;
  const prefixes = typeof s === 'string' && Object.prototype.hasOwnProperty.call(PREFIXES, s) ? PREFIXES[s] : undefined;
  if (prefixes) {
    for (const prefix of prefixes) {
      if (prefix.every((p, k) => path[j + k] === p)) {
        const end = match(pattern, i + 1, path, j + prefix.length);
        if (end >= 0) return end;
      }
    }
    return -1;
  }
  if (j >= path.length) return -1;
  const v = path[j];
  const hit = Array.isArray(s) ? s.includes(v as string) : s === '*' || s === v || (s.length > 1 && s.endsWith('*') && typeof v === 'string' && v.startsWith(s.slice(0, -1)));
  return hit ? match(pattern, i + 1, path, j + 1) : -1;
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object';
const own = (o: unknown, k: Key): boolean => isObject(o) && Object.prototype.hasOwnProperty.call(o, k);

function valueAt(o: unknown, path: readonly Key[], n: number): unknown {
  for (let i = 0; i < n; i++) {
    if (!own(o, path[i] as Key)) return undefined;
    o = (o as Record<Key, unknown>)[path[i] as Key];
  }
  return o;
}

function violates(rule: Rule, before: unknown, after: unknown, path: readonly Key[]): boolean {
  const n = match(rule.at, 0, path, 0);
  if (n < 0) return false;
  const was = valueAt(before, path, n);
  const now = valueAt(after, path, n);
  if (rule.test === 'any') return true;
  if (rule.test === 'exists') return now != null;
  if (rule.test === 'added') return (was == null) !== (now == null);
  let value = now;
  if (rule.field !== undefined) {
    if (!isObject(now)) return false;
    value = own(now, rule.field) && now[rule.field] != null ? now[rule.field] : '';
  }
  return rule.is.includes(value as string);
}

function format(path: readonly Key[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(root)';
}

/** Leaf paths where two JSON values differ; an object or element that appears or goes is walked into. */
function changedPaths(before: unknown, after: unknown, path: Key[], out: Key[][]): void {
  if (before === after) return;
  const b = isObject(before);
  const a = isObject(after);
  if (!((b && a && Array.isArray(before) === Array.isArray(after)) || (b && after === undefined) || (a && before === undefined))) {
    out.push(path);
    return;
  }
  const x = (b ? before : after) as Record<string, unknown>;
  if (Array.isArray(x)) {
    const length = Math.max(Array.isArray(before) ? before.length : 0, Array.isArray(after) ? after.length : 0);
    for (let i = 0; i < length; i++) changedPaths(valueAt(before, [i], 1), valueAt(after, [i], 1), [...path, i], out);
  } else {
    const keys = b ? Object.keys(before as object) : [];
    for (const k of a ? Object.keys(after as object) : []) if (!own(before, k)) keys.push(k);
    for (const k of keys) changedPaths(valueAt(before, [k], 1), valueAt(after, [k], 1), [...path, k], out);
  }
  // An empty object or array that appears or goes has no leaf of its own.
  if ((b ? Object.keys(before as object).length : 0) + (a ? Object.keys(after as object).length : 0) === 0 && (before === undefined || after === undefined)) out.push(path);
}

/**
 * Why `after` may not replace `before` for a policy allowed to change `allowedPaths`: each changed
 * leaf that touches a SENSITIVE rule or lies outside every allowed path, as "path (reason)", in the
 * order the guard finds them (its log line names the first). Empty: the patch is within bounds.
 */
export function mutationViolations(before: unknown, after: unknown, allowedPaths: readonly string[]): string[] {
  const allowed = allowedPaths.map(parsePath);
  const changed: Key[][] = [];
  changedPaths(before, after, [], changed);
  const found = changed.map((path) => {
    const rule = SENSITIVE.find((r) => violates(r, before, after, path));
    if (rule) return `${format(path)} (${rule.what})`;
    return allowed.some((p) => match(p, 0, path, 0) >= 0) ? '' : `${format(path)} (not named by the intent)`;
  });
  return [...new Set(found.filter((v) => v !== ''))];
}

// ES5, minified by hand: the functions above with one-letter names (m = match, g = valueAt,
// x = violates, f = format, d = changedPaths, which stops at the first violation).
const CHECK =
  'function(A,R,X){var K=Object.keys,I=Array.isArray,H=Object.prototype.hasOwnProperty,M=Math.max;' +
  'function o(x){return x!==null&&typeof x==="object"}' +
  'function h(x,k){return o(x)&&H.call(x,k)}' +
  'function m(p,i,c,j){if(i===p.length)return j;var s=p[i],q=typeof s==="string"&&H.call(X,s)?X[s]:null,k,t,e,v;' +
  'if(q){for(k=0;k<q.length;k++){for(t=0;t<q[k].length&&c[j+t]===q[k][t];t++);if(t===q[k].length){e=m(p,i+1,c,j+t);if(e>=0)return e}}return-1}' +
  'if(j>=c.length)return-1;v=c[j];' +
  'return(I(s)?s.indexOf(v)>=0:s==="*"||s===v||s.length>1&&s.charAt(s.length-1)==="*"&&typeof v==="string"&&v.slice(0,s.length-1)===s.slice(0,-1))?m(p,i+1,c,j+1):-1}' +
  'function g(x,c,n){for(var i=0;i<n;i++){if(!h(x,c[i]))return;x=x[c[i]]}return x}' +
  'function x(r,b,a,c){var n=m(r.at,0,c,0),w,v;if(n<0)return false;w=g(b,c,n);v=g(a,c,n);' +
  'if(r.test==="any")return true;if(r.test==="exists")return v!=null;if(r.test==="added")return(w==null)!==(v==null);' +
  'if(r.field!==void 0){if(!o(v))return false;v=h(v,r.field)&&v[r.field]!=null?v[r.field]:""}return r.is.indexOf(v)>=0}' +
  'function f(c){for(var s="",i=0;i<c.length;i++)s+=typeof c[i]==="number"?"["+c[i]+"]":(i?".":"")+c[i];return s||"(root)"}' +
  'return function(b,a){var y="";' +
  'function l(c){for(var i=0;i<R.length;i++)if(x(R[i],b,a,c))return f(c)+" ("+R[i].what+")";' +
  'for(i=0;i<A.length;i++)if(m(A[i],0,c,0)>=0)return"";return f(c)+" (not named by the intent)"}' +
  'function d(u,w,c){if(y||u===w)return;var p=o(u),q=o(w),z,k,i,n;' +
  'if(!(p&&q&&I(u)===I(w)||p&&w===void 0||q&&u===void 0)){y=l(c);return}' +
  'z=p?u:w;if(I(z)){n=M(p?u.length:0,q?w.length:0);for(i=0;i<n;i++)d(g(u,[i],1),g(w,[i],1),c.concat([i]))}' +
  'else{k=p?K(u):[];n=q?K(w):[];for(i=0;i<n.length;i++)if(!h(u,n[i]))k.push(n[i]);for(i=0;i<k.length;i++)d(g(u,[k[i]],1),g(w,[k[i]],1),c.concat([k[i]]))}' +
  'if(!y&&(p?K(u).length:0)+(q?K(w).length:0)===0&&(u===void 0||w===void 0))y=l(c)}' +
  'd(b,a,[]);return y}}';

/**
 * ES5 expression: a function (before, after) → the first violation mutationViolations would report
 * for these allowed paths, or "" when there is none. Built-ins are taken when the expression is
 * evaluated: the guard evaluates it before the candidate runs.
 */
export function mutationCheckSource(allowedPaths: readonly string[]): string {
  return `(${CHECK})(${JSON.stringify(allowedPaths.map(parsePath))},${JSON.stringify(SENSITIVE)},${JSON.stringify(PREFIXES)})`;
}
