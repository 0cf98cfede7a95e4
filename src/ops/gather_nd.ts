// TensorFlow.js's N-dimensional gathers and scatters: gatherND, scatterND,
// tensorScatterUpdate and sparseToDense. Indices are read on the host (as TensorFlow.js's
// cpu backend does) and checked there, so no index ever reads or writes out of bounds; the
// data moves through gather / unsortedSegmentSum / concat so that autograd works.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkShape, sizeOf, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { checkInputDType, toIndexTensor, toTensor } from './convert';
import { gather, unsortedSegmentSum } from './gather';
import { asOp } from './op_name';
import { reshape } from './reshape';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/**
 * Flat row numbers of int32 `indices` [..., K] into the leading K dimensions of `shape`;
 * an index outside its dimension is an error naming it.
 */
function flatRows(op: string, indices: Tensor, shape: readonly number[], what: string): Int32Array {
  if (indices.rank === 0) throw new Error(`${op}: expected indices of rank 1 or more (the last axis indexes ${what}), got a scalar`);
  const k = indices.shape[indices.rank - 1];
  if (k > shape.length) throw new Error(`${op}: the last dimension of indices (${k}) must be at most the rank of ${what} ${fmt(shape)} (${shape.length})`);
  const rows = sizeOf(indices.shape.slice(0, -1));
  const out = allocTypedArray('int32', rows, op) as Int32Array;
  if (k === 0) return out;
  const values = indices.dataSync();
  for (let r = 0; r < rows; r++) {
    let flat = 0;
    for (let d = 0; d < k; d++) {
      const v = Number(values[r * k + d]);
      if (v < 0 || v >= shape[d]) {
        const at = Array.from(values.slice(r * k, r * k + k), Number);
        throw new Error(`${op}: index ${fmt(at)} (row ${r} of indices) is out of range for ${what} ${fmt(shape)}: dimension ${d} has size ${shape[d]}`);
      }
      flat = flat * shape[d] + v;
    }
    out[r] = flat;
  }
  return out;
}

const rowsTensor = (rows: Int32Array) => fromTypedArray(rows, [rows.length], 'int32');

/**
 * The slices of x picked by the int32 `indices` [..., K]: each row of K numbers indexes x's
 * leading K dimensions, so the output has shape indices.shape[:-1] + x.shape[K:].
 * An index out of range is an error. Differentiable in x.
 * @example gatherND(x, [[0, 1], [2, 0]]) // the elements x[0][1] and x[2][0]
 */
export function gatherND(x: TensorLike, indices: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('gatherND', 2, arguments.length);
  const op = 'gatherND';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      const idx = toIndexTensor(op, 'indices', indices);
      checkInputDType(op, 'indices', idx, ['int32']);
      const rows = flatRows(op, idx, t.shape, 'x');
      const k = idx.shape[idx.rank - 1];
      const inner = t.shape.slice(k);
      const flat = reshape(t, [sizeOf(t.shape.slice(0, k)), ...inner]);
      return reshape(gather(flat, rowsTensor(rows), 0), [...idx.shape.slice(0, -1), ...inner]);
    }),
  );
}

// updates must be indices.shape[:-1] + shape[K:].
function checkUpdates(op: string, idx: Tensor, u: Tensor, shape: readonly number[], what: string): void {
  const k = idx.shape[idx.rank - 1];
  const want = [...idx.shape.slice(0, -1), ...shape.slice(k)];
  if (u.rank !== want.length || u.shape.some((v, i) => v !== want[i]))
    throw new Error(`${op}: expected updates of shape ${fmt(want)} (indices ${fmt(idx.shape)} into ${what} ${fmt(shape)}), got ${fmt(u.shape)}`);
}

/**
 * A tensor of `shape`, zero but for `updates` placed at `indices` [..., K] (each row
 * indexes the leading K dimensions); updates at repeated indices are summed, as in
 * TensorFlow.js. Differentiable in updates.
 */
export function scatterND(indices: TensorLike, updates: TensorLike, shape: Shape): Tensor {
  if (arguments.length > 3) throw tooManyArguments('scatterND', 3, arguments.length);
  const op = 'scatterND';
  const s = checkShape(op, shape);
  return asOp(op, () =>
    tidy(() => {
      const idx = toIndexTensor(op, 'indices', indices);
      checkInputDType(op, 'indices', idx, ['int32']);
      const u = toTensor(op, 'updates', updates);
      const rows = flatRows(op, idx, s, 'shape');
      checkUpdates(op, idx, u, s, 'shape');
      const k = idx.shape[idx.rank - 1];
      const inner = s.slice(k);
      const summed = unsortedSegmentSum(reshape(u, [rows.length, ...inner]), rowsTensor(rows), sizeOf(s.slice(0, k)));
      return reshape(summed, s);
    }),
  );
}

