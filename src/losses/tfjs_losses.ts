// TensorFlow.js's tf.losses functions: an elementwise loss, weighted and reduced to one
// value (by default the weighted sum over the number of non-zero weights), as a custom
// training loop in TensorFlow.js calls them. Their names are not Keras's (Keras's
// per-sample functions sit beside them in `losses`), so both habits work as written; the
// one name they share, meanSquaredError, stays Keras's (see regression.ts).
import { abs, log, neg, relu, square } from '../ops/unary';
import { add, div, minimum, mul, sub } from '../ops/binary';
import { notEqual } from '../ops/compare';
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { broadcastTo } from '../ops/tile';
import { mean, sum } from '../ops/reduce';
import { type TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { checkNumber } from '../tensor/ranges';
import { describe, normalizeAxis, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits } from './from_logits';
import { shapeText } from './inputs';
import { tooManyArguments } from '../options/arity';

/** TensorFlow.js's loss reductions (tf.Reduction), by its numbers. */
export const Reduction = { NONE: 0, MEAN: 1, SUM: 2, SUM_BY_NONZERO_WEIGHTS: 3 } as const;
/** One of Reduction's values. */
export type TfjsReduction = (typeof Reduction)[keyof typeof Reduction];

function checkReduction(op: string, reduction: unknown): TfjsReduction {
  if (!Object.values(Reduction).includes(reduction as TfjsReduction)) {
    throw new Error(
      `${op}: expected reduction to be one of Reduction.NONE, MEAN, SUM, SUM_BY_NONZERO_WEIGHTS (0 to 3), got ${describe(reduction)}` +
        (typeof reduction === 'string' ? "; Keras's reduction names are the Loss classes' (new losses.MeanSquaredError({ reduction: 'sum' }))" : ''),
    );
  }
  return reduction as TfjsReduction;
}

function floatTensor(op: string, what: string, x: TensorLike): Tensor {
  const t = toTensor(op, what, x);
  return isFloatDType(t.dtype) ? t : cast(t, 'float32');
}

// labels and predictions (or logits) as float tensors of one shape; weights, when given,
// broadcastable to it.
function inputs(op: string, names: [string, string], a: TensorLike, b: TensorLike, weights: TensorLike | null | undefined): [Tensor, Tensor, Tensor | null] {
  const x = floatTensor(op, names[0], a);
  const y = floatTensor(op, names[1], b);
  if (!shapesEqual(x.shape, y.shape))
    throw new Error(`${op}: ${names[0]} of shape ${shapeText(x.shape)} does not match ${names[1]} of shape ${shapeText(y.shape)}`);
  return [x, y, weights === undefined || weights === null ? null : floatTensor(op, 'weights', weights)];
}

function weightedLoss(op: string, losses: Tensor, weights: Tensor | null, reduction: TfjsReduction): Tensor {
  if (weights !== null && weights.rank > 0 && weights.rank !== losses.rank) {
    throw new Error(`${op}: expected weights of rank 0 or ${losses.rank} (the losses' [${losses.shape.join(', ')}]), got shape ${shapeText(weights.shape)}`);
  }
  let broadcast: Tensor | null = null;
  if (weights !== null) {
    try {
      broadcast = broadcastTo(weights, losses.shape);
    } catch {
      throw new Error(`${op}: weights of shape ${shapeText(weights.shape)} do not broadcast to the losses' ${shapeText(losses.shape)}`);
    }
  }
  const weighted = broadcast === null ? losses : mul(losses, broadcast);
  switch (reduction) {
    case Reduction.NONE:
      return weighted;
    case Reduction.SUM:
      return sum(weighted);
    case Reduction.MEAN:
      // Over the weights as given: a weight per sample weighs each sample's elements.
      return weights === null ? mean(weighted) : div(div(sum(weighted), sum(weights)), losses.size / weights.size);
    case Reduction.SUM_BY_NONZERO_WEIGHTS:
      return div(sum(weighted), broadcast === null ? losses.size : sum(cast(notEqual(broadcast, 0), losses.dtype)));
  }
}

/**
 * losses times weights (broadcast to them), reduced by `reduction` (default
 * SUM_BY_NONZERO_WEIGHTS: the sum over the number of non-zero weights).
 */
export function computeWeightedLoss(losses: TensorLike, weights?: TensorLike | null, reduction: TfjsReduction = Reduction.SUM_BY_NONZERO_WEIGHTS): Tensor {
  if (arguments.length > 3) throw tooManyArguments('losses.computeWeightedLoss', 3, arguments.length);
  const op = 'computeWeightedLoss';
  const r = checkReduction(op, reduction);
  return tidy(() =>
    weightedLoss(op, floatTensor(op, 'losses', losses), weights === undefined || weights === null ? null : floatTensor(op, 'weights', weights), r),
  );
}

// An elementwise loss of (labels, predictions), weighted and reduced.
function elementwise(
  op: string,
  names: [string, string],
  labels: TensorLike,
  predictions: TensorLike,
  weights: TensorLike | null | undefined,
  reduction: unknown,
  loss: (l: Tensor, p: Tensor) => Tensor,
): Tensor {
  const r = checkReduction(op, reduction);
  return tidy(() => {
    const [l, p, w] = inputs(op, names, labels, predictions, weights);
    return weightedLoss(op, loss(l, p), w, r);
  });
}

const LABELS: [string, string] = ['labels', 'predictions'];
const SUM_BY_NONZERO = Reduction.SUM_BY_NONZERO_WEIGHTS;

/** |labels - predictions|, weighted and reduced. */
export function absoluteDifference(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 4) throw tooManyArguments('losses.absoluteDifference', 4, arguments.length);
  return elementwise('absoluteDifference', LABELS, labels, predictions, weights, reduction, (l, p) => abs(sub(l, p)));
}

