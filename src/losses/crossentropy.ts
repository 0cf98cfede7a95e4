// Cross-entropy losses, per sample, with Keras 3's formulas: probabilities are clipped to
// [1e-7, 1 - 1e-7] before the log; logits go through the stable forms in fused.ts.
import { add, div, mul, pow, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { mean, sum } from '../ops/reduce';
import { sigmoid, log } from '../ops/unary';
import { toTensor } from '../ops/convert';
import { sparseSoftmaxCrossEntropyWithLogits } from '../ops/losses_fused';
import { reshape } from '../ops/reshape';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { normalizeAxis, describe } from '../tensor/shape';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from './from_logits';
import { floatPrediction, perSample, shapeText } from './inputs';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { epsilon } from '../config/settings';

/** Options of binaryCrossentropy. */
export interface BinaryCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Squeezes labels toward 0.5: z (1 - s) + s / 2 (default 0). */
  labelSmoothing?: number;
  /** The axis the mean is taken over (default -1). */
  axis?: number;
}

/** Options of binaryFocalCrossentropy. */
export interface BinaryFocalCrossentropyOptions extends BinaryCrossentropyOptions {
  /** Weight class 1 by alpha and class 0 by 1 - alpha (default false). */
  applyClassBalancing?: boolean;
  /** The class-1 weight when applyClassBalancing (default 0.25). */
  alpha?: number;
  /** The focusing exponent: (1 - p_t)^gamma scales each term (default 2). */
  gamma?: number;
}

/** Options of categoricalCrossentropy. */
export interface CategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** Smooths one-hot labels: z (1 - s) + s / numClasses (default 0). */
  labelSmoothing?: number;
  /** The class axis (default -1). */
  axis?: number;
}

/** Options of sparseCategoricalCrossentropy. */
export interface SparseCategoricalCrossentropyOptions {
  /** yPred holds logits rather than probabilities (default false). */
  fromLogits?: boolean;
  /** A label whose samples get loss 0 and, in a Loss, leave the mean (e.g. -1 or 255 for "void"). */
  ignoreClass?: number | null;
}

function checkSmoothing(op: string, s: number): number {
  if (!(s >= 0 && s <= 1)) throw new Error(`${op}: expected labelSmoothing in [0, 1], got ${describe(s)}`);
  return s;
}

// Elementwise binary cross-entropy of probabilities, clipped as Keras clips them.
function binaryCrossentropyOfProbabilities(t: Tensor, p: Tensor): Tensor {
  const clipped = clipByValue(p, epsilon(), 1 - epsilon());
  return mul(add(mul(t, log(clipped)), mul(sub(1, t), log(sub(1, clipped)))), -1);
}

/**
 * Binary cross-entropy, averaged over `axis`.
 * @example binaryCrossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) // [0.916, 0.714]
 */
export function binaryCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryCrossentropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('binaryCrossentropy', 3, arguments.length);
  options = checkOptions('binaryCrossentropy', options, 'losses.binaryCrossentropy');
  const op = 'binaryCrossentropy';
  const smoothing = checkSmoothing(op, options.labelSmoothing ?? 0);
  return perSample(op, yTrue, yPred, (t, p) => {
    const z = smoothing > 0 ? add(mul(t, 1 - smoothing), 0.5 * smoothing) : t;
    const elementwise = options.fromLogits ? sigmoidCrossEntropyWithLogits(z, p) : binaryCrossentropyOfProbabilities(z, p);
    return mean(elementwise, options.axis ?? -1);
  });
}

/**
 * Binary focal cross-entropy (Lin et al.): each term of binary cross-entropy scaled by
 * (1 - p_t)^gamma, p_t being the probability of the true class; averaged over `axis`.
 */
export function binaryFocalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: BinaryFocalCrossentropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('binaryFocalCrossentropy', 3, arguments.length);
  options = checkOptions('binaryFocalCrossentropy', options, 'losses.binaryFocalCrossentropy');
  const op = 'binaryFocalCrossentropy';
  const smoothing = checkSmoothing(op, options.labelSmoothing ?? 0);
  const { gamma = 2, alpha = 0.25 } = options;
  return perSample(op, yTrue, yPred, (t, logitsOrP) => {
    const z = smoothing > 0 ? add(mul(t, 1 - smoothing), 0.5 * smoothing) : t;
    const p = options.fromLogits ? sigmoid(logitsOrP) : logitsOrP;
    const pt = add(mul(z, p), mul(sub(1, z), sub(1, p)));
    let focal = mul(pow(sub(1, pt), gamma), binaryCrossentropyOfProbabilities(z, p));
    if (options.applyClassBalancing) focal = mul(focal, add(mul(z, alpha), mul(sub(1, z), 1 - alpha)));
    return mean(focal, options.axis ?? -1);
  });
}

// -sum(z log p) along `axis` for probabilities (renormalized, then clipped) or logits.
function categoricalFromLabels(z: Tensor, p: Tensor, axis: number, fromLogits: boolean): Tensor {
  if (fromLogits) return softmaxCrossEntropyWithLogits(z, p, axis);
  const normalized = clipByValue(div(p, sum(p, axis, true)), epsilon(), 1 - epsilon());
  return mul(sum(mul(z, log(normalized)), axis), -1);
}

/**
 * Categorical cross-entropy of one-hot (or soft) labels along `axis`.
 * @example categoricalCrossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]) // [0.0513, 2.303]
 */
