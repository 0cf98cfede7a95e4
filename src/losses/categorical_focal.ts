// Keras 3's categorical focal cross-entropy (Lin et al.): the categorical cross-entropy
// terms scaled by alpha (1 - p)^gamma, so confidently right classes weigh little.
import { mul, pow, sub, add, div } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { reshape } from '../ops/reshape';
import { sum } from '../ops/reduce';
import { softmax } from '../ops/softmax';
import { log } from '../ops/unary';
import { tensor, type TensorLike } from '../tensor/creation';
import { describe, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { perSample } from './inputs';
import { epsilon } from '../config/settings';

/** Options of categoricalFocalCrossentropy. */
export interface CategoricalFocalCrossentropyOptions {
  /** The class weight: one number for every class, or one per class (default 0.25). */
  alpha?: number | number[];
  /** The focusing exponent: (1 - p)^gamma scales each class's term (default 2). */
  gamma?: number;
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooths one-hot labels: z (1 - s) + s / numClasses (default 0). */
  labelSmoothing?: number;
  /** The class axis (default -1). */
  axis?: number;
}

function checkNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a finite number, got ${describe(v)}`);
  return v;
}

// alpha as a number, or as a tensor of the class weights laid along the class axis.
function alphaFactor(op: string, alpha: number | number[], p: Tensor, axis: number): number | Tensor {
  if (!Array.isArray(alpha)) return checkNumber(op, 'alpha', alpha);
  const classes = p.shape[axis];
  if (alpha.length !== classes) throw new Error(`${op}: expected alpha to have one weight per class (${classes}), got ${alpha.length}`);
  alpha.forEach((a, i) => checkNumber(op, `alpha[${i}]`, a));
  const shape = p.shape.map((d, i) => (i === axis ? d : 1));
  return reshape(tensor(alpha, undefined, p.dtype), shape);
}

/**
 * Categorical focal cross-entropy of one-hot (or soft) labels along `axis`:
 * sum(alpha (1 - p)^gamma (-z log p)), p the renormalized, clipped probabilities.
 * @example categoricalFocalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]) // [2.634e-4, 0.6759]
 */
export function categoricalFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalFocalCrossentropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('categoricalFocalCrossentropy', 3, arguments.length);
  const op = 'categoricalFocalCrossentropy';
  options = checkOptions(op, options, 'losses.categoricalFocalCrossentropy');
  const { alpha = 0.25, gamma = 2, fromLogits = false, labelSmoothing = 0 } = options;
  checkNumber(op, 'gamma', gamma);
  if (!(typeof labelSmoothing === 'number' && labelSmoothing >= 0 && labelSmoothing <= 1))
    throw new Error(`${op}: expected labelSmoothing in [0, 1], got ${describe(labelSmoothing)}`);
  if (typeof fromLogits !== 'boolean') throw new Error(`${op}: expected fromLogits to be true or false, got ${describe(fromLogits)}`);
  return perSample(op, yTrue, yPred, (t, p) => {
    if (p.rank === 0) throw new Error(`${op}: expected yPred of rank 1 or more (one entry per class), got a scalar`);
    const axis = normalizeAxis(op, options.axis ?? -1, p.rank);
    const a = alphaFactor(op, alpha, p, axis);
    const z = labelSmoothing > 0 ? add(mul(t, 1 - labelSmoothing), labelSmoothing / p.shape[axis]) : t;
    const probs = fromLogits ? softmax(p, axis) : p;
    const output = clipByValue(div(probs, sum(probs, axis, true)), epsilon(), 1 - epsilon());
    const cce = mul(mul(z, log(output)), -1);
    return sum(mul(mul(pow(sub(1, output), gamma), a), cce), axis);
  });
}
