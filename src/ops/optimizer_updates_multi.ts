// Multi-tensor optimizer updates: the step of sgdUpdate, adamUpdate, rmspropUpdate or
// adagradUpdate (optimizer_updates.ts, same formulas and attributes) for many variables in
// ONE kernel call, so that a model's small tensors do not each pay a kernel call and a
// thread-pool fork/join. The variables of one call share a device, a dtype and the weight
// decay (Optimizer.applyGradients groups them so); the results are the per-tensor kernels'.
import { packAttrs, type KernelAttrs } from '../native/op_attrs';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { runKernel } from '../tensor/run';
import {
  checkMatchesVariable,
  checkSlot,
  checkUpdateAttrs,
  type AdagradAttrs,
  type AdamAttrs,
  type RMSpropAttrs,
  type SGDAttrs,
  type UpdateKernel,
} from './optimizer_updates';
import { tooManyArguments } from '../options/arity';

/** One variable of a multiSgdUpdate: m iff momentum != 0. */
export interface SGDGroup {
  /** The variable, updated in place. */
  param: Variable;
  /** Its gradient (already clipped), of its size and dtype. */
  grad: Tensor;
  /** The momentum slot, or null without momentum. */
  m: Variable | null;
}

/** One variable of a multiAdamUpdate: vHat iff amsgrad. */
export interface AdamGroup {
  /** The variable, updated in place. */
  param: Variable;
  /** Its gradient (already clipped), of its size and dtype. */
  grad: Tensor;
  /** The first-moment slot. */
  m: Variable;
  /** The second-moment slot. */
  v: Variable;
  /** The running maximum of v (amsgrad), or null. */
  vHat: Variable | null;
}

/** One variable of a multiRMSpropUpdate: m iff momentum != 0, averageGrad iff centered. */
export interface RMSpropGroup {
  /** The variable, updated in place. */
  param: Variable;
  /** Its gradient (already clipped), of its size and dtype. */
  grad: Tensor;
  /** The squared-gradient average. */
  velocity: Variable;
  /** The momentum slot, or null without momentum. */
  m: Variable | null;
  /** The gradient average (centered), or null. */
  averageGrad: Variable | null;
}

/** One variable of a multiAdagradUpdate. */
export interface AdagradGroup {
  /** The variable, updated in place. */
  param: Variable;
  /** Its gradient (already clipped), of its size and dtype. */
  grad: Tensor;
  /** The sum of squared gradients. */
  accumulator: Variable;
}

// Checks every group (its slots against the attributes, its tensors against its variable,
// its dtype against the first group's) and runs the kernel on the groups laid end to end.
function updateMany<K extends UpdateKernel, G>(op: string, kernel: K, groups: G[], tensorsOf: (g: G, where: string) => Tensor[], attrs: KernelAttrs<K>): void {
  if (!Array.isArray(groups) || groups.length === 0) throw new Error(`${op}: expected a non-empty array of variables to update, got ${describe(groups)}`);
  const tensors: Tensor[] = [];
  groups.forEach((g, i) => {
    const where = `variable ${i}: `;
    if (g === null || typeof g !== 'object') throw new Error(`${op}: ${where}expected an object of the variable, its gradient and slots, got ${describe(g)}`);
    const own = tensorsOf(g, where);
    checkMatchesVariable(op, own, where);
    if (tensors.length > 0 && own[0].dtype !== tensors[0].dtype)
      throw new Error(
        `${op}: ${where}expected every variable to be ${tensors[0].dtype} like variable 0, got ${own[0].dtype}; update each dtype in its own call`,
      );
    tensors.push(...own);
  });
  runKernel(op, kernel, tensors, attrs, []);
}

/** sgdUpdate's step for every group in one kernel call. */
export function multiSgdUpdate(groups: SGDGroup[], a: SGDAttrs): void {
  if (arguments.length > 2) throw tooManyArguments('optimizers.multiSgdUpdate', 2, arguments.length);
  const op = 'multiSgdUpdate';
  checkUpdateAttrs(op, a);
  updateMany(
    op,
    'multi_sgd_update',
    groups,
    (g, where) => {
      checkSlot(op, 'momentum', g.m, a.momentum !== 0, `${where}momentum ${a.momentum}`);
      return g.m ? [g.param, g.grad, g.m] : [g.param, g.grad];
    },
    packAttrs.multi_sgd_update({ learningRate: a.lr, momentum: a.momentum, nesterov: a.nesterov, weightDecay: a.weightDecay }),
  );
}

/** adamUpdate's step (AdamW: weightDecay > 0) for every group in one kernel call. */
export function multiAdamUpdate(groups: AdamGroup[], a: AdamAttrs): void {
  if (arguments.length > 2) throw tooManyArguments('optimizers.multiAdamUpdate', 2, arguments.length);
  const op = 'multiAdamUpdate';
  checkUpdateAttrs(op, a);
  updateMany(
    op,
    'multi_adam_update',
    groups,
    (g, where) => {
      checkSlot(op, 'vHat', g.vHat, a.amsgrad, `${where}amsgrad ${a.amsgrad}`);
      return g.vHat ? [g.param, g.grad, g.m, g.v, g.vHat] : [g.param, g.grad, g.m, g.v];
    },
    packAttrs.multi_adam_update({
      learningRate: a.lr,
      beta1: a.beta1,
      beta2: a.beta2,
      epsilon: a.epsilon,
      step: a.step,
      weightDecay: a.weightDecay,
      amsgrad: a.amsgrad,
    }),
  );
}

/** rmspropUpdate's step for every group in one kernel call. */
export function multiRMSpropUpdate(groups: RMSpropGroup[], a: RMSpropAttrs): void {
  if (arguments.length > 2) throw tooManyArguments('optimizers.multiRMSpropUpdate', 2, arguments.length);
  const op = 'multiRMSpropUpdate';
  checkUpdateAttrs(op, a);
  updateMany(
    op,
    'multi_rmsprop_update',
    groups,
    (g, where) => {
      checkSlot(op, 'momentum', g.m, a.momentum !== 0, `${where}momentum ${a.momentum}`);
      checkSlot(op, 'averageGrad', g.averageGrad, a.centered, `${where}centered ${a.centered}`);
      return [g.param, g.grad, g.velocity, ...(g.m ? [g.m] : []), ...(g.averageGrad ? [g.averageGrad] : [])];
    },
    packAttrs.multi_rmsprop_update({
      learningRate: a.lr,
      rho: a.rho,
      momentum: a.momentum,
      epsilon: a.epsilon,
      centered: a.centered,
      weightDecay: a.weightDecay,
    }),
  );
}

/** adagradUpdate's step for every group in one kernel call. */
export function multiAdagradUpdate(groups: AdagradGroup[], a: AdagradAttrs): void {
  if (arguments.length > 2) throw tooManyArguments('optimizers.multiAdagradUpdate', 2, arguments.length);
  checkUpdateAttrs('multiAdagradUpdate', a);
  updateMany(
    'multiAdagradUpdate',
    'multi_adagrad_update',
    groups,
    (g) => [g.param, g.grad, g.accumulator],
    packAttrs.multi_adagrad_update({ learningRate: a.lr, epsilon: a.epsilon, weightDecay: a.weightDecay }),
  );
}
