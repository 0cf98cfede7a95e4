// Fused cross-entropy ops: per-example losses from logits, computed stably in one pass,
// with the gradient to the logits in one pass too. Labels get no gradient.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { isRecording, runKernel, runKernel1 } from '../tensor/run';
import { shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { mul, sub } from './binary';
import { cast } from './cast';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { oneHot } from './gather';
import { sum } from './reduce';
import { expandDims } from './reshape';
import { softmax } from './softmax';
import { sigmoid } from './unary';

// The fused gradient kernels below are not differentiable under an outer tape (higher-order
// gradients): there each rule computes the same gradient in composite ops, which are.

// dloss [...] times d [..., K], one loss per row.
const perRow = (dloss: Tensor, d: Tensor): Tensor => mul(expandDims(dloss, -1), d);

function logitsInput(op: string, logits: TensorLike): Tensor {
  const t = toTensor(op, 'logits', logits);
  checkInputDType(op, 'logits', t, FLOAT_DTYPES);
  if (t.rank === 0) throw new Error(`${op}: expected logits of rank 1 or more, got a scalar`);
  return t;
}

/**
 * Cross-entropy of integer class labels [...] against logits [..., classes]: one loss per
 * example, logsumexp(logits) - logits[label].
 */
export function sparseSoftmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sparseSoftmaxCrossEntropyWithLogits', 2, arguments.length);
  const op = 'sparseSoftmaxCrossEntropyWithLogits';
  const z = logitsInput(op, logits);
  const y = toTensor(op, 'labels', labels, 'int32');
  if (y.dtype !== 'int32') throw new Error(`${op}: expected int32 class indices as labels, got ${y.dtype}`);
  if (!shapesEqual(y.shape, z.shape.slice(0, -1))) {
    throw new Error(`${op}: labels of shape [${y.shape.join(', ')}] must match logits [${z.shape.join(', ')}] without its last axis`);
  }
  const [loss, probs] = runKernel(
    op,
    'softmax_cross_entropy_sparse',
    [z, y],
    [],
    [
      { shape: y.shape, dtype: z.dtype },
      { shape: z.shape, dtype: z.dtype },
    ],
    {
      save: [y, z],
      saveOutputs: true,
      grad: ([dloss], [ys, zs, , p]) => [
        // Under an outer tape, composite ops (the kernel takes probs, through which no gradient flows back).
        isRecording()
          ? perRow(dloss, sub(softmax(zs), cast(oneHot(ys, zs.shape[zs.rank - 1]), zs.dtype)))
          : runKernel1(op, 'softmax_cross_entropy_sparse_backward', [p, ys, dloss], [], { shape: z.shape, dtype: z.dtype }),
        null,
      ],
    },
  );
  probs.dispose();
  return loss;
}

/**
 * Cross-entropy of probability labels [..., classes] against logits: one loss per
 * example, sum_k labels_k (logsumexp(logits) - logits_k).
 */
export function softmaxCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('softmaxCrossEntropyWithLogits', 2, arguments.length);
  const op = 'softmaxCrossEntropyWithLogits';
  const z = logitsInput(op, logits);
  const y = toTensor(op, 'labels', labels, z.dtype);
  if (!shapesEqual(y.shape, z.shape) || y.dtype !== z.dtype) {
    throw new Error(`${op}: labels [${y.shape.join(', ')}] ${y.dtype} must match logits [${z.shape.join(', ')}] ${z.dtype}`);
  }
  const [loss, probs] = runKernel(
    op,
    'softmax_cross_entropy',
    [z, y],
    [],
    [
      { shape: z.shape.slice(0, -1), dtype: z.dtype },
      { shape: z.shape, dtype: z.dtype },
    ],
    {
      save: [y, z],
      saveOutputs: true,
      grad: ([dloss], [ys, zs, , p]) => [
        isRecording()
          ? perRow(dloss, sub(mul(softmax(zs), sum(ys, -1, true)), ys))
          : runKernel1(op, 'softmax_cross_entropy_backward', [p, ys, dloss], [], { shape: z.shape, dtype: z.dtype }),
        null,
      ],
    },
  );
  probs.dispose();
  return loss;
}

/** Elementwise binary cross-entropy of labels in [0, 1] against logits. */
export function sigmoidCrossEntropyWithLogits(labels: TensorLike, logits: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sigmoidCrossEntropyWithLogits', 2, arguments.length);
  const op = 'sigmoidCrossEntropyWithLogits';
  const z = logitsInput(op, logits);
  const y = toTensor(op, 'labels', labels, z.dtype);
  if (!shapesEqual(y.shape, z.shape) || y.dtype !== z.dtype) {
    throw new Error(`${op}: labels [${y.shape.join(', ')}] ${y.dtype} must match logits [${z.shape.join(', ')}] ${z.dtype}`);
  }
  return runKernel1(
    op,
    'sigmoid_cross_entropy',
    [z, y],
    [],
    { shape: z.shape, dtype: z.dtype },
    {
      save: [z, y],
      grad: ([dloss], [zs, ys]) => [
        isRecording()
          ? mul(dloss, sub(sigmoid(zs), ys))
          : runKernel1(op, 'sigmoid_cross_entropy_backward', [zs, ys, dloss], [], { shape: z.shape, dtype: z.dtype }),
        null,
      ],
    },
  );
}
