// Names as the API server checks them (apimachinery validation.IsDNS1123Label for a Namespace).

/** The pattern of a DNS-1123 label of at most 63 characters, without anchors (to build larger patterns from). */
export const DNS1123_LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
const LABEL = new RegExp(`^${DNS1123_LABEL}$`);

/** Whether `text` can name a Namespace: a lower-case DNS-1123 label of at most 63 characters. */
export function isNamespaceName(text: string): boolean {
  return LABEL.test(text);
}
