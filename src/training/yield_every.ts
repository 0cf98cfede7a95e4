// fit's yieldEvery (TensorFlow.js's option): when the training loop gives the event loop a
// turn (timers, I/O, a progress bar's redraw, other requests of a server) and then calls
// the callbacks' onYield.
import { describe, quoted } from '../tensor/shape';

/**
 * 'auto' (the default) and 'batch': after every batch (a turn costs a few microseconds
 * here, so 'auto' needs no timing of its own); 'epoch': after each epoch; 'never'; or a
 * number of milliseconds: after the first batch that ends at least that long after the
 * last turn.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** One turn of the event loop (what a loop awaits between batches). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** When to yield, from fit's yieldEvery. */
export class YieldPolicy {
  private readonly every: 'batch' | 'epoch' | 'never' | number;
  private last = performance.now();

  constructor(op: string, value: unknown = 'auto') {
    if (value === 'auto' || value === 'batch') this.every = 'batch';
    else if (value === 'epoch' || value === 'never') this.every = value;
    else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.every = value;
    else if (typeof value === 'string') {
      throw new Error(`${op}: expected yieldEvery to be 'auto', 'batch', 'epoch', 'never' or milliseconds >= 0, got ${quoted(value)}`);
    } else {
      throw new Error(`${op}: expected yieldEvery to be 'auto', 'batch', 'epoch', 'never' or milliseconds >= 0, got ${describe(value)}`);
    }
  }

  /** After a batch: whether the loop yields now. */
  afterBatch(): boolean {
    if (this.every === 'batch') return true;
    if (typeof this.every !== 'number') return false;
    const now = performance.now();
    if (now - this.last < this.every) return false;
    this.last = now;
    return true;
  }

  /** After an epoch: whether the loop yields now. */
  afterEpoch(): boolean {
    return this.every === 'epoch';
  }

  /** Gives the event loop a turn. */
  async yieldTurn(): Promise<void> {
    await nextTurn();
    this.last = performance.now();
  }
}
