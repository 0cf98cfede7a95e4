// Adadelta (Zeiler): steps scaled by the ratio of running RMS of updates and gradients.
import { add, div, mul } from '../ops/binary';
import { sqrt, square } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Adadelta's hyperparameters. */
export interface AdadeltaHyper {
  /** Decay of the running averages (default 0.95). */
  rho: number;
  /** Default 1e-7. */
  epsilon: number;
}

/**
 * Adadelta (default learning rate 0.001, as Keras 3):
 *   Eg = rho Eg + (1 - rho) g^2;  d = -sqrt(Ed + eps) g / sqrt(Eg + eps)
 *   Ed = rho Ed + (1 - rho) d^2;  var += lr d
 */
export class Adadelta extends Optimizer<AdadeltaHyper> {
  constructor(config: OptimizerConfig & Partial<AdadeltaHyper> = {}) {
    super('Adadelta', config, { learningRate: 0.001, rho: 0.95, epsilon: 1e-7 });
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['accumulated_grad', 0],
      ['accumulated_delta_var', 0],
    ];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { rho, epsilon } = this.hyper;
    const accGrad = this.slot(variable, 'accumulated_grad');
    const accDelta = this.slot(variable, 'accumulated_delta_var');
    const rms = (x: Tensor) => sqrt(add(x, epsilon));
    accGrad.assign(add(mul(accGrad, rho), mul(square(gradient), 1 - rho)));
    const delta = mul(div(mul(rms(accDelta), gradient), rms(accGrad)), -1);
    accDelta.assign(add(mul(accDelta, rho), mul(square(delta), 1 - rho)));
    variable.assign(add(variable, mul(delta, learningRate)));
  }
}
