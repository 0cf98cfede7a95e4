// biasRelu: relu(x + bias) with the bias along the last axis, one kernel each way: the end
// of a convolution layer (internal, not re-exported by the ops index).
import { runKernel, runKernel1 } from '../tensor/run';
import { Tensor } from '../tensor/tensor';

/**
 * @internal max(x + bias, 0), bias [C] along x's last axis (x and bias of one float
 * dtype; the kernel checks). Its gradient is one pass too: dx = dy where the output is
 * positive, and dbias = dx summed over all but the last axis.
 */
export function biasRelu(x: Tensor, bias: Tensor): Tensor {
  const op = 'biasRelu';
  return runKernel1(
    op,
    'bias_relu',
    [x, bias],
    [],
    { shape: x.shape, dtype: x.dtype },
    {
      saveOutputs: true,
      grad: ([dy], [y]) =>
        runKernel(
          op,
          'bias_relu_backward',
          [dy, y],
          [],
          [
            { shape: dy.shape, dtype: dy.dtype },
            { shape: bias.shape, dtype: bias.dtype },
          ],
        ),
    },
  );
}
