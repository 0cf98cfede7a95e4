// PolynomialDecay: from lr0 to endLearningRate along (1 - step / decaySteps)^power.
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';

/** Options of PolynomialDecay. */
export interface PolynomialDecayConfig {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps to reach endLearningRate (> 0). */
  decaySteps: number;
  /** Default 0.0001. */
  endLearningRate?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Restart with a longer period (the next multiple of decaySteps) instead of staying at the end (default false). */
  cycle?: boolean;
}

/** (lr0 - end) * (1 - step / decaySteps)^power + end, with step clamped to decaySteps unless `cycle`. */
export class PolynomialDecay extends LearningRateSchedule<Required<PolynomialDecayConfig>> {
  constructor(config: PolynomialDecayConfig) {
    config = classOptions('schedules', PolynomialDecay, new.target, config);
    checkPositive('PolynomialDecay', 'decaySteps', config.decaySteps);
    super({ endLearningRate: 0.0001, power: 1, cycle: false, ...config });
  }

  override call(step: number): number {
    const { initialLearningRate, endLearningRate, power, cycle } = this.config;
    let { decaySteps } = this.config;
    let s = step;
    if (cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / decaySteps);
    else s = Math.min(step, decaySteps);
    return (initialLearningRate - endLearningRate) * (1 - s / decaySteps) ** power + endLearningRate;
  }
}