export function categoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: CategoricalCrossentropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('categoricalCrossentropy', 3, arguments.length);
  options = checkOptions('categoricalCrossentropy', options, 'losses.categoricalCrossentropy');
  const op = 'categoricalCrossentropy';
  const smoothing = checkSmoothing(op, options.labelSmoothing ?? 0);
  return perSample(op, yTrue, yPred, (t, p) => {
    if (p.rank === 0) throw new Error(`${op}: expected yPred of rank 1 or more (one entry per class), got a scalar`);
    const axis = normalizeAxis(op, options.axis ?? -1, p.rank);
    const z = smoothing > 0 ? add(mul(t, 1 - smoothing), smoothing / p.shape[axis]) : t;
    return categoricalFromLabels(z, p, axis, options.fromLogits ?? false);
  });
}

/**
 * Integer labels checked against yPred [batch..., classes]: their values (int32, or floats
 * holding integers, in [0, classes) unless `ignoreClass`), as a tensor of the batch shape,
 * and which samples count (null: all).
 */
function checkedLabels(
  op: string,
  yTrue: TensorLike,
  yPred: Tensor,
  ignoreClass?: number | null,
): { labels: Tensor; values: ArrayLike<number>; valid: Uint8Array | null } {
  const labels = shapedLabels(op, yTrue, yPred);
  const numClasses = yPred.shape[yPred.rank - 1];
  const values = labels.dataSync();
  const valid = new Uint8Array(values.length);
  let anyIgnored = false;
  for (let i = 0; i < values.length; i++) {
    const c = values[i];
    if (ignoreClass !== undefined && ignoreClass !== null && c === ignoreClass) {
      anyIgnored = true;
      continue;
    }
    if (!Number.isInteger(c) || c < 0 || c >= numClasses) {
      throw new Error(`${op}: label ${c} at index ${i} is not a class index in [0, ${numClasses})`);
    }
    valid[i] = 1;
  }
  return { labels, values, valid: anyIgnored ? valid : null };
}

/** Integer labels of yPred's batch shape (a trailing axis of 1 squeezed), their values unread. */
function shapedLabels(op: string, yTrue: TensorLike, yPred: Tensor): Tensor {
  const labels = toTensor(op, 'yTrue', yTrue);
  if (labels.dtype === 'bool') throw new Error(`${op}: expected integer class labels (int32 or float), got a bool tensor`);
  const batchShape = yPred.shape.slice(0, -1);
  const squeezable = labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1;
  const labelShape = squeezable ? labels.shape.slice(0, -1) : labels.shape;
  if (labelShape.length !== batchShape.length || labelShape.some((d, i) => d !== batchShape[i])) {
    throw new Error(
      `${op}: yTrue of shape ${shapeText(labels.shape)} does not match yPred of shape ${shapeText(yPred.shape)}; expected integer labels of shape ${shapeText(batchShape)}`,
    );
  }
  return squeezable ? reshape(labels, batchShape) : labels;
}

/**
 * Integer labels as one-hot rows of yPred's dtype (zero rows for `ignoreClass`), and
 * which samples count. Labels must be int32, or floats holding integers.
 */
export function sparseLabels(op: string, yTrue: TensorLike, yPred: Tensor, ignoreClass?: number | null): { oneHot: Tensor; valid: Tensor | null } {
  const { values, valid } = checkedLabels(op, yTrue, yPred, ignoreClass);
  const numClasses = yPred.shape[yPred.rank - 1];
  const oneHot = allocTypedArray(yPred.dtype, values.length * numClasses);
  for (let i = 0; i < values.length; i++) if (valid === null || valid[i]) oneHot[i * numClasses + values[i]] = 1;
  return {
    oneHot: fromTypedArray(oneHot, [...yPred.shape], yPred.dtype, yPred.device),
    valid: valid ? fromTypedArray(valid, yPred.shape.slice(0, -1), 'bool', yPred.device) : null,
  };
}

/**
 * Categorical cross-entropy of integer labels (yTrue [batch...], yPred [batch..., classes]).
 * @example sparseCategoricalCrossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]) // [0.0513, 2.303]
 */
export function sparseCategoricalCrossentropy(yTrue: TensorLike, yPred: TensorLike, options: SparseCategoricalCrossentropyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sparseCategoricalCrossentropy', 3, arguments.length);
  options = checkOptions('sparseCategoricalCrossentropy', options, 'losses.sparseCategoricalCrossentropy');
  return sparseCategoricalCrossentropyMasked(yTrue, yPred, options).values;
}

/** @internal sparseCategoricalCrossentropy and the mask of samples that count (null: all). */
export function sparseCategoricalCrossentropyMasked(
  yTrue: TensorLike,
  yPred: TensorLike,
  options: SparseCategoricalCrossentropyOptions,
): { values: Tensor; mask: Tensor | undefined } {
  const op = 'sparseCategoricalCrossentropy';
  return tidy(() => {
    const p = floatPrediction(op, yPred);
    if (p.rank === 0) throw new Error(`${op}: expected yPred of rank 1 or more (one entry per class), got a scalar`);
    // int32 labels against logits: one fused kernel forward and one backward (no one-hot,
    // no log-softmax, product and sum, each with its gradient), same values to rounding.
    if (options.fromLogits && (options.ignoreClass ?? null) === null && yTrue instanceof Tensor && yTrue.dtype === 'int32') {
      // The kernel checks the label range itself (no read of the labels each step); when
      // it refuses them, checkedLabels names the bad label as the composite path does.
      const labels = shapedLabels(op, yTrue, p);
      try {
        return { values: sparseSoftmaxCrossEntropyWithLogits(labels, p), mask: undefined };
      } catch (e) {
        checkedLabels(op, yTrue, p);
        throw e;
      }
    }
    const { oneHot, valid } = sparseLabels(op, yTrue, p, options.ignoreClass);
    return { values: categoricalFromLabels(oneHot, p, p.rank - 1, options.fromLogits ?? false), mask: valid ?? undefined };
  });
}
