import { truthy } from '../fixtures.ts';

const parts = (image: string) => `(function (r) { return [r.registry, r.repository, r.tag, r.digest].join("|"); })(parseImage(${JSON.stringify(image)}))`;
export const cases = [
  truthy('short name', parts('nginx'), '"docker.io|library/nginx||"'),
  truthy('name and tag', parts('nginx:1.25'), '"docker.io|library/nginx|1.25|"'),
  truthy('docker hub user repo', parts('bitnami/redis:7'), '"docker.io|bitnami/redis|7|"'),
  truthy('registry with port', parts('registry.local:5000/team/app:v2'), '"registry.local:5000|team/app|v2|"'),
  truthy('digest', parts('gcr.io/acme/api@sha256:abc'), '"gcr.io|acme/api||sha256:abc"'),
  truthy('tag and digest', parts('quay.io/x/y:1.0@sha256:def'), '"quay.io|x/y|1.0|sha256:def"'),
  truthy('localhost', parts('localhost/app'), '"localhost|app||"'),
];
export const keywords = ['image', 'registry', 'repository', 'tag', 'digest', 'parse'];
