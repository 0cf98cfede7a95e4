// Lamb (You et al., "Large Batch Optimization for Deep Learning"), Keras 3's rule: Adam's
// bias-corrected step rescaled per variable by the trust ratio ||var|| / ||step||.
import { add, div, mul, sub } from '../ops/binary';
import { greater, where } from '../ops/compare';
import { sum } from '../ops/reduce';
import { sqrt, square } from '../ops/unary';
import { onesLike } from '../tensor/creation';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Lamb's hyperparameters. */
export interface LambHyper {
  /** Decay of the first moment (default 0.9). */
  beta1: number;
  /** Decay of the second moment (default 0.999). */
  beta2: number;
  /** Added to the bias-corrected sqrt(v) (default 1e-7). */
  epsilon: number;
}

/**
 * Lamb (default learning rate 0.001):
 *   step = (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
 *   var -= lr r step, r = ||var|| / ||step|| (1 when either norm is 0)
 */
export class Lamb extends Optimizer<LambHyper> {
  constructor(config: OptimizerConfig & Partial<LambHyper> = {}) {
    super('Lamb', config, { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['momentum', 0],
      ['velocity', 0],
    ];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.hyper;
    const t = this.iterations + 1;
    const m = this.slot(variable, 'momentum');
    const v = this.slot(variable, 'velocity');
    m.assign(add(m, mul(sub(gradient, m), 1 - beta1)));
    v.assign(add(v, mul(sub(square(gradient), v), 1 - beta2)));
    const step = div(div(m, 1 - beta1 ** t), add(sqrt(div(v, 1 - beta2 ** t)), epsilon));
    const wNorm = sqrt(sum(square(variable)));
    const sNorm = sqrt(sum(square(step)));
    // Chosen on the device, no value read back; the 0/0 of the unused branch is discarded.
    const one = onesLike(wNorm);
    const ratio = where(greater(wNorm, 0), where(greater(sNorm, 0), div(wNorm, sNorm), one), one);
    variable.assign(sub(variable, mul(mul(step, ratio), learningRate)));
  }
}
