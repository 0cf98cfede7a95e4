// Where Datasets come from: arrays, tensors (sliced along the first axis), generators,
// and zips of other datasets.
import { tooManyArguments } from '../options/arity';
import { gather } from '../ops/gather';
import { slice } from '../ops/slice';
import { reshape } from '../ops/reshape';
import { tensor } from '../tensor/creation';
import { dispose } from '../tensor/memory';
import { checkNoHoles, describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import {
  Dataset,
  INFINITE_CARDINALITY,
  UNKNOWN_CARDINALITY,
  checkShuffle,
  dropsRemainder,
  scalarMaker,
  withCardinality,
  type BatchOptions,
  type Element,
  type PassContext,
  type ScalarOptions,
} from './dataset';
import { copyTensors } from './dataset_cache';
import { specOf, type ElementSpec } from './element_spec';
import { checkNestDepth } from '../ops/nest';
import { drawSeed, mulberry32 } from '../tensor/seeded_random';
import { everyEntry } from '../options/every_entry';

/** A data set of the given elements, in order. */
export function fromArrays<T extends Element>(items: T[]): Dataset<T> {
  if (arguments.length > 1) throw tooManyArguments('data.fromArrays', 1, arguments.length);
  if (!Array.isArray(items)) throw new Error(`data.fromArrays: expected an array, got ${typeof items}`);
  // A hole would be yielded as undefined, which nothing downstream can batch or feed.
  // findIndex, unlike every(), visits holes.
  const hole = items.findIndex((_, i) => !(i in items));
  if (hole >= 0) throw new Error(`data.fromArrays: the array has a hole (an empty slot) at index ${hole}; give every element`);
  return new Dataset<T>(async function* () {
    yield* items;
  }, items.length);
}

/** Tensors, an array or an object of tensors with one first dimension. */
export type TensorStructure = Tensor | Tensor[] | { [key: string]: Tensor };

function leaves(s: TensorStructure): Tensor[] {
  if (s instanceof Tensor) return [s];
  // Array.from: a sparse list's holes become undefined, which every() and some() would skip.
  return Array.isArray(s) ? Array.from(s) : Object.values(s);
}

function mapStructure(s: TensorStructure, fn: (t: Tensor) => Tensor): TensorStructure {
  if (s instanceof Tensor) return fn(s);
  if (Array.isArray(s)) return s.map(fn);
  return Object.fromEntries(Object.entries(s).map(([k, t]) => [k, fn(t)]));
}

/**
 * Slices along the first axis of tensors: `fromTensors({xs, ys})` yields {xs: xs[i], ys: ys[i]}.
 * shuffle() and batch() on it gather whole batches at once instead of stacking slices.
 * This is tf.data's from_tensor_slices (also `data.fromTensorSlices` and
 * `Dataset.fromTensorSlices`), not its from_tensors: the static `Dataset.fromTensors` and
 * `data.fromElement` give the whole structure as one element, as tf.data's from_tensors.
 */
export function fromTensors(tensors: TensorStructure): TensorSliceDataset {
  if (arguments.length > 1) throw tooManyArguments('data.fromTensors', 1, arguments.length);
  return new TensorSliceDataset(tensors);
}

/** tf.data's from_tensor_slices: the same as fromTensors (this module's), spelled as tf.data. */
export function fromTensorSlices(tensors: TensorStructure): TensorSliceDataset {
  if (arguments.length > 1) throw tooManyArguments('data.fromTensorSlices', 1, arguments.length);
  return new TensorSliceDataset(tensors);
}

/**
 * tf.data's from_tensors (`Dataset.fromTensors`): a data set of one element, the whole
 * structure given (unlike `data.fromTensors`, which slices). Each pass yields copies of
 * its tensors, which the reader owns; the originals stay the caller's.
 */
export function fromElement<T extends Element>(element: T): Dataset<T> {
  if (arguments.length > 1) throw tooManyArguments('data.fromElement', 1, arguments.length);
  if (element === undefined || element === null)
    throw new Error(`data.fromElement: expected an element (tensors, numbers, strings, or arrays or objects of them), got ${describe(element)}`);
  checkNestDepth('data.fromElement', element, 'the element');
  specOf('data.fromElement', element); // refuses what a data set cannot carry, now rather than when read
  checkLive('data.fromElement', element);
  return new Dataset<T>(async function* () {
    checkLive('data.fromElement', element);
    yield copyTensors(element, false);
  }, 1);
}

function checkLive(op: string, e: unknown): void {
  if (e instanceof Tensor) {
    if (e.isDisposed) throw new Error(`${op}: the element holds a disposed tensor (shape [${e.shape.join(', ')}])`);
  } else if (Array.isArray(e)) for (const v of e) checkLive(op, v);
  else if (e !== null && typeof e === 'object' && !ArrayBuffer.isView(e)) for (const v of Object.values(e)) checkLive(op, v);
}

/** range's bounds, as tf.data's Dataset.range takes them. */
export type RangeBounds = [stop: number] | [start: number, stop: number] | [start: number, stop: number, step: number];

/** range's options: scalar tensors of a dtype instead of numbers. */
export interface RangeOptions extends ScalarOptions {
  /** tf.data's name for dtype (output_type). */
  outputType?: 'int32' | 'float32';
}

/**
 * tf.data's Dataset.range: range(stop), range(start, stop) or range(start, stop, step), as
 * Python's range (step may be negative, not 0). Elements are plain numbers, as Tessera's
 * data sets carry integers (JavaScript's arithmetic and every op take them; a tensor would
 * turn `x * 2` into NaN); a last `{ dtype: 'int32' }` (or tf.data's `outputType`) gives
 * scalar tensors, as tf.data's int64 ones (batch stacks those as int32, numbers as float32).
 * @example range(1, 10, 3) yields 1, 4, 7
 */
export function range(...bounds: RangeBounds): Dataset<number>;
export function range(...args: [...RangeBounds, RangeOptions]): Dataset<number | Tensor>;
export function range(...args: unknown[]): Dataset<number | Tensor> {
  return rangeOf('data.range', args);
}

/** @internal range, its arguments checked naming `op`. */
export function rangeOf(op: string, args: unknown[]): Dataset<number | Tensor> {
  if (args.length > 4) throw tooManyArguments(op, 4, args.length);
  const last = args[args.length - 1];
  const options = last !== null && typeof last === 'object' && !(last instanceof Tensor) ? (args.pop() as RangeOptions) : undefined;
  if (args.length < 1 || args.length > 3)
    throw new Error(`${op}: expected (stop), (start, stop) or (start, stop, step), then options, got ${args.length} bounds`);
  const names = args.length === 1 ? ['stop'] : ['start', 'stop', 'step'];
  args.forEach((v, i) => {
    if (!Number.isSafeInteger(v)) throw new Error(`${op}: expected ${names[i]} to be an integer, got ${describe(v)}`);
  });
  const [start, stop, step] = args.length === 1 ? [0, args[0] as number, 1] : [args[0] as number, args[1] as number, (args[2] as number | undefined) ?? 1];
  if (step === 0) throw new Error(`${op}: step must not be 0`);
  const make = scalarMaker(op, options, ['outputType']);
  const count = Math.max(0, Math.ceil((stop - start) / step));
  return new Dataset(async function* () {
    for (let i = 0; i < count; i++) yield make(start + i * step);
  }, count);
}

/**
 * The rows a structure of tensors has (one Tensor, or a non-empty array or object of them,
 * sharing their first dimension); throws naming `op` and `what` otherwise. fit's data and
 * fromTensors's both.
 */
export function rowsOf(op: string, what: string, tensors: unknown, expected = 'a Tensor, or a non-empty array or object of tensors'): number {
  const all = tensors instanceof Tensor ? [tensors] : tensors !== null && typeof tensors === 'object' ? leaves(tensors as TensorStructure) : [];
  if (all.length === 0 || !everyEntry(all, (t) => t instanceof Tensor)) {
    throw new Error(`${op}: expected ${what} to be ${expected}, got ${describe(tensors)}`);
  }
  // Found here, before a step's slicing or gather meets it and names itself.
  for (const t of all) if (t.isDisposed) throw new Error(`${op}: ${what} holds a disposed tensor (shape [${t.shape.join(', ')}])`);
  for (const t of all) if (t.rank === 0) throw new Error(`${op}: ${what} must have a batch dimension, got a scalar`);
  const n = all[0].shape[0];
  if (all.some((t) => t.shape[0] !== n)) {
    throw new Error(
      `${op}: every tensor needs the same first dimension (the samples) in ${what}; got shapes ${all.map((t) => `[${t.shape.join(', ')}]`).join(', ')}`,
    );
  }
  return n;
}

/** A data set of slices of tensors; elements are new tensors the consumer disposes. */
export class TensorSliceDataset extends Dataset<TensorStructure> {
  private readonly n: number;

  /** @param shuffleSeed - when given, the rows come in a new shuffled order each iteration. */
  constructor(
    private readonly tensors: TensorStructure,
    private readonly shuffleSeed: number | null = null,
    private readonly reshuffleEachIteration = true,
  ) {
    const n = rowsOf('data.fromTensors', 'the tensors', tensors);
    super(() => this.slices(), n);
    this.n = n;
    if (shuffleSeed !== null && !Number.isSafeInteger(shuffleSeed)) {
      throw new Error(`data.fromTensors: expected the shuffle seed to be an integer or null, got ${describe(shuffleSeed)}`);
    }
  }

  private order(iteration: number): number[] {
    const idx = Array.from({ length: this.n }, (_, i) => i);
    if (this.shuffleSeed === null) return idx;
    const random = mulberry32(this.shuffleSeed + (this.reshuffleEachIteration ? iteration : 0));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return idx;
  }

  private iteration = 0;

  private async *slices(): AsyncGenerator<TensorStructure> {
    const order = this.order(this.iteration++);
    for (const i of order) {
      yield mapStructure(this.tensors, (t) => {
        const row = slice(t, [i], [1]);
        const element = reshape(row, t.shape.slice(1));
        row.dispose(); // the element is a view that keeps the storage
        return element;
      });
    }
  }

  /** A full shuffle (whatever the buffer size) of the indices, new each iteration unless told otherwise. */
  override shuffle(bufferSize: number, seed?: number, reshuffleEachIteration = true): TensorSliceDataset {
    if (arguments.length > 3) throw tooManyArguments('TensorSliceDataset.shuffle', 3, arguments.length);
    checkShuffle(bufferSize, seed, reshuffleEachIteration);
    return new TensorSliceDataset(this.tensors, drawSeed('Dataset.shuffle', seed), reshuffleEachIteration);
  }

  /** tf.data's element_spec, from the tensors sliced (nothing is read): each one's shape without its first dimension. */
  override async elementSpec(): Promise<ElementSpec> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.elementSpec', 0, arguments.length);
    const spec = (t: Tensor): ElementSpec => ({ shape: t.shape.slice(1), dtype: t.dtype });
    const s = this.tensors;
    if (s instanceof Tensor) return spec(s);
    if (Array.isArray(s)) return s.map(spec);
    return Object.fromEntries(Object.entries(s).map(([k, t]) => [k, spec(t)]));
  }

  /** Batches by gathering rows directly. */
  override batch(batchSize: number, options?: BatchOptions): Dataset<Element> {
    if (arguments.length > 2) throw tooManyArguments('TensorSliceDataset.batch', 2, arguments.length);
    const dropRemainder = dropsRemainder(batchSize, options);
    const self = this; // eslint-disable-line @typescript-eslint/no-this-alias -- a generator function cannot be an arrow, so it reaches the dataset by name
    const count = dropRemainder ? Math.floor(this.n / batchSize) : Math.ceil(this.n / batchSize);
    return new Dataset<Element>(async function* () {
      const order = self.order(self.iteration++);
      for (let b = 0; b < count; b++) {
        const rows = order.slice(b * batchSize, Math.min(self.n, (b + 1) * batchSize));
        const contiguous = rows.every((r, i) => r === rows[0] + i);
        const indices = contiguous ? null : tensor(rows, [rows.length], 'int32');
        const batch = mapStructure(self.tensors, (t) => (indices ? gather(t, indices) : slice(t, [rows[0]], [rows.length])));
        indices?.dispose();
        yield batch as Element;
      }
    }, count);
  }
}

