// dy where a mask holds, else 0: the backward pass of relu and its relatives (internal,
// not re-exported by the ops index).
import { runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';

/**
 * @internal dy where `keep` (bool) holds, else 0, in one pass: dropout's backward kernel
 * at rate 0. A cast of `keep` and a multiply would be two more passes over a gradient as
 * large as the activation (for relu after a convolution, more than the ops around it).
 */
export function passWhere(op: string, dy: Tensor, keep: Tensor): Tensor {
  return runKernel1(op, 'dropout_backward', [dy, keep], [0], { shape: dy.shape, dtype: dy.dtype });
}
