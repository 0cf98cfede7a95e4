// Schedule-free AdamW (Defazio et al., "The Road Less Scheduled"), Keras 3.15's rule: the
// momentum slot holds the iterate z (it starts at the variable), Adam's second moment
// scales its steps, and the variable is y = (1 - beta1) z + beta1 x, where x averages the
// z's uniformly (weight 1/t), recovered from y and the previous z.
import { add, div, mul, sub } from '../ops/binary';
import { sqrt, square } from '../ops/unary';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** ScheduleFreeAdamW's hyperparameters. */
export interface ScheduleFreeAdamWHyper {
  /** Interpolation between the iterate z and its average x (default 0.9). */
  beta1: number;
  /** Decay of the second moment (default 0.999). */
  beta2: number;
  /** Added to the bias-corrected sqrt(v) (default 1e-8). */
  epsilon: number;
  /** The learning rate ramps up linearly over this many steps (default 0: no warmup). */
  warmupSteps: number;
}

/**
 * Schedule-free AdamW (default learning rate 0.0025; no learning rate schedule needed).
 * @example new ScheduleFreeAdamW({ learningRate: 0.001, warmupSteps: 100, weightDecay: 0.01 })
 */
export class ScheduleFreeAdamW extends Optimizer<ScheduleFreeAdamWHyper> {
  constructor(config: OptimizerConfig & Partial<ScheduleFreeAdamWHyper> = {}) {
    super('ScheduleFreeAdamW', config, { learningRate: 0.0025, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, warmupSteps: 0 });
    const w = this.hyper.warmupSteps;
    if (!(Number.isInteger(w) && w >= 0)) throw new Error(`ScheduleFreeAdamW: expected warmupSteps to be an integer >= 0, got ${describe(w)}`);
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['momentum', 0],
      ['velocity', 0],
    ];
  }

  // Keras's build: the momentum (the iterate z) starts at the variable.
  protected override initSlot(owner: Variable, slotName: string, slot: Variable): void {
    if (slotName === 'momentum') slot.assign(owner);
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta1, beta2, epsilon, warmupSteps } = this.hyper;
    const t = this.iterations + 1;
    const lr = warmupSteps > 0 ? learningRate * Math.min(t / warmupSteps, 1) : learningRate;
    const z = this.slot(variable, 'momentum');
    const v = this.slot(variable, 'velocity');
    const zOld = mul(z, 1);
    v.assign(add(v, mul(sub(square(gradient), v), 1 - beta2)));
    const denom = add(sqrt(div(v, 1 - beta2 ** t)), epsilon);
    z.assign(sub(z, div(mul(gradient, lr), denom)));
    const w = 1 / t;
    const xOld = div(sub(variable, mul(zOld, 1 - beta1)), beta1);
    const xNew = add(mul(xOld, 1 - w), mul(z, w));
    variable.assign(add(mul(z, 1 - beta1), mul(xNew, beta1)));
  }
}
