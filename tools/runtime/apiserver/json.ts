// Objects cross the API boundary as JSON: copies go through a JSON round trip so that callers never
// share references with the store and `undefined` fields vanish exactly as on the wire.

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
