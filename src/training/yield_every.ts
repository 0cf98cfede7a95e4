// fit's yieldEvery (TensorFlow.js's option): when the training loop gives the event loop a
// turn (timers, I/O, a progress bar's redraw, other requests of a server) and when it
// calls the callbacks' onYield.
import { describe, quoted } from '../tensor/shape';

/**
 * 'auto' (the default): a turn after every batch (a few microseconds here) and onYield at
 * most every 125 ms (TensorFlow.js's 'auto'); 'batch': both after every batch; 'epoch':
 * after each epoch; 'never'; or milliseconds: both after the first batch that ends at
 * least that long after the last turn.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

// TensorFlow.js's DEFAULT_YIELD_EVERY_MS, the period of onYield under 'auto'.
const AUTO_ON_YIELD_MS = 125;

/** One turn of the event loop (what a loop awaits between batches). */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** When fit yields and calls onYield, from its yieldEvery. */
export class YieldPolicy {
  private readonly every: 'auto' | 'batch' | 'epoch' | 'never' | number;
  private last = performance.now(); // the last onYield ('auto'), or the last turn (milliseconds)

  /** `onYield`: some callback defines the hook (with 'never' it would never run: an error, as in TensorFlow.js). */
  constructor(op: string, value: unknown, onYield: boolean) {
    const expected = `expected yieldEvery to be 'auto', 'batch', 'epoch', 'never' or milliseconds >= 0`;
    if (value === undefined) this.every = 'auto';
    else if (value === 'auto' || value === 'batch' || value === 'epoch' || value === 'never') this.every = value;
    else if (typeof value === 'number' && Number.isFinite(value) && value >= 0) this.every = value;
    else throw new Error(`${op}: ${expected}, got ${typeof value === 'string' ? quoted(value) : describe(value)}`);
    if (this.every === 'never' && onYield) {
      throw new Error(`${op}: yieldEvery is 'never', so a callback's onYield would never run; use 'auto', 'batch', 'epoch' or milliseconds`);
    }
  }

  /** After a batch: gives the event loop its turn when one is due; resolves to whether onYield is due. */
  async afterBatch(): Promise<boolean> {
    const every = this.every;
    if (every === 'epoch' || every === 'never') return false;
    if (typeof every === 'number' && performance.now() - this.last < every) return false;
    await nextTurn();
    const now = performance.now();
    if (every === 'auto' && now - this.last < AUTO_ON_YIELD_MS) return false;
    this.last = now;
    return true;
  }

  /** After an epoch: gives the event loop its turn under 'epoch'; resolves to whether onYield is due. */
  async afterEpoch(): Promise<boolean> {
    if (this.every !== 'epoch') return false;
    await nextTurn();
    return true;
  }
}
