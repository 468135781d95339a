import { truthy } from '../fixtures.ts';

export const cases = [
  truthy('docker hub default', 'imageRegistry("nginx:1.25")', '"docker.io"'),
  truthy('explicit registry', 'imageRegistry("ghcr.io/org/app:1")', '"ghcr.io"'),
  truthy('registry with port', 'imageRegistry("10.0.0.1:5000/app")', '"10.0.0.1:5000"'),
];
export const keywords = ['image', 'registry', 'host'];
