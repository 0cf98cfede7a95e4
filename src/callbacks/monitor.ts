// The "monitor a log value, better is lower or higher" logic shared by EarlyStopping,
// ModelCheckpoint and ReduceLROnPlateau.
import type { Logs } from './callback';
import { checkString } from '../options/check_args';
import { quoted } from '../tensor/shape';

/** 'auto' decides by the name: accuracies and AUCs go up, everything else down. */
export type MonitorMode = 'auto' | 'min' | 'max';

// The metrics Keras 3 marks _direction 'up' (by their logged names: mean_io_u is MeanIoU's,
// fbeta_score FBetaScore's), and the text scores bleu and rouge.
const HIGHER_IS_BETTER = /acc|auc|precision|recall|sensitivity|specificity|f1|fbeta|iou|io_u|r2|cosine_similarity|bleu|rouge/;

/** A monitored log value and the best seen so far (shared by EarlyStopping, ModelCheckpoint, ReduceLROnPlateau). */
export class Monitor {
  /** True when larger values are better ('max' mode, or 'auto' for accuracy-like names). */
  readonly higherIsBetter: boolean;
  /** The best value so far (infinite before the first). */
  best: number;

  constructor(
    /** The log key watched, e.g. 'val_loss'. */
    readonly key: string,
    mode: MonitorMode = 'auto',
    /** The smallest change that counts as an improvement. */
    readonly minDelta = 0,
  ) {
    checkString('monitor', 'the monitored key', key);
    if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new Error(`monitor: expected mode 'auto', 'min' or 'max', got ${quoted(mode)}`);
    this.higherIsBetter = mode === 'max' || (mode === 'auto' && HIGHER_IS_BETTER.test(key));
    this.best = this.higherIsBetter ? -Infinity : Infinity;
  }

  /** The monitored value, or undefined (with a warning once) when the logs lack it. */
  value(logs: Logs | undefined, owner: string): number | undefined {
    const v = logs?.[this.key];
    if (v === undefined && !this.warned) {
      this.warned = true;
      console.warn(`${owner}: the logs have no '${this.key}' (available: ${Object.keys(logs ?? {}).join(', ') || 'none'})`);
    }
    return v;
  }
  private warned = false;

  /** True when v beats the best so far by more than minDelta. */
  improved(v: number): boolean {
    return this.higherIsBetter ? v - this.minDelta > this.best : v + this.minDelta < this.best;
  }

  /** Forgets the best value (at the start of training). */
  reset(): void {
    this.best = this.higherIsBetter ? -Infinity : Infinity;
  }
}
