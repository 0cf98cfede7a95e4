// keras.ops segment reductions: segmentSum (unsortedSegmentSum), and segmentMax / Min / Prod
// as a reduction of data spread over a [rows, numSegments, ...] grid, so gradients reach
// the rows each segment selected.
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { zeros, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toIndexTensor, toTensor } from './convert';
import { oneHot, unsortedSegmentSum } from './gather';
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
function gridReduce(op: string, s: Segments, empty: number, reduce: (t: Tensor, axis: number) => Tensor): Tensor {
  const inner = s.d.shape.slice(s.ids.rank);
  const rows = s.ids.size;
  if (s.numSegments === 0) return zeros([0, ...inner], s.d.dtype);
  const d = reshape(s.d, [rows, 1, ...inner]);
  // oneHot gives an all-zero row for an id outside [0, numSegments): that row is dropped.
  const hit = reshape(oneHot(reshape(s.ids, [rows]), s.numSegments, 1, 0, 'bool'), [rows, s.numSegments, ...inner.map(() => 1)]);
  return reduce(where(hit, d, empty), 0);
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
