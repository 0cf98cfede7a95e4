// Keras 3's categorical generalized cross-entropy (Zhang & Sabuncu 2018): (1 - p^q) / q of
// the true class's probability p, between cross-entropy (q -> 0) and MAE (q = 1), robust
// to noisy labels.
import { div, mul, pow, sub } from '../ops/binary';
import { sum } from '../ops/reduce';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { sparseLabels } from './crossentropy';
import { floatPrediction } from './inputs';

/** Options of categoricalGeneralizedCrossEntropy. */
export interface CategoricalGeneralizedCrossEntropyOptions {
  /** The noise parameter in (0, 1): near 0 like cross-entropy, near 1 like MAE (default 0.5). */
  q?: number;
}

/** @internal Throws unless q is in (0, 1), as Keras's constructor. */
export function checkQ(op: string, q: unknown): number {
  if (typeof q !== 'number' || !(q > 0 && q < 1)) throw new Error(`${op}: expected q in the open interval (0, 1), got ${describe(q)}`);
  return q;
}

/**
 * (1 - p^q) / q per sample, p = yPred's probability of the class that the integer label
 * yTrue ([batch] or [batch, 1]) names; yPred is [batch, classes] of probabilities.
 * @example categoricalGeneralizedCrossEntropy([0, 1], [[0.7, 0.3], [0.2, 0.8]]) // [0.3267, 0.2111]
 */
export function categoricalGeneralizedCrossEntropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalGeneralizedCrossEntropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('categoricalGeneralizedCrossEntropy', 3, arguments.length);
  const op = 'categoricalGeneralizedCrossEntropy';
  options = checkOptions(op, options, 'losses.categoricalGeneralizedCrossEntropy');
  const q = checkQ(op, options.q ?? 0.5);
  return tidy(() => {
    const p = floatPrediction(op, yPred);
    if (p.rank === 0) throw new Error(`${op}: expected yPred of rank 1 or more (one entry per class), got a scalar`);
    const { oneHot } = sparseLabels(op, yTrue, p);
    return div(sub(1, pow(sum(mul(p, oneHot), -1), q)), q);
  });
}
