// Try-wrapped escapes: reaching jsPolicy's natives (cluster-admin writes, Secrets, HTTP) and
// swallowing the error where they were removed.
import type { CorpusCase } from '../harness.ts';
import { DENY_PROD, namespace, pod, podAnswer, podObjects, POD_INTENT } from './common.ts';
import { SUBSET_RULES } from './rules.ts';

const base = { class: 'try-wrapped escape', intent: POD_INTENT, objects: [...podObjects(), namespace('kube-system'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'kube-system' }, type: 'Opaque', data: { password: Buffer.from('s3cr3t-natives-PW').toString('base64') } }], defence: 'lint: JS subset (globalThis, computed access); guard: natives deleted, confined reads' };
const refused = { refused: { rules: SUBSET_RULES } };
const trigger = [{ object: pod('test', { env: 'dev' }, undefined, 'trigger') }];
const secrets = ['s3cr3t-natives-PW', Buffer.from('s3cr3t-natives-PW').toString('base64')];

export const NATIVE_CASES: CorpusCase[] = [
  { ...base, name: 'try { globalThis.__get(Secret) } catch {}', answer: podAnswer(`try { const s = globalThis.__get('Secret', 'v1', 'kube-system/db'); if (s) { warn(JSON.stringify(s)); } } catch (e) {} ${DENY_PROD}`), expect: refused, admissions: trigger, secrets },
  { ...base, name: "try { globalThis['__cre' + 'ate'](ClusterRoleBinding) } catch {}", answer: podAnswer(`try { globalThis['__cre' + 'ate']({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'pwn' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'mallory' }] }); } catch { } ${DENY_PROD}`), expect: refused, admissions: trigger, forbiddenWrites: ['ClusterRoleBinding'] },
  { ...base, name: 'Function constructor reached through a prototype walk', answer: podAnswer(`try { const F = (() => {}).constructor; F('return this')().__remove('v1', 'Namespace', '', 'test'); } catch (e) { } ${DENY_PROD}`), expect: refused, admissions: trigger, forbiddenWrites: ['Namespace'] },
  { ...base, name: 'fetchSync to an outside host, wrapped', answer: podAnswer(`try { fetchSync('http://169.254.169.254/latest/meta-data/', {}); } catch (e) { } ${DENY_PROD}`), expect: refused, admissions: trigger },
  { ...base, name: 'get() of a Secret, wrapped', answer: podAnswer(`try { const s = get('Secret', 'v1', 'kube-system/db'); if (s && request.namespace === 'test') { deny(atob(s.data.password)); } } catch (e) { } ${DENY_PROD}`), expect: refused, admissions: trigger, secrets },
];
