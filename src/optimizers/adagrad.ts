// Adagrad: per-element rates from the sum of squared gradients.
import { adagradUpdate } from '../ops/optimizer_updates';
import { multiAdagradUpdate } from '../ops/optimizer_updates_multi';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { mapPacked } from '../tensor/packed_map';

/** Adagrad's hyperparameters. */
export interface AdagradHyper {
  /** The accumulator's starting value (default 0.1). */
  initialAccumulatorValue: number;
  /** Default 1e-7. */
  epsilon: number;
}

/** Adagrad (default learning rate 0.001). */
export class Adagrad extends Optimizer<AdagradHyper> {
  protected override readonly foldsWeightDecay = true;

  constructor(config: OptimizerConfig & Partial<AdagradHyper> = {}) {
    super('Adagrad', config, { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
  }

  protected override slotSpecs(): [string, number][] {
    return [['accumulator', this.hyper.initialAccumulatorValue]];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const accumulator = this.slot(variable, 'accumulator', this.hyper.initialAccumulatorValue);
    adagradUpdate(variable, gradient, accumulator, { lr: learningRate, epsilon: this.hyper.epsilon, weightDecay: this.weightDecayFor(variable) });
  }

  protected override updateMany(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void {
    const init = this.hyper.initialAccumulatorValue;
    const groups = mapPacked(variables, (v, i) => ({ param: v, grad: gradients[i], accumulator: this.slot(v, 'accumulator', init) }));
    multiAdagradUpdate(groups, { lr: learningRate, epsilon: this.hyper.epsilon, weightDecay });
  }
}
