// Fused optimizer updates: one kernel per parameter and step that writes the parameter
// and its slot variables in place (Keras 3 formulas; native/src/cpu/optimizers.cpp).
// Internal: the optimizer classes call these; they are never recorded on a tape.
import { packAttrs, type KernelAttrs } from '../native/op_attrs';
import { runKernel } from '../tensor/run';
import { Tensor, Variable } from '../tensor/tensor';

function update<K extends 'sgd_update' | 'adam_update' | 'rmsprop_update' | 'adagrad_update'>(op: string, kernel: K, tensors: Tensor[], attrs: KernelAttrs<K>): void {
  const [param] = tensors;
  for (const t of tensors) {
    if (t.size !== param.size || t.dtype !== param.dtype) {
      throw new Error(`${op}: expected every slot and the gradient to match the variable ([${param.shape.join(', ')}] ${param.dtype}), got [${t.shape.join(', ')}] ${t.dtype}`);
    }
  }
  runKernel(op, kernel, tensors, attrs, []);
}

/** SGD with optional (Nesterov) momentum; `momentumSlot` iff momentum != 0. */
export function sgdUpdate(param: Variable, grad: Tensor, momentumSlot: Variable | null, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void {
  update('sgd', 'sgd_update', momentumSlot ? [param, grad, momentumSlot] : [param, grad], packAttrs.sgd_update({ learningRate: lr, momentum, nesterov, weightDecay }));
}

/** Adam / AdamW (weightDecay > 0) with optional AMSGrad; `step` is 1-based. */
export function adamUpdate(
  param: Variable, grad: Tensor, m: Variable, v: Variable, vHat: Variable | null,
  lr: number, beta1: number, beta2: number, epsilon: number, step: number, weightDecay: number,
): void {
  update('adam', 'adam_update', vHat ? [param, grad, m, v, vHat] : [param, grad, m, v], packAttrs.adam_update({ learningRate: lr, beta1, beta2, epsilon, step, weightDecay, amsgrad: vHat !== null }));
}

/** RMSprop with optional momentum and centering. */
export function rmspropUpdate(
  param: Variable, grad: Tensor, velocity: Variable, momentumSlot: Variable | null, averageGrad: Variable | null,
  lr: number, rho: number, momentum: number, epsilon: number, weightDecay: number,
): void {
  const tensors = [param, grad, velocity, ...(momentumSlot ? [momentumSlot] : []), ...(averageGrad ? [averageGrad] : [])];
  update('rmsprop', 'rmsprop_update', tensors, packAttrs.rmsprop_update({ learningRate: lr, rho, momentum, epsilon, centered: averageGrad !== null, weightDecay }));
}

/** Adagrad. */
export function adagradUpdate(param: Variable, grad: Tensor, accumulator: Variable, lr: number, epsilon: number, weightDecay: number): void {
  update('adagrad', 'adagrad_update', [param, grad, accumulator], packAttrs.adagrad_update({ learningRate: lr, epsilon, weightDecay }));
}
