// keras.ops segment reductions: segmentSum (unsortedSegmentSum), and segmentMax / Min / Prod
// as a reduction of data spread over a [rows, segments that occur, ...] grid, so gradients reach
// the rows each segment selected.
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { fill, tensor, zeros, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkAllocation } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toIndexTensor, toTensor } from './convert';
import { concat } from './concat';
import { gather, oneHot, unsortedSegmentSum } from './gather';
import { asOp } from './op_name';
import { max, min, prod } from './reduce';
import { reshape } from './reshape';

interface Segments {
  d: Tensor;
  ids: Tensor;
  numSegments: number;
}

// data and ids checked; numSegments (when null) is the largest id + 1. With `sorted`, the
// ids must not decrease (Keras's promise to the backend, checked here rather than trusted).
function segments(op: string, data: TensorLike, segmentIds: TensorLike, numSegments: number | null, sorted: boolean): Segments {
  checkBoolean(op, 'sorted', sorted);
  const d = toTensor(op, 'data', data);
  checkInputDType(op, 'data', d, NUMERIC_DTYPES);
  const ids = toIndexTensor(op, 'segmentIds', segmentIds);
  checkInputDType(op, 'segmentIds', ids, ['int32']);
  if (ids.rank > d.rank || ids.shape.some((v, i) => v !== d.shape[i]))
    throw new Error(`${op}: expected segmentIds whose shape [${ids.shape.join(', ')}] is the leading dimensions of data [${d.shape.join(', ')}]`);
  const values = ids.dataSync() as Int32Array;
  if (sorted) {
    const at = values.findIndex((v, i) => i > 0 && v < values[i - 1]);
    if (at > 0) throw new Error(`${op}: sorted is true but segmentIds decrease at index ${at} (${values[at - 1]} then ${values[at]})`);
  }
  if (numSegments === null || numSegments === undefined) numSegments = values.reduce((m, v) => Math.max(m, v + 1), 0);
  else if (!Number.isInteger(numSegments) || numSegments < 0 || numSegments > 2 ** 31 - 1)
    throw new Error(`${op}: expected numSegments to be a non-negative integer or null, got ${describe(numSegments)}`);
  return { d, ids, numSegments };
}

/**
 * The sum of the slices of `data` whose `segmentIds` (data's leading dimensions) are equal:
 * output[s] = sum of data[i] with segmentIds[i] == s; empty segments are 0. numSegments
 * defaults to the largest id + 1; ids outside [0, numSegments) are dropped.
 */
export function segmentSum(data: TensorLike, segmentIds: TensorLike, numSegments: number | null = null, sorted = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('segmentSum', 4, arguments.length);
  const op = 'segmentSum';
  return asOp(op, () =>
    tidy(() => {
      const s = segments(op, data, segmentIds, numSegments, sorted);
      return unsortedSegmentSum(s.d, s.ids, s.numSegments);
    }),
  );
}

// The reduction over a grid with each row placed in its segment's column, `empty` elsewhere.
// The grid has a column per segment that occurs (not per segment: ids up to 2^31 - 1 with
// a few rows made a grid of billions), and a gather spreads those columns over the output.
function gridReduce(op: string, s: Segments, empty: number, reduce: (t: Tensor, axis: number) => Tensor): Tensor {
  const inner = s.d.shape.slice(s.ids.rank);
  const innerSize = sizeOf(inner);
  const rows = s.ids.size;
  checkAllocation(op, s.d.dtype, s.numSegments * innerSize);
  if (s.numSegments === 0) return zeros([0, ...inner], s.d.dtype);
  const ids = s.ids.dataSync();
  const column = allocTypedArray('int32', s.numSegments, op).fill(-1) as Int32Array;
  let k = 0;
  for (const id of ids) if (id >= 0 && id < s.numSegments && column[id] < 0) column[id] = k++;
  checkAllocation(op, s.d.dtype, rows * k * innerSize, `its [${rows}, ${k}, ...] grid of rows by segments`);
  // An id outside [0, numSegments) has column -1: oneHot gives it an all-zero row, dropped.
  const compact = Int32Array.from(ids, (id) => (id >= 0 && id < s.numSegments ? column[id] : -1));
  if (k === 0) return fill([s.numSegments, ...inner], empty, s.d.dtype);
  const d = reshape(s.d, [rows, 1, ...inner]);
  const hit = reshape(oneHot(tensor(compact, [rows], 'int32'), k, 1, 0, 'bool'), [rows, k, ...inner.map(() => 1)]);
  const reduced = reduce(where(hit, d, empty), 0);
  if (k === s.numSegments && column.every((c, i) => c === i)) return reduced;
  // Segments that never occur read an extra row of `empty` (column k).
  for (let i = 0; i < column.length; i++) if (column[i] < 0) column[i] = k;
  const table = k === s.numSegments ? reduced : concat([reduced, fill([1, ...inner], empty, s.d.dtype)], 0);
  return gather(table, tensor(column, [s.numSegments], 'int32'), 0);
}

function extreme(op: string, data: TensorLike, segmentIds: TensorLike, numSegments: number | null, sorted: boolean, kind: 'max' | 'min' | 'prod'): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const s = segments(op, data, segmentIds, numSegments, sorted);
      const float = s.d.dtype !== 'int32';
      if (kind === 'prod') return gridReduce(op, s, 1, (t, a) => prod(t, a));
      // Empty segments hold -Infinity for max (+Infinity for min), as NumPy's reduction
      // identities; for int32 the smallest (largest) int32.
      const empty = kind === 'max' ? (float ? -Infinity : -(2 ** 31)) : float ? Infinity : 2 ** 31 - 1;
      return gridReduce(op, s, empty, (t, a) => (kind === 'max' ? max(t, a) : min(t, a)));
    }),
  );
}

/**
 * The largest of the slices of `data` with equal `segmentIds`; empty segments hold
 * -Infinity (the smallest int32 for int32 data). Arguments as segmentSum's.
 */
export function segmentMax(data: TensorLike, segmentIds: TensorLike, numSegments: number | null = null, sorted = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('segmentMax', 4, arguments.length);
  return extreme('segmentMax', data, segmentIds, numSegments, sorted, 'max');
}

/**
 * The smallest of the slices of `data` with equal `segmentIds`; empty segments hold
 * +Infinity (the largest int32 for int32 data). Arguments as segmentSum's.
 */
export function segmentMin(data: TensorLike, segmentIds: TensorLike, numSegments: number | null = null, sorted = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('segmentMin', 4, arguments.length);
  return extreme('segmentMin', data, segmentIds, numSegments, sorted, 'min');
}

/** The product of the slices of `data` with equal `segmentIds`; empty segments are 1. Arguments as segmentSum's. */
export function segmentProd(data: TensorLike, segmentIds: TensorLike, numSegments: number | null = null, sorted = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('segmentProd', 4, arguments.length);
  return extreme('segmentProd', data, segmentIds, numSegments, sorted, 'prod');
}
