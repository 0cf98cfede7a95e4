// OneCycle (Smith & Topin), as PyTorch's OneCycleLR computes it.
import { LearningRateSchedule, checkPositive } from './schedule';
import { classOptions } from '../options/check';
import { describe, quoted } from '../tensor/shape';

/** Options of OneCycle, named as PyTorch's OneCycleLR arguments. */
export interface OneCycleConfig {
  /** The peak rate. */
  maxLr: number;
  /** Steps in the whole cycle (> 0). */
  totalSteps: number;
  /** Fraction of the steps spent rising (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** The starting rate is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** The final rate is the starting rate / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Rise, fall back to the starting rate, then anneal to the final rate (default false: rise, then anneal). */
  threePhase?: boolean;
}

const ANNEAL = {
  cos: (start: number, end: number, pct: number) => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * pct)),
  linear: (start: number, end: number, pct: number) => (end - start) * pct + start,
};

/**
 * From maxLr / divFactor up to maxLr over pctStart of the steps, then down to
 * maxLr / divFactor / finalDivFactor, annealed by cosine or linearly.
 * @example new OneCycle({ maxLr: 0.01, totalSteps: 1000 })
 */
export class OneCycle extends LearningRateSchedule<Required<OneCycleConfig>> {
  constructor(config: OneCycleConfig) {
    config = classOptions('schedules', OneCycle, new.target, config);
    checkPositive('OneCycle', 'totalSteps', config.totalSteps);
    const full = { pctStart: 0.3, annealStrategy: 'cos' as const, divFactor: 25, finalDivFactor: 1e4, threePhase: false, ...config };
    if (!(full.pctStart > 0 && full.pctStart < 1)) throw new Error(`OneCycle: expected pctStart in (0, 1), got ${describe(full.pctStart)}`);
    if (!(full.annealStrategy in ANNEAL)) throw new Error(`OneCycle: expected annealStrategy 'cos' or 'linear', got ${quoted(full.annealStrategy)}`);
    super(full);
  }

  override call(step: number): number {
    const { maxLr, totalSteps, pctStart, annealStrategy, divFactor, finalDivFactor, threePhase } = this.config;
    if (step > totalSteps) throw new Error(`OneCycle: step ${step} is past totalSteps (${totalSteps})`);
    const initial = maxLr / divFactor;
    const min = initial / finalDivFactor;
    const rise = pctStart * totalSteps - 1;
    const phases: [number, number, number][] = threePhase
      ? [
          [rise, initial, maxLr],
          [2 * pctStart * totalSteps - 2, maxLr, initial],
          [totalSteps - 1, initial, min],
        ]
      : [
          [rise, initial, maxLr],
          [totalSteps - 1, maxLr, min],
        ];
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const [end, from, to] = phases[i];
      if (step <= end || i === phases.length - 1) return ANNEAL[annealStrategy](from, to, (step - start) / (end - start));
      start = end;
    }
    return min;
  }
}
