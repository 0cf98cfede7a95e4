// Hinge losses for labels in {-1, 1} (labels in {0, 1} are mapped to them, as Keras does).
import { add, maximum, mul, sub } from '../ops/binary';
import { max, mean, sum } from '../ops/reduce';
import { square } from '../ops/unary';
import type { TensorLike } from '../tensor/creation';
import { Tensor } from '../tensor/tensor';
import { perSample } from './inputs';
import { tooManyArguments } from '../options/arity';

// Keras converts labels to -1/1 only when every label is 0 or 1.
function signedLabels(t: Tensor): Tensor {
  const values = t.dataSync();
  for (let i = 0; i < values.length; i++) if (values[i] !== 0 && values[i] !== 1) return t;
  return sub(mul(t, 2), 1);
}

function marginViolation(t: Tensor, p: Tensor): Tensor {
  return maximum(sub(1, mul(signedLabels(t), p)), 0);
}

/** mean(max(1 - yTrue yPred, 0)) over the last axis. */
export function hinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('hinge', 2, arguments.length);
  return perSample('hinge', yTrue, yPred, (t, p) => mean(marginViolation(t, p), -1));
}

/** mean(max(1 - yTrue yPred, 0)^2) over the last axis. */
export function squaredHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('squaredHinge', 2, arguments.length);
  return perSample('squaredHinge', yTrue, yPred, (t, p) => mean(square(marginViolation(t, p)), -1));
}

/** max(neg - pos + 1, 0) with pos = sum(yTrue yPred) and neg = max((1 - yTrue) yPred), over the last axis. */
export function categoricalHinge(yTrue: TensorLike, yPred: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('categoricalHinge', 2, arguments.length);
  return perSample('categoricalHinge', yTrue, yPred, (t, p) => {
    const pos = sum(mul(t, p), -1);
    const neg = max(mul(sub(1, t), p), -1);
    return maximum(add(sub(neg, pos), 1), 0);
  });
}
