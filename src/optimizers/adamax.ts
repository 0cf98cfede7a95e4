// Adamax: Adam with the infinity norm in place of the second moment.
import { add, div, maximum, mul, sub } from '../ops/binary';
import { abs } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Adamax's hyperparameters. */
export interface AdamaxHyper {
  /** Default 0.9. */
  beta1: number;
  /** Default 0.999. */
  beta2: number;
  /** Default 1e-7. */
  epsilon: number;
}

/**
 * Adamax (default learning rate 0.001):
 *   m += (g - m)(1 - beta1);  u = max(beta2 u, |g|);  var -= lr m / ((1 - beta1^t)(u + epsilon))
 */
export class Adamax extends Optimizer<AdamaxHyper> {
  constructor(config: OptimizerConfig & Partial<AdamaxHyper> = {}) {
    super('Adamax', config, { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['momentum', 0],
      ['norm', 0],
    ];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.hyper;
    const m = this.slot(variable, 'momentum');
    const u = this.slot(variable, 'norm');
    m.assign(add(m, mul(sub(gradient, m), 1 - beta1)));
    u.assign(maximum(mul(u, beta2), abs(gradient)));
    const correction = 1 - beta1 ** (this.iterations + 1);
    variable.assign(sub(variable, div(mul(m, learningRate), mul(add(u, epsilon), correction))));
  }
}
