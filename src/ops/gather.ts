// gather, its gradient unsortedSegmentSum (scatter-add), and oneHot.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkDType, type DType } from '../tensor/dtype';
import { checkNumber } from '../tensor/ranges';
import { packAttrs } from '../native/op_attrs';
import { runKernel1 } from '../tensor/run';
import { normalizeAxis, describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { greaterEqual, less, logicalAnd, where } from './compare';
import { checkInputDType, toIndexTensor, toTensor } from './convert';
import { reshape } from './reshape';
import { transpose } from './transpose';

/**
 * Slices of x along `axis` picked by the int32 `indices`; the output has x's shape with
 * that dimension replaced by the indices' shape.
 * TensorFlow.js's batchDims is taken at 0 only.
 * @example gather(embeddings, tokenIds) // [vocab, dim] and [batch, len] -> [batch, len, dim]
 */
export function gather(x: TensorLike, indices: TensorLike, axis = 0, batchDims = 0): Tensor {
  if (arguments.length > 4) throw tooManyArguments('gather', 4, arguments.length);
  const op = 'gather';
  if (batchDims !== 0)
    throw new Error(
      `${op}: batchDims other than 0 is not supported (gather each batch element, or flatten the batch into the indices), got ${describe(batchDims)}`,
    );
  const t = toTensor(op, 'x', x);
  const idx = toIndexTensor(op, 'indices', indices);
  checkInputDType(op, 'indices', idx, ['int32']);
  if (t.rank === 0) throw new Error(`${op}: expected x of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, axis, t.rank);
  const shape = [...t.shape.slice(0, a), ...idx.shape, ...t.shape.slice(a + 1)];
  return runKernel1(
    op,
    'gather',
    [t, idx],
    packAttrs.gather({ axis: a }),
    { shape, dtype: t.dtype },
    {
      save: [idx],
      grad: ([dy], [ids]) => [gatherGrad(dy, ids, t.shape, a), null],
    },
  );
}

// Gathering along `axis` is scatter-add along it: move the axis to the front, sum the
// rows of dy into their segments, and move it back.
function gatherGrad(dy: Tensor, ids: Tensor, shape: number[], axis: number): Tensor {
  const outer = shape.slice(0, axis);
  const inner = shape.slice(axis + 1);
  const k = ids.rank;
  // dy: [outer..., ids..., inner...] -> [ids..., outer..., inner...]
  const perm = [...ids.shape.map((_, i) => outer.length + i), ...outer.map((_, i) => i), ...inner.map((_, i) => outer.length + k + i)];
  const moved = perm.every((p, i) => p === i) ? dy : transpose(dy, perm);
  const flat = reshape(moved, [ids.size, ...outer, ...inner]);
  const summed = unsortedSegmentSum(flat, reshape(ids, [ids.size]), shape[axis]);
  if (axis === 0) return summed;
  // [extent, outer..., inner...] -> [outer..., extent, inner...]
  const back = [...outer.map((_, i) => i + 1), 0, ...inner.map((_, i) => outer.length + 1 + i)];
  return transpose(summed, back);
}

/**
 * Sums the slices of `data` whose `segmentIds` (shaped like data's leading dimensions)
 * are equal: output[s] = sum of data[i] with segmentIds[i] == s.
 */
export function unsortedSegmentSum(data: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('unsortedSegmentSum', 3, arguments.length);
  const op = 'unsortedSegmentSum';
  const d = toTensor(op, 'data', data);
  const ids = toIndexTensor(op, 'segmentIds', segmentIds);
  checkInputDType(op, 'segmentIds', ids, ['int32']);
  if (!Number.isInteger(numSegments) || numSegments < 0)
    throw new Error(`${op}: expected numSegments to be a non-negative integer, got ${describe(numSegments)}`);
  if (ids.rank > d.rank || ids.shape.some((v, i) => v !== d.shape[i])) {
    throw new Error(`${op}: segmentIds of shape [${ids.shape.join(', ')}] must match the leading dimensions of data [${d.shape.join(', ')}]`);
  }
  const shape = [numSegments, ...d.shape.slice(ids.rank)];
  return runKernel1(
    op,
    'unsorted_segment_sum',
    [d, ids],
    [],
    { shape, dtype: d.dtype },
    {
      save: [ids],
      grad: ([dy], [segs]) => [gatherDroppingInvalid(dy, segs, numSegments), null],
    },
  );
}

// Each data row receives its segment's gradient; rows whose id was out of range (and so
// were dropped by the forward sum) receive zeros.
function gatherDroppingInvalid(dy: Tensor, ids: Tensor, numSegments: number): Tensor {
  const valid = logicalAnd(greaterEqual(ids, 0), less(ids, numSegments));
  const rows = gather(dy, where(valid, ids, 0), 0);
  const mask = reshape(valid, [...valid.shape, ...new Array(rows.rank - valid.rank).fill(1)]);
  return where(mask, rows, 0);
}

/**
 * One-hot rows: indices [...] -> [..., depth] with onValue at each index, float32 (Keras's
 * default) unless `dtype` says otherwise (TensorFlow.js's fifth argument).
 */
export function oneHot(indices: TensorLike, depth: number, onValue = 1, offValue = 0, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 5) throw tooManyArguments('oneHot', 5, arguments.length);
  const op = 'oneHot';
  const idx = toIndexTensor(op, 'indices', indices);
  checkInputDType(op, 'indices', idx, ['int32']);
  // Indices are int32, so a deeper one-hot axis could never be hit.
  if (!Number.isInteger(depth) || depth < 1 || depth > 2147483647)
    throw new Error(`${op}: expected depth to be a positive int32 (1 to 2147483647), got ${describe(depth)}`);
  checkNumber(op, 'onValue', onValue);
  checkNumber(op, 'offValue', offValue);
  checkDType(op, dtype);
  for (const [what, v] of [
    ['onValue', onValue],
    ['offValue', offValue],
  ] as const) {
    if (dtype === 'int32' && !(Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31))
      throw new Error(`${op}: expected ${what} to be an int32 for dtype 'int32', got ${describe(v)}`);
    if (dtype === 'bool' && v !== 0 && v !== 1) throw new Error(`${op}: expected ${what} to be 0 or 1 for dtype 'bool', got ${describe(v)}`);
  }
  const out = allocTypedArray(dtype, idx.size * depth, op).fill(offValue);
  const values = idx.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v >= 0 && v < depth) out[i * depth + v] = onValue;
  }
  return fromTypedArray(out, [...idx.shape, depth], dtype, idx.device);
}
