// Nadam: Adam with Nesterov momentum (Dozat), with Keras 3's momentum schedule
// mu_t = beta1 (1 - 0.5 * 0.96^t).
import { add, div, mul, sub } from '../ops/binary';
import { sqrt, square } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Nadam's hyperparameters. */
export interface NadamHyper {
  /** Default 0.9. */
  beta1: number;
  /** Default 0.999. */
  beta2: number;
  /** Default 1e-7. */
  epsilon: number;
}

/**
 * Nadam (default learning rate 0.001). With mu_t = beta1 (1 - 0.5 * 0.96^t) and
 * P_t = mu_1 ... mu_t:
 *   m_hat = mu_{t+1} m / (1 - P_t mu_{t+1}) + (1 - mu_t) g / (1 - P_t)
 *   var -= lr m_hat / (sqrt(v / (1 - beta2^t)) + epsilon)
 */
export class Nadam extends Optimizer<NadamHyper> {
  private uProduct = 1;

  constructor(config: OptimizerConfig & Partial<NadamHyper> = {}) {
    super('Nadam', config, { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  }

  private mu(t: number): number {
    return this.hyper.beta1 * (1 - 0.5 * 0.96 ** t);
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['momentum', 0],
      ['velocity', 0],
    ];
  }

  protected override beforeUpdates(): void {
    this.uProduct *= this.mu(this.iterations + 1);
  }

  protected override scalarState(): Record<string, number> {
    return { u_product: this.uProduct };
  }

  protected override restoreScalarState(state: Record<string, number>): void {
    this.uProduct = state.u_product;
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta1, beta2, epsilon } = this.hyper;
    const t = this.iterations + 1;
    const muT = this.mu(t);
    const muNext = this.mu(t + 1);
    const m = this.slot(variable, 'momentum');
    const v = this.slot(variable, 'velocity');
    m.assign(add(m, mul(sub(gradient, m), 1 - beta1)));
    v.assign(add(v, mul(sub(square(gradient), v), 1 - beta2)));
    const mHat = add(mul(m, muNext / (1 - this.uProduct * muNext)), mul(gradient, (1 - muT) / (1 - this.uProduct)));
    const vHat = div(v, 1 - beta2 ** t);
    variable.assign(sub(variable, div(mul(mHat, learningRate), add(sqrt(vHat), epsilon))));
  }
}
