// Turning what fit / evaluate / predict receive (tensors, lists or objects of tensors,
// Datasets, any iterable of batches) into batches of {x, y, sampleWeight}.
import { Dataset, shuffleInPlace } from '../data/dataset';
import { seededRandom } from '../tensor/seeded_random';
import { rowsOf } from '../data/sources';
import { gather } from '../ops/gather';
import { slice } from '../ops/slice';
import { argMax } from '../ops/reduce';
import { mul } from '../ops/binary';
import { tensor } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { rowsView } from '../tensor/run';
import { describe } from '../tensor/shape';
import { Tensor, Variable } from '../tensor/tensor';
import { stepHook } from '../compiled/step_hook';
import { tensorsIn, type TensorsLike } from './structures';
import { PyDataset } from '../utils/py_dataset';

/**
 * One batch: inputs, targets (absent for predict) and per-sample weights. A step written
 * for one model may name what its data holds, as `trainStep(data: Batch<Tensor, Tensor>)`,
 * to read `data.x` as a Tensor.
 */
export interface Batch<X extends TensorsLike = TensorsLike, Y extends TensorsLike = TensorsLike> {
  /** The model's inputs: a tensor, a list, or an object by input name. */
  x: X;
  /** The targets, shaped like the outputs; absent for predict. */
  y?: Y;
  /** One weight per sample, multiplying each sample's loss. */
  sampleWeight?: Tensor;
}

/**
 * What a step receives: the batch, which also unpacks in order as Keras's data tuple does
 * (`const [x, y, sampleWeight] = data` in a trainStep written after Keras's guides).
 */
class StepBatch implements Batch {
  constructor(
    public x: TensorsLike,
    public y: TensorsLike | undefined,
    public sampleWeight: Tensor | undefined,
  ) {}

  *[Symbol.iterator](): Iterator<TensorsLike | undefined> {
    yield this.x;
    if (this.y !== undefined || this.sampleWeight !== undefined) yield this.y;
    if (this.sampleWeight !== undefined) yield this.sampleWeight;
  }
}

/** `batch` as a step receives it (see StepBatch). */
export function stepBatch(batch: Batch): Batch {
  return batch instanceof StepBatch ? batch : new StepBatch(batch.x, batch.y, batch.sampleWeight);
}

/** A source of batches, iterated once per epoch. */
export interface BatchSource {
  /** Batches per epoch, when known. */
  steps: number | null;
  /** Samples per epoch, when known. */
  samples: number | null;
  /** The batches are new tensors, released after their step (not the user's own). */
  readonly ownsBatches: boolean;
  batches(epoch: number): AsyncIterable<Batch> | Iterable<Batch>;
  /** Ends an iteration kept open across epochs (EpochWindow), once fit is over. */
  close?(): Promise<void>;
}

/** Something fit can read batches from: a Dataset, a PyDataset or any (async) iterable of batches. */
export type BatchIterable = Dataset<unknown> | PyDataset | AsyncIterable<unknown> | Iterable<unknown>;

// What the loops' in-memory data may be (plain arrays became tensors at the entry: raw_inputs.ts).
const DATA = 'a Tensor or nested arrays of numbers, or a non-empty list or object of them';

// x or y: a Tensor, or a non-empty array or object of them (anything else, a string or a
// [null], was read as "no data" and failed later inside a step); undefined: no y.
function firstDim(op: string, what: string, v: TensorsLike | undefined): number | undefined {
  return v === undefined ? undefined : rowsOf(op, what, v, DATA);
}

function mapTensors(v: TensorsLike, fn: (t: Tensor) => Tensor): TensorsLike {
  if (v instanceof Tensor) return fn(v);
  if (Array.isArray(v)) return v.map(fn);
  return Object.fromEntries(Object.entries(v).map(([k, t]) => [k, fn(t)]));
}

/**
 * x and y held in memory, cut into batches (shuffled per epoch when asked). A source reads
 * rows [begin, begin + samples) of the caller's tensors: an unshuffled batch is a view of
 * its rows (no copy), a shuffled one a gather kernel per tensor straight from them (its
 * storage comes back from the block cache, the same size every step), and neither
 * shuffling nor validationSplit copies the data set.
 */