/**
 * `tensor` with the slices at `indices` [..., K] replaced by `updates`; where an index
 * repeats, the last update wins (TensorFlow.js's cpu backend). Differentiable in tensor and
 * updates.
 */
export function tensorScatterUpdate(tensor: TensorLike, indices: TensorLike, updates: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tensorScatterUpdate', 3, arguments.length);
  const op = 'tensorScatterUpdate';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'tensor', tensor);
      const idx = toIndexTensor(op, 'indices', indices);
      checkInputDType(op, 'indices', idx, ['int32']);
      const u = toTensor(op, 'updates', updates);
      if (u.dtype !== t.dtype) throw new Error(`${op}: expected updates of tensor's dtype ${t.dtype}, got ${u.dtype}`);
      if (t.rank === 0) throw new Error(`${op}: expected tensor of rank 1 or more, got a scalar`);
      const rows = flatRows(op, idx, t.shape, 'tensor');
      checkUpdates(op, idx, u, t.shape, 'tensor');
      const k = idx.shape[idx.rank - 1];
      const inner = t.shape.slice(k);
      const m = sizeOf(t.shape.slice(0, k));
      // Row p of the result is row p of tensor, or (row m + i) update i when it hits p last.
      const pick = allocTypedArray('int32', m, op) as Int32Array;
      for (let p = 0; p < m; p++) pick[p] = p;
      rows.forEach((p, i) => (pick[p] = m + i));
      const both = concat([reshape(t, [m, ...inner]), reshape(u, [rows.length, ...inner])], 0);
      return reshape(gather(both, rowsTensor(pick), 0), t.shape);
    }),
  );
}

/**
 * A dense tensor of `outputShape` filled with `defaultValue`, with `sparseValues` (a scalar
 * or one per index) at `sparseIndices` (int32: a scalar or vector for a 1-D output, or
 * [n, rank]). Repeated indices: the last value wins. Not differentiable (as TensorFlow.js).
 */
export function sparseToDense(sparseIndices: TensorLike, sparseValues: TensorLike, outputShape: Shape, defaultValue: TensorLike = 0): Tensor {
  if (arguments.length > 4) throw tooManyArguments('sparseToDense', 4, arguments.length);
  const op = 'sparseToDense';
  const s = checkShape(op, outputShape);
  return asOp(op, () =>
    tidy(() => {
      const idx = toIndexTensor(op, 'sparseIndices', sparseIndices);
      checkInputDType(op, 'sparseIndices', idx, ['int32']);
      const v = toTensor(op, 'sparseValues', sparseValues);
      const d = toTensor(op, 'defaultValue', defaultValue, v.dtype);
      if (d.size !== 1 || d.rank !== 0) throw new Error(`${op}: expected defaultValue to be a scalar, got shape ${fmt(d.shape)}`);
      if (d.dtype !== v.dtype) throw new Error(`${op}: expected defaultValue of sparseValues' dtype ${v.dtype}, got ${d.dtype}`);
      if (idx.rank > 2) throw new Error(`${op}: expected sparseIndices of rank 0, 1 or 2, got shape ${fmt(idx.shape)}`);
      // A scalar or vector indexes a 1-D output; a matrix holds one row per value.
      const numValues = idx.rank === 0 ? 1 : idx.shape[0];
      const k = idx.rank === 2 ? idx.shape[1] : 1;
      if (k !== s.length) throw new Error(`${op}: sparseIndices index ${k} dimension(s), but outputShape ${fmt(s)} has ${s.length}`);
      if (v.rank > 1 || (v.rank === 1 && v.shape[0] !== numValues))
        throw new Error(`${op}: expected sparseValues to be a scalar or a vector of ${numValues} value(s), got shape ${fmt(v.shape)}`);
      const rows = flatRows(op, reshape(idx, [numValues, k]), s, 'outputShape');
      const out = allocTypedArray(v.dtype, sizeOf(s), op).fill(d.dataSync()[0] as never);
      const values = v.dataSync();
      rows.forEach((p, i) => (out[p] = values[v.rank === 0 ? 0 : i]));
      return fromTypedArray(out, s, v.dtype);
    }),
  );
}
