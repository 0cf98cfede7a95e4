// keras.ops's search and counting ops where the top level differs: where with one argument
// (nonzero), searchsorted giving values' shape (TensorFlow.js's gives rows), bincount sized
// from the data, histogram counts as float32, unique returning the values (plus Keras's
// optional index, inverse and counts) rather than TensorFlow.js's {values, indices}.
import { tooManyArguments } from '../options/arity';
import { cast } from '../ops/cast';
import { where as tfWhere } from '../ops/compare';
import { toIndexTensor, toTensor } from '../ops/convert';
import { histogram as npHistogram } from '../ops/numpy_bins';
import { nonzero } from '../ops/numpy_search';
import { asOp } from '../ops/op_name';
import { reshape } from '../ops/reshape';
import { bincount as tfBincount, searchSorted } from '../ops/search_count';
import { fromTypedArray, scalar, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { flag } from './common';

/**
 * Keras's where: x1 where condition holds, else x2 (two integer numbers give int32, as Keras's
 * Python ints); with the condition alone, its nonzero indices (one vector per axis).
 */
export function where(condition: TensorLike, x1: TensorLike | null = null, x2: TensorLike | null = null): Tensor | Tensor[] {
  if (arguments.length > 3) throw tooManyArguments('where', 3, arguments.length);
  const op = 'where';
  if (x1 === null && x2 === null) return asOp(op, () => nonzero(condition));
  if (x1 === null || x2 === null) throw new Error(`${op}: expected both x1 and x2, or neither (the nonzero indices), got only ${x1 === null ? 'x2' : 'x1'}`);
  // Keras's Python scalars: two integers give int32 (where(c, 1, 0)), else float32. JavaScript
  // cannot tell 1.0 from 1, so where(c, 1.0, 0.0) is int32 too: pass float tensors for float32.
  if (typeof x1 === 'number' && typeof x2 === 'number' && Number.isInteger(x1) && Number.isInteger(x2))
    return asOp(op, () => tidy(() => tfWhere(condition, scalar(x1, 'int32'), scalar(x2, 'int32'))));
  return asOp(op, () => tfWhere(condition, x1, x2));
}

/** Keras's searchsorted: where each of `values` goes in the sorted vector to keep it sorted (side 'left': before equal entries), int32 of values' shape. */
export function searchsorted(sortedSequence: TensorLike, values: TensorLike, side: 'left' | 'right' = 'left'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('searchsorted', 3, arguments.length);
  const op = 'searchsorted';
  return asOp(op, () =>
    tidy(() => {
      const s = toTensor(op, 'sortedSequence', sortedSequence);
      if (s.rank !== 1) throw new Error(`${op}: expected a 1-D sortedSequence, got shape [${s.shape.join(', ')}]`);
      const v = toTensor(op, 'values', values);
      return reshape(searchSorted(s, reshape(v, [1, -1]), side), v.shape);
    }),
  );
}

/** Keras's bincount: how often each of 0 .. max(x) occurs in the int vector x (summed weights when given), at least minlength bins. */
export function bincount(x: TensorLike, weights: TensorLike | null = null, minlength = 0, sparse = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('bincount', 4, arguments.length);
  const op = 'bincount';
  if (flag(op, 'sparse', sparse)) throw new Error(`${op}: sparse counts are not supported; pass sparse false`);
  if (!Number.isInteger(minlength) || minlength < 0) throw new Error(`${op}: expected minlength to be a non-negative integer, got ${describe(minlength)}`);
  return asOp(op, () =>
    tidy(() => {
      const t = toIndexTensor(op, 'x', x);
      let size = minlength;
      for (const v of t.dataSync() as Int32Array) size = Math.max(size, v + 1);
      // No weights: counts, int32 as the (empty) weights' dtype.
      return tfBincount(t, weights === null ? fromTypedArray(new Int32Array(0), [0], 'int32') : weights, size);
    }),
  );
}

/** Keras's histogram: [counts (float32), edges] of x in `bins` equal bins over range (null: x's min and max). */
export function histogram(x: TensorLike, bins = 10, range: [number, number] | null = null): [Tensor, Tensor] {
  if (arguments.length > 3) throw tooManyArguments('histogram', 3, arguments.length);
  const [counts, edges] = asOp('histogram', () => npHistogram(x, bins, range));
  const floats = cast(counts, 'float32');
  counts.dispose();
  return [floats, edges];
}

/**
 * Keras's unique over the flattened x: its distinct values (ascending when sorted, else in
 * order of first occurrence); with returnIndex, returnInverse or returnCounts, a list
 * [values, index?, inverse?, counts?] (int32: first positions, each element's value
 * position in x's shape, occurrences). axis and size are not supported.
 */
export function unique(
  x: TensorLike,
  sorted = true,
  returnIndex = false,
  returnInverse = false,
  returnCounts = false,
  axis: number | null = null,
  size: number | null = null,
  fillValue: number | null = null,
): Tensor | Tensor[] {
  if (arguments.length > 8) throw tooManyArguments('unique', 8, arguments.length);
  const op = 'unique';
  for (const [what, v] of Object.entries({ sorted, returnIndex, returnInverse, returnCounts })) flag(op, what, v);
  if (axis !== null)
    throw new Error(`${op}: axis is not supported (got ${describe(axis)}); the top-level unique(x, axis) gives {values, indices} along an axis`);
  if (size !== null || fillValue !== null) throw new Error(`${op}: size and fillValue are not supported; pass null`);
  const t = toTensor(op, 'x', x);
  const data = Array.from(t.dataSync() as ArrayLike<number>, Number);
  const [dtype, shape] = [t.dtype, [...t.shape]];
  if (t !== x) t.dispose();
  const first = new Map<number, number>();
  const counts = new Map<number, number>();
  data.forEach((v, i) => {
    if (!first.has(v)) first.set(v, i);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  });
  const values = [...first.keys()];
  // NaN sorts last, as in NumPy.
  if (sorted) values.sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const position = new Map(values.map((v, i) => [v, i]));
  const int32 = (vs: number[], shape: number[]) => fromTypedArray(Int32Array.from(vs), shape, 'int32');
  const out = allocTypedArray(dtype, values.length, op);
  values.forEach((v, i) => (out[i] = v));
  const result = [fromTypedArray(out, [values.length], dtype)];
  if (returnIndex)
    result.push(
      int32(
        values.map((v) => first.get(v)!),
        [values.length],
      ),
    );
  if (returnInverse)
    result.push(
      int32(
        data.map((v) => position.get(v)!),
        shape,
      ),
    );
  if (returnCounts)
    result.push(
      int32(
        values.map((v) => counts.get(v)!),
        [values.length],
      ),
    );
  return result.length === 1 ? result[0] : result;
}
