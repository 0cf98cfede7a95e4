// Fused optimizer updates: one kernel per parameter and step that writes the parameter
// and its slot variables in place, weight decay first (Keras 3 formulas;
// native/src/cpu/optimizers.cpp). The optimizer classes call these (and optimizers/
// re-exports them for custom optimizers); they are never recorded on a tape.
// The multi* forms update many parameters of one device, dtype and weight decay in one
// kernel call (optimizer_updates_multi.ts).
import { tooManyArguments } from '../options/arity';
import { packAttrs, type KernelAttrs } from '../native/op_attrs';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { runKernel } from '../tensor/run';

/** What sgdUpdate needs besides the tensors: the native `sgd_update` kernel's attributes. */
export interface SGDAttrs {
  /** This step's learning rate (a schedule already evaluated). */
  lr: number;
  /** Momentum (0: plain gradient descent, and no momentum slot). */
  momentum: number;
  /** Nesterov momentum. */
  nesterov: boolean;
  /** Decoupled weight decay for this variable (0: none): param -= lr * weightDecay * param first. */
  weightDecay: number;
}

/** What adamUpdate needs besides the tensors: the native `adam_update` kernel's attributes. */
export interface AdamAttrs {
  /** This step's learning rate (a schedule already evaluated). */
  lr: number;
  /** Decay of the first moment. */
  beta1: number;
  /** Decay of the second moment. */
  beta2: number;
  /** Added to sqrt(v), for stability. */
  epsilon: number;
  /** Use the running maximum of the second moment (then vHat is given). */
  amsgrad: boolean;
  /** 1-based: the optimizer's iterations + 1. */
  step: number;
  /** Decoupled weight decay for this variable (0: none): param -= lr * weightDecay * param first. */
  weightDecay: number;
}

/** What rmspropUpdate needs besides the tensors: the native `rmsprop_update` kernel's attributes. */
export interface RMSpropAttrs {
  /** This step's learning rate (a schedule already evaluated). */
  lr: number;
  /** Decay of the squared-gradient average. */
  rho: number;
  /** Momentum (0: none, and no momentum slot). */
  momentum: number;
  /** Added under the square root, for stability. */
  epsilon: number;
  /** Normalize by the variance instead of the second moment (then averageGrad is given). */
  centered: boolean;
  /** Decoupled weight decay for this variable (0: none): param -= lr * weightDecay * param first. */
  weightDecay: number;
}

/** What adagradUpdate needs besides the tensors: the native `adagrad_update` kernel's attributes. */
export interface AdagradAttrs {
  /** This step's learning rate (a schedule already evaluated). */
  lr: number;
  /** Added to the accumulator under the square root, for stability. */
  epsilon: number;
  /** Decoupled weight decay for this variable (0: none): param -= lr * weightDecay * param first. */
  weightDecay: number;
}

export type UpdateKernel =
  | 'sgd_update'
  | 'adam_update'
  | 'rmsprop_update'
  | 'adagrad_update'
  | 'multi_sgd_update'
  | 'multi_adam_update'
  | 'multi_rmsprop_update'
  | 'multi_adagrad_update';

/** Checks that the gradient and slots (tensors[1..]) match the variable (tensors[0]); `where` prefixes the message. */
export function checkMatchesVariable(op: string, tensors: Tensor[], where = ''): void {
  // The variable and its slots are written in place: a plain tensor there would be changed under its owner.
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (i === 1 ? !(t instanceof Tensor) : !(t instanceof Variable)) {
      throw new Error(
        `${op}: ${where}expected ${i === 0 ? 'the variable to be a Variable' : i === 1 ? 'the gradient to be a Tensor' : 'every slot to be a Variable'}, got ${describe(t)}`,
      );
    }
  }
  const [param] = tensors;
  for (const t of tensors) {
    if (t.size !== param.size || t.dtype !== param.dtype) {
      throw new Error(
        `${op}: ${where}expected every slot and the gradient to match the variable ([${param.shape.join(', ')}] ${param.dtype}), got [${t.shape.join(', ')}] ${t.dtype}`,
      );
    }
  }
}

/** Throws unless the attributes are an object (the kernel's own packing checks each value). */
export function checkUpdateAttrs(op: string, a: unknown): void {
  if (a === null || typeof a !== 'object') throw new Error(`${op}: expected the update's attributes ({lr, ...}) as an object, got ${describe(a)}`);
}

function update<K extends UpdateKernel>(op: string, kernel: K, tensors: Tensor[], attrs: KernelAttrs<K>): void {
  checkMatchesVariable(op, tensors);
  runKernel(op, kernel, tensors, attrs, []);
}

