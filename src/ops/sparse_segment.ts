// TensorFlow.js's tf.sparse.sparseSegmentSum / sparseSegmentMean: rows of data picked by
// indices, summed (averaged) into the segments segmentIds name, which must be sorted.
// Composed from gather and unsortedSegmentSum, so the gradient w.r.t. data is theirs.
import { tooManyArguments } from '../options/arity';
import { onesLike, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { div, maximum } from './binary';
import { cast } from './cast';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { gather, unsortedSegmentSum } from './gather';
import { asOp } from './op_name';
import { reshape } from './reshape';

function segmentReduce(op: string, data: TensorLike, indices: TensorLike, segmentIds: TensorLike, mean: boolean): Tensor {
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'data', data);
      const idx = toTensor(op, 'indices', indices, 'int32');
      const ids = toTensor(op, 'segmentIds', segmentIds, 'int32');
      checkInputDType(op, 'data', x, mean ? FLOAT_DTYPES : [...FLOAT_DTYPES, 'int32']);
      checkInputDType(op, 'indices', idx, ['int32']);
      checkInputDType(op, 'segmentIds', ids, ['int32']);
      if (x.rank < 1) throw new Error(`${op}: expected data of rank 1 or more, got a scalar`);
      if (idx.rank !== 1 || ids.rank !== 1 || idx.shape[0] !== ids.shape[0]) {
        throw new Error(`${op}: expected indices and segmentIds of rank 1 and one length, got shapes [${idx.shape.join(', ')}] and [${ids.shape.join(', ')}]`);
      }
      const [at, seg] = [idx.dataSync(), ids.dataSync()];
      at.forEach((v, i) => {
        if (v < 0 || v >= x.shape[0]) throw new Error(`${op}: expected indices in [0, ${x.shape[0]}) (data's rows), got ${v} at ${i}`);
      });
      seg.forEach((v, i) => {
        if (v < 0) throw new Error(`${op}: expected non-negative segmentIds, got ${v} at ${i}`);
        if (i > 0 && v < seg[i - 1]) throw new Error(`${op}: expected sorted (non-decreasing) segmentIds, got ${seg[i - 1]} then ${v} at ${i}`);
      });
      const rows = seg.length === 0 ? 0 : seg[seg.length - 1] + 1;
      const sum = unsortedSegmentSum(gather(x, idx, 0), ids, rows);
      if (!mean) return sum;
      // Each segment's count, at least 1 (an empty segment stays 0), on the device like the sums.
      const counts = maximum(unsortedSegmentSum(onesLike(ids), ids, rows), 1);
      return div(sum, reshape(cast(counts, x.dtype), [rows, ...x.shape.slice(1).map(() => 1)]));
    }),
  );
}

/**
 * Sums of data's rows `indices` into the segments `segmentIds` names (sorted, one per index):
 * [lastSegmentId + 1, ...data.shape.slice(1)], empty segments 0 (TensorFlow.js's sparseSegmentSum).
 * @example sparseSegmentSum(data, [0, 1, 2], [0, 0, 1])
 */
export function sparseSegmentSum(data: TensorLike, indices: TensorLike, segmentIds: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sparse.sparseSegmentSum', 3, arguments.length);
  return segmentReduce('sparse.sparseSegmentSum', data, indices, segmentIds, false);
}

/**
 * Means of data's rows `indices` over the segments `segmentIds` names (sorted, one per index):
 * [lastSegmentId + 1, ...data.shape.slice(1)], empty segments 0 (TensorFlow.js's sparseSegmentMean).
 * @example sparseSegmentMean(data, [0, 1, 2], [0, 0, 1])
 */
export function sparseSegmentMean(data: TensorLike, indices: TensorLike, segmentIds: TensorLike): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sparse.sparseSegmentMean', 3, arguments.length);
  return segmentReduce('sparse.sparseSegmentMean', data, indices, segmentIds, true);
}
