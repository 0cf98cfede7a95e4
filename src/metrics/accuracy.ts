// Accuracy functions: one 0/1 value per prediction, as Keras 3 computes them.
import { tooManyArguments } from '../options/arity';
import { cast } from '../ops/cast';
import { equal, greater } from '../ops/compare';
import { toTensor } from '../ops/convert';
import { argMax } from '../ops/reduce';
import { reshape } from '../ops/reshape';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { alignRanks, floatPrediction, shapeText } from '../losses/inputs';
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';

const matches = (a: Tensor, b: Tensor) => cast(equal(cast(a, 'float32'), cast(b, 'float32')), 'float32');

/** 1 where yTrue equals yPred exactly. */
export function accuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('metrics.accuracy', 2, arguments.length);
  return tidy(() => matches(...alignRanks(toTensor('accuracy', 'yTrue', yTrue), toTensor('accuracy', 'yPred', yPred))));
}

/** Options of binaryAccuracy. */
export interface BinaryAccuracyOptions {
  /** Predictions above it count as 1 (default 0.5). */
  threshold?: number;
}

/** 1 where (yPred > threshold) equals the 0/1 label. */
export function binaryAccuracy(yTrue: TensorLike, yPred: TensorLike, options: BinaryAccuracyOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('binaryAccuracy', 3, arguments.length);
  options = checkOptions('binaryAccuracy', options, 'metrics.binaryAccuracy');
  return tidy(() => {
    const [t, p] = alignRanks(toTensor('binaryAccuracy', 'yTrue', yTrue), toTensor('binaryAccuracy', 'yPred', yPred));
    return matches(t, greater(p, options.threshold ?? 0.5));
  });
}

/** 1 where the arg max of yPred is the arg max of the one-hot yTrue. */
export function categoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('categoricalAccuracy', 2, arguments.length);
  return tidy(() => matches(argMax(toTensor('categoricalAccuracy', 'yTrue', yTrue), -1), argMax(floatPrediction('categoricalAccuracy', yPred), -1)));
}

// Integer labels shaped like yPred without its class axis (a trailing 1 is dropped).
function sparseTargets(op: string, yTrue: TensorLike, p: Tensor): Tensor {
  let t = toTensor(op, 'yTrue', yTrue);
  if (t.rank === p.rank && t.shape[t.rank - 1] === 1) t = reshape(t, t.shape.slice(0, -1));
  const batch = p.shape.slice(0, -1);
  if (t.rank !== batch.length || t.shape.some((d, i) => d !== batch[i])) {
    throw new Error(
      `${op}: yTrue of shape ${shapeText(t.shape)} does not match yPred of shape ${shapeText(p.shape)}; expected integer labels of shape ${shapeText(batch)}`,
    );
  }
  return t;
}

/** 1 where the arg max of yPred is the integer label. */
export function sparseCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sparseCategoricalAccuracy', 2, arguments.length);
  return tidy(() => {
    const p = floatPrediction('sparseCategoricalAccuracy', yPred);
    const t = sparseTargets('sparseCategoricalAccuracy', yTrue, p);
    // int32 labels meet the int32 arg max as they are (Keras casts the arg max to the
    // labels' dtype): two casts fewer than through float32, the same answer.
    return t.dtype === 'int32' ? cast(equal(t, argMax(p, -1)), 'float32') : matches(t, argMax(p, -1));
  });
}

/** Options of the top-k accuracies. */
export interface TopKOptions {
  /** How many of the highest predictions count (default 5). */
  k?: number;
}

// TensorFlow's in_top_k: the target is in the top k when fewer than k classes score
// strictly higher (ties at the boundary count as in); a non-finite score never is.
function inTopK(op: string, targets: Tensor, p: Tensor, k: number): Tensor {
  if (!Number.isInteger(k) || k < 1) throw new Error(`${op}: expected k to be a positive integer, got ${describe(k)}`);
  const classes = p.shape[p.rank - 1];
  const scores = p.dataSync();
  const labels = targets.dataSync();
  const out = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) throw new Error(`${op}: label ${c} at index ${i} is not a class index in [0, ${classes})`);
    const row = i * classes;
    const target = scores[row + c];
    if (!Number.isFinite(target)) continue;
    let higher = 0;
    for (let j = 0; j < classes; j++) if (scores[row + j] > target) higher++;
    out[i] = higher < k ? 1 : 0;
  }
  return fromTypedArray(out, [...targets.shape], 'float32', p.device);
}

/** 1 where the one-hot target's class is among the k highest predictions. */
export function topKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, options: TopKOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('topKCategoricalAccuracy', 3, arguments.length);
  options = checkOptions('topKCategoricalAccuracy', options, 'metrics.topKCategoricalAccuracy');
  return tidy(() => {
    const p = floatPrediction('topKCategoricalAccuracy', yPred);
    return inTopK('topKCategoricalAccuracy', argMax(toTensor('topKCategoricalAccuracy', 'yTrue', yTrue), -1), p, options.k ?? 5);
  });
}

/** 1 where the integer label is among the k highest predictions. */
export function sparseTopKCategoricalAccuracy(yTrue: TensorLike, yPred: TensorLike, options: TopKOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sparseTopKCategoricalAccuracy', 3, arguments.length);
  options = checkOptions('sparseTopKCategoricalAccuracy', options, 'metrics.sparseTopKCategoricalAccuracy');
  return tidy(() => {
    const p = floatPrediction('sparseTopKCategoricalAccuracy', yPred);
    return inTopK('sparseTopKCategoricalAccuracy', sparseTargets('sparseTopKCategoricalAccuracy', yTrue, p), p, options.k ?? 5);
  });
}
