import { admit, pod, truthy } from '../fixtures.ts';

const spec = { containers: [{ name: 'net', securityContext: { capabilities: { add: ['NET_ADMIN', 'cap_net_bind_service'], drop: ['ALL'] } } }, { name: 'plain' }] };
export const cases = [
  truthy('nothing allowed', 'addedCapabilities(request.object, []).join(",")', '"net:NET_ADMIN,net:NET_BIND_SERVICE"', admit(pod(spec))),
  truthy('bind service allowed', 'addedCapabilities(request.object, ["NET_BIND_SERVICE"]).join(",")', '"net:NET_ADMIN"', admit(pod(spec))),
  truthy('all allowed', 'addedCapabilities(request.object, ["CAP_NET_ADMIN", "NET_BIND_SERVICE"]).length === 0', 'true', admit(pod(spec))),
];
export const keywords = ['capabilities', 'capability', 'add', 'NET_ADMIN', 'SYS_ADMIN', 'linux', 'security'];
