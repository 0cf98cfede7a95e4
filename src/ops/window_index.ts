// Sliding windows as index maps (internal, not re-exported by the ops index): taking the
// windows is a gather of the last axis, and putting them back (summing where they overlap)
// is the matching segment sum. Each is the other's gradient, so unfold / fold and istft's
// overlap-add are differentiable to any order without kernels of their own.
import { tensor } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { gather, unsortedSegmentSum } from './gather';
import { transpose } from './transpose';

/** x[..., idx[j]] for each j: the last axis gathered by the int32 positions `idx`. */
export function gatherLast(x: Tensor, idx: Int32Array): Tensor {
  return gather(x, tensor(idx, [idx.length], 'int32'), x.rank - 1);
}

/** The adjoint of gatherLast: y[..., p] = sum of x[..., j] with idx[j] = p, for p < size. */
export function scatterAddLast(x: Tensor, idx: Int32Array, size: number): Tensor {
  const r = x.rank;
  const front = [r - 1, ...x.shape.slice(0, r - 1).map((_, i) => i)];
  const back = [...x.shape.slice(0, r - 1).map((_, i) => i + 1), 0];
  const summed = unsortedSegmentSum(r === 1 ? x : transpose(x, front), tensor(idx, [idx.length], 'int32'), size);
  return r === 1 ? summed : transpose(summed, back);
}

/** Positions f * step + j of `frames` windows of `length` samples: frame-major, as frame's. */
export function frameIndices(op: string, frames: number, length: number, step: number): Int32Array {
  const idx = allocTypedArray('int32', frames * length, op) as Int32Array;
  for (let f = 0; f < frames; f++) for (let j = 0; j < length; j++) idx[f * length + j] = f * step + j;
  return idx;
}
