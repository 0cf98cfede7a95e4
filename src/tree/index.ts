// ts.tree: keras.tree over JS structures. Arrays play Keras's lists and tuples, plain objects
// its dicts (keys visited in sorted order, as Keras's); everything else (tensors, numbers,
// null, class instances) is a leaf.
import { tooManyArguments } from '../options/arity';
import { checkFunction } from '../tensor/check_function';
import { describe } from '../tensor/shape';
import { checkNestDepth, checkSameStructure, isNest, isPlainObject, leavesWithPaths, packAs } from '../ops/nest';
import { everyEntry } from '../options/every_entry';

/** A key of a path into a structure: an array index or an object key. */
export type PathKey = number | string;

/**
 * What a traverse func returns to replace a subtree with null (Keras's MAP_TO_NONE; null
 * itself does the same, since undefined plays Keras's None there).
 */
export const MAP_TO_NONE: unique symbol = Symbol('tree.MAP_TO_NONE');

/** Whether x is an array or a plain object (a structure), rather than a leaf. */
export function isNested(structure: unknown): boolean {
  if (arguments.length > 1) throw tooManyArguments('tree.isNested', 1, arguments.length);
  return isNest(structure);
}

/** The leaves of structure in order (object keys sorted); a leaf gives [leaf]. */
export function flatten(structure: unknown): unknown[] {
  if (arguments.length > 1) throw tooManyArguments('tree.flatten', 1, arguments.length);
  checkNestDepth('tree.flatten', structure);
  return leavesWithPaths(structure).map(([, v]) => v);
}

// The path of each leaf as keys: Keras's tuples of indices and dict keys.
function pathsOf(x: unknown, prefix: PathKey[] = []): [PathKey[], unknown][] {
  if (Array.isArray(x)) return x.flatMap((v, i) => pathsOf(v, [...prefix, i]));
  if (isPlainObject(x)) {
    return Object.keys(x)
      .sort()
      .flatMap((k) => pathsOf(x[k], [...prefix, k]));
  }
  return [[prefix, x]];
}

/** [path, leaf] for each leaf in flatten's order; a path is the array of indices and keys leading to it. */
export function flattenWithPath(structure: unknown): [PathKey[], unknown][] {
  if (arguments.length > 1) throw tooManyArguments('tree.flattenWithPath', 1, arguments.length);
  checkNestDepth('tree.flattenWithPath', structure);
  return pathsOf(structure);
}

/** A structure like `structure` whose leaves, in flatten's order, are flatSequence's. */
export function packSequenceAs(structure: unknown, flatSequence: unknown[]): unknown {
  if (arguments.length > 2) throw tooManyArguments('tree.packSequenceAs', 2, arguments.length);
  const op = 'tree.packSequenceAs';
  if (!Array.isArray(flatSequence)) throw new Error(`${op}: expected flatSequence to be an array, got ${describe(flatSequence)}`);
  checkNestDepth(op, structure);
  checkNestDepth(op, flatSequence, 'flatSequence');
  const n = leavesWithPaths(structure).length;
  if (n !== flatSequence.length) throw new Error(`${op}: the structure has ${n} leaves, flatSequence ${flatSequence.length} values`);
  return packAs(op, structure, flatSequence);
}

/** Throws where a and b differ in structure (arrays' lengths, objects' keys, nesting); leaves may differ. */
export function assertSameStructure(a: unknown, b: unknown): void {
  if (arguments.length > 2) throw tooManyArguments('tree.assertSameStructure', 2, arguments.length);
  checkNestDepth('tree.assertSameStructure', a, 'a');
  checkNestDepth('tree.assertSameStructure', b, 'b');
  checkSameStructure('tree.assertSameStructure', a, b, 'b');
}

/**
 * func applied to the leaves at each position of the structures (func(leafOfFirst,
 * leafOfSecond, ...)), in a structure like the first; all must share its structure.
 */
export function mapStructure(func: (...leaves: never[]) => unknown, ...structures: unknown[]): unknown {
  const op = 'tree.mapStructure';
  checkFunction(op, 'func', func);
  if (structures.length === 0) throw new Error(`${op}: expected at least one structure`);
  structures.forEach((s, i) => checkNestDepth(op, s, `structures[${i}]`));
  structures.slice(1).forEach((s, i) => checkSameStructure(op, structures[0], s, `structures[${i + 1}]`));
  const flat = structures.map((s) => leavesWithPaths(s).map(([, v]) => v));
  return packAs(
    op,
    structures[0],
    flat[0].map((_, i) => (func as (...a: unknown[]) => unknown)(...flat.map((f) => f[i]))),
  );
}

// The subtrees of x at the leaves of shallow, which x must extend.
function upTo(op: string, shallow: unknown, x: unknown, what: string, path = ''): unknown[] {
  if (!isNest(shallow)) return [x];
  const here = path === '' ? what : `${what}${path}`;
  if (Array.isArray(shallow)) {
    if (!Array.isArray(x) || x.length !== shallow.length) throw new Error(`${op}: expected ${here} to be an array of ${shallow.length}, got ${describe(x)}`);
    return shallow.flatMap((s, i) => upTo(op, s, x[i], what, `${path}[${i}]`));
  }
  const keys = Object.keys(shallow as object).sort();
  if (!isPlainObject(x) || Object.keys(x).length !== keys.length || keys.some((k) => !(k in x))) {
    throw new Error(`${op}: expected ${here} to be an object with keys [${keys.join(', ')}], got ${describe(x)}`);
  }
  return keys.flatMap((k) => upTo(op, (shallow as Record<string, unknown>)[k], x[k], what, `${path}.${k}`));
}

