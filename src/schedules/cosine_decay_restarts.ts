// CosineDecayRestarts: SGDR (Loshchilov & Hutter), cosine decay with warm restarts.
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';

/** Options of CosineDecayRestarts. */
export interface CosineDecayRestartsConfig {
  /** The rate at the start of the first period. */
  initialLearningRate: number;
  /** Length of the first period (> 0). */
  firstDecaySteps: number;
  /** Each period is tMul times longer than the one before (default 2). */
  tMul?: number;
  /** Each period starts at mMul times the previous period's starting rate (default 1). */
  mMul?: number;
  /** The minimum rate as a fraction of initialLearningRate (default 0). */
  alpha?: number;
}

/** Cosine decay from the period's starting rate to alpha * initialLearningRate, restarting each period. */
export class CosineDecayRestarts extends LearningRateSchedule<Required<CosineDecayRestartsConfig>> {
  constructor(config: CosineDecayRestartsConfig) {
    config = classOptions('schedules', CosineDecayRestarts, new.target, config);
    checkPositive('CosineDecayRestarts', 'firstDecaySteps', config.firstDecaySteps);
    super({ tMul: 2, mMul: 1, alpha: 0, ...config });
  }

  override call(step: number): number {
    const { initialLearningRate, firstDecaySteps, tMul, mMul, alpha } = this.config;
    let fraction = step / firstDecaySteps;
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction -= restart;
    } else {
      // Periods 1, t, t^2, ... end at (1 - t^(i+1)) / (1 - t).
      restart = Math.floor(Math.log(1 - fraction * (1 - tMul)) / Math.log(tMul));
      const elapsed = (1 - tMul ** restart) / (1 - tMul);
      fraction = (fraction - elapsed) / tMul ** restart;
    }
    const cosine = 0.5 * mMul ** restart * (1 + Math.cos(Math.PI * fraction));
    return initialLearningRate * ((1 - alpha) * cosine + alpha);
  }
}
