// CyclicalLearningRate (Smith 2017), as tfa.optimizers.CyclicalLearningRate computes it.
import { LearningRateSchedule, checkPositive } from './schedule';
import { quoted } from '../tensor/shape';
import { classOptions } from '../options/check';

/** The built-in cycle policies: constant amplitude, halved each cycle, or decayed by gamma^step. */
export type CyclicalMode = 'triangular' | 'triangular2' | 'exp_range';

/** Options of CyclicalLearningRate. */
export interface CyclicalConfig {
  /** The low end of each cycle. */
  initialLearningRate: number;
  /** The high end of each cycle (reached with full amplitude). */
  maximalLearningRate: number;
  /** Steps from the low end to the high end: half a cycle (> 0). */
  stepSize: number;
  /** Default 'triangular'. */
  mode?: CyclicalMode | 'expRange';
  /** The amplitude decay of 'exp_range' (default 1). */
  gamma?: number;
  /** What the amplitude scale is a function of: the cycle number or the step (default: 'iterations' for 'exp_range', else 'cycle'). */
  scaleMode?: 'cycle' | 'iterations';
}

const SCALE: Record<CyclicalMode, (x: number, gamma: number) => number> = {
  triangular: () => 1,
  triangular2: (cycle) => 1 / 2 ** (cycle - 1),
  exp_range: (step, gamma) => gamma ** step,
};

/**
 * lr0 + (max - lr0) * max(0, 1 - x) * scale, with cycle = floor(1 + step / (2 stepSize))
 * and x = |step / stepSize - 2 cycle + 1|.
 * @example new CyclicalLearningRate({ initialLearningRate: 1e-4, maximalLearningRate: 1e-2, stepSize: 2000, mode: 'triangular2' })
 */
export class CyclicalLearningRate extends LearningRateSchedule<Required<CyclicalConfig> & { mode: CyclicalMode }> {
  constructor(config: CyclicalConfig) {
    config = classOptions('schedules', CyclicalLearningRate, new.target, config);
    checkPositive('CyclicalLearningRate', 'stepSize', config.stepSize);
    const mode = config.mode === 'expRange' ? 'exp_range' : (config.mode ?? 'triangular');
    if (!(mode in SCALE)) throw new Error(`CyclicalLearningRate: unknown mode ${quoted(mode)}; expected 'triangular', 'triangular2' or 'exp_range'`);
    super({ gamma: 1, scaleMode: mode === 'exp_range' ? 'iterations' : 'cycle', ...config, mode });
  }

  override call(step: number): number {
    const { initialLearningRate: low, maximalLearningRate: high, stepSize, mode, gamma, scaleMode } = this.config;
    const cycle = Math.floor(1 + step / (2 * stepSize));
    const x = Math.abs(step / stepSize - 2 * cycle + 1);
    return low + (high - low) * Math.max(0, 1 - x) * SCALE[mode](scaleMode === 'cycle' ? cycle : step, gamma);
  }
}
