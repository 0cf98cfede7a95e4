// Overlap losses for segmentation (Keras 3's dice and tversky): one minus a soft overlap
// ratio of labels and predictions, summed over `axis` (every axis by default).
import { add, div, mul, sub } from '../ops/binary';
import { sum } from '../ops/reduce';
import type { TensorLike } from '../tensor/creation';
import { describe, normalizeAxes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { perSample } from './inputs';
import { epsilon } from '../config/settings';

/** Options of dice. */
export interface DiceOptions {
  /** The axes summed over; null (the default) sums every axis into one scalar loss. */
  axis?: number | number[] | null;
}

/** Options of tversky. */
export interface TverskyOptions extends DiceOptions {
  /** The weight of false positives (default 0.5). */
  alpha?: number;
  /** The weight of false negatives (default 0.5). */
  beta?: number;
}

function coefficient(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a finite number, got ${describe(v)}`);
  return v;
}

// The axes to sum: null for all of them (Keras's axis=None), checked against the rank.
function overlapAxes(op: string, axis: number | number[] | null | undefined, rank: number): number[] {
  if (axis !== null && axis !== undefined && typeof axis !== 'number' && !Array.isArray(axis))
    throw new Error(`${op}: expected axis to be an integer, an array of integers or null, got ${describe(axis)}`);
  return normalizeAxes(op, axis ?? undefined, rank);
}

/**
 * Dice loss: 1 - 2 sum(yTrue yPred) / (sum(yTrue) + sum(yPred) + epsilon) over `axis`.
 * @example dice([[[[1], [1]], [[0], [0]]], [[[1], [1]], [[0], [0]]]], [[[[0], [1]], [[0], [1]]], [[[0.4], [0]], [[0], [0.9]]]], { axis: [1, 2, 3] }) // [0.5, 0.7576]
 */
export function dice(yTrue: TensorLike, yPred: TensorLike, options: DiceOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('dice', 3, arguments.length);
  options = checkOptions('dice', options, 'losses.dice');
  return perSample('dice', yTrue, yPred, (t, p) => {
    const axes = overlapAxes('dice', options.axis, p.rank);
    const intersection = sum(mul(t, p), axes);
    return sub(1, div(mul(intersection, 2), add(add(sum(t, axes), sum(p, axes)), epsilon())));
  });
}

/**
 * Tversky loss: 1 - TP / (TP + alpha FP + beta FN + epsilon) over `axis`, with soft counts
 * TP = sum(yTrue yPred), FP = sum((1 - yTrue) yPred), FN = sum(yTrue (1 - yPred)).
 * alpha = beta = 0.5 gives the Dice loss.
 */
export function tversky(yTrue: TensorLike, yPred: TensorLike, options: TverskyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('tversky', 3, arguments.length);
  options = checkOptions('tversky', options, 'losses.tversky');
  const alpha = coefficient('tversky', 'alpha', options.alpha ?? 0.5);
  const beta = coefficient('tversky', 'beta', options.beta ?? 0.5);
  return perSample('tversky', yTrue, yPred, (t, p) => {
    const axes = overlapAxes('tversky', options.axis, p.rank);
    const tp = sum(mul(t, p), axes);
    const fp = sum(mul(sub(1, t), p), axes);
    const fn = sum(mul(t, sub(1, p)), axes);
    return sub(1, div(tp, add(add(add(tp, mul(fp, alpha)), mul(fn, beta)), epsilon())));
  });
}
