// FTRL-Proximal (McMahan et al., "Ad Click Prediction: a View from the Trenches"), Keras
// 3's rule with its L2 shrinkage and beta: the variable is solved in closed form from the
// accumulated squared gradients and the linear term, so L1 makes exact zeros.
import { add, div, mul, pow, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { square } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Ftrl's hyperparameters. */
export interface FtrlHyper {
  /** How the per-element rate falls as squared gradients accumulate, <= 0 (default -0.5; 0: a fixed rate). */
  learningRatePower: number;
  /** The accumulator's starting value, >= 0 (default 0.1). */
  initialAccumulatorValue: number;
  /** L1 regularization, >= 0 (default 0). */
  l1RegularizationStrength: number;
  /** L2 regularization, >= 0 (default 0). */
  l2RegularizationStrength: number;
  /** L2 shrinkage: a penalty on the magnitude added to the gradient (2 s var), >= 0 (default 0). */
  l2ShrinkageRegularizationStrength: number;
  /** Added to the L2 term as beta / (2 lr), >= 0 (default 0). */
  beta: number;
}

/**
 * Ftrl (default learning rate 0.001). With p = learningRatePower and n' = n + g^2:
 *   z += g + 2 l2s var - (n'^-p - n^-p) / lr var;  n = n'
 *   var = (clip(z, -l1, l1) - z) / (n'^-p / lr + 2 (l2 + beta / (2 lr)))
 */
export class Ftrl extends Optimizer<FtrlHyper> {
  constructor(config: OptimizerConfig & Partial<FtrlHyper> = {}) {
    super('Ftrl', config, {
      learningRate: 0.001,
      learningRatePower: -0.5,
      initialAccumulatorValue: 0.1,
      l1RegularizationStrength: 0,
      l2RegularizationStrength: 0,
      l2ShrinkageRegularizationStrength: 0,
      beta: 0,
    });
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['accumulator', this.hyper.initialAccumulatorValue],
      ['linear', 0],
    ];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const h = this.hyper;
    const accum = this.slot(variable, 'accumulator', h.initialAccumulatorValue);
    const linear = this.slot(variable, 'linear');
    const power = -h.learningRatePower;
    const l2 = h.l2RegularizationStrength + h.beta / (2 * learningRate);
    const gradToUse = add(gradient, mul(variable, 2 * h.l2ShrinkageRegularizationStrength));
    const newAccum = add(accum, square(gradient));
    const newPower = pow(newAccum, power);
    linear.assign(add(linear, sub(gradToUse, mul(div(sub(newPower, pow(accum, power)), learningRate), variable))));
    const quadratic = add(div(newPower, learningRate), 2 * l2);
    const l1 = h.l1RegularizationStrength;
    variable.assign(div(sub(clipByValue(linear, -l1, l1), linear), quadratic));
    accum.assign(newAccum);
  }
}
