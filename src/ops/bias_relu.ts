// biasRelu: relu(x + bias) with the bias along the last axis, one kernel each way: the end
// of a convolution layer (internal, not re-exported by the ops index).
import { isRecording, runKernel, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { add } from './binary';
import { reluGrad } from './relu_grad';

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
      grad: ([dy], [y]) => biasReluGrad(op, dy, y, bias),
    },
  );
}

/**
 * @internal [dx, dbias] of relu(x + bias) from its output y, in one kernel (also
 * matMulBias's gradient with relu). Under an outer tape the kernel is itself
 * differentiated: both outputs are linear in dy through the same mask (dbias sums dx), so
 * d/d(dy) is the mask applied to g_dx + g_dbias (broadcast along the last axis); y takes
 * none (relu'' = 0).
 */
export function biasReluGrad(op: string, dy: Tensor, y: Tensor, bias: Tensor): Tensor[] {
  const rule: GradRule | undefined = isRecording() ? { save: [y], grad: ([gdx, gdbias], [ys]) => [reluGrad(op, add(gdx, gdbias), ys), null] } : undefined;
  return runKernel(
    op,
    'bias_relu_backward',
    [dy, y],
    [],
    [
      { shape: dy.shape, dtype: dy.dtype },
      { shape: bias.shape, dtype: bias.dtype },
    ],
    rule,
  );
}
