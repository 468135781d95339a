import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('registry allowed', 'imageFromAllowedRegistry("registry.example.com/team/app:1", ["registry.example.com"])', 'true'),
  truthy('repository prefix allowed', 'imageFromAllowedRegistry("gcr.io/acme/api:2", ["gcr.io/acme"])', 'true'),
  falsy('similar prefix is not allowed', 'imageFromAllowedRegistry("gcr.io/acme-evil/api:2", ["gcr.io/acme"])'),
  falsy('docker hub image not allowed', 'imageFromAllowedRegistry("nginx", ["registry.example.com"])'),
  truthy('docker.io normalised', 'imageFromAllowedRegistry("nginx:1.25", ["docker.io/library"])', 'true'),
  falsy('empty list', 'imageFromAllowedRegistry("nginx", [])'),
];
export const keywords = ['image', 'registry', 'allowed', 'trusted', 'repository', 'repo', 'only', 'whitelist', 'allowlist'];
