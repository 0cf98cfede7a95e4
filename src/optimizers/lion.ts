// Lion (Chen et al., "Symbolic Discovery of Optimization Algorithms"), Keras 3's rule:
// the step is the sign of an interpolation of momentum and gradient, so every element
// moves by exactly lr.
import { add, mul, sub } from '../ops/binary';
import { sign } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Lion's hyperparameters. */
export interface LionHyper {
  /** Weight of the momentum in the step's sign, in (0, 1] (default 0.9). */
  beta1: number;
  /** Decay of the momentum (default 0.99). */
  beta2: number;
}

/**
 * Lion (default learning rate 0.001, as Keras 3; the paper suggests 3-10x smaller than AdamW's):
 *   var -= lr sign(beta1 m + (1 - beta1) g);  m = beta2 m + (1 - beta2) g
 * @example new Lion({ learningRate: 1e-4, weightDecay: 0.1 })
 */
export class Lion extends Optimizer<LionHyper> {
  constructor(config: OptimizerConfig & Partial<LionHyper> = {}) {
    super('Lion', config, { learningRate: 0.001, beta1: 0.9, beta2: 0.99 });
  }

  protected override slotSpecs(): [string, number][] {
    return [['momentum', 0]];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta1, beta2 } = this.hyper;
    const m = this.slot(variable, 'momentum');
    variable.assign(sub(variable, mul(sign(add(mul(m, beta1), mul(gradient, 1 - beta1))), learningRate)));
    m.assign(add(mul(m, beta2), mul(gradient, 1 - beta2)));
  }
}
