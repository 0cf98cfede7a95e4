// RMSprop with optional momentum and centering, Keras 3's formulation (epsilon inside
// the square root).
import { rmspropUpdate, type RMSpropAttrs } from '../ops/optimizer_updates';
import { multiRMSpropUpdate } from '../ops/optimizer_updates_multi';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { mapPacked } from '../tensor/packed_map';

/** RMSprop's hyperparameters. */
export interface RMSpropHyper {
  /** Decay of the squared-gradient average (default 0.9). */
  rho: number;
  /** Default 0. */
  momentum: number;
  /** Default 1e-7. */
  epsilon: number;
  /** Normalize by the variance instead of the second moment (default false). */
  centered: boolean;
}

/**
 * RMSprop (default learning rate 0.001).
 * @example new RMSprop({ learningRate: 1e-3, rho: 0.9, momentum: 0.9, centered: true })
 */
export class RMSprop extends Optimizer<RMSpropHyper> {
  protected override readonly foldsWeightDecay = true;

  constructor(config: OptimizerConfig & Partial<RMSpropHyper> = {}) {
    super('RMSprop', config, { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
  }

  protected override slotSpecs(): [string, number][] {
    const specs: [string, number][] = [['velocity', 0]];
    if (this.hyper.momentum > 0) specs.push(['momentum', 0]);
    if (this.hyper.centered) specs.push(['average_gradient', 0]);
    return specs;
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const m = this.hyper.momentum > 0 ? this.slot(variable, 'momentum') : null;
    const averageGrad = this.hyper.centered ? this.slot(variable, 'average_gradient') : null;
    rmspropUpdate(variable, gradient, this.slot(variable, 'velocity'), m, averageGrad, this.attrs(learningRate, this.weightDecayFor(variable)));
  }

  protected override updateMany(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void {
    const groups = mapPacked(variables, (v, i) => ({
      param: v,
      grad: gradients[i],
      velocity: this.slot(v, 'velocity'),
      m: this.hyper.momentum > 0 ? this.slot(v, 'momentum') : null,
      averageGrad: this.hyper.centered ? this.slot(v, 'average_gradient') : null,
    }));
    multiRMSpropUpdate(groups, this.attrs(learningRate, weightDecay));
  }

  // The kernel's attributes as one object literal, not a spread of this.hyper: see Adam.attrs.
  private attrs(lr: number, weightDecay: number): RMSpropAttrs {
    const h = this.hyper;
    return { lr, rho: h.rho, momentum: h.momentum, epsilon: h.epsilon, centered: h.centered, weightDecay };
  }
}
