// Skill names: function names are lowerCamelCase JS identifiers; object names their kebab-case.

/** lowerCamelCase, letters and digits only (so the kebab-case form is a DNS label). */
export const FUNCTION_NAME = /^[a-z][a-zA-Z0-9]*$/;

/** metadata.name of a skill: a hyphen before every capital, then lower case (`imageTag` → `image-tag`). */
export function skillObjectName(functionName: string): string {
  return functionName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The function name of an object name (`image-tag` → `imageTag`). */
export function functionNameOf(objectName: string): string {
  return objectName.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Words of an identifier: camelCase, snake_case and digits split, lower-cased. */
export function identifierWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}