/** 1 - sum(labels * predictions) along `axis` (unit vectors in, a distance out), weighted and reduced. */
export function cosineDistance(
  labels: TensorLike,
  predictions: TensorLike,
  axis: number,
  weights?: TensorLike | null,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('losses.cosineDistance', 5, arguments.length);
  const op = 'cosineDistance';
  return elementwise(op, LABELS, labels, predictions, weights, reduction, (l, p) =>
    sub(1, sum(mul(l, p), normalizeAxis(op, checkNumber(op, 'axis', axis), l.rank), true)),
  );
}

/** max(0, 1 - (2 labels - 1) predictions) for labels of 0 and 1, weighted and reduced. */
export function hingeLoss(labels: TensorLike, predictions: TensorLike, weights?: TensorLike | null, reduction: TfjsReduction = SUM_BY_NONZERO): Tensor {
  if (arguments.length > 4) throw tooManyArguments('losses.hingeLoss', 4, arguments.length);
  return elementwise('hingeLoss', LABELS, labels, predictions, weights, reduction, (l, p) => relu(sub(1, mul(sub(mul(l, 2), 1), p))));
}

/** 0.5 e^2 up to |e| = delta, linear beyond (e = predictions - labels), weighted and reduced. */
export function huberLoss(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  delta = 1,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('losses.huberLoss', 5, arguments.length);
  const op = 'huberLoss';
  if (!(checkNumber(op, 'delta', delta) > 0)) throw new Error(`${op}: expected delta to be positive, got ${describe(delta)}`);
  return elementwise(op, LABELS, labels, predictions, weights, reduction, (l, p) => {
    const error = abs(sub(p, l));
    const quadratic = minimum(error, delta);
    return add(mul(square(quadratic), 0.5), mul(sub(error, quadratic), delta));
  });
}

/** -labels log(predictions + epsilon) - (1 - labels) log(1 - predictions + epsilon), weighted and reduced. */
export function logLoss(
  labels: TensorLike,
  predictions: TensorLike,
  weights?: TensorLike | null,
  epsilon = 1e-7,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('losses.logLoss', 5, arguments.length);
  const op = 'logLoss';
  if (!(checkNumber(op, 'epsilon', epsilon) >= 0)) throw new Error(`${op}: expected epsilon to be non-negative, got ${describe(epsilon)}`);
  return elementwise(op, LABELS, labels, predictions, weights, reduction, (l, p) =>
    sub(neg(mul(l, log(add(p, epsilon)))), mul(sub(1, l), log(add(sub(1, p), epsilon)))),
  );
}

function checkSmoothing(op: string, labelSmoothing: number): number {
  if (!(checkNumber(op, 'labelSmoothing', labelSmoothing) >= 0 && labelSmoothing <= 1))
    throw new Error(`${op}: expected labelSmoothing in [0, 1], got ${describe(labelSmoothing)}`);
  return labelSmoothing;
}

/** Binary cross-entropy of each logit with its label (smoothed toward 0.5), weighted and reduced. */
export function sigmoidCrossEntropy(
  multiClassLabels: TensorLike,
  logits: TensorLike,
  weights?: TensorLike | null,
  labelSmoothing = 0,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('losses.sigmoidCrossEntropy', 5, arguments.length);
  const op = 'sigmoidCrossEntropy';
  const s = checkSmoothing(op, labelSmoothing);
  return elementwise(op, ['multiClassLabels', 'logits'], multiClassLabels, logits, weights, reduction, (l, x) =>
    sigmoidCrossEntropyWithLogits(s > 0 ? add(mul(l, 1 - s), 0.5 * s) : l, x),
  );
}

/**
 * Softmax cross-entropy of each row of logits [batch, classes] with its one-hot labels
 * (smoothed toward 1 / classes): one loss per row, weighted and reduced.
 */
export function softmaxCrossEntropy(
  onehotLabels: TensorLike,
  logits: TensorLike,
  weights?: TensorLike | null,
  labelSmoothing = 0,
  reduction: TfjsReduction = SUM_BY_NONZERO,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('losses.softmaxCrossEntropy', 5, arguments.length);
  const op = 'softmaxCrossEntropy';
  const s = checkSmoothing(op, labelSmoothing);
  return elementwise(op, ['onehotLabels', 'logits'], onehotLabels, logits, weights, reduction, (l, x) => {
    if (x.rank < 1) throw new Error(`${op}: expected logits of rank 1 or more ([batch, classes]), got a scalar`);
    const classes = x.shape[x.rank - 1];
    return softmaxCrossEntropyWithLogits(s > 0 ? add(mul(l, 1 - s), s / classes) : l, x, -1);
  });
}
