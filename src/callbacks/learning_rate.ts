// Callbacks that change the optimizer's learning rate: ReduceLROnPlateau and
// LearningRateScheduler.
import { Callback, type CallbackModel, type Logs } from './callback';
import { Monitor, type MonitorMode } from './monitor';

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
  monitor?: string;
  factor?: number;
  patience?: number;
  verbose?: number;
  mode?: MonitorMode;
  minDelta?: number;
  cooldown?: number;
  minLr?: number;
}

/** Multiplies the learning rate by `factor` when the monitored value plateaus. */
export class ReduceLROnPlateau extends Callback {
  readonly monitor: Monitor;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(private readonly options: ReduceLROnPlateauOptions = {}) {
    super();
    const factor = options.factor ?? 0.1;
    if (!(factor < 1 && factor > 0)) throw new Error(`ReduceLROnPlateau: expected 0 < factor < 1, got ${factor}`);
    this.monitor = new Monitor(options.monitor ?? 'val_loss', options.mode, options.minDelta ?? 1e-4);
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.cooldownLeft = 0;
    this.monitor.reset();
  }

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
        setLearningRate(this.model!, next);
        if ((this.options.verbose ?? 0) > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownLeft = this.options.cooldown ?? 0;
        this.wait = 0;
      }
    }
  }
}

/** Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`. */
export class LearningRateScheduler extends Callback {
  constructor(private readonly schedule: (epoch: number, lr: number) => number, private readonly verbose = 0) {
    super();
    if (typeof schedule !== 'function') throw new Error('LearningRateScheduler: expected a function (epoch, lr) => lr');
  }

  override onEpochBegin(epoch: number): void {
    const lr = this.schedule(epoch, currentLearningRate(this.model, 'LearningRateScheduler'));
    if (typeof lr !== 'number' || !Number.isFinite(lr)) throw new Error(`LearningRateScheduler: the schedule returned ${lr} for epoch ${epoch}; expected a finite number`);
    setLearningRate(this.model!, lr);
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    logs.learning_rate = currentLearningRate(this.model, 'LearningRateScheduler');
  }
}
