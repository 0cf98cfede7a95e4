// SGD with optional (Nesterov) momentum, Keras 3's formulation.
import { sgdUpdate, type SGDAttrs } from '../ops/optimizer_updates';
import { multiSgdUpdate } from '../ops/optimizer_updates_multi';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { mapPacked } from '../tensor/packed_map';

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
    sgdUpdate(variable, gradient, m, this.attrs(learningRate, this.weightDecayFor(variable)));
  }

  protected override updateMany(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void {
    const groups = mapPacked(variables, (v, i) => ({ param: v, grad: gradients[i], m: this.hyper.momentum !== 0 ? this.slot(v, 'momentum') : null }));
    multiSgdUpdate(groups, this.attrs(learningRate, weightDecay));
  }

  // The kernel's attributes as one object literal, not a spread of this.hyper: see Adam.attrs.
  private attrs(lr: number, weightDecay: number): SGDAttrs {
    return { lr, momentum: this.hyper.momentum, nesterov: this.hyper.nesterov, weightDecay };
  }
}
