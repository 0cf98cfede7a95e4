// CosineDecay (SGDR without restarts), with Keras 3's optional linear warmup.
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';

/** Options of CosineDecay. */
export interface CosineDecayConfig {
  /** The rate at step 0. */
  initialLearningRate: number;
  /** Steps to decay over (> 0), after the warmup. */
  decaySteps: number;
  /** The final rate as a fraction of the decay's starting rate (default 0). */
  alpha?: number;
  /** When set, warm up linearly from initialLearningRate to this rate, then decay from it. */
  warmupTarget?: number | null;
  /** Warmup length in steps (default 0). */
  warmupSteps?: number;
}

/**
 * Cosine decay: lr * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decaySteps)) + alpha), where
 * lr is warmupTarget after a linear warmup of warmupSteps steps, or initialLearningRate.
 */
export class CosineDecay extends LearningRateSchedule<Required<CosineDecayConfig>> {
  constructor(config: CosineDecayConfig) {
    config = classOptions('schedules', CosineDecay, new.target, config);
    checkPositive('CosineDecay', 'decaySteps', config.decaySteps);
    super({ alpha: 0, warmupTarget: null, warmupSteps: 0, ...config });
  }

  override call(step: number): number {
    const { initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps } = this.config;
    const decay = (t: number, from: number) => from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * t) / decaySteps)) + alpha);
    if (warmupTarget === null) return decay(Math.min(step, decaySteps), initialLearningRate);
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return (warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
    return decay(s - warmupSteps, warmupTarget);
  }
}
