import { admit, service, truthy } from '../fixtures.ts';

export const cases = [
  truthy('NodePort', 'serviceType(request.object)', '"NodePort"', admit(service({ type: 'NodePort' }))),
  truthy('LoadBalancer', 'serviceType(request.object) === "LoadBalancer"', 'true', admit(service({ type: 'LoadBalancer' }))),
  truthy('default ClusterIP', 'serviceType(request.object)', '"ClusterIP"', admit(service({ ports: [{ port: 80 }] }))),
];
export const keywords = ['service', 'type', 'NodePort', 'LoadBalancer', 'ClusterIP', 'ExternalName', 'expose'];
