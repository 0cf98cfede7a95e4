// EarlyStopping: stop when a monitored value stops improving, optionally restoring the
// best weights (which TensorFlow.js does not support).
import { keep } from '../tensor/memory';
import type { Tensor } from '../tensor/tensor';
import { Callback, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';

/** Options of EarlyStopping (Keras's names, camelCase). */
export interface EarlyStoppingOptions {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  /** Stop unless the value beats this within `patience` epochs. */
  baseline?: number;
  /** Restore the weights of the best epoch when stopping (or at the end). */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts. */
  startFromEpoch?: number;
}

export class EarlyStopping extends Callback {
  readonly monitor: Monitor;
  readonly patience: number;
  /** The epoch training stopped at, or 0. */
  stoppedEpoch = 0;
  bestEpoch = 0;
  private wait = 0;
  private bestWeights: Tensor[] | null = null;

  constructor(private readonly options: EarlyStoppingOptions = {}) {
    super();
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode, Math.abs(options.minDelta ?? 0));
    this.patience = options.patience ?? 0;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = 0;
    this.monitor.reset();
    if (this.options.baseline !== undefined) this.monitor.best = this.options.baseline;
    this.releaseBest();
  }

  override onEpochEnd(epoch: number, logs?: Logs): void {
    const v = this.monitor.value(logs, 'EarlyStopping');
    if (v === undefined || epoch < (this.options.startFromEpoch ?? 0)) return;
    this.wait++;
    if (this.monitor.improved(v)) {
      this.monitor.best = v;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.options.restoreBestWeights) {
        this.releaseBest();
        this.bestWeights = this.model!.getWeights().map((w) => keep(w));
      }
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  override onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && (this.options.verbose ?? 0) > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.options.restoreBestWeights && this.bestWeights) {
      if ((this.options.verbose ?? 0) > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
    this.releaseBest();
  }

  private releaseBest(): void {
    for (const w of this.bestWeights ?? []) w.dispose();
    this.bestWeights = null;
  }
}
