// PiecewiseConstantDecay: constant rates between step boundaries.
import { LearningRateSchedule } from './schedule';
import { classOptions } from '../options/check';

/** Options of PiecewiseConstantDecay. */
export interface PiecewiseConstantDecayConfig {
  /** Increasing steps where the rate changes. */
  boundaries: number[];
  /** One more value than boundaries. */
  values: number[];
}

/**
 * values[0] while step <= boundaries[0], values[i] while boundaries[i-1] < step <= boundaries[i],
 * and the last value after the last boundary.
 * @example new PiecewiseConstantDecay({ boundaries: [100000, 110000], values: [1, 0.5, 0.1] })
 */
export class PiecewiseConstantDecay extends LearningRateSchedule<PiecewiseConstantDecayConfig> {
  constructor(config: PiecewiseConstantDecayConfig) {
    config = classOptions('schedules', PiecewiseConstantDecay, new.target, config);
    const { boundaries, values } = config;
    if (!Array.isArray(boundaries) || !Array.isArray(values) || boundaries.length !== values.length - 1) {
      throw new Error(`PiecewiseConstantDecay: expected one more value than boundaries, got ${boundaries?.length} boundaries and ${values?.length} values`);
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (!(boundaries[i] > boundaries[i - 1])) throw new Error(`PiecewiseConstantDecay: expected increasing boundaries, got [${boundaries.join(', ')}]`);
    }
    super({ boundaries: [...boundaries], values: [...values] });
  }

  override call(step: number): number {
    const { boundaries, values } = this.config;
    let i = 0;
    while (i < boundaries.length && step > boundaries[i]) i++;
    return values[i];
  }
}