/**
 * mapStructure down to the leaves of shallowStructure only: func gets the subtrees of the
 * structures found there, and the result has shallowStructure's structure.
 */
export function mapStructureUpTo(shallowStructure: unknown, func: (...subtrees: never[]) => unknown, ...structures: unknown[]): unknown {
  const op = 'tree.mapStructureUpTo';
  checkFunction(op, 'func', func);
  checkNestDepth(op, shallowStructure, 'shallowStructure');
  structures.forEach((s, i) => checkNestDepth(op, s, `structures[${i}]`));
  if (structures.length === 0) throw new Error(`${op}: expected at least one structure`);
  const flat = structures.map((s, i) => upTo(op, shallowStructure, s, `structures[${i}]`));
  return packAs(
    op,
    shallowStructure,
    flat[0].map((_, i) => (func as (...a: unknown[]) => unknown)(...flat.map((f) => f[i]))),
  );
}

/**
 * func applied to every subtree and leaf of structure. Top-down (the default), a value
 * func returns replaces that subtree, which is not visited further; undefined (Keras's
 * None) keeps it and goes on into it. Bottom-up, func sees each subtree after its
 * children, and undefined keeps the (rebuilt) subtree. null or MAP_TO_NONE replaces it
 * with null.
 */
export function traverse(func: (x: never) => unknown, structure: unknown, topDown = true): unknown {
  if (arguments.length > 3) throw tooManyArguments('tree.traverse', 3, arguments.length);
  const op = 'tree.traverse';
  checkFunction(op, 'func', func);
  checkNestDepth(op, structure);
  if (typeof topDown !== 'boolean') throw new Error(`${op}: expected topDown to be true or false, got ${describe(topDown)}`);
  const f = func as (x: unknown) => unknown;
  const children = (x: unknown, visit: (v: unknown) => unknown): unknown => (isNest(x) ? mapNestShallow(x, visit) : x);
  const visit = (x: unknown): unknown => {
    if (topDown) {
      const r = f(x);
      return r === MAP_TO_NONE ? null : r !== undefined ? r : children(x, visit);
    }
    const rebuilt = children(x, visit);
    const r = f(rebuilt);
    return r === MAP_TO_NONE ? null : r !== undefined ? r : rebuilt;
  };
  return visit(structure);
}

// The direct children of an array or plain object mapped by f (keys sorted).
function mapNestShallow(x: unknown, f: (v: unknown) => unknown): unknown {
  if (Array.isArray(x)) return x.map((v) => f(v));
  // fromEntries defines each key: an own '__proto__' key (from JSON) assigned would be lost.
  return Object.fromEntries(
    Object.keys(x as object)
      .sort()
      .map((k) => [k, f((x as Record<string, unknown>)[k])]),
  );
}

/**
 * Throws where a and b do not have the same paths (flattenWithPath's), naming the paths
 * each lacks; unlike assertSameStructure, an array and an object with keys '0', '1' differ
 * (index vs key) but nothing else about the containers is compared.
 */
export function assertSamePaths(a: unknown, b: unknown): void {
  if (arguments.length > 2) throw tooManyArguments('tree.assertSamePaths', 2, arguments.length);
  checkNestDepth('tree.assertSamePaths', a, 'a');
  checkNestDepth('tree.assertSamePaths', b, 'b');
  const key = (p: PathKey[]): string => JSON.stringify(p);
  const pa = new Map(pathsOf(a).map(([p]) => [key(p), p]));
  const pb = new Map(pathsOf(b).map(([p]) => [key(p), p]));
  const missing = (x: Map<string, PathKey[]>, y: Map<string, PathKey[]>) => [...x.keys()].filter((k) => !y.has(k));
  const inA = missing(pa, pb);
  const inB = missing(pb, pa);
  if (inA.length === 0 && inB.length === 0) return;
  let msg = 'tree.assertSamePaths: a and b do not have the same paths';
  if (inA.length > 0) msg += `; paths in a missing in b: ${inA.join(', ')}`;
  if (inB.length > 0) msg += `; paths in b missing in a: ${inB.join(', ')}`;
  throw new Error(msg);
}

/**
 * Keras's lists_to_tuples. JavaScript has no tuples (arrays play both), so this is a copy
 * of structure's arrays and plain objects (keys sorted, as everywhere in ts.tree) with the
 * same leaves.
 */
export function listsToTuples(structure: unknown): unknown {
  if (arguments.length > 1) throw tooManyArguments('tree.listsToTuples', 1, arguments.length);
  checkNestDepth('tree.listsToTuples', structure);
  const copy = (x: unknown): unknown => (isNest(x) ? mapNestShallow(x, copy) : x);
  return copy(structure);
}

// Keras's shape tuples: arrays of integers and nulls (an empty array too).
const isShape = (x: unknown): boolean => Array.isArray(x) && everyEntry(x, (d) => d === null || Number.isInteger(d));

/**
 * mapStructure over shapes: arrays of integers and nulls (Keras's shape tuples, [] included)
 * are leaves given whole to func, as are the other leaves.
 * @example tree.mapShapeStructure((s) => s, { a: [2, null] }) // func gets [2, null]
 */
export function mapShapeStructure(func: (x: never) => unknown, structure: unknown): unknown {
  if (arguments.length > 2) throw tooManyArguments('tree.mapShapeStructure', 2, arguments.length);
  checkFunction('tree.mapShapeStructure', 'func', func);
  checkNestDepth('tree.mapShapeStructure', structure);
  const f = func as (x: unknown) => unknown;
  const visit = (x: unknown): unknown => (isShape(x) || !isNest(x) ? f(x) : mapNestShallow(x, visit));
  return visit(structure);
}
