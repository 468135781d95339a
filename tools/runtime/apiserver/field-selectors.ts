// List field selectors (`?fieldSelector=`), for what `kubectl describe` and `kubectl get events
// --field-selector` send: every kind's metadata.name and metadata.namespace, and a core/v1 Event's
// own fields (pkg/registry/core/event/strategy.go ToSelectableFields). Terms as fields.ParseSelector
// reads them: comma-separated `key=value`, `key==value`, `key!=value`, `\` escaping `,`, `=`, `!`, `\`.
import type { KubeObject } from '../../../lib/k8s/types.ts';
import { isCoreEvent } from './core-events.ts';

type Term = { key: string; value: string; negated: boolean };

/** A predicate over objects of one kind, or the API server's message for a selector it refuses. */
export function parseFieldSelector(selector: string, kind: { apiVersion: string; kind: string }): ((object: KubeObject) => boolean) | { error: string } {
  const terms: Term[] = [];
  for (const raw of splitUnescaped(selector, ',')) {
    if (raw === '') continue;
    const match = /^(.*?)(!=|==|=)(.*)$/s.exec(raw);
    if (!match) return { error: `invalid selector: '${selector}'; can't understand '${raw}'` };
    const [, key = '', operator, value = ''] = match;
    terms.push({ key: key.trim(), value: unescape(value), negated: operator === '!=' });
  }
  const fieldsOf = isCoreEvent(kind) ? eventFields : metadataFields;
  for (const term of terms) {
    if (!(term.key in fieldsOf({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: {} }))) return { error: `field label not supported: ${term.key}` };
  }
  return (object) => {
    const fields = fieldsOf(object);
    return terms.every((term) => (fields[term.key] === term.value) !== term.negated);
  };
}

function metadataFields(object: KubeObject): Record<string, string> {
  return { 'metadata.name': object.metadata.name ?? '', 'metadata.namespace': object.metadata.namespace ?? '' };
}

function eventFields(object: KubeObject): Record<string, string> {
  const involved = (object.involvedObject ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const component = text((object.source as { component?: unknown } | undefined)?.component);
  return {
    ...metadataFields(object),
    'involvedObject.kind': text(involved.kind),
    'involvedObject.namespace': text(involved.namespace),
    'involvedObject.name': text(involved.name),
    'involvedObject.uid': text(involved.uid),
    'involvedObject.apiVersion': text(involved.apiVersion),
    'involvedObject.resourceVersion': text(involved.resourceVersion),
    'involvedObject.fieldPath': text(involved.fieldPath),
    reason: text(object.reason),
    reportingComponent: text(object.reportingComponent),
    source: component || text(object.reportingComponent),
    type: text(object.type),
  };
}

function splitUnescaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      current += char + (text[i + 1] as string);
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}
