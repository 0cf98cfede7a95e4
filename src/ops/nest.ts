// Nested structures of tensors, the JS form of Keras's pytrees: a leaf (a Tensor, or a
// number or boolean that becomes one), an array of structures, or a plain object of them.
// Object keys are visited in sorted order, as Keras's tree does with dict keys.
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** A nested structure: a leaf, an array of structures or a plain object of them. */
export type Nest<L = Tensor> = L | Nest<L>[] | { [key: string]: Nest<L> };

/** @internal Whether x is a plain object (not a tensor, array, null or class instance). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || x instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** @internal Whether x is an array or a plain object, that is a structure rather than a leaf. */
export function isNest(x: unknown): boolean {
  return Array.isArray(x) || isPlainObject(x);
}

/** @internal How deep a structure may nest: the walks below recurse, and a structure inside itself never ends. */
export const MAX_NEST_DEPTH = 1000;

/**
 * @internal Throws, naming `op`, when a structure nests deeper than MAX_NEST_DEPTH (one that
 * holds itself does), or holds a sparse array ([1, , 2]), whose hole every walk below would
 * skip: walked without recursion, so the check cannot overflow the stack itself.
 */
export function checkNestDepth(op: string, x: unknown, what = 'the structure'): void {
  if (!isNest(x)) return;
  const stack: [unknown, number, string][] = [[x, 0, '']];
  while (stack.length > 0) {
    const [v, depth, path] = stack.pop()!;
    if (depth === MAX_NEST_DEPTH) throw new Error(`${op}: ${what} nests more than ${MAX_NEST_DEPTH} levels deep; does it hold itself?`);
    // Only the nested children are pushed: a long list of numbers costs no allocation per number.
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) throw new Error(`${op}: ${what} holds a sparse array with no entry at ${path}[${i}] (${describe(v)}); write every entry`);
        if (isNest(v[i])) stack.push([v[i], depth + 1, `${path}[${i}]`]);
      }
    } else for (const [k, child] of Object.entries(v as object)) if (isNest(child)) stack.push([child, depth + 1, `${path}.${k}`]);
  }
}

/** @internal The leaves of x in order (sorted keys), each with its path ('[0].h'). */
export function leavesWithPaths(x: unknown, path = ''): [string, unknown][] {
  if (Array.isArray(x)) return x.flatMap((v, i) => leavesWithPaths(v, `${path}[${i}]`));
  if (isPlainObject(x)) {
    return Object.keys(x)
      .sort()
      .flatMap((k) => leavesWithPaths(x[k], `${path}.${k}`));
  }
  return [[path, x]];
}

/** @internal x with each leaf replaced by f(leaf, path), the structure kept. */
export function mapNest(x: unknown, f: (leaf: unknown, path: string) => unknown, path = ''): unknown {
  if (Array.isArray(x)) return x.map((v, i) => mapNest(v, f, `${path}[${i}]`));
  if (isPlainObject(x)) {
    // fromEntries defines each key: an own '__proto__' key (from JSON) assigned would be lost.
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, mapNest(x[k], f, `${path}.${k}`)]),
    );
  }
  return f(x, path);
}

/** @internal A structure like `like` whose leaves, in order, are `leaves`. */
export function packAs(op: string, like: unknown, leaves: readonly unknown[]): unknown {
  let i = 0;
  const out = mapNest(like, () => leaves[i++]);
  if (i !== leaves.length) throw new Error(`${op}: the structure has ${i} leaves, got ${leaves.length} values`);
  return out;
}

/** @internal Throws, naming `op` and the path, where a and b differ in structure (not in leaves). */
export function checkSameStructure(op: string, a: unknown, b: unknown, what: string, path = ''): void {
  const where = path === '' ? '' : ` at ${path}`;
  const kind = (x: unknown): string =>
    Array.isArray(x) ? `an array of ${x.length}` : isPlainObject(x) ? `an object with keys [${Object.keys(x).sort().join(', ')}]` : 'a leaf';
  if (kind(a) !== kind(b)) throw new Error(`${op}: ${what}${where}: expected ${kind(a)}, got ${kind(b) === 'a leaf' ? describe(b) : kind(b)}`);
  if (Array.isArray(a)) a.forEach((v, i) => checkSameStructure(op, v, (b as unknown[])[i], what, `${path}[${i}]`));
  else if (isPlainObject(a)) for (const k of Object.keys(a)) checkSameStructure(op, a[k], (b as Record<string, unknown>)[k], what, `${path}.${k}`);
}
