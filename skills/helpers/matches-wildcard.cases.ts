import { falsy, truthy } from '../fixtures.ts';

export const cases = [
  truthy('suffix wildcard', 'matchesWildcard("api.example.com", "*.example.com")', 'true'),
  falsy('dots are literal', 'matchesWildcard("apiXexample.com", "api.example.com")'),
  falsy('whole string', 'matchesWildcard("evil.example.com.attacker.io", "*.example.com")'),
  truthy('no wildcard: equality', 'matchesWildcard("web", "web")', 'true'),
];
export const keywords = ['wildcard', 'glob', 'pattern', 'match', 'host', 'domain', 'suffix'];
