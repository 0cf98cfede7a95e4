// Muon (Jordan et al.; Liu et al. 2025, "Muon is Scalable for LLM Training"), Keras 3.15's
// rule: 2-D weights step along the Newton-Schulz orthogonalisation of their (Nesterov)
// momentum, scaled as Moonlight scales it; every other weight (not 2-D, an embedding, or a
// name matching excludeLayers) takes an AdamW step at lr * adamLrRatio.
import { add, div, mul, sub } from '../ops/binary';
import { matMul } from '../ops/matmul';
import { norm } from '../ops/clip';
import { sqrt, square } from '../ops/unary';
import { transpose } from '../ops/transpose';
import { describe } from '../tensor/shape';
import { tooManyArguments } from '../options/arity';
import { Tensor, Variable } from '../tensor/tensor';
import { Optimizer, type OptimizerConfig } from './optimizer';
import { everyEntry } from '../options/every_entry';

/** Muon's hyperparameters. */
export interface MuonHyper {
  /** Decay of the AdamW first moment (default 0.9). */
  adamBeta1: number;
  /** Decay of the AdamW second moment (default 0.999). */
  adamBeta2: number;
  /** Weight decay of the weights updated by AdamW, or null for none (default 0.004). */
  adamWeightDecay: number | null;
  /** AdamW's epsilon hat (default 1e-7). */
  epsilon: number;
  /** Regular expressions: weights whose names match one take AdamW steps (default []). */
  excludeLayers: string[];
  /** Weights whose names contain 'embedding' take AdamW steps (default true). */
  excludeEmbeddings: boolean;
  /** Newton-Schulz coefficient a (default 3.4445). */
  muonA: number;
  /** Newton-Schulz coefficient b (default -4.775). */
  muonB: number;
  /** Newton-Schulz coefficient c (default 2.0315). */
  muonC: number;
  /** AdamW's learning rate over Muon's (default 1). */
  adamLrRatio: number;
  /** Momentum of Muon's steps, in [0, 1] (default 0.95). */
  momentum: number;
  /** Newton-Schulz iterations (default 5). */
  nsSteps: number;
  /** Nesterov momentum for Muon's steps (default true). */
  nesterov: boolean;
  /** Muon's step is scaled by sqrt(max(rows, cols)) * rmsRate; null: not scaled (default 0.2). */
  rmsRate: number | null;
}

const MUON_DEFAULTS: MuonHyper & { learningRate: number; weightDecay: number } = {
  learningRate: 0.001,
  weightDecay: 0.004,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamWeightDecay: 0.004,
  epsilon: 1e-7,
  excludeLayers: [],
  excludeEmbeddings: true,
  muonA: 3.4445,
  muonB: -4.775,
  muonC: 2.0315,
  adamLrRatio: 1,
  momentum: 0.95,
  nsSteps: 5,
  nesterov: true,
  rmsRate: 0.2,
};

/**
 * Muon (default learning rate 0.001, weight decay 0.004 for Muon's weights and
 * adamWeightDecay 0.004 for AdamW's).
 * @example new Muon({ learningRate: 0.02, excludeLayers: ['output_dense'] })
 */
export class Muon extends Optimizer<MuonHyper> {
  private readonly patterns: RegExp[];

  constructor(config: OptimizerConfig & Partial<MuonHyper> = {}) {
    super('Muon', config, MUON_DEFAULTS);
    const h = this.hyper;
    // Keras writes exclude_layers=None as [].
    if (h.excludeLayers === null) (this.hyper as MuonHyper).excludeLayers = [];
    if (!Array.isArray(h.excludeLayers) || !everyEntry(h.excludeLayers, (p) => typeof p === 'string'))
      throw new Error(`Muon: expected excludeLayers to be an array of regular expressions (strings), got ${describe(h.excludeLayers)}`);
    this.patterns = h.excludeLayers.map((p) => {
      try {
        return new RegExp(p);
      } catch (e) {
        throw new Error(`Muon: excludeLayers: '${p}' is not a regular expression (${(e as Error).message})`, { cause: e });
      }
    });
    if (!(Number.isInteger(h.nsSteps) && h.nsSteps >= 0)) throw new Error(`Muon: expected nsSteps to be an integer >= 0, got ${describe(h.nsSteps)}`);
    if (h.adamWeightDecay !== null && !(typeof h.adamWeightDecay === 'number' && h.adamWeightDecay >= 0))
      throw new Error(`Muon: expected adamWeightDecay >= 0 or null, got ${describe(h.adamWeightDecay)}`);
    if (h.rmsRate !== null && !(typeof h.rmsRate === 'number' && Number.isFinite(h.rmsRate) && h.rmsRate >= 0))
      throw new Error(`Muon: expected rmsRate >= 0 or null, got ${describe(h.rmsRate)}`);
  }

