// ts.util's shape arithmetic (TensorFlow.js's tf.util.parseAxisParam, squeezeShape,
// computeStrides, ...): the same results as TensorFlow.js, and an error naming the function
// for a shape, axis or index that is not one.
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { checkDims, checkInteger, checkNumbers } from './tfjs_util_checks';

/** A [width, height] near a square that holds `size` elements. */
export function sizeToSquarishShape(size: number): [number, number] {
  if (arguments.length > 1) throw tooManyArguments('util.sizeToSquarishShape', 1, arguments.length);
  checkInteger('util.sizeToSquarishShape', 'size', size);
  const width = Math.ceil(Math.sqrt(size));
  return [width, Math.ceil(size / width)];
}

/** True for the shape of a scalar ([]). */
export function isScalarShape(shape: number[]): boolean {
  if (arguments.length > 1) throw tooManyArguments('util.isScalarShape', 1, arguments.length);
  return checkDims('util.isScalarShape', 'shape', shape).length === 0;
}

/** True when two arrays (typed arrays too) hold the same values; null and undefined equal only themselves. */
export function arraysEqual(n1: ArrayLike<unknown> | null | undefined, n2: ArrayLike<unknown> | null | undefined): boolean {
  if (arguments.length > 2) throw tooManyArguments('util.arraysEqual', 2, arguments.length);
  return compareArrays('util.arraysEqual', n1, n2, false);
}

/** arraysEqual where a null entry on either side matches anything (a shape with unknown dimensions). */
export function arraysEqualWithNull(n1: (number | null)[] | null | undefined, n2: (number | null)[] | null | undefined): boolean {
  if (arguments.length > 2) throw tooManyArguments('util.arraysEqualWithNull', 2, arguments.length);
  return compareArrays('util.arraysEqualWithNull', n1, n2, true);
}

function compareArrays(op: string, n1: unknown, n2: unknown, nullMatches: boolean): boolean {
  for (const [what, v] of [
    ['n1', n1],
    ['n2', n2],
  ] as const) {
    if (v != null && !Array.isArray(v) && !(ArrayBuffer.isView(v) && !(v instanceof DataView))) {
      throw new Error(`${op}: expected ${what} to be an array, a typed array, null or undefined, got ${describe(v)}`);
    }
  }
  if (n1 === n2) return true;
  if (n1 == null || n2 == null) return false;
  const a = n1 as ArrayLike<unknown>;
  const b = n2 as ArrayLike<unknown>;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (nullMatches && (a[i] === null || b[i] === null)) continue;
    if (a[i] !== b[i]) return false;
  }
  return true;
}

/** Throws `${errorMessagePrefix} Shapes ${shapeA} and ${shapeB} must match` unless the shapes are equal. */
export function assertShapesMatch(shapeA: number[], shapeB: number[], errorMessagePrefix = ''): void {
  if (arguments.length > 3) throw tooManyArguments('util.assertShapesMatch', 3, arguments.length);
  const op = 'util.assertShapesMatch';
  checkDims(op, 'shapeA', shapeA);
  checkDims(op, 'shapeB', shapeB);
  if (typeof errorMessagePrefix !== 'string') throw new Error(`${op}: expected errorMessagePrefix to be a string, got ${describe(errorMessagePrefix)}`);
  // The user's own message, as util.assert throws it.
  if (!compareArrays(op, shapeA, shapeB, false)) throw new Error(`${errorMessagePrefix} Shapes ${shapeA} and ${shapeB} must match`);
}

/** Throws unless every dimension of `shape` is a non-negative integer. */
export function assertNonNegativeIntegerDimensions(shape: number[]): void {
  if (arguments.length > 1) throw tooManyArguments('util.assertNonNegativeIntegerDimensions', 1, arguments.length);
  checkDims('util.assertNonNegativeIntegerDimensions', 'shape', shape);
}

/** `shape` with its one -1 replaced by what makes `size` elements (TensorFlow.js's reshape rule). */
export function inferFromImplicitShape(shape: number[], size: number): number[] {
  if (arguments.length > 2) throw tooManyArguments('util.inferFromImplicitShape', 2, arguments.length);
  const op = 'util.inferFromImplicitShape';
  checkDims(op, 'shape', shape, -1);
  checkInteger(op, 'size', size);
  let shapeProd = 1;
  let implicitIdx = -1;
  for (let i = 0; i < shape.length; ++i) {
    if (shape[i] >= 0) shapeProd *= shape[i];
    else if (implicitIdx !== -1) throw new Error(`${op}: a shape can have one -1 only, found -1 at dims ${implicitIdx} and ${i}`);
    else implicitIdx = i;
  }
  if (implicitIdx === -1) {
    if (size > 0 && size !== shapeProd) throw new Error(`${op}: size ${size} does not match the product of shape [${shape}] (${shapeProd})`);
    return shape;
  }
  if (shapeProd === 0) throw new Error(`${op}: cannot infer the -1 in [${shape}] when there are 0 elements`);
  if (size % shapeProd !== 0) throw new Error(`${op}: the -1 in [${shape}] would be fractional: ${size} / ${shapeProd}`);
  const newShape = shape.slice();
  newShape[implicitIdx] = size / shapeProd;
  return newShape;
}

