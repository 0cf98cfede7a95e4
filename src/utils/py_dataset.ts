// Keras 3's keras.utils.PyDataset (formerly Sequence): a data set of batches read by index,
// subclassed by users, which fit / evaluate / predict read batch by batch, shuffling the
// batch order per epoch when fit's shuffle is on, and calling its epoch hooks.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean, checkInteger } from '../options/check_args';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { TensorsLike } from '../training/structures';

/** The constructor options of a PyDataset (Keras's names, camelCase). */
export interface PyDatasetOptions {
  /**
   * Workers reading batches in parallel: 1 (default) or 0, as Keras without an enqueuer.
   * Tessera reads batches on the main thread (make getItem async to overlap I/O), so more is refused.
   */
  workers?: number;
  /** Read batches in child processes: only false (default); Tessera has no process pool. */
  useMultiprocessing?: boolean;
  /** Batches queued ahead by the workers (default 10); with one worker Keras does not read it, nor does Tessera. */
  maxQueueSize?: number;
}

/** What getItem returns: `[x]`, `[x, y]`, `[x, y, sampleWeight]`, `{x, y, sampleWeight}` or inputs alone. */
export type PyDatasetBatch =
  TensorsLike | [TensorsLike] | [TensorsLike, TensorsLike] | [TensorsLike, TensorsLike, Tensor] | { x: TensorsLike; y?: TensorsLike; sampleWeight?: Tensor };

/**
 * A data set of batches by index, for fit / evaluate / predict: subclass it and define
 * `getItem(index)` (a batch, or a promise of one) and the batch count, either as a
 * `numBatches` getter (Keras 3's `num_batches`; null: endless) or as `length` (Keras's
 * `__len__`, the fallback Keras reads too). The tensors getItem returns are released after
 * their step, as a Dataset's are: make them in getItem, do not return tensors you keep.
 * `utils.Sequence` is the same class (Keras's older name).
 * @example
 * class Batches extends ts.utils.PyDataset {
 *   constructor(private x: number[][], private y: number[], private batchSize: number) { super(); }
 *   override get length() { return Math.ceil(this.y.length / this.batchSize); }
 *   getItem(i: number) {
 *     const lo = i * this.batchSize, hi = lo + this.batchSize;
 *     return [ts.tensor(this.x.slice(lo, hi)), ts.tensor(this.y.slice(lo, hi))];
 *   }
 * }
 * await model.fit(new Batches(x, y, 32), { epochs: 3 });
 */
// `length` is declared here (merged into the class) so that a subclass may give it as a
// field or a getter; the class itself defines none.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- an optional member a subclass may define as a field or a getter
export interface PyDataset {
  /** The batch count when the subclass gives it as `length` (Keras's `__len__`); read through numBatches. */
  readonly length?: number | null;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export abstract class PyDataset {
  /** Workers reading batches: 1 or 0 (see PyDatasetOptions). */
  readonly workers: number;
  /** Always false in Tessera (see PyDatasetOptions). */
  readonly useMultiprocessing: boolean;
  /** Batches queued ahead (not read with one worker, as in Keras). */
  readonly maxQueueSize: number;

  constructor(options?: PyDatasetOptions) {
    const op = `${new.target.name}(PyDataset)`;
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    const { workers = 1, useMultiprocessing = false, maxQueueSize = 10 } = checkOptions(op, options, 'utils.PyDataset');
    this.workers = checkInteger(op, 'workers', workers, 0);
    if (this.workers > 1) {
      throw new Error(
        `${op}: workers ${this.workers} is not supported: Tessera reads batches on the main thread (workers 1 or 0); make getItem async to overlap its I/O`,
      );
    }
    this.useMultiprocessing = checkBoolean(op, 'useMultiprocessing', useMultiprocessing);
    if (this.useMultiprocessing) throw new Error(`${op}: useMultiprocessing true is not supported: Tessera has no process pool; leave it false`);
    this.maxQueueSize = checkInteger(op, 'maxQueueSize', maxQueueSize, 1);
  }

  /** The batch at `index` (0 .. numBatches - 1), or a promise of it. */
  abstract getItem(index: number): PyDatasetBatch | Promise<PyDatasetBatch>;

  /** Batches per epoch; null for an endless data set. By default the subclass's `length`. */
  get numBatches(): number | null {
    const n = this.length;
    if (n === undefined) {
      throw new Error(`${this.constructor.name}(PyDataset): define the batch count, as a numBatches getter (null: endless) or as length`);
    }
    return n;
  }

  /** Called at the start of every epoch (fit) or pass (evaluate, predict). */
  onEpochBegin(): void | Promise<void> {}

  /** Called at the end of every epoch (fit) or pass (evaluate, predict). */
  onEpochEnd(): void | Promise<void> {}
}

/** @internal The data set's batch count, checked: a non-negative integer or null. */
export function batchCountOf(op: string, data: PyDataset): number | null {
  const n = data.numBatches;
  if (n !== null && (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)) {
    throw new Error(`${op}: expected ${data.constructor.name}'s numBatches (or length) to be an integer >= 0 or null (endless), got ${describe(n)}`);
  }
  return n;
}

/** @internal getItem is a function: a Keras habit (`__getitem__`, `getitem`) named in the error. */
export function checkPyDataset(op: string, data: PyDataset): void {
  if (typeof (data as { getItem?: unknown }).getItem === 'function') return;
  const keras = ['__getitem__', 'getitem', 'get_item'].find((k) => typeof (data as unknown as Record<string, unknown>)[k] === 'function');
  throw new Error(`${op}: ${data.constructor.name} (a PyDataset) must define getItem(index)${keras ? `, got ${keras}: rename it getItem` : ''}`);
}
