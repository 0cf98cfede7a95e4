// ExponentialDecay: lr0 * rate^(step / decaySteps).
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';

/** Options of ExponentialDecay. */
export interface ExponentialDecayConfig {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps over which the rate is multiplied by decayRate (> 0). */
  decaySteps: number;
  /** The factor applied once every decaySteps steps, e.g. 0.96. */
  decayRate: number;
  /** Decay at whole multiples of decaySteps only (default false). */
  staircase?: boolean;
}

/**
 * initialLearningRate * decayRate^(step / decaySteps), the exponent floored when `staircase`.
 * @example new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 })
 */
export class ExponentialDecay extends LearningRateSchedule<Required<ExponentialDecayConfig>> {
  constructor(config: ExponentialDecayConfig) {
    config = classOptions('schedules', ExponentialDecay, new.target, config);
    checkPositive('ExponentialDecay', 'decaySteps', config.decaySteps);
    super({ staircase: false, ...config });
  }

  override call(step: number): number {
    const { initialLearningRate, decaySteps, decayRate, staircase } = this.config;
    const p = step / decaySteps;
    return initialLearningRate * decayRate ** (staircase ? Math.floor(p) : p);
  }
}
