// RFC 6902 diff and apply, for mutate(): jsPolicy answers jsonpatch.CreatePatch(original request.object,
// json.Marshal(patched)) (gomodules.xyz/jsonpatch/v2). The operations here are equivalent, not byte-identical:
// maps are walked in sorted key order (Go's map order is random), arrays element by element.

import type { JsonPatchOp } from './types.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** RFC 6901: "~" → "~0", "/" → "~1". */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function kindOf(value: unknown): 'null' | 'array' | 'object' | 'string' | 'number' | 'boolean' {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'object' | 'string' | 'number' | 'boolean';
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function diffValues(a: unknown, b: unknown, path: string, ops: JsonPatchOp[]): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === 'null' && kb === 'null') return;
  if (ka !== kb) {
    ops.push({ op: 'replace', path, value: clone(b) });
    return;
  }
  if (ka === 'object') {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const key of Object.keys(bo).sort()) {
      if (bo[key] === undefined) continue;
      const p = `${path}/${escapePointerToken(key)}`;
      if (!Object.prototype.hasOwnProperty.call(ao, key) || ao[key] === undefined) ops.push({ op: 'add', path: p, value: clone(bo[key]) });
      else diffValues(ao[key], bo[key], p, ops);
    }
    for (const key of Object.keys(ao).sort()) {
      if (ao[key] === undefined) continue;
      if (!Object.prototype.hasOwnProperty.call(bo, key) || bo[key] === undefined) ops.push({ op: 'remove', path: `${path}/${escapePointerToken(key)}` });
    }
    return;
  }
  if (ka === 'array') {
    const aa = a as unknown[];
    const ba = b as unknown[];
    const common = Math.min(aa.length, ba.length);
    // Removals from the end first, then appends, then in-place changes: valid when applied in order.
    for (let i = aa.length - 1; i >= common; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
    for (let i = common; i < ba.length; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: clone(ba[i]) });
    for (let i = 0; i < common; i++) diffValues(aa[i], ba[i], `${path}/${i}`, ops);
    return;
  }
  if (a !== b) ops.push({ op: 'replace', path, value: b });
}

/** The JSON patch turning `original` into `patched` (both JSON values); [] when they are equal. */
export function createJsonPatch(original: unknown, patched: unknown): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diffValues(clone(original) ?? null, clone(patched) ?? null, '', ops);
  return ops;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map(unescapePointerToken);
}

/** Applies add/remove/replace operations (RFC 6902) to a copy of `document`. Throws on an invalid path. */
export function applyJsonPatch<T = unknown>(document: unknown, ops: readonly JsonPatchOp[]): T {
  let root = clone(document) as Json;
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    if (tokens.length === 0) {
      if (op.op === 'remove') root = null;
      else root = clone(op.value) as Json;
      continue;
    }
    let parent: Json = root;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[Number(token)] as Json;
      else if (parent && typeof parent === 'object') parent = parent[token] as Json;
      else parent = undefined as unknown as Json;
      if (parent === undefined || parent === null || typeof parent !== 'object') throw new Error(`path ${op.path} does not exist`);
    }
    const last = tokens[tokens.length - 1] as string;
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (!Number.isInteger(index) || index < 0 || index > parent.length || (op.op !== 'add' && index >= parent.length)) {
        throw new Error(`index ${last} out of range at ${op.path}`);
      }
      if (op.op === 'add') parent.splice(index, 0, clone(op.value) as Json);
      else if (op.op === 'remove') parent.splice(index, 1);
      else parent[index] = clone(op.value) as Json;
    } else if (parent && typeof parent === 'object') {
      if (op.op !== 'add' && !Object.prototype.hasOwnProperty.call(parent, last)) throw new Error(`path ${op.path} does not exist`);
      if (op.op === 'remove') delete parent[last];
      else parent[last] = clone(op.value) as Json;
    } else {
      throw new Error(`path ${op.path} does not exist`);
    }
  }
  return root as T;
}
