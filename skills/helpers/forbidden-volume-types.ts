import type { K8sObject } from '../types.ts';
import { podSpecOf } from './pod-spec-of.ts';
import { ownValue } from './own-value.ts';

/**
 * Volumes of a type the restricted Pod Security Standard forbids, as "volumes[NAME]: TYPE" (hostPath, nfs, …).
 *
 * Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and
 * secret are allowed; a source this helper does not know is "unknown".
 * The restricted "Volume Types" control (check restrictedVolumes, which also covers baseline's
 * hostPathVolumes). Reads spec.volumes; a volume counts as the allowed type when that field is set (not
 * null). A volume with no source at all is an emptyDir (the API server defaults it so before admission);
 * one with a source this list does not know is "unknown". Kinds as podSpecOf; [] when every volume is
 * allowed, there are none, or there is no pod spec.
 */
export function forbiddenVolumeTypes(obj: K8sObject): string[] {
  const spec = podSpecOf(obj);
  const volumes = spec && spec.volumes;
  if (!Array.isArray(volumes)) return [];
  const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
  const known = ['hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos'];
  const has = (v: K8sObject, field: string) => ownValue(v, field) !== undefined && ownValue(v, field) !== null;
  const out: string[] = [];
  volumes.forEach((v: K8sObject) => {
    if (allowed.some((field) => has(v, field))) return;
    const sources = Object.keys(v || {}).filter((field) => field !== 'name' && has(v, field));
    if (sources.length === 0) return;
    const type = known.filter((field) => has(v, field))[0] || 'unknown';
    out.push('volumes[' + String(v && v.name) + ']: ' + type);
  });
  return out;
}
