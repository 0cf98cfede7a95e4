// EarlyStopping: stop when a monitored value stops improving, optionally restoring the
// best weights (which TensorFlow.js does not support).
import { factory } from '../options/factory';
import { keep } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { Callback, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';
import { classOptions } from '../options/check';

/** Options of EarlyStopping (Keras's names, camelCase). */
export interface EarlyStoppingOptions {
  /** The log value to watch (default 'val_loss'). */
  monitor?: string;
  /** The least change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0: stop at the first). */
  patience?: number;
  /** Above 0, log when stopping and when restoring weights (default 0). */
  verbose?: number;
  /** Whether lower ('min') or higher ('max') is better; 'auto' (default) guesses from the name. */
  mode?: MonitorMode;
  /** Stop unless the value beats this within `patience` epochs. */
  baseline?: number;
  /** Restore the weights of the best epoch when stopping (or at the end). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts. */
  startFromEpoch?: number;
}

/**
 * Stops fit when the monitored value has not improved for `patience` epochs.
 * @example await model.fit(x, y, { validationSplit: 0.2, callbacks: [new EarlyStopping({ patience: 3, restoreBestWeights: true })] });
 */
export class EarlyStopping extends Callback {
  /** The watched log value, which direction is better, and the best seen so far. */
  readonly monitor: Monitor;
  /** Epochs without improvement tolerated before stopping. */
  readonly patience: number;
  /** The epoch training stopped at, or 0. */
  stoppedEpoch = 0;
  /** The epoch (from 0) with the best monitored value so far. */
  bestEpoch = 0;
  private wait = 0;
  // The best value of any epoch (the one restored); monitor's best starts at the baseline.
  private readonly bestSeen: Monitor;
  private bestWeights: Tensor[] | null = null;

  /** @param options - what to watch and how long to wait; see EarlyStoppingOptions. */
  constructor(private readonly options: EarlyStoppingOptions = {}) {
    options = classOptions('callbacks', EarlyStopping, new.target, options);
    super();
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode, Math.abs(options.minDelta ?? 0));
    this.bestSeen = new Monitor(options.monitor ?? 'val_loss', options.mode, Math.abs(options.minDelta ?? 0));
    this.patience = options.patience ?? 0;
  }

  /** Resets the wait, the best value (to `baseline` when given) and any kept weights. */
  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.monitor.reset();
    this.bestSeen.reset();
    if (this.options.baseline !== undefined) this.monitor.best = this.options.baseline;
    this.releaseBest();
  }

  /** Records an improvement (keeping the weights when restoring), or asks fit to stop once patience runs out. */
  override onEpochEnd(epoch: number, logs?: Logs): void {
    this.checkHook('onEpochEnd', epoch, logs);
    const v = this.monitor.value(logs, 'EarlyStopping');
    if (v === undefined || epoch < (this.options.startFromEpoch ?? 0)) return;
    this.wait++;
    // As Keras documents: the best epoch is restored whether or not it beat the baseline.
    if ((this.options.restoreBestWeights && this.bestWeights === null) || this.bestSeen.improved(v)) {
      this.bestSeen.best = v;
      this.bestEpoch = epoch;
      if (this.options.restoreBestWeights) {
        this.releaseBest();
        this.bestWeights = this.attachedModel('onEpochEnd')
          .getWeights()
          .map((w) => keep(w));
      }
    }
    if (this.monitor.improved(v)) {
      this.monitor.best = v;
      this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.attachedModel('onEpochEnd').stopTraining = true;
    }
  }

  /** Restores the best epoch's weights when `restoreBestWeights` is set, and frees the kept copy. */
  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && (this.options.verbose ?? 0) > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.options.restoreBestWeights && this.bestWeights) {
      if ((this.options.verbose ?? 0) > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.attachedModel('onTrainEnd').setWeights(this.bestWeights);
    }
    this.releaseBest();
  }

  private releaseBest(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = null;
  }
}

/**
 * TensorFlow.js's factory: `callbacks.earlyStopping({ monitor: 'val_loss', patience: 2 })`.
 * @example await model.fit(x, y, { validationSplit: 0.2, callbacks: callbacks.earlyStopping({ patience: 3 }) });
 */
export const earlyStopping = factory(EarlyStopping);