export class TensorSource implements BatchSource {
  readonly samples: number;
  steps: number;
  readonly ownsBatches = true;

  constructor(
    private readonly op: string,
    readonly x: TensorsLike,
    readonly y: TensorsLike | undefined,
    readonly sampleWeight: Tensor | undefined,
    readonly batchSize: number,
    readonly shuffle: boolean,
    private readonly rows?: { begin: number; count: number },
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${op}: expected batchSize to be a positive integer, got ${describe(batchSize)}`);
    if (x === undefined) throw new Error(`${op}: expected x to be ${DATA}, got undefined`);
    const nx = firstDim(op, 'x', x)!;
    const ny = firstDim(op, 'y', y);
    if (ny !== undefined && ny !== nx) throw new Error(`${op}: x has ${nx} samples but y has ${ny}; they must match`);
    if (sampleWeight !== undefined) {
      if (!(sampleWeight instanceof Tensor) || sampleWeight.rank < 1 || sampleWeight.shape[0] !== nx) {
        throw new Error(`${op}: sampleWeight must be a tensor or array with ${nx} entries (one per sample), got ${describe(sampleWeight)}`);
      }
    }
    this.samples = rows?.count ?? nx;
    this.steps = Math.ceil(this.samples / batchSize);
  }

  private get begin(): number {
    return this.rows?.begin ?? 0;
  }

  /**
   * At most `steps` batches per pass (evaluate's and predict's steps, as Keras's; tensor
   * data ignored them before). More steps than the data has: all of it, with a warning (as Keras).
   */
  limitSteps(op: string, steps: number): this {
    if (steps > this.steps) console.warn(`${op}: the data ran out after ${this.steps} of steps ${steps} batches (of ${this.batchSize} samples)`);
    this.steps = Math.min(steps, this.steps);
    return this;
  }

  *batches(): Iterable<Batch> {
    const n = Math.min(this.samples, this.steps * this.batchSize);
    const order = this.shuffle ? this.permutation(this.samples) : null;
    for (let start = 0; start < n; start += this.batchSize) {
      this.checkLive();
      const size = Math.min(this.batchSize, n - start);
      const idx = order ? tensor(order.subarray(start, start + size), [size], 'int32') : null;
      const first = this.begin + start;
      const pick = (t: Tensor) => (idx ? gather(t, idx) : batchRows(t, first, size));
      const batch: Batch = {
        x: mapTensors(this.x, pick),
        y: this.y === undefined ? undefined : mapTensors(this.y, pick),
        sampleWeight: this.sampleWeight === undefined ? undefined : pick(this.sampleWeight),
      };
      idx?.dispose();
      yield batch;
    }
  }

  // A callback may dispose the data between steps: said here, not by the slice or gather that meets it.
  private checkLive(): void {
    const parts: [string, TensorsLike | undefined][] = [
      ['x', this.x],
      ['y', this.y],
      ['sampleWeight', this.sampleWeight],
    ];
    for (const [what, v] of parts) {
      const dead = v === undefined ? undefined : tensorsIn(v).find((t) => t.isDisposed);
      if (dead !== undefined)
        throw new Error(`${this.op}: ${what} holds a disposed tensor (shape [${dead.shape.join(', ')}]); was it disposed during training?`);
    }
  }

  // The rows of this source in a seeded random order (Fisher-Yates over 0 .. n - 1, then
  // offset to the source's first row), drawn from the global stream so setSeed() makes
  // training repeatable.
  private permutation(n: number): Int32Array {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(order, seededRandom('fit'));
    if (this.begin !== 0) for (let i = 0; i < n; i++) order[i] += this.begin;
    return order;
  }

  /**
   * The last `fraction` of the samples (Keras's validationSplit takes them before shuffling),
   * as row ranges of the same tensors; `fraction` is in (0, 1) (fit checks it: checkValidationSplit).
   */
  split(op: string, fraction: number, validationBatchSize = this.batchSize): [TensorSource, TensorSource] {
    const trainCount = Math.floor(this.samples * (1 - fraction));
    if (trainCount === 0 || trainCount === this.samples) throw new Error(`${op}: validationSplit ${fraction} of ${this.samples} samples leaves an empty split`);
    const make = (begin: number, count: number, batchSize: number, shuffle: boolean) =>
      new TensorSource(op, this.x, this.y, this.sampleWeight, batchSize, shuffle, { begin: this.begin + begin, count });
    return [make(0, trainCount, this.batchSize, this.shuffle), make(trainCount, this.samples - trainCount, validationBatchSize, false)];
  }
}

// Rows of a data tensor as a view. A slice kernel (a copy) where a view could change under
// the step: a Variable's storage is written in place by optimizers, and a compiled step's
// hook must see every handle it is given.
function batchRows(t: Tensor, first: number, size: number): Tensor {
  if (t instanceof Variable || stepHook !== null) return slice(t, [first], [size]);
  return rowsView(t, first, size);
}

/** Reads a Dataset's (or iterable's) elements as batches: [x, y, sw], {x, y, sampleWeight} or {xs, ys}. */
export class IterableSource implements BatchSource {
  readonly samples = null;
  /** A Dataset makes new tensors for each batch; the batches of a user's own iterable stay the user's. */
  readonly ownsBatches: boolean;

  constructor(
    private readonly op: string,
    private readonly data: BatchIterable,
    readonly steps: number | null,
  ) {
    this.ownsBatches = data instanceof Dataset;
    const size = data instanceof Dataset ? data.size : null;
    if (steps === null && size !== null) this.steps = size;
  }

  async *batches(): AsyncIterable<Batch> {
    let step = 0;
    for await (const element of this.data as AsyncIterable<unknown>) {
      yield toBatch(this.op, element);
      if (this.steps !== null && ++step >= this.steps) return;
    }
  }
}

export function toBatch(op: string, e: unknown): Batch {
  if (Array.isArray(e) && (e.length === 2 || e.length === 3)) {
    return { x: e[0] as TensorsLike, y: e[1] as TensorsLike, sampleWeight: e[2] as Tensor | undefined };
  }
  if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if ('xs' in o) return { x: o.xs as TensorsLike, y: o.ys as TensorsLike | undefined, sampleWeight: o.sampleWeight as Tensor | undefined };
    if ('x' in o) return { x: o.x as TensorsLike, y: o.y as TensorsLike | undefined, sampleWeight: o.sampleWeight as Tensor | undefined };
  }
  if (e instanceof Tensor) return { x: e };
  throw new Error(`${op}: expected each dataset element as [x, y], [x, y, sampleWeight], {x, y} or {xs, ys}, got ${describe(e)}`);
}

/** True for Datasets, PyDatasets and (async) iterables that are not tensors, arrays or typed arrays. */
export function isBatchIterable(v: unknown): v is BatchIterable {
  if (v instanceof Dataset || v instanceof PyDataset) return true;
  if (v === null || typeof v !== 'object' || v instanceof Tensor || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  return Symbol.asyncIterator in v || Symbol.iterator in v;
}

/**
 * Per-sample weights from `classWeight` (class index -> weight) and the labels: sparse
 * labels index directly, one-hot rows by their argmax; multiplied into `sampleWeight`.
 */
export function classSampleWeights(op: string, classWeight: Record<number, number>, y: Tensor, sampleWeight?: Tensor): Tensor {
  return tidy(() => {
    const labels = y.rank > 1 && y.shape[y.rank - 1] > 1 ? argMax(y, -1) : y;
    const ids = labels.dataSync();
    const weights = new Float32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const c = Math.round(ids[i]);
      const w = classWeight[c];
      if (w === undefined) throw new Error(`${op}: classWeight has no entry for class ${c} (it has ${Object.keys(classWeight).join(', ')})`);
      weights[i] = w;
    }
    const cw = tensor(weights, labels.shape, 'float32');
    return sampleWeight ? mul(cw, sampleWeight) : cw;
  });
}
