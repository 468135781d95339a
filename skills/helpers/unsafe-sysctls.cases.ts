import { admit, kindCases, pod, truthy } from '../fixtures.ts';
import { ofChecks, pssCases } from '../pss-fixtures/index.ts';

const spec = { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '65536' }] }, containers: [{ name: 'a' }] };
export const cases = [
  truthy('unsafe sysctl', 'unsafeSysctls(request.object).join(",")', '"kernel.msgmax"', admit(pod(spec))),
  truthy('an extra allowed name', 'unsafeSysctls(request.object, ["kernel.msgmax"]).length === 0', 'true', admit(pod(spec))),
  truthy('the v1.32 additions are safe', 'unsafeSysctls(request.object).length === 0', 'true', admit(pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 16777216' }, { name: 'net.ipv4.tcp_wmem', value: '4096 65536 16777216' }] }, containers: [{ name: 'a' }] }))),
  truthy('none set', 'unsafeSysctls(request.object).length === 0', 'true', admit(pod({ containers: [{ name: 'a' }] }))),
  ...kindCases('kernel.msgmax', 'unsafeSysctls(request.object).join(",")', '"kernel.msgmax"', spec),
  ...pssCases('unsafeSysctls(request.object).length', ofChecks('sysctls')),
];
export const keywords = ['sysctl', 'sysctls', 'kernel', 'net.ipv4', 'safe', 'unsafe', 'pss', 'baseline'];
