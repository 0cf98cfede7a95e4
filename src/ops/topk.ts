// topk (TensorFlow.js's): the k largest values of each row (the last axis) and their
// indices. The indices are found on the host; the values are taken from x through a
// one-hot select, so gradients reach x as through a gather.
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { oneHot } from './gather';
import { asOp } from './op_name';
import { sum } from './reduce';
import { expandDims } from './reshape';

/**
 * The k largest values along the last axis, largest first (`sorted`; TensorFlow.js's
 * option, false keeps the same order here), with their int32 indices; equal values in
 * index order. NaN counts as the largest.
 */
export function topk(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  return tidy(() => largest('topk', x, k, sorted));
}

function largest(op: string, x: TensorLike, k: number, sorted: boolean): { values: Tensor; indices: Tensor } {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, NUMERIC_DTYPES);
  if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
  const n = t.shape[t.rank - 1];
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`${op}: expected k to be an integer from 0 to ${n} (the last dimension), got ${describe(k)}`);
  if (typeof sorted !== 'boolean') throw new Error(`${op}: expected sorted to be true or false, got ${describe(sorted)}`);
  const data = t.dataSync();
  const rows = n === 0 ? 0 : data.length / n;
  const indices = allocTypedArray('int32', rows * k, op);
  const order = Array.from({ length: n }, (_, i) => i);
  // Larger first, NaN largest, ties by index.
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(
      (a, b) =>
        key(Number(data[base + b])) - key(Number(data[base + a])) ||
        (Number.isNaN(data[base + b] as number) ? 1 : 0) - (Number.isNaN(data[base + a] as number) ? 1 : 0) ||
        a - b,
    );
    for (let j = 0; j < k; j++) indices[r * k + j] = order[j];
  }
  const shape = [...t.shape.slice(0, -1), k];
  const idx = fromTypedArray(indices, shape, 'int32', t.device);
  // A select, not a product: x * 0 would turn an infinite value elsewhere in the row into NaN.
  const values = asOp(op, () => sum(where(oneHot(idx, n, 1, 0, 'bool'), expandDims(t, -2), 0), -1));
  return { values, indices: idx };
}
