// topk (TensorFlow.js's): the k largest values of each row (the last axis) and their
// indices. The indices are found on the host; the values are gathered from x, so
// gradients reach x as through a gather.
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { gather } from './gather';
import { asOp } from './op_name';
import { reshape } from './reshape';
import { tooManyArguments } from '../options/arity';

/**
 * The k largest values along the last axis, largest first (`sorted`; TensorFlow.js's
 * option, false keeps the same order here), with their int32 indices; equal values in
 * index order. NaN counts as the largest.
 */
export function topk(x: TensorLike, k = 1, sorted = true): { values: Tensor; indices: Tensor } {
  if (arguments.length > 3) throw tooManyArguments('topk', 3, arguments.length);
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
  for (let r = 0; r < rows; r++) indices.set(largestInRow(data, r * n, n, k), r * k);
  const shape = [...t.shape.slice(0, -1), k];
  const idx = fromTypedArray(indices, shape, 'int32', t.device);
  // The values: a gather from the flat x at row * n + index, so gradients reach x as
  // through a gather (and an infinite value stays exact).
  const flat = allocTypedArray('int32', rows * k, op);
  for (let i = 0; i < flat.length; i++) flat[i] = Math.floor(i / k) * n + indices[i];
  const values = asOp(op, () => reshape(gather(reshape(t, [-1]), fromTypedArray(flat, [flat.length], 'int32', t.device)), shape));
  return { values, indices: idx };
}

// The rank of a value: larger first, NaN above +Infinity (which ranks as the largest finite
// double, above any float32); equal ranks go in index order.
const rankOf = (v: number) => (Number.isNaN(v) ? Infinity : v === Infinity ? Number.MAX_VALUE : v);

// The indices of the k best-ranked values of data[base, base + n), best first: a min-heap
// of the k best seen (its root the worst of them), O(n log k), then those k sorted.
function largestInRow(data: ArrayLike<number | boolean>, base: number, n: number, k: number): Int32Array {
  const keys = new Float64Array(k);
  const ids = new Int32Array(k);
  // a ranks below b: a smaller value, or an equal one seen later.
  const below = (i: number, j: number) => keys[i] < keys[j] || (keys[i] === keys[j] && ids[i] > ids[j]);
  const swap = (i: number, j: number) => {
    [keys[i], keys[j]] = [keys[j], keys[i]];
    [ids[i], ids[j]] = [ids[j], ids[i]];
  };
  const siftDown = (i: number, size: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && below(l, m)) m = l;
      if (r < size && below(r, m)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    const key = rankOf(Number(data[base + i]));
    if (i < k) {
      keys[i] = key;
      ids[i] = i;
      for (let c = i; c > 0 && below(c, (c - 1) >> 1); c = (c - 1) >> 1) swap(c, (c - 1) >> 1);
    } else if (key > keys[0]) {
      // Later indices rank below equal keys, so only a larger key displaces the root.
      keys[0] = key;
      ids[0] = i;
      siftDown(0, k);
    }
  }
  // Pop the worst to the back until the heap is empty: best first.
  for (let size = k - 1; size > 0; size--) {
    swap(0, size);
    siftDown(0, size);
  }
  return ids;
}