  /** Whether `variable` takes AdamW steps (Keras's _should_use_adamw). */
  usesAdamW(variable: Variable): boolean {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.usesAdamW`, 1, arguments.length);
    if (!(variable instanceof Variable)) throw new Error(`${this.name}.usesAdamW: expected a Variable, got ${describe(variable)}`);
    if (variable.shape.length !== 2) return true;
    if (this.hyper.excludeEmbeddings && variable.name.toLowerCase().includes('embedding')) return true;
    return this.patterns.some((p) => p.test(variable.name));
  }

  protected override slotSpecs(variable: Variable): [string, number][] {
    return this.usesAdamW(variable)
      ? [
          ['momentum', 0],
          ['velocity', 0],
        ]
      : [['momentum', 0]];
  }

  // Keras's Muon._apply_weight_decay: adamWeightDecay for AdamW's weights, weightDecay for Muon's.
  protected override weightDecayFor(variable: Variable): number {
    if (this.excludedFromWeightDecay(variable)) return 0;
    return (this.usesAdamW(variable) ? this.hyper.adamWeightDecay : this.weightDecay) ?? 0;
  }

  override updateStep(gradient: Tensor, variable: Variable, learningRate: number): void {
    if (this.usesAdamW(variable)) this.adamwStep(gradient, variable, learningRate * this.hyper.adamLrRatio);
    else this.muonStep(gradient, variable, learningRate);
  }

  private muonStep(gradient: Tensor, variable: Variable, lr: number): void {
    const { momentum, nesterov, nsSteps, rmsRate } = this.hyper;
    const m = this.slot(variable, 'momentum');
    m.assign(add(m, add(gradient, mul(m, momentum - 1))));
    const g = nesterov ? add(gradient, mul(m, momentum)) : m;
    let update = mul(this.newtonSchulz(g, nsSteps), lr);
    // Moonlight's scaling: the update's RMS matches AdamW's.
    if (rmsRate !== null) update = mul(mul(update, Math.sqrt(Math.max(variable.shape[0], variable.shape[1]))), rmsRate);
    variable.assign(sub(variable, update));
  }

  // Keras's zeropower_via_newtonschulz5 for a matrix: the quintic iteration on the wide orientation.
  private newtonSchulz(x: Tensor, steps: number): Tensor {
    const { muonA: a, muonB: b, muonC: c } = this.hyper;
    const tall = x.shape[0] > x.shape[1];
    let y = tall ? transpose(x) : x;
    y = div(y, add(norm(y), 1e-7));
    for (let i = 0; i < steps; i++) {
      const s = matMul(y, y, false, true);
      const t = add(mul(s, b), mul(matMul(s, s), c));
      y = add(mul(y, a), matMul(t, y));
    }
    return tall ? transpose(y) : y;
  }

  private adamwStep(gradient: Tensor, variable: Variable, lr: number): void {
    const { adamBeta1: b1, adamBeta2: b2, epsilon } = this.hyper;
    const t = this.iterations + 1;
    const m = this.slot(variable, 'momentum');
    const v = this.slot(variable, 'velocity');
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    m.assign(add(m, mul(sub(gradient, m), 1 - b1)));
    v.assign(add(v, mul(sub(square(gradient), v), 1 - b2)));
    variable.assign(sub(variable, div(mul(m, alpha), add(sqrt(v), epsilon))));
  }
}
