// InverseTimeDecay: lr0 / (1 + rate * step / decaySteps).
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';

/** Options of InverseTimeDecay. */
export interface InverseTimeDecayConfig {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** How often the decay applies (> 0). */
  decaySteps: number;
  /** How fast the rate falls: after decaySteps steps it is initialLearningRate / (1 + decayRate). */
  decayRate: number;
  /** Decay at whole multiples of decaySteps only (default false). */
  staircase?: boolean;
}

/** initialLearningRate / (1 + decayRate * step / decaySteps), the ratio floored when `staircase`. */
export class InverseTimeDecay extends LearningRateSchedule<Required<InverseTimeDecayConfig>> {
  constructor(config: InverseTimeDecayConfig) {
    config = classOptions('schedules', InverseTimeDecay, new.target, config);
    checkPositive('InverseTimeDecay', 'decaySteps', config.decaySteps);
    super({ staircase: false, ...config });
  }

  override call(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.config;
    const p = step / decaySteps;
    return initialLearningRate / (1 + decayRate * (staircase ? Math.floor(p) : p));
  }
}
