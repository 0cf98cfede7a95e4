// The shared path of the one-input ops of unary.ts: the input made a tensor and its dtype
// checked under the op's name, one kernel run, the gradient rule recorded when a tape
// listens. Internal: its own file, so that unary.ts (re-exported whole as public API)
// holds only the ops.
import { type TensorLike } from '../tensor/creation';
import { type DType } from '../tensor/dtype';
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import type { KernelAttrs } from '../native/op_attrs';
import type { OpName } from '../native/op_ids';
import { checkInputDType, toTensor } from './convert';

/** Runs a one-input kernel whose output has the input's shape. */
export function runUnary<K extends OpName>(
  op: string,
  kernel: K,
  x: TensorLike,
  allowed: readonly DType[],
  rule: ((t: Tensor) => GradRule) | null,
  attrs?: KernelAttrs<K>,
  outDType?: DType,
): Tensor {
  const created: Tensor[] = [];
  try {
    const t = toTensor(op, 'x', x, undefined, created);
    checkInputDType(op, 'x', t, allowed);
    // No attrs: a kernel without attributes (KernelAttrs<K> is then readonly []).
    return runKernel1(
      op,
      kernel,
      [t],
      attrs ?? ([] as readonly [] as KernelAttrs<K>),
      { shape: [...t.shape], dtype: outDType ?? t.dtype },
      rule && isRecording() ? rule(t) : undefined,
    );
  } finally {
    for (const t of created) t.dispose();
  }
}
