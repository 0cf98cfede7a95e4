// Layers take and return one tensor, an array, or a name-keyed object of them. The
// machinery works on flat lists; a Structure remembers how to rebuild what call() sees.
import { mapPacked } from '../tensor/packed_map';

/** One value, an array of values, or values keyed by name. */
export type Nested<T> = T | T[] | { [name: string]: T };

/** The shape of a Nested value without its leaves. */
export type Structure = { kind: 'single' } | { kind: 'list'; length: number } | { kind: 'dict'; keys: string[] };

/** @internal The leaves of `x` and its structure; throws naming `op` when a leaf is not a `what`. */
export function flattenNested<T>(op: string, x: unknown, isLeaf: (v: unknown) => v is T, what: string): { flat: T[]; structure: Structure } {
  const check = (v: unknown, where: string): T => {
    if (!isLeaf(v)) throw new Error(`${op}: expected ${what}${where}, got ${describeValue(v)}`);
    return v;
  };
  if (isLeaf(x)) return { flat: [x], structure: { kind: 'single' } };
  if (Array.isArray(x)) {
    if (x.length === 0) throw new Error(`${op}: expected ${what} or a non-empty array of them, got an empty array`);
    return { flat: mapPacked(x, (v, i) => check(v, ` at index ${i}`)), structure: { kind: 'list', length: x.length } };
  }
  if (typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype) {
    const keys = Object.keys(x);
    if (keys.length === 0) throw new Error(`${op}: expected ${what} or an object of them, got an empty object`);
    return { flat: keys.map((k) => check((x as Record<string, unknown>)[k], ` for key '${k}'`)), structure: { kind: 'dict', keys } };
  }
  throw new Error(`${op}: expected ${what}, an array or an object of them, got ${describeValue(x)}`);
}

/** @internal Rebuilds a Nested value from its leaves. */
export function packNested<T>(flat: T[], structure: Structure): Nested<T> {
  switch (structure.kind) {
    case 'single':
      return flat[0];
    case 'list':
      return flat.slice();
    case 'dict':
      return Object.fromEntries(structure.keys.map((k, i) => [k, flat[i]]));
  }
}

/** @internal Number of leaves a structure holds. */
export function structureSize(structure: Structure): number {
  return structure.kind === 'single' ? 1 : structure.kind === 'list' ? structure.length : structure.keys.length;
}

/** @internal A short description of a value for error messages. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return `a ${v.constructor?.name ?? 'object'}`;
  return `a ${typeof v}`;
}
