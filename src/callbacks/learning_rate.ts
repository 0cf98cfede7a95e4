// Callbacks that change the optimizer's learning rate: ReduceLROnPlateau and
// LearningRateScheduler.
import { Callback, type CallbackModel, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';
import { classOptions } from '../options/check';
import { describe } from '../tensor/shape';

function currentLearningRate(model: CallbackModel | undefined, owner: string): number {
  const opt = model?.optimizer;
  if (!opt) throw new Error(`${owner}: the model has no optimizer; compile() it first`);
  const lr = opt.getLearningRate ? opt.getLearningRate() : opt.learningRate;
  if (typeof lr !== 'number') throw new Error(`${owner}: the optimizer's learning rate is a schedule, not a number; ${owner} needs a constant learning rate`);
  return lr;
}

function setLearningRate(model: CallbackModel, lr: number): void {
  const opt = model.optimizer!;
  if (opt.setLearningRate) opt.setLearningRate(lr);
  else opt.learningRate = lr;
}

/** Options of ReduceLROnPlateau (Keras's names, camelCase). */
export interface ReduceLROnPlateauOptions {
  /** The log value to watch (default 'val_loss'). */
  monitor?: string;
  /** What the learning rate is multiplied by on a plateau, between 0 and 1 (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** Above 0, log each reduction (default 0). */
  verbose?: number;
  /** Whether lower ('min') or higher ('max') is better; 'auto' (default) guesses from the name. */
  mode?: MonitorMode;
  /** The least change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The learning rate is never reduced below this (default 0). */
  minLr?: number;
}

/**
 * Multiplies the learning rate by `factor` when the monitored value plateaus. Needs a
 * constant (number) learning rate, not a schedule.
 * @example new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, minLr: 1e-5 })
 */
export class ReduceLROnPlateau extends Callback {
  /** The watched log value, which direction is better, and the best seen so far. */
  readonly monitor: Monitor;
  private wait = 0;
  private cooldownLeft = 0;

  /** @param options - what to watch and how to reduce; see ReduceLROnPlateauOptions. */
  constructor(private readonly options: ReduceLROnPlateauOptions = {}) {
    options = classOptions('callbacks', ReduceLROnPlateau, new.target, options);
    super();
    const factor = options.factor ?? 0.1;
    if (!(factor < 1 && factor > 0)) throw new Error(`ReduceLROnPlateau: expected 0 < factor < 1, got ${describe(factor)}`);
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode, options.minDelta ?? 1e-4);
  }

  /** Resets the wait, the cooldown and the best value. */
  override onTrainBegin(): void {
    this.wait = 0;
    this.cooldownLeft = 0;
    this.monitor.reset();
  }

  /** Adds `learning_rate` to the epoch's logs, and reduces it once patience runs out. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const lr = currentLearningRate(this.model, 'ReduceLROnPlateau');
    logs.learning_rate = lr;
    const v = this.monitor.value(logs, 'ReduceLROnPlateau');
    if (v === undefined) return;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0;
    }
    if (this.monitor.improved(v)) {
      this.monitor.best = v;
      this.wait = 0;
      return;
    }
    if (this.cooldownLeft > 0) return;
    if (++this.wait >= (this.options.patience ?? 10)) {
      const minLr = this.options.minLr ?? 0;
      if (lr > minLr) {
        const next = Math.max(lr * (this.options.factor ?? 0.1), minLr);
        setLearningRate(this.attachedModel('onEpochEnd'), next);
        if ((this.options.verbose ?? 0) > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownLeft = this.options.cooldown ?? 0;
        this.wait = 0;
      }
    }
  }
}

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`.
 * @example new LearningRateScheduler((epoch, lr) => (epoch < 10 ? lr : lr * 0.9))
 */
export class LearningRateScheduler extends Callback {
  /**
   * @param schedule - the new learning rate from the epoch (from 0) and the current rate.
   * @param verbose - above 0, log each change.
   */
  constructor(
    private readonly schedule: (epoch: number, lr: number) => number,
    private readonly verbose = 0,
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: expected a function (epoch, lr) => lr');
  }

  /** Sets the optimizer's learning rate to what the schedule returns for this epoch. */
  override onEpochBegin(epoch: number): void {
    const lr = this.schedule(epoch, currentLearningRate(this.model, 'LearningRateScheduler'));
    if (typeof lr !== 'number' || !Number.isFinite(lr))
      throw new Error(`LearningRateScheduler: the schedule returned ${lr} for epoch ${epoch}; expected a finite number`);
    setLearningRate(this.attachedModel('onEpochBegin'), lr);
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  /** Adds the current `learning_rate` to the epoch's logs. */
  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = currentLearningRate(this.model, 'LearningRateScheduler');
  }
}
