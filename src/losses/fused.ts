// THE PLACE FOR FUSED CROSS-ENTROPY KERNELS.
// The native engine is getting `softmax_cross_entropy`, `softmax_cross_entropy_sparse`
// and `sigmoid_cross_entropy` kernels (native/ops.def). Until their TypeScript wrappers
// exist these are composites of existing ops; swapping a kernel in means replacing the
// body of one function below, with the same inputs, output and gradient.
import { mul, sub } from '../ops/binary';
import { sum } from '../ops/reduce';
import { logSoftmax } from '../ops/softmax';
import { softplus } from '../ops/unary';
import { Tensor } from '../tensor/tensor';

/**
 * Binary cross-entropy from logits, elementwise: softplus(x) - x z, which is
 * max(x, 0) - x z + log(1 + e^-|x|) without overflow (TensorFlow's
 * sigmoid_cross_entropy_with_logits); d/dx = sigmoid(x) - z.
 * Fused kernel: `sigmoid_cross_entropy` (inputs labels, logits).
 */
export function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor): Tensor {
  return sub(softplus(logits), mul(logits, labels));
}

/**
 * Categorical cross-entropy from logits along `axis`: -sum(z log softmax(x)), through
 * logSoftmax so large logits stay finite. Fused kernel: `softmax_cross_entropy`; for
 * integer labels (one-hot `labels` built by the caller) `softmax_cross_entropy_sparse`.
 */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, axis: number): Tensor {
  return mul(sum(mul(labels, logSoftmax(logits, axis)), axis), -1);
}
