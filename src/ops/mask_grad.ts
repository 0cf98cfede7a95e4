// dropout's gradient kernel (dy where a fixed bool mask holds, scaled), shared by dropout
// and the ops that pass a gradient through a mask (internal, not re-exported by the ops index).
import { packAttrs } from '../native/op_attrs';
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';

/**
 * @internal dy / (1 - rate) where `keep` (bool) holds, else 0, in one pass. Under an outer
 * tape (higher-order gradients) the kernel is itself differentiated: it is linear in dy
 * with the same mask (its own transpose), and the mask takes no gradient.
 */
export function maskGrad(op: string, dy: Tensor, keep: Tensor, rate: number): Tensor {
  const rule: GradRule | undefined = isRecording() ? { save: [keep], grad: ([g], [k]) => [maskGrad(op, g, k, rate), null] } : undefined;
  return runKernel1(op, 'dropout_backward', [dy, keep], packAttrs.dropout_backward({ rate }), { shape: dy.shape, dtype: dy.dtype }, rule);
}
