// ModelCheckpoint: save the model (or its weights) each epoch, or only when the monitored
// value improves.
import { Callback, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';

/** Options of ModelCheckpoint (Keras's names, camelCase). */
export interface ModelCheckpointOptions {
  /** Where to save; `{epoch}` and `{name}` / `{name:.2f}` take the epoch (1-based) and log values. */
  filepath: string;
  monitor?: string;
  verbose?: number;
  saveBestOnly?: boolean;
  saveWeightsOnly?: boolean;
  mode?: MonitorMode;
  /** 'epoch', or save every N batches. */
  saveFreq?: 'epoch' | number;
}

/** Fills `{epoch}`, `{epoch:03d}`, `{val_loss:.4f}`-style fields. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs = {}): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (whole, key: string, spec?: string) => {
    const value = key === 'epoch' ? epoch : logs[key];
    if (value === undefined) throw new Error(`ModelCheckpoint: filepath '${template}' names '${key}', which the logs do not have (available: epoch, ${Object.keys(logs).join(', ')})`);
    const fixed = spec ? /^\.(\d+)f$/.exec(spec) : null;
    if (fixed) return value.toFixed(Number(fixed[1]));
    const padded = spec ? /^0(\d+)d$/.exec(spec) : null;
    if (padded) return String(Math.round(value)).padStart(Number(padded[1]), '0');
    if (spec) throw new Error(`ModelCheckpoint: unsupported format '${whole}' (use {name}, {name:.Nf} or {name:0Nd})`);
    return String(value);
  });
}

export class ModelCheckpoint extends Callback {
  readonly monitor: Monitor;
  private batchesSinceSave = 0;
  private epoch = 0;

  constructor(private readonly options: ModelCheckpointOptions) {
    super();
    if (!options || typeof options.filepath !== 'string') throw new Error('ModelCheckpoint: expected options with a filepath');
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode);
  }

  override onTrainBegin(): void {
    this.monitor.reset();
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override async onTrainBatchEnd(_batch: number, logs?: Logs): Promise<void> {
    const freq = this.options.saveFreq ?? 'epoch';
    if (freq === 'epoch') return;
    if (++this.batchesSinceSave >= freq) {
      this.batchesSinceSave = 0;
      await this.save(this.epoch, logs);
    }
  }

  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if ((this.options.saveFreq ?? 'epoch') === 'epoch') await this.save(epoch, logs);
  }

  private async save(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatCheckpointPath(this.options.filepath, epoch + 1, logs);
    const verbose = (this.options.verbose ?? 0) > 0;
    if (this.options.saveBestOnly) {
      const v = this.monitor.value(logs, 'ModelCheckpoint');
      if (v === undefined) return;
      if (!this.monitor.improved(v)) {
        if (verbose) console.log(`Epoch ${epoch + 1}: ${this.monitor.key} did not improve from ${this.monitor.best}`);
        return;
      }
      if (verbose) console.log(`Epoch ${epoch + 1}: ${this.monitor.key} improved from ${this.monitor.best} to ${v}, saving model to ${path}`);
      this.monitor.best = v;
    } else if (verbose) {
      console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    const model = this.model!;
    const saver = this.options.saveWeightsOnly ? model.saveWeights : model.save;
    if (!saver) throw new Error(`ModelCheckpoint: this model has no ${this.options.saveWeightsOnly ? 'saveWeights' : 'save'}() method`);
    await saver.call(model, path);
  }
}
