import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

const spec = { containers: [{ name: 'net', securityContext: { capabilities: { add: ['NET_ADMIN', 'cap_net_bind_service'], drop: ['ALL'] } } }, { name: 'plain' }] };
export const cases = [
  truthy('nothing allowed', 'addedCapabilities(request.object, []).join(",")', '"net:NET_ADMIN,net:NET_BIND_SERVICE"', admit(pod(spec))),
  truthy('allowed names compare literally: cap_net_bind_service is not NET_BIND_SERVICE', 'addedCapabilities(request.object, ["NET_BIND_SERVICE"]).join(",")', '"net:NET_ADMIN,net:NET_BIND_SERVICE"', admit(pod(spec))),
  truthy('exact names pass', 'addedCapabilities(request.object, ["NET_ADMIN", "cap_net_bind_service"]).length === 0', 'true', admit(pod(spec))),
  truthy('CAP_NET_ADMIN does not allow NET_ADMIN', 'addedCapabilities(request.object, ["CAP_NET_ADMIN", "cap_net_bind_service"]).join(",")', '"net:NET_ADMIN"', admit(pod(spec))),
  truthy('ALL is a capability of its own', 'addedCapabilities(request.object, ["NET_ADMIN"]).join(",")', '"a:ALL"', admit(pod({ containers: [{ name: 'a', securityContext: { capabilities: { add: ['ALL'] } } }] }))),
  truthy('init and ephemeral containers', 'addedCapabilities(request.object, []).join(",")', '"i:SYS_ADMIN,debug:SYS_PTRACE"', ephemeralUpdate(pod({ initContainers: [{ name: 'i', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }], containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }] }))),
  truthy('drop only: nothing added', 'addedCapabilities(request.object, []).length === 0', 'true', admit(pod({ containers: [{ name: 'a', securityContext: { capabilities: { drop: ['ALL'] } } }] }))),
  ...kindCases('adds NET_ADMIN', 'addedCapabilities(request.object, ["NET_BIND_SERVICE"]).join(",")', '"net:NET_ADMIN,net:NET_BIND_SERVICE"', spec),
];
export const keywords = ['capabilities', 'capability', 'add', 'allowlist', 'allowed', 'NET_BIND_SERVICE', 'linux', 'security'];
