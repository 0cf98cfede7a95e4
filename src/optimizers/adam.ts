// Adam (Kingma & Ba) with optional AMSGrad, Keras 3's formulation: bias correction is
// folded into the step size and epsilon is added to sqrt(v) uncorrected ("epsilon hat").
import { adamUpdate, type AdamAttrs } from '../ops/optimizer_updates';
import { multiAdamUpdate } from '../ops/optimizer_updates_multi';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { mapPacked } from '../tensor/packed_map';

/** Adam's hyperparameters. */
export interface AdamHyper {
  /** Decay of the first moment (default 0.9). */
  beta1: number;
  /** Decay of the second moment (default 0.999). */
  beta2: number;
  /** Default 1e-7. */
  epsilon: number;
  /** Use the running maximum of the second moment (default false). */
  amsgrad: boolean;
}

/** The defaults of Adam and AdamW. */
export const ADAM_DEFAULTS: AdamHyper & { learningRate: number } = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, amsgrad: false };

/**
 * Adam (default learning rate 0.001).
 * @example new Adam({ learningRate: 3e-4, amsgrad: true })
 */
export class Adam extends Optimizer<AdamHyper> {
  protected override readonly foldsWeightDecay = true;

  constructor(config: OptimizerConfig & Partial<AdamHyper> = {}, kind = 'Adam') {
    super(kind, config, ADAM_DEFAULTS);
  }

  protected override slotSpecs(): [string, number][] {
    return this.hyper.amsgrad
      ? [
          ['momentum', 0],
          ['velocity', 0],
          ['velocity_hat', 0],
        ]
      : [
          ['momentum', 0],
          ['velocity', 0],
        ];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const vHat = this.hyper.amsgrad ? this.slot(variable, 'velocity_hat') : null;
    adamUpdate(
      variable,
      gradient,
      this.slot(variable, 'momentum'),
      this.slot(variable, 'velocity'),
      vHat,
      this.attrs(learningRate, this.weightDecayFor(variable)),
    );
  }

  protected override updateMany(gradients: Tensor[], variables: Variable[], learningRate: number, weightDecay: number): void {
    const groups = mapPacked(variables, (v, i) => ({
      param: v,
      grad: gradients[i],
      m: this.slot(v, 'momentum'),
      v: this.slot(v, 'velocity'),
      vHat: this.hyper.amsgrad ? this.slot(v, 'velocity_hat') : null,
    }));
    multiAdamUpdate(groups, this.attrs(learningRate, weightDecay));
  }

  // The kernel's attributes as one object literal. A spread ({ ...this.hyper, lr }) made
  // a new hidden class at every step in Node 20's V8 (the clone's map keeps no transitions),
  // so the update's property reads went megamorphic and TurboFan kept deoptimizing and
  // recompiling the step's functions on V8's worker threads (issue #22, bench/step_threads.ts).
  private attrs(lr: number, weightDecay: number): AdamAttrs {
    const h = this.hyper;
    return { lr, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon, amsgrad: h.amsgrad, step: this.iterations + 1, weightDecay };
  }
}
