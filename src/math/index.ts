// ts.math: TensorFlow.js's tf.math namespace (confusionMatrix).
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { describe, shapesEqual } from '../tensor/shape';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { checkInputDType, toTensor } from '../ops/convert';
import { tooManyArguments } from '../options/arity';

/**
 * Counts of (label, prediction) pairs: an int32 [numClasses, numClasses] matrix whose row
 * is the true class and column the predicted one. labels and predictions are int32
 * vectors of class indices, of one length.
 */
export function confusionMatrix(labels: TensorLike, predictions: TensorLike, numClasses: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('math.confusionMatrix', 3, arguments.length);
  const op = 'math.confusionMatrix';
  return tidy(() => counted(op, labels, predictions, numClasses));
}

function counted(op: string, labels: TensorLike, predictions: TensorLike, numClasses: number): Tensor {
  const l = toTensor(op, 'labels', labels, 'int32');
  const p = toTensor(op, 'predictions', predictions, 'int32');
  checkInputDType(op, 'labels', l, ['int32']);
  checkInputDType(op, 'predictions', p, ['int32']);
  if (l.rank !== 1 || !shapesEqual(l.shape, p.shape))
    throw new Error(`${op}: expected labels and predictions to be vectors of one length, got shapes [${l.shape.join(', ')}] and [${p.shape.join(', ')}]`);
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 46340)
    throw new Error(`${op}: expected numClasses to be a positive integer (at most 46340), got ${describe(numClasses)}`);
  const counts = allocTypedArray('int32', numClasses * numClasses, op);
  const [ls, ps] = [l.dataSync(), p.dataSync()];
  for (let i = 0; i < ls.length; i++) {
    for (const [what, v] of [
      ['label', ls[i]],
      ['prediction', ps[i]],
    ] as const) {
      if (!(v >= 0 && v < numClasses)) throw new Error(`${op}: ${what} ${v} at index ${i} is not a class from 0 to ${numClasses - 1}`);
    }
    counts[Number(ls[i]) * numClasses + Number(ps[i])]++;
  }
  return fromTypedArray(counts, [numClasses, numClasses], 'int32', l.device);
}
