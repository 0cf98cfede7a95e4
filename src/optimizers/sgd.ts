// SGD with optional (Nesterov) momentum, Keras 3's formulation.
import { sgdUpdate } from '../ops/optimizer_updates';
import { multiSgdUpdate } from '../ops/optimizer_updates_multi';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** SGD's hyperparameters. */
export interface SGDHyper {
  /** Default 0 (plain gradient descent). */
  momentum: number;
  /** Default false. */
  nesterov: boolean;
}

/**
 * Stochastic gradient descent (default learning rate 0.01).
 * @example new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true })
 */
export class SGD extends Optimizer<SGDHyper> {
  protected override readonly foldsWeightDecay = true;

  constructor(config: OptimizerConfig & Partial<SGDHyper> = {}) {
    super('SGD', config, { learningRate: 0.01, momentum: 0, nesterov: false });
  }

  protected override slotSpecs(): [string, number][] {
    return this.hyper.momentum !== 0 ? [['momentum', 0]] : [];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const m = this.hyper.momentum !== 0 ? this.slot(variable, 'momentum') : null;
    sgdUpdate(variable, gradient, m, { ...this.hyper, lr: learningRate, weightDecay: this.weightDecayFor(variable) });
  }

  protected override updateMany(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void {
    const groups = variables.map((v, i) => ({ param: v, grad: gradients[i], m: this.hyper.momentum !== 0 ? this.slot(v, 'momentum') : null }));
    multiSgdUpdate(groups, { ...this.hyper, lr: learningRate, weightDecay });
  }
}
