// ValidateObjectMeta's labels check (apimachinery pkg/apis/meta/v1/validation ValidateLabels): every
// key a qualified name, every value a label value, each failure an Invalid error on metadata.labels
// itself (not on the key) with the offending key or value. Go ranges over the map in random order;
// here the errors come in the object's key order.
import { isQualifiedName, isValidLabelValue } from '../../../lib/jspolicy/validate-spec.ts';
import type { KubeObject } from '../../../lib/k8s/types.ts';
import { fieldError, renderFieldError } from './field-errors.ts';

export function labelErrors(object: KubeObject): string[] {
  const errors: string[] = [];
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
    for (const message of isQualifiedName(key)) errors.push(renderFieldError(fieldError.invalid('metadata.labels', key, message)));
    for (const message of isValidLabelValue(value)) errors.push(renderFieldError(fieldError.invalid('metadata.labels', value, message)));
  }
  return errors;
}
