import { admit, ephemeralUpdate, kindCases, pod, truthy } from '../fixtures.ts';

const spec = {
  containers: [
    { name: 'a', securityContext: { capabilities: { add: ['net_admin', 'CHOWN'] } } },
    { name: 'b', securityContext: { capabilities: { add: ['CAP_SYS_ADMIN'] } } },
  ],
};
export const cases = [
  truthy('normalised on both sides', 'capabilitiesAddedFrom(request.object, ["NET_ADMIN", "cap_sys_admin"]).join(",")', '"a:NET_ADMIN,b:SYS_ADMIN"', admit(pod(spec))),
  truthy('others are not denied', 'capabilitiesAddedFrom(request.object, ["SYS_PTRACE"]).length === 0', 'true', admit(pod(spec))),
  truthy('ALL grants every denied capability', 'capabilitiesAddedFrom(request.object, ["SYS_ADMIN"]).join(",")', '"x:ALL"', admit(pod({ containers: [{ name: 'x', securityContext: { capabilities: { add: ['all'] } } }] }))),
  truthy('an empty deny-list denies nothing', 'capabilitiesAddedFrom(request.object, []).length === 0', 'true', admit(pod({ containers: [{ name: 'x', securityContext: { capabilities: { add: ['ALL'] } } }] }))),
  truthy('ephemeral containers', 'capabilitiesAddedFrom(request.object, ["SYS_PTRACE"]).join(",")', '"debug:SYS_PTRACE"', ephemeralUpdate(pod({ containers: [{ name: 'a' }], ephemeralContainers: [{ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }] }))),
  ...kindCases('NET_ADMIN denied', 'capabilitiesAddedFrom(request.object, ["NET_ADMIN"]).join(",")', '"a:NET_ADMIN"', spec),
];
export const keywords = ['capabilities', 'capability', 'add', 'deny', 'denylist', 'NET_ADMIN', 'SYS_ADMIN', 'NET_RAW', 'linux', 'security'];
