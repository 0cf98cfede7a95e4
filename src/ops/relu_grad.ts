// relu's gradient as one kernel, for relu and for the ops that fuse it (internal, not
// re-exported by the ops index).
import { runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';

/**
 * @internal dy where x > 0, else 0, in one pass (where a mask and a masked copy took two).
 * x may be relu's input or its output: both are positive at the same places.
 */
export function reluGrad(op: string, dy: Tensor, x: Tensor): Tensor {
  return runKernel1(op, 'relu_backward', [dy, x], [], { shape: dy.shape, dtype: dy.dtype });
}
