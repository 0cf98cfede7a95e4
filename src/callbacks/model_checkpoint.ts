// ModelCheckpoint: save the model (or its weights) each epoch, or only when the monitored
// value improves.
import { Callback, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';
import { checkOptions, classOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkLogs, checkString } from '../options/check_args';
import { checkNumber } from '../tensor/ranges';

/** Options of ModelCheckpoint (Keras's names, camelCase). */
export interface ModelCheckpointOptions {
  /** Where to save; `{epoch}` and `{name}` / `{name:.2f}` take the epoch (1-based) and log values. */
  filepath: string;
  /** The log value that decides the best model with `saveBestOnly` (default 'val_loss'). */
  monitor?: string;
  /** Above 0, log each save (default 0). */
  verbose?: number;
  /** Save only when the monitored value improves on the best so far (default false). */
  saveBestOnly?: boolean;
  /** Save with model.saveWeights instead of model.save (default false). */
  saveWeightsOnly?: boolean;
  /** Whether lower ('min') or higher ('max') is better; 'auto' (default) guesses from the name. */
  mode?: MonitorMode;
  /** 'epoch', or save every N batches. */
  saveFreq?: 'epoch' | number;
}

/** Fills `{epoch}`, `{epoch:03d}`, `{val_loss:.4f}`-style fields. */
export function formatCheckpointPath(template: string, epoch: number, logs: Logs = {}): string {
  checkString('formatCheckpointPath', 'the template', template);
  checkNumber('formatCheckpointPath', 'epoch', epoch);
  checkLogs('formatCheckpointPath', logs);
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (whole, key: string, spec?: string) => {
    const value = key === 'epoch' ? epoch : logs[key];
    if (value === undefined)
      throw new Error(`ModelCheckpoint: filepath '${template}' names '${key}', which the logs do not have (available: epoch, ${Object.keys(logs).join(', ')})`);
    const fixed = spec ? /^\.(\d+)f$/.exec(spec) : null;
    if (fixed) return value.toFixed(Number(fixed[1]));
    const padded = spec ? /^0(\d+)d$/.exec(spec) : null;
    if (padded) return String(Math.round(value)).padStart(Number(padded[1]), '0');
    if (spec) throw new Error(`ModelCheckpoint: unsupported format '${whole}' (use {name}, {name:.Nf} or {name:0Nd})`);
    return String(value);
  });
}

/**
 * Saves the model (or its weights) every epoch or every N batches, or only when it improves.
 * @example new ModelCheckpoint({ filepath: 'ckpt/model-{epoch:02d}-{val_loss:.3f}.keras', saveBestOnly: true })
 */
export class ModelCheckpoint extends Callback {
  /** The watched log value, which direction is better, and the best seen so far. */
  readonly monitor: Monitor;
  private batchesSinceSave = 0;
  private epoch = 0;

  /** @param options - where to save and when; `filepath` is required. */
  private readonly options: ModelCheckpointOptions;

  /**
   * @param options - the options, filepath required; or Keras's positional form
   * `new ModelCheckpoint('save_at_{epoch}.keras', { ...the other options })`.
   */
  constructor(options: ModelCheckpointOptions | string, rest?: Omit<ModelCheckpointOptions, 'filepath'> | null) {
    const op = 'callbacks.ModelCheckpoint';
    if (arguments.length > (typeof options === 'string' ? 2 : 1)) throw tooManyArguments(op, typeof options === 'string' ? 2 : 1, arguments.length);
    if (typeof options === 'string') {
      // Keras's ModelCheckpoint(filepath, monitor=..., ...): the path first, then the options.
      const others = checkOptions('ModelCheckpoint', rest ?? {}, [], 'keep') as Partial<ModelCheckpointOptions>;
      if (others.filepath !== undefined) throw new Error(`ModelCheckpoint: filepath was given both positionally and in the options; give it once`);
      options = { ...others, filepath: options };
    }
    options = classOptions('callbacks', ModelCheckpoint, new.target, options);
    super();
    this.options = options;
    if (!options || typeof options.filepath !== 'string') throw new Error('ModelCheckpoint: expected options with a filepath');
    // Caught here, not at the first save an epoch later: a file name for the other kind of save.
    const path = options.filepath;
    if (options.saveWeightsOnly && /\.(keras|json)$/.test(path)) {
      throw new Error(`ModelCheckpoint: saveWeightsOnly writes weights, but '${path}' names a whole-model file; end it in .weights.h5 (or name a folder)`);
    }
    if (!options.saveWeightsOnly && path.endsWith('.weights.h5')) {
      throw new Error(`ModelCheckpoint: '${path}' names a weights file; pass saveWeightsOnly: true, or end it in .keras for the whole model`);
    }
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode);
  }

  /** Forgets the best value of an earlier fit. */
  override onTrainBegin(): void {
    this.monitor.reset();
    this.batchesSinceSave = 0;
  }

  /** Notes the epoch, for `{epoch}` in batch-frequency saves. */
  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** @internal Whether batch ends read the logs (a numeric saveFreq): data-parallel fit reduces batch logs only for a reader. */
  get readsBatchLogs(): boolean {
    return (this.options.saveFreq ?? 'epoch') !== 'epoch';
  }

  /** Saves every `saveFreq` batches when `saveFreq` is a number. */
  override async onTrainBatchEnd(_batch: number, logs?: Logs): Promise<void> {
    const freq = this.options.saveFreq ?? 'epoch';
    if (freq === 'epoch') return;
    if (++this.batchesSinceSave >= freq) {
      this.batchesSinceSave = 0;
      await this.save(this.epoch, logs);
    }
  }

  /** Saves at the end of the epoch when `saveFreq` is 'epoch' (the default). */
  override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    this.checkHook('onEpochEnd', epoch, logs);
    if ((this.options.saveFreq ?? 'epoch') === 'epoch') await this.save(epoch, logs);
  }

  private async save(epoch: number, logs: Logs = {}): Promise<void> {
    const path = formatCheckpointPath(this.options.filepath, epoch + 1, logs);
    const verbose = (this.options.verbose ?? 0) > 0;
    if (this.options.saveBestOnly) {
      const v = this.monitor.value(logs, 'ModelCheckpoint');
      if (v === undefined) return;
      if (!this.monitor.improved(v)) {
        if (verbose) console.log(`Epoch ${epoch + 1}: ${this.monitor.key} did not improve from ${bestText(this.monitor.best)}`);
        return;
      }
      if (verbose) console.log(`Epoch ${epoch + 1}: ${this.monitor.key} improved from ${bestText(this.monitor.best)} to ${fixed5(v)}, saving model to ${path}`);
      this.monitor.best = v;
    } else if (verbose) {
      console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
    }
    const model = this.attachedModel('onEpochEnd');
    const saver = this.options.saveWeightsOnly ? model.saveWeights : model.save;
    if (!saver) throw new Error(`ModelCheckpoint: this model has no ${this.options.saveWeightsOnly ? 'saveWeights' : 'save'}() method`);
    await saver.call(model, path);
  }
}

// Keras's `{value:.5f}`: Python writes nan, inf and -inf for the non-finite values.
const fixed5 = (v: number): string => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : v.toFixed(5));
// Before the first value the best is infinite here and None in Keras 3, which prints it so.
const bestText = (best: number): string => (Number.isFinite(best) ? fixed5(best) : 'None');
