import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('suffix wildcard', 'matchesWildcard("api.example.com", "*.example.com")', 'true'),
  falsy('dots are literal', 'matchesWildcard("apiXexample.com", "api.example.com")'),
  falsy('whole string', 'matchesWildcard("evil.example.com.attacker.io", "*.example.com")'),
  truthy('no wildcard: equality', 'matchesWildcard("web", "web")', 'true'),
  truthy('several wildcards, in order', 'matchesWildcard("team-a.svc.cluster.local", "team-*.svc.*.local")', 'true'),
  falsy('parts out of order', 'matchesWildcard("b-a", "a*b")'),
  falsy('the ends may not overlap', 'matchesWildcard("aba", "ab*ba")'),
];
export const keywords = ['wildcard', 'glob', 'pattern', 'match', 'host', 'domain', 'suffix'];
