import { truthy } from '../fixtures.ts';

const D = 'sha256:' + 'a'.repeat(64);
const parts = (image: string) => `(function (r) { return [r.registry, r.repository, r.tag, r.digest].join("|"); })(parseImage(${JSON.stringify(image)}))`;
const parsed = (name: string, image: string, expected: string) => truthy(name, parts(image), JSON.stringify(expected));
const invalid = (name: string, image: string) => parsed(`${name}: invalid, all ""`, image, '|||');
export const cases = [
  parsed('short name', 'nginx', 'docker.io|library/nginx||'),
  parsed('name and tag', 'nginx:1.25', 'docker.io|library/nginx|1.25|'),
  parsed('docker hub user repo', 'bitnami/redis:7', 'docker.io|bitnami/redis|7|'),
  parsed('docker.io written out gets library/', 'docker.io/nginx:1.25', 'docker.io|library/nginx|1.25|'),
  parsed('index.docker.io is docker.io', 'index.docker.io/library/nginx', 'docker.io|library/nginx||'),
  parsed('registry with port', 'registry.local:5000/team/app:v2', 'registry.local:5000|team/app|v2|'),
  parsed('non-dotted host with port', 'myregistry:5000/app', 'myregistry:5000|app||'),
  parsed('no slash: the colon is a tag', 'registry:5000', 'docker.io|library/registry|5000|'),
  parsed('digest', `gcr.io/acme/api@${D}`, `gcr.io|acme/api||${D}`),
  parsed('tag and digest', `quay.io/x/y:1.0@${D}`, `quay.io|x/y|1.0|${D}`),
  parsed('localhost', 'localhost/app', 'localhost|app||'),
  parsed('bare localhost is an image name', 'localhost', 'docker.io|library/localhost||'),
  parsed('an upper-case first part is a host, lower-cased', 'MyRegistry/app', 'myregistry|app||'),
  parsed('IPv6 registry', '[::1]:5000/app:1', '[::1]:5000|app|1|'),
  parsed('path separators', 'ghcr.io/org/sub__path/my-app.v2:1.0_rc-1', 'ghcr.io|org/sub__path/my-app.v2|1.0_rc-1|'),
  invalid('upper case in the repository', 'NGINX'),
  invalid('upper case deeper', 'gcr.io/Acme/api'),
  invalid('a short digest', 'nginx@sha256:abc'),
  invalid('an unknown digest algorithm', `nginx@md5:${'a'.repeat(32)}`),
  invalid('a bad tag', 'nginx:-1'),
  invalid('a 64-hex image ID', 'a'.repeat(64)),
  invalid('empty', ''),
  invalid('spaces', 'nginx 1.25'),
  invalid('a double slash', 'gcr.io//app'),
  truthy('not a string', 'parseImage(undefined).registry === ""', 'true'),
];
export const keywords = ['image', 'registry', 'repository', 'tag', 'digest', 'parse', 'normalize', 'docker.io'];
