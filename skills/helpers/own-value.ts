/**
 * The value of an object's own property `key`, or undefined when the object is missing or has no own
 * property of that name.
 *
 * The way to read a field by a key that comes from data or a variable (`labels[key]` is not part of
 * the policy language): inherited names such as `constructor` or `toString` are never found. Reads
 * own enumerable fields only, as decoded JSON has; an array's elements are read with their index as
 * a string ("0").
 */
export function ownValue(obj: unknown, key: string): unknown {
  if (!obj || typeof obj !== 'object') return undefined;
  const entries = Object.entries(obj);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as [string, unknown];
    if (entry[0] === key) return entry[1];
  }
  return undefined;
}
