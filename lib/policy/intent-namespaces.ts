// The namespaces an intent names, read by code from the user's own words: the plan is the model's
// reading, and the guard rails must not depend on the model having read it right.
import { DNS1123_LABEL, isNamespaceName } from '../k8s/names.ts';

const NAME = `['"\`]?(${DNS1123_LABEL})['"\`]?`;
// "in the 'test' namespace", "in the test and prod namespaces", "in namespace test", "in namespaces b and c"
// Only after "in" (within, inside): "creating Namespaces" or "the host PID namespace" name none.
const BEFORE = new RegExp(`\\b(?:in|within|inside)\\s+(?:the\\s+)?${NAME}(?:(?:\\s*,\\s*|\\s+(?:and|or)\\s+)${NAME})*\\s+namespaces?\\b`, 'gi');
const AFTER = new RegExp(`\\bin\\s+(?:the\\s+)?namespaces?\\s+(?:named\\s+|called\\s+)?${NAME}((?:\\s*,\\s*|\\s+(?:and|or)\\s+)${NAME})*`, 'gi');
const NOT_NAMES = new Set(['the', 'a', 'an', 'any', 'every', 'all', 'each', 'same', 'its', 'their', 'that', 'this', 'which', 'whose', 'other', 'own', 'some', 'no', 'is', 'are', 'with', 'without', 'where', 'label', 'labels', 'labelled', 'labeled', 'named', 'called', 'in', 'of', 'for', 'and', 'or', 'system', 'given', 'new', 'existing', 'default-deny', 'selector', 'another', 'one', 'only', 'host', 'pid', 'ipc', 'network', 'user', 'target', 'same-named', 'their', 'our', 'your', 'my']);

/** Lower-case DNS labels the description names as namespaces, in order of appearance. */
export function namespacesNamedIn(description: string): string[] {
  const found: string[] = [];
  const add = (text: string): void => {
    for (const token of text.split(/\s*,\s*|\s+(?:and|or)\s+|\s+/i)) {
      const name = token.replace(/^['"`]|['"`]$/g, '').toLowerCase();
      if (isNamespaceName(name) && !NOT_NAMES.has(name) && !found.includes(name)) found.push(name);
    }
  };
  for (const match of description.matchAll(BEFORE)) add(match[0].replace(/\s+namespaces?$/i, '').replace(/^(?:in|within|inside)\s+(?:the\s+)?/i, ''));
  for (const match of description.matchAll(AFTER)) add(match[0].replace(/^in\s+(?:the\s+)?namespaces?\s+(?:named\s+|called\s+)?/i, ''));
  return found;
}
