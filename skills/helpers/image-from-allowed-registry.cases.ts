import { falsy, truthy } from '../fixtures.ts';

const D = 'sha256:' + 'b'.repeat(64);
const E = 'sha256:' + 'c'.repeat(64);
const allows = (name: string, image: string, entries: string[]) => truthy(name, `imageFromAllowedRegistry(${JSON.stringify(image)}, ${JSON.stringify(entries)})`, 'true');
const refuses = (name: string, image: string, entries: string[]) => falsy(name, `imageFromAllowedRegistry(${JSON.stringify(image)}, ${JSON.stringify(entries)})`);
export const cases = [
  // registries
  allows('registry allowed', 'registry.example.com/team/app:1', ['registry.example.com']),
  allows('registry with a trailing slash', 'registry.example.com/team/app:1', ['registry.example.com/']),
  allows('docker.io allows short names', 'nginx', ['docker.io']),
  allows('docker.io allows user images', 'bitnami/redis:7', ['docker.io']),
  allows('index.docker.io is docker.io', 'index.docker.io/library/nginx:1', ['docker.io']),
  allows('host names ignore case', 'Registry.Example.com/app', ['registry.EXAMPLE.com']),
  allows('registry with port', 'registry.local:5000/app', ['registry.local:5000']),
  refuses('another port is another registry', 'registry.local:5000/app', ['registry.local']),
  refuses('no port is not the port', 'registry.local/app', ['registry.local:5000']),
  allows('localhost', 'localhost/app:1', ['localhost']),
  refuses('docker hub image not allowed', 'nginx', ['registry.example.com']),
  refuses('a registry is not a prefix of another host', 'registry.example.com.evil.io/app', ['registry.example.com']),
  // repository prefixes
  allows('repository prefix allowed', 'gcr.io/acme/api:2', ['gcr.io/acme/']),
  allows('nested path under a prefix', 'gcr.io/acme/team/api:2', ['gcr.io/acme/']),
  allows('"/*" is a prefix too', 'gcr.io/acme/api:2', ['gcr.io/acme/*']),
  refuses('similar prefix is not allowed', 'gcr.io/acme-evil/api:2', ['gcr.io/acme/']),
  refuses('a prefix does not allow the bare repository', 'gcr.io/acme:2', ['gcr.io/acme/']),
  allows('docker hub prefix: openpolicyagent/ is docker.io/openpolicyagent/', 'openpolicyagent/opa:0.60.0', ['openpolicyagent/']),
  allows('docker hub prefix written out', 'docker.io/openpolicyagent/opa', ['docker.io/openpolicyagent/']),
  refuses('a docker hub prefix is not on another registry', 'quay.io/openpolicyagent/opa', ['openpolicyagent/']),
  allows('library/ is the official images', 'nginx:1.25', ['library/']),
  allows('docker.io/library/ likewise', 'nginx:1.25', ['docker.io/library/']),
  // exact images
  allows('exact image allows every tag: docker.io/nginx allows docker.io/nginx:1.25', 'docker.io/nginx:1.25', ['docker.io/nginx']),
  allows('docker.io/nginx allows nginx', 'nginx', ['docker.io/nginx']),
  allows('nginx allows docker.io/library/nginx:1.25', 'docker.io/library/nginx:1.25', ['nginx']),
  refuses('an exact image is not a prefix', 'gcr.io/acme/api:2', ['gcr.io/acme']),
  refuses('nor a string prefix', 'gcr.io/acme-evil:2', ['gcr.io/acme']),
  allows('exact tag', 'docker.io/library/busybox:1.36', ['library/busybox:1.36']),
  refuses('another tag', 'busybox:1.37', ['library/busybox:1.36']),
  refuses('a tag entry does not allow a digest (the digest wins)', `busybox:1.36@${D}`, ['library/busybox:1.36']),
  allows('exact digest', `gcr.io/acme/api@${D}`, [`gcr.io/acme/api@${D}`]),
  allows('a digest entry ignores the tag, as the runtime does', `gcr.io/acme/api:2@${D}`, [`gcr.io/acme/api@${D}`]),
  refuses('another digest', `gcr.io/acme/api@${E}`, [`gcr.io/acme/api@${D}`]),
  // ambiguous or invalid fails closed
  refuses('"nginx:1.25" reads as host nginx, port 1.25: allows nothing', 'nginx:1.25', ['nginx:1.25']),
  refuses('a bare "*" allows nothing', 'nginx', ['*']),
  refuses('other wildcards allow nothing', 'gcr.io/acme-x/api', ['gcr.io/acme-*']),
  refuses('upper case in a path allows nothing', 'gcr.io/acme/api', ['gcr.io/Acme/']),
  refuses('an image the runtime cannot pull is never allowed', 'gcr.io/Acme/api', ['gcr.io']),
  refuses('empty entries allow nothing', 'nginx', ['', '/']),
  refuses('empty list', 'nginx', []),
  refuses('a list that is not one', 'nginx', 'docker.io' as unknown as string[]),
];
export const keywords = ['image', 'registry', 'allowed', 'trusted', 'repository', 'repo', 'only', 'whitelist', 'allowlist', 'prefix'];