// An optional slot is given exactly when its attribute asks for it: the kernel reads the
// slot's presence from the number of inputs, so a mismatch would silently skip a term.
export function checkSlot(op: string, slot: string, given: Variable | null, wanted: boolean, because: string): void {
  if (wanted !== (given !== null)) throw new Error(`${op}: ${because} calls for ${wanted ? 'the' : 'no'} ${slot} slot, got ${describe(given)}`);
}

/**
 * One SGD update in place, weight decay first (inputs param, grad [, m]; m iff momentum != 0):
 *   m = momentum * m - lr * g;  param += nesterov ? momentum * m - lr * g : m
 * and without momentum param -= lr * g.
 */
export function sgdUpdate(param: Variable, grad: Tensor, m: Variable | null, a: SGDAttrs): void {
  if (arguments.length > 4) throw tooManyArguments('optimizers.sgdUpdate', 4, arguments.length);
  checkUpdateAttrs('sgdUpdate', a);
  checkSlot('sgdUpdate', 'momentum', m, a.momentum !== 0, `momentum ${a.momentum}`);
  update(
    'sgdUpdate',
    'sgd_update',
    m ? [param, grad, m] : [param, grad],
    packAttrs.sgd_update({ learningRate: a.lr, momentum: a.momentum, nesterov: a.nesterov, weightDecay: a.weightDecay }),
  );
}

/**
 * One Adam (AdamW: weightDecay > 0) update in place, weight decay first (inputs param,
 * grad, m, v [, vHat]; vHat iff amsgrad):
 *   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
 *   m += (g - m)(1 - beta1);  v += (g^2 - v)(1 - beta2);  amsgrad: vHat = max(vHat, v)
 *   param -= alpha * m / (sqrt(v or vHat) + epsilon)
 */
export function adamUpdate(param: Variable, grad: Tensor, m: Variable, v: Variable, vHat: Variable | null, a: AdamAttrs): void {
  if (arguments.length > 6) throw tooManyArguments('optimizers.adamUpdate', 6, arguments.length);
  checkUpdateAttrs('adamUpdate', a);
  checkSlot('adamUpdate', 'vHat', vHat, a.amsgrad, `amsgrad ${a.amsgrad}`);
  update(
    'adamUpdate',
    'adam_update',
    vHat ? [param, grad, m, v, vHat] : [param, grad, m, v],
    packAttrs.adam_update({
      learningRate: a.lr,
      beta1: a.beta1,
      beta2: a.beta2,
      epsilon: a.epsilon,
      step: a.step,
      weightDecay: a.weightDecay,
      amsgrad: vHat !== null,
    }),
  );
}

/**
 * One RMSprop update in place, weight decay first (inputs param, grad, velocity [, m]
 * [, averageGrad]; m iff momentum != 0, averageGrad iff centered):
 *   v = rho v + (1 - rho) g^2;  centered: a = rho a + (1 - rho) g, denominator v - a^2 + eps
 *   increment = lr g / sqrt(denominator or v + eps)
 *   momentum: m = momentum m + increment, param -= m; else param -= increment
 */
export function rmspropUpdate(param: Variable, grad: Tensor, velocity: Variable, m: Variable | null, averageGrad: Variable | null, a: RMSpropAttrs): void {
  if (arguments.length > 6) throw tooManyArguments('optimizers.rmspropUpdate', 6, arguments.length);
  checkUpdateAttrs('rmspropUpdate', a);
  checkSlot('rmspropUpdate', 'momentum', m, a.momentum !== 0, `momentum ${a.momentum}`);
  checkSlot('rmspropUpdate', 'averageGrad', averageGrad, a.centered, `centered ${a.centered}`);
  const tensors = [param, grad, velocity, ...(m ? [m] : []), ...(averageGrad ? [averageGrad] : [])];
  update(
    'rmspropUpdate',
    'rmsprop_update',
    tensors,
    packAttrs.rmsprop_update({
      learningRate: a.lr,
      rho: a.rho,
      momentum: a.momentum,
      epsilon: a.epsilon,
      centered: averageGrad !== null,
      weightDecay: a.weightDecay,
    }),
  );
}

/**
 * One Adagrad update in place, weight decay first (inputs param, grad, accumulator):
 *   acc += g^2;  param -= lr g / sqrt(acc + epsilon)
 */
export function adagradUpdate(param: Variable, grad: Tensor, accumulator: Variable, a: AdagradAttrs): void {
  if (arguments.length > 4) throw tooManyArguments('optimizers.adagradUpdate', 4, arguments.length);
  checkUpdateAttrs('adagradUpdate', a);
  update(
    'adagradUpdate',
    'adagrad_update',
    [param, grad, accumulator],
    packAttrs.adagrad_update({ learningRate: a.lr, epsilon: a.epsilon, weightDecay: a.weightDecay }),
  );
}
