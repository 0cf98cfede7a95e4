// How per-sample losses become the number a model minimizes: Keras 3's
// reduce_weighted_values (sample weights and masks multiply, then the reduction).
import { mul, div } from '../ops/binary';
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { reshape } from '../ops/reshape';
import { mean, sum } from '../ops/reduce';
import { equal, where } from '../ops/compare';
import type { TensorLike } from '../tensor/creation';
import { broadcastShapes } from '../tensor/shape';
import { isFloatDType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { alignRanks, shapeText } from './inputs';
import { ownEntry } from '../options/own_entry';

/**
 * A loss reduction, as Keras 3 names them: 'sum_over_batch_size' (the default: the sum
 * divided by the number of loss elements), 'sum', 'none' (per-sample losses), 'mean'
 * (as sum_over_batch_size) and 'mean_with_sample_weight' (the sum divided by the sum of
 * the weights). The camelCase spellings are accepted too.
 */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean' | 'mean_with_sample_weight' | 'sumOverBatchSize' | 'meanWithSampleWeight' | null;

/** A reduction in Keras's snake_case spelling. */
export type CanonicalReduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean' | 'mean_with_sample_weight';

const CANONICAL: Record<string, CanonicalReduction> = {
  sum_over_batch_size: 'sum_over_batch_size',
  sumOverBatchSize: 'sum_over_batch_size',
  sum: 'sum',
  none: 'none',
  mean: 'mean',
  mean_with_sample_weight: 'mean_with_sample_weight',
  meanWithSampleWeight: 'mean_with_sample_weight',
};

/** The Keras spelling of a reduction; throws listing the valid ones. */
export function normalizeReduction(op: string, reduction: Reduction | undefined): CanonicalReduction {
  if (reduction === undefined) return 'sum_over_batch_size';
  if (reduction === null) return 'none';
  const r = ownEntry(CANONICAL, reduction);
  if (r === undefined) {
    throw new Error(
      `${op}: unknown reduction '${String(reduction)}'; expected one of ${Object.keys(CANONICAL)
        .map((k) => `'${k}'`)
        .join(', ')} or null`,
    );
  }
  return r;
}

// Weights shaped like the leading dimensions of the losses (one weight per sample of
// a [batch, time] loss) get trailing 1s, so they weight samples instead of broadcasting
// against the last axis.
function weightPair(op: string, values: Tensor, weight: Tensor): [Tensor, Tensor] {
  const [v, w] = alignRanks(values, weight);
  const leading = w.rank < v.rank && w.shape.every((d, i) => d === v.shape[i]);
  const aligned = leading ? reshape(w, [...w.shape, ...new Array(v.rank - w.rank).fill(1)]) : w;
  try {
    broadcastShapes(op, aligned.shape, v.shape);
  } catch {
    throw new Error(`${op}: sampleWeight of shape ${shapeText(weight.shape)} does not broadcast to the losses of shape ${shapeText(values.shape)}`);
  }
  return [v, aligned];
}

/**
 * Per-sample `values` weighted by `sampleWeight` and `mask` (a bool tensor of the
 * values' shape; with the mean reductions masked-out entries leave the count) and
 * reduced. Call inside tidy().
 */
export function reduceWeightedValues(op: string, values: Tensor, sampleWeight: TensorLike | undefined, reduction: CanonicalReduction, mask?: Tensor): Tensor {
  let weight: Tensor | undefined;
  if (sampleWeight !== undefined && sampleWeight !== null) {
    weight = toTensor(op, 'sampleWeight', sampleWeight, values.dtype);
    if (weight.dtype !== values.dtype) weight = cast(weight, values.dtype);
  }
  if (mask !== undefined) {
    // As Keras's apply_mask: under the mean reductions valid entries weigh total/valid,
    // so dividing by the element count divides by the number of valid entries.
    const valid = sum(cast(mask, values.dtype));
    const maskWeight = reduction === 'mean' || reduction === 'sum_over_batch_size' ? where(mask, divNoNan(mask.size, valid), 0) : cast(mask, values.dtype);
    weight = weight === undefined ? maskWeight : mul(...weightPair(op, maskWeight, weight));
  }
  let weighted = values;
  if (weight !== undefined) weighted = mul(...weightPair(op, values, weight));
  if (reduction === 'none' || weighted.rank === 0) return weighted;
  const weightedMean = reduction === 'mean_with_sample_weight' && weight !== undefined;
  // The sum over the element count as one reduce_mean (one kernel forward, one backward,
  // instead of a sum, a scalar constant and a division each way).
  if (reduction !== 'sum' && !weightedMean && weighted.size > 0 && isFloatDType(weighted.dtype)) return mean(weighted);
  const total = sum(weighted);
  if (reduction === 'sum') return total;
  if (weightedMean && weight !== undefined) return divNoNan(total, sum(weight));
  return divNoNan(total, weighted.size);
}

/** a / b, and 0 where b is 0 (Keras's divide_no_nan). Call inside tidy(). */
export function divNoNan(a: Tensor | number, b: Tensor | number): Tensor {
  if (typeof b === 'number') return b === 0 ? mul(a, 0) : div(a, b);
  const zero = equal(b, 0);
  return where(zero, 0, div(a, where(zero, 1, b)));
}