/**
 * A data set from a generator function, sync or async, called anew for each iteration.
 * @example fromGenerator(function* () { for (let i = 0; i < 10; i++) yield { x: i, y: 2 * i }; })
 */
export function fromGenerator<T extends Element>(generator: () => Iterator<T> | AsyncIterator<T>): Dataset<T> {
  if (arguments.length > 1) throw tooManyArguments('data.fromGenerator', 1, arguments.length);
  if (typeof generator !== 'function') throw new Error('data.fromGenerator: expected a function that returns an iterator');
  return new Dataset<T>(async function* () {
    const it = generator();
    if (it === null || typeof it !== 'object' || typeof it.next !== 'function') {
      throw new Error(`data.fromGenerator: the generator function must return an iterator (use function* or async function*), got ${describe(it)}`);
    }
    let done = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // Stopped early (take(), fit's stepsPerEpoch at the end of training): let the user's generator clean up.
      if (!done) await it.return?.();
    }
  });
}

/** Elements of several data sets side by side, as an array or object; ends with the shortest. */
export function zip(datasets: Dataset<Element>[] | { [key: string]: Dataset<Element> }): Dataset<Element> {
  if (arguments.length > 1) throw tooManyArguments('data.zip', 1, arguments.length);
  if (datasets === null || typeof datasets !== 'object') throw new Error(`data.zip: expected an array or object of Datasets, got ${describe(datasets)}`);
  checkNoHoles('data.zip', 'datasets', datasets);
  const entries = Array.isArray(datasets) ? datasets.map((d, i) => [String(i), d] as const) : Object.entries(datasets);
  for (const [key, d] of entries) {
    if (d === null || typeof d !== 'object' || typeof (d as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== 'function') {
      throw new Error(`data.zip: expected a Dataset at ${Array.isArray(datasets) ? 'index' : 'key'} ${key}, got ${describe(d)}`);
    }
  }
  // tf.data's: the shortest known count; endless only when every input is; unknown if any is.
  const cards = entries.map(([, d]) => (d instanceof Dataset ? d.cardinality() : UNKNOWN_CARDINALITY));
  const finite = cards.filter((c) => c >= 0);
  const card = cards.includes(UNKNOWN_CARDINALITY) ? UNKNOWN_CARDINALITY : finite.length > 0 ? Math.min(...finite) : INFINITE_CARDINALITY;
  return withCardinality<Element>(async function* (context?: PassContext) {
    // Under ignoreErrors an input that dropped an element (its map threw) is one position
    // ahead of the others: their elements at the dropped position are dropped too, so the
    // pairs stay aligned. Without it no input drops and every pair is read at once.
    const drops = entries.map(() => 0);
    const outer = context?.dropError;
    const its = entries.map(([, d], k) => {
      const inner: PassContext | undefined = outer === undefined ? context : { ...context, dropError: (op, error) => (drops[k]++, outer(op, error)) };
      return (d[Symbol.asyncIterator] as (context?: PassContext) => AsyncIterator<Element>).call(d, inner);
    });
    const given = entries.map(() => 0);
    const read = async (k: number) => {
      const r = await its[k].next();
      return r.done ? null : { value: r.value, at: given[k]++ + drops[k] };
    };
    let row: ({ value: Element; at: number } | null)[] = [];
    try {
      for (;;) {
        row = await Promise.all(its.map((_, k) => read(k)));
        for (;;) {
          if (row.some((r) => r === null)) return; // the longer inputs' elements read here belong to no pair: freed below
          const target = Math.max(...row.map((r) => r!.at));
          const behind = row.findIndex((r) => r!.at < target);
          if (behind < 0) break;
          dispose(row[behind]!.value as never);
          row[behind] = await read(behind);
        }
        const values = row.map((r) => r!.value);
        row = [];
        yield Array.isArray(datasets) ? values : Object.fromEntries(entries.map(([k], i) => [k, values[i]]));
      }
    } finally {
      dispose(row.filter((r) => r !== null).map((r) => r.value) as never);
      await Promise.all(its.map((it) => it.return?.()));
    }
  }, card);
}
