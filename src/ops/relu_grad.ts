// relu's gradient as one kernel, for relu and for the ops that fuse it (internal, not
// re-exported by the ops index).
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';

/**
 * @internal dy where x > 0, else 0, in one pass (where a mask and a masked copy took two).
 * x may be relu's input or its output: both are positive at the same places.
 */
export function reluGrad(op: string, dy: Tensor, x: Tensor): Tensor {
  // Under an outer tape (higher-order gradients) the kernel is itself differentiated:
  // linear in dy with the same mask, and flat in x (relu'' = 0 wherever it exists).
  const rule: GradRule | undefined = isRecording() ? { save: [x], grad: ([g], [xs]) => [reluGrad(op, g, xs), null] } : undefined;
  return runKernel1(op, 'relu_backward', [dy, x], [], { shape: dy.shape, dtype: dy.dtype }, rule);
}
