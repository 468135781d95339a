import { truthy } from '../fixtures.ts';

export const cases = [
  truthy('docker hub default', 'imageRegistry("nginx:1.25")', '"docker.io"'),
  truthy('docker hub user image', 'imageRegistry("bitnami/redis:7")', '"docker.io"'),
  truthy('explicit registry', 'imageRegistry("ghcr.io/org/app:1")', '"ghcr.io"'),
  truthy('registry with port', 'imageRegistry("10.0.0.1:5000/app")', '"10.0.0.1:5000"'),
  truthy('lower case', 'imageRegistry("GHCR.io/org/app")', '"ghcr.io"'),
  truthy('invalid: ""', 'imageRegistry("gcr.io/Org/app") === ""', 'true'),
];
export const keywords = ['image', 'registry', 'host'];
