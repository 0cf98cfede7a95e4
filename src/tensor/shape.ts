// Shape arithmetic shared by ops: sizes, validation, broadcasting and axis handling.
import { mapPacked } from './packed_map';

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = number[];

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export const MAX_RANK = 8;

/**
 * The most elements a tensor may have, and so its largest dimension: 2^53 - 1, the
 * largest integer a JS number holds exactly (the native side has the same limit,
 * kMaxElements in native/include/tessera/tensor.h). Memory runs out long before.
 */
export const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;

/** Throws unless `shape` is an array of at most 8 non-negative integers with at most MAX_ELEMENTS elements. */
export function checkShape(op: string, shape: unknown, what = 'shape'): Shape {
  if (!Array.isArray(shape)) throw new Error(`${op}: expected ${what} to be an array of integers, got ${describe(shape)}`);
  if (shape.length > MAX_RANK) throw new Error(`${op}: expected ${what} of rank at most ${MAX_RANK}, got rank ${shape.length}`);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new Error(`${op}: expected ${what} entries to be non-negative integers, got ${describe(d)} at index ${i} of ${describe(shape)}`);
    }
  }
  checkElementCount(op, shape as Shape, what);
  return shape as Shape;
}

/**
 * Throws unless `shape` has at most MAX_ELEMENTS elements (and so every dimension is at
 * most that). The product is checked one factor at a time, so it never loses precision
 * unnoticed. A shape with a 0 is empty, whatever its other dimensions.
 */
export function checkElementCount(op: string, shape: readonly number[], what = 'shape'): void {
  if (shape.includes(0)) {
    for (const d of shape) if (d > MAX_ELEMENTS) throw tooLarge(op, shape, what);
    return;
  }
  let n = 1;
  for (const d of shape) {
    if (d > MAX_ELEMENTS / n) throw tooLarge(op, shape, what);
    n *= d;
  }
}

function tooLarge(op: string, shape: readonly number[], what: string): Error {
  return new Error(`${op}: ${what} [${shape.join(', ')}] has more than 2^53 - 1 elements (the most a tensor may have)`);
}

/**
 * A value as error messages show it: numbers as they are, strings quoted and named as
 * strings (`'64' (a string)`, so a string where a number belongs is visible), bigints
 * as bigints (`1n (a bigint)`, not a plain 1), objects by their class. A long string is cut
 * (`'abc...' (a string of 5000 characters)`): a document passed by mistake would fill the message.
 */
export function describe(v: unknown): string {
  if (typeof v === 'string') return v.length > QUOTE_MAX ? `${quote(v)} (a string of ${v.length} characters)` : `'${v}' (a string)`;
  if (typeof v === 'boolean') return `${v} (a boolean)`;
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  return describeInner(v);
}

/** A value for messages where a string is the kind expected (a mode, a name): a string just quoted ('elu'), anything else as describe shows it. */
export function quoted(v: unknown): string {
  return typeof v === 'string' ? quote(v) : describe(v);
}

// The most characters of a string a message quotes.
const QUOTE_MAX = 80;

/** @internal A string quoted for a message, its first QUOTE_MAX characters and '...' when longer. */
export function quote(s: string): string {
  return s.length > QUOTE_MAX ? `'${s.slice(0, QUOTE_MAX)}...'` : `'${s}'`;
}

/**
 * @internal The key of the method by which a class adds details to describe()'s
 * `a Tensor`: Tensor and SymbolicTensor give their shape and dtype (this module sits below both).
 */
export const DESCRIBE_DETAILS: unique symbol = Symbol('tessera.describeDetails');

/** @internal describe()'s details of a tensor or symbolic tensor: ` (shape [2, null], float32)`. */
export function shapeAndDType(shape: readonly (number | null)[], dtype: string): string {
  return ` (shape [${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}], ${dtype})`;
}

function details(v: object): string {
  const hook = (v as { [DESCRIBE_DETAILS]?: unknown })[DESCRIBE_DETAILS];
  return typeof hook === 'function' ? String(hook.call(v)) : '';
}

// Arrays deeper than this show as [...]: an array inside itself would otherwise recurse until the stack ran out.
const DESCRIBE_DEPTH = MAX_RANK + 1;

function describeInner(v: unknown, depth = 0): string {
  if (Array.isArray(v)) {
    if (depth >= DESCRIBE_DEPTH) return '[...]';
    return `[${v
      .slice(0, 20)
      .map((x) => describeInner(x, depth + 1))
      .join(', ')}${v.length > 20 ? ', ...' : ''}]`;
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return quote(v);
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'function') return 'a function';
  // Only a class's name: an own 'constructor' key ({constructor: 1}, from JSON) is data.
  if (typeof v === 'object' && typeof v.constructor === 'function' && v.constructor !== Object && v.constructor.name)
    return `a ${v.constructor.name}${details(v)}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** The NumPy broadcast of two shapes; throws naming the op when they are incompatible. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = new Array(rank);
  for (let i = 0; i < rank; i++) {
    const da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(`${op}: shapes [${a.join(', ')}] and [${b.join(', ')}] cannot be broadcast together (dimension ${i}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * @internal Throws when `v` is a sparse array ([3, , 3]), or holds one: checks that walk a
 * list with every(), some() or map() skip its holes, so it passed with an entry missing or
 * read as a default. `name` is the value's name in the path of the message.
 */
export function checkNoHoles(op: string, what: string, v: unknown, name = what): void {
  const hole = holeIn(v);
  if (hole !== undefined) throw new Error(`${op}: ${what} is a sparse array with no entry at ${name}${hole} (${describe(v)}); write every entry`);
}

// Where the first hole of a (nested) sparse array is, as '[1]' or '[0][2]'; undefined for anything else.
function holeIn(v: unknown, depth = 0): string | undefined {
  if (!Array.isArray(v) || depth > MAX_RANK) return undefined;
  for (let i = 0; i < v.length; i++) {
    if (!(i in v)) return `[${i}]`;
    const inner = holeIn(v[i], depth + 1);
    if (inner !== undefined) return `[${i}]${inner}`;
  }
  return undefined;
}

/** A possibly negative axis as an index in [0, rank). */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new Error(`${op}: expected axis in [${-rank}, ${rank}), got ${describe(axis)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Axes (undefined: all) as sorted, distinct, non-negative indices. */
export function normalizeAxes(op: string, axes: number | number[] | undefined, rank: number): number[] {
  if (axes === undefined || axes === null) return Array.from({ length: rank }, (_, i) => i);
  checkNoHoles(op, 'axis', axes);
  const list = mapPacked(Array.isArray(axes) ? axes : [axes], (a) => normalizeAxis(op, a, rank));
  const sorted = [...new Set(list)].sort((x, y) => x - y);
  if (sorted.length !== list.length) throw new Error(`${op}: expected distinct axes, got [${(Array.isArray(axes) ? axes : [axes]).join(', ')}]`);
  return sorted;
}

/** The shape after reducing `axes`, keeping them as size 1 when keepDims. */
export function reducedShape(shape: readonly number[], axes: number[], keepDims: boolean): Shape {
  const out: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (axes.includes(d)) {
      if (keepDims) out.push(1);
    } else out.push(shape[d]);
  }
  return out;
}
