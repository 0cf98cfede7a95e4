// History: what fit() returns, the logs of every epoch.
import { Callback, type Logs } from './callback';

/** Records each epoch's logs; `history.history.loss` is the loss per epoch. */
export class History extends Callback {
  epoch: number[] = [];
  history: Record<string, number[]> = {};

  override onTrainBegin(): void {
    this.epoch = [];
    this.history = {};
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
