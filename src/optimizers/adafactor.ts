// Adafactor (Shazeer & Stern, "Adafactor: Adaptive Learning Rates with Sublinear Memory
// Cost"), Keras 3's rule: the second moment of a variable of rank >= 2 is kept factored as
// row and column means over its last two axes; steps are relative to the variable's RMS.
import { add, div, maximum, mul, sub } from '../ops/binary';
import { mean } from '../ops/reduce';
import { expandDims } from '../ops/reshape';
import { sqrt, square } from '../ops/unary';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';

/** Adafactor's hyperparameters. */
export interface AdafactorHyper {
  /** The second-moment decay at step t is 1 - t^beta2Decay; <= 0 (default -0.8). */
  beta2Decay: number;
  /** Added to the squared gradient (default 1e-30). */
  epsilon1: number;
  /** The least variable RMS a step is relative to (default 1e-3). */
  epsilon2: number;
  /** Steps whose RMS exceeds this are scaled down to it, > 0 (default 1). */
  clipThreshold: number;
  /**
   * Limit the rate to 1 / sqrt(t) (default true). Keras 3's rule takes min(lr, 1 / sqrt(t))
   * either way, so this changes nothing; kept for the config's sake.
   */
  relativeStep: boolean;
}

// RMS of all elements: a scalar tensor.
const rms = (x: Tensor) => sqrt(mean(square(x)));

/**
 * Adafactor (default learning rate 0.001). With rho = min(lr, 1 / sqrt(t)) and
 * b = 1 - t^beta2Decay, G = g^2 + epsilon1:
 *   rank >= 2: r = b r + (1 - b) mean(G, -1); c = b c + (1 - b) mean(G, -2);
 *              v = (r / mean(r, -1))[..., None] c[..., None, :]
 *   otherwise: v = b v + (1 - b) G
 *   u = g / sqrt(v);  var -= max(epsilon2, rms(var)) rho u / max(1, rms(u) / clipThreshold)
 * Slots: r, c (scalar placeholders for vectors, as Keras makes them) and velocity.
 */
export class Adafactor extends Optimizer<AdafactorHyper> {
  constructor(config: OptimizerConfig & Partial<AdafactorHyper> = {}) {
    super('Adafactor', config, { learningRate: 0.001, beta2Decay: -0.8, epsilon1: 1e-30, epsilon2: 1e-3, clipThreshold: 1, relativeStep: true });
  }

  protected override slotSpecs(): [string, number][] {
    return [
      ['r', 0],
      ['c', 0],
      ['velocity', 0],
    ];
  }

  protected override slotShape(owner: Variable, slotName: string): readonly number[] {
    const s = owner.shape;
    if (slotName === 'velocity') return s;
    if (s.length < 2) return [];
    return slotName === 'r' ? s.slice(0, -1) : [...s.slice(0, -2), s[s.length - 1]];
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    const { beta2Decay, epsilon1, epsilon2, clipThreshold } = this.hyper;
    const t = this.iterations + 1;
    const rho = Math.min(learningRate, 1 / Math.sqrt(t));
    const alpha = mul(maximum(rms(variable), epsilon2), rho);
    const g2 = add(square(gradient), epsilon1);
    const b = 1 - t ** beta2Decay;
    const r = this.slot(variable, 'r');
    const c = this.slot(variable, 'c');
    const v = this.slot(variable, 'velocity');
    if (variable.rank >= 2) {
      r.assign(add(mul(r, b), mul(mean(g2, -1), 1 - b)));
      c.assign(add(mul(c, b), mul(mean(g2, -2), 1 - b)));
      v.assign(mul(expandDims(div(r, mean(r, -1, true)), -1), expandDims(c, -2)));
    } else {
      v.assign(add(mul(v, b), mul(g2, 1 - b)));
    }
    const u = div(gradient, sqrt(v));
    const uHat = div(u, maximum(div(rms(u), clipThreshold), 1));
    variable.assign(sub(variable, mul(uHat, alpha)));
  }
}
