// keras.ops's stacking and splitting (NumPy's vstack, hstack, dstack, array_split, hsplit,
// vsplit): reshapes, concat and slice, so gradients flow through theirs.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { describe, normalizeAxis } from '../tensor/shape';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { toTensor } from './convert';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { slice } from './slice';
import { everyEntry } from '../options/every_entry';

// More sections than this could only add empty pieces (one tensor each) to an axis that
// short: refused before a loop of billions.
const MAX_SECTIONS = 2 ** 20;

function tensorList(op: string, xs: TensorLike[]): Tensor[] {
  if (!Array.isArray(xs) || xs.length === 0) throw new Error(`${op}: expected a non-empty list of tensors, got ${describe(xs)}`);
  return xs.map((x, i) => toTensor(op, `xs[${i}]`, x));
}

/** The tensors joined along axis 0, vectors (and scalars) taken as rows [1, n]. */
export function vstack(xs: TensorLike[]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('vstack', 1, arguments.length);
  const op = 'vstack';
  return asOp(op, () =>
    concat(
      tensorList(op, xs).map((t) => (t.rank >= 2 ? t : reshape(t, [1, t.size]))),
      0,
    ),
  );
}

/** The tensors joined along axis 1, or along axis 0 when they are vectors (or scalars). */
export function hstack(xs: TensorLike[]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hstack', 1, arguments.length);
  const op = 'hstack';
  return asOp(op, () => {
    const ts = tensorList(op, xs).map((t) => (t.rank === 0 ? reshape(t, [1]) : t));
    return concat(ts, ts[0].rank === 1 ? 0 : 1);
  });
}

/** The tensors joined along axis 2: [n] taken as [1, n, 1], [m, n] as [m, n, 1]. */
export function dstack(xs: TensorLike[]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('dstack', 1, arguments.length);
  const op = 'dstack';
  // tidy: the reshaped inputs are intermediates.
  return asOp(op, () =>
    tidy(() =>
      concat(
        tensorList(op, xs).map((t) =>
          t.rank === 0 ? reshape(t, [1, 1, 1]) : t.rank === 1 ? reshape(t, [1, t.size, 1]) : t.rank === 2 ? reshape(t, [...t.shape, 1]) : t,
        ),
        2,
      ),
    ),
  );
}

// The pieces of x along axis a: `sections` pieces (the first n % sections one longer), or
// cut before each of the sorted indices (clipped to the axis, as NumPy does).
function splitAt(op: string, t: Tensor, indicesOrSections: number | number[], a: number, equal: boolean): Tensor[] {
  const n = t.shape[a];
  let bounds: number[];
  if (typeof indicesOrSections === 'number') {
    const s = indicesOrSections;
    if (!Number.isInteger(s) || s < 1 || s > MAX_SECTIONS) {
      throw new Error(`${op}: expected a number of sections from 1 to ${MAX_SECTIONS} or a list of indices, got ${describe(s)}`);
    }
    if (equal && n % s !== 0)
      throw new Error(`${op}: expected ${s} sections to divide the axis of size ${n} equally, got a remainder of ${n % s} (arraySplit allows uneven pieces)`);
    const [each, extra] = [Math.floor(n / s), n % s];
    bounds = [0];
    for (let i = 0; i < s; i++) bounds.push(bounds[i] + each + (i < extra ? 1 : 0));
  } else if (Array.isArray(indicesOrSections) && everyEntry(indicesOrSections, (v) => Number.isInteger(v))) {
    const clip = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
    bounds = [0, ...indicesOrSections.map(clip), n];
  } else {
    throw new Error(`${op}: expected a number of sections or a list of integer indices, got ${describe(indicesOrSections)}`);
  }
  const pieces: Tensor[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const len = Math.max(bounds[i + 1] - bounds[i], 0);
    const start = Math.min(bounds[i], n);
    pieces.push(
      slice(
        t,
        t.shape.map((_, d) => (d === a ? start : 0)),
        t.shape.map((s, d) => (d === a ? len : s)),
      ),
    );
  }
  return pieces;
}

/**
 * x cut along axis into `indicesOrSections` pieces (uneven allowed: the first ones one
 * longer), or before each given index (NumPy's array_split).
 */
export function arraySplit(x: TensorLike, indicesOrSections: number | number[], axis = 0): Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('arraySplit', 3, arguments.length);
  const op = 'arraySplit';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
    return splitAt(op, t, indicesOrSections, normalizeAxis(op, axis, t.rank), false);
  });
}

/** x cut along axis 1 (axis 0 for vectors) into equal sections or before the given indices. */
export function hsplit(x: TensorLike, indicesOrSections: number | number[]): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('hsplit', 2, arguments.length);
  const op = 'hsplit';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
    return splitAt(op, t, indicesOrSections, t.rank === 1 ? 0 : 1, true);
  });
}

/** x cut along axis 0 into equal sections or before the given indices; x of rank 2 or more. */
export function vsplit(x: TensorLike, indicesOrSections: number | number[]): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('vsplit', 2, arguments.length);
  const op = 'vsplit';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    if (t.rank < 2) throw new Error(`${op}: expected x of rank 2 or more, got shape [${t.shape.join(', ')}]`);
    return splitAt(op, t, indicesOrSections, 0, true);
  });
}

/** x cut along axis 2 (depth) into equal sections or before the given indices; x of rank 3 or more. */
export function dsplit(x: TensorLike, indicesOrSections: number | number[]): Tensor[] {
  if (arguments.length > 2) throw tooManyArguments('dsplit', 2, arguments.length);
  const op = 'dsplit';
  return asOp(op, () => {
    const t = toTensor(op, 'x', x);
    if (t.rank < 3) throw new Error(`${op}: expected x of rank 3 or more, got shape [${t.shape.join(', ')}]`);
    return splitAt(op, t, indicesOrSections, 2, true);
  });
}
