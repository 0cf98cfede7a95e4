// Cross-entropies from logits for the losses, as composites of ops: they take any class
// axis and pass a gradient to the labels too (labels a model computes), which the fused
// kernels behind ops/losses_fused.ts (last axis only, no label gradient) do not.
import { mul, sub } from '../ops/binary';
import { sum } from '../ops/reduce';
import { logSoftmax } from '../ops/softmax';
import { softplus } from '../ops/unary';
import { Tensor } from '../tensor/tensor';

/**
 * Binary cross-entropy from logits, elementwise: softplus(x) - x z, which is
 * max(x, 0) - x z + log(1 + e^-|x|) without overflow (TensorFlow's
 * sigmoid_cross_entropy_with_logits); d/dx = sigmoid(x) - z.
 */
export function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  return sub(softplus(logits), mul(logits, labels));
}

/**
 * Categorical cross-entropy from logits along `axis`: -sum(z log softmax(x)), through
 * logSoftmax so large logits stay finite.
 */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, axis: number): Tensor {
  return mul(sum(mul(labels, logSoftmax(logits, axis)), axis), -1);
}