/** Axes (a number, an array, or null for all) as non-negative indices into `shape`, in the order given. */
export function parseAxisParam(axis: number | number[] | null | undefined, shape: number[]): number[] {
  if (arguments.length > 2) throw tooManyArguments('util.parseAxisParam', 2, arguments.length);
  return parseAxes('util.parseAxisParam', axis, shape);
}

function parseAxes(op: string, axis: unknown, shape: unknown): number[] {
  const rank = checkDims(op, 'shape', shape).length;
  if (axis == null) return Array.from({ length: rank }, (_, i) => i);
  const axes = typeof axis === 'number' ? [axis] : Array.isArray(axis) ? axis : undefined;
  if (axes === undefined) throw new Error(`${op}: expected axis to be an integer, an array of integers, or null, got ${describe(axis)}`);
  return axes.map((a: unknown) => {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -rank || a >= rank) {
      throw new Error(`${op}: expected every axis to be an integer in [-${rank}, ${rank}), got ${describe(a)} in axis ${describe(axis)}`);
    }
    return a < 0 ? rank + a : a;
  });
}

/** `shape` without its size-1 dimensions (only those of `axis` when given), and the dimensions kept. */
export function squeezeShape(shape: number[], axis?: number[]): { newShape: number[]; keptDims: number[] } {
  if (arguments.length > 2) throw tooManyArguments('util.squeezeShape', 2, arguments.length);
  const op = 'util.squeezeShape';
  checkDims(op, 'shape', shape);
  const newShape: number[] = [];
  const keptDims: number[] = [];
  const all = axis == null || (Array.isArray(axis) && axis.length === 0);
  const axes = all ? null : parseAxes(op, axis, shape).sort((a, b) => a - b);
  let j = 0;
  for (let i = 0; i < shape.length; ++i) {
    if (axes != null) {
      if (axes[j] === i && shape[i] !== 1) throw new Error(`${op}: cannot squeeze axis ${i}: its size is ${shape[i]}, not 1`);
      if ((axes[j] == null || axes[j] > i) && shape[i] === 1) {
        newShape.push(shape[i]);
        keptDims.push(i);
      }
      if (axes[j] <= i) j++;
    }
    if (shape[i] !== 1) {
      newShape.push(shape[i]);
      keptDims.push(i);
    }
  }
  return { newShape, keptDims };
}

/** Row-major strides of `shape`, without the last one (always 1): [] for rank 0 and 1. */
export function computeStrides(shape: number[]): number[] {
  if (arguments.length > 1) throw tooManyArguments('util.computeStrides', 1, arguments.length);
  checkDims('util.computeStrides', 'shape', shape);
  const rank = shape.length;
  if (rank < 2) return [];
  const strides = new Array<number>(rank - 1);
  strides[rank - 2] = shape[rank - 1];
  for (let i = rank - 3; i >= 0; --i) strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

// rank, and strides of computeStrides's length for it.
function checkRankAndStrides(op: string, rank: unknown, strides: unknown): ArrayLike<number> {
  checkInteger(op, 'rank', rank);
  const s = checkNumbers(op, 'strides', strides);
  const r = rank as number;
  if (r >= 2 && s.length !== r - 1) throw new Error(`${op}: expected ${r - 1} strides for rank ${r} (computeStrides's), got ${s.length}`);
  return s;
}

/** The flat index of a location (one index per dimension) given the strides computeStrides returns. */
export function locToIndex(locs: number[] | Int32Array, rank: number, strides: number[]): number {
  if (arguments.length > 3) throw tooManyArguments('util.locToIndex', 3, arguments.length);
  const op = 'util.locToIndex';
  const s = checkRankAndStrides(op, rank, strides);
  const l = checkNumbers(op, 'locs', locs);
  if (l.length !== rank) throw new Error(`${op}: expected ${rank} locs for rank ${rank}, got ${l.length}`);
  if (rank === 0) return 0;
  if (rank === 1) return l[0];
  let index = l[l.length - 1];
  for (let i = 0; i < l.length - 1; ++i) index += s[i] * l[i];
  return index;
}

/** The location (one index per dimension) of a flat index, given the strides computeStrides returns. */
export function indexToLoc(index: number, rank: number, strides: number[]): number[] {
  if (arguments.length > 3) throw tooManyArguments('util.indexToLoc', 3, arguments.length);
  const op = 'util.indexToLoc';
  const s = checkRankAndStrides(op, rank, strides);
  checkInteger(op, 'index', index);
  if (rank === 0) return [];
  if (rank === 1) return [index];
  const locs = new Array<number>(rank);
  for (let i = 0; i < locs.length - 1; ++i) {
    locs[i] = Math.floor(index / s[i]);
    index -= locs[i] * s[i];
  }
  locs[locs.length - 1] = index;
  return locs;
}
