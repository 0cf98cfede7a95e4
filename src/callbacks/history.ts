// History: what fit() returns, the logs of every epoch.
import { Callback, type Logs } from './callback';

/** Records each epoch's logs; `history.history.loss` is the loss per epoch. */
export class History extends Callback {
  /** The index (from 0) of each epoch recorded, in order. */
  epoch: number[] = [];
  /** Each log key ('loss', 'val_loss', ...) to its value at every recorded epoch. */
  history: Record<string, number[]> = {};

  /** Clears what an earlier fit recorded. */
  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  /** Appends the epoch and each of its logs. */
  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.checkHook('onEpochEnd', epoch, logs);
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
