// Dataset: a lazy, re-iterable stream of elements (tensors, arrays or objects of them,
// or plain values), with the tf.data transformations. Nothing is read until iterated,
// so a data set larger than memory streams.
import { collate } from './collate';
import { cachedSource } from './dataset_cache';
import { dispose } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { checkFunction } from '../tensor/check_function';
import { describe } from '../tensor/shape';
import { checkOptions } from '../options/check';
import { drawSeed, mulberry32 } from '../tensor/seeded_random';
import { tooManyArguments } from '../options/arity';

/** What a Dataset yields: tensors, numbers, strings, or arrays / objects of them. */
export type Element = Tensor | number | string | boolean | Element[] | { [key: string]: Element };

type Source<T> = () => AsyncIterator<T>;

/** tf.data.AUTOTUNE: prefetch(AUTOTUNE) lets the data set choose how far to read ahead. */
export const AUTOTUNE = -1;

/** A lazy sequence of elements; iterate it with `for await`, once per epoch. */
export class Dataset<T = Element> implements AsyncIterable<T> {
  /** @internal */
  constructor(
    protected readonly source: Source<T>,
    /** Elements per pass, when known; null when unknown or endless. */
    readonly size: number | null = null,
  ) {
    if (typeof source !== 'function') throw new Error(`Dataset: expected a function that returns an async iterator, got ${describe(source)}`);
    if (size !== null && !(typeof size === 'number' && size >= 0))
      throw new Error(`Dataset: expected size to be a non-negative number or null, got ${describe(size)}`);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.source();
    if (it === null || typeof it !== 'object' || typeof it.next !== 'function') {
      throw new Error(`Dataset: its source function must return an async iterator (an async function* does), got ${describe(it)}`);
    }
    return it;
  }

  /**
   * TensorFlow.js's iterator: `const it = await ds.iterator()`, then `await it.next()` gives
   * `{ value, done }` (what `for await` does for you).
   */
  async iterator(): Promise<AsyncIterator<T>> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.iterator', 0, arguments.length);
    return this[Symbol.asyncIterator]();
  }

  /** Applies fn to every element (fn may be async). */
  map<U>(fn: (element: T) => U | Promise<U>): Dataset<U> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.map', 1, arguments.length);
    return this.mapWith('Dataset.map', fn);
  }

  /** TensorFlow.js's name for map with an async fn (map takes either). */
  mapAsync<U>(fn: (element: T) => Promise<U>): Dataset<U> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.mapAsync', 1, arguments.length);
    return this.mapWith('Dataset.mapAsync', fn);
  }

  private mapWith<U>(op: string, fn: (element: T) => U | Promise<U>): Dataset<U> {
    checkFunction(op, 'fn', fn);
    const src = this.source;
    return new Dataset<U>(async function* () {
      for await (const e of iterate(src)) yield await fn(e);
    }, this.size);
  }

  /** Keeps the elements for which predicate is true; dropped elements' tensors are disposed. */
  filter(predicate: (element: T) => boolean | Promise<boolean>): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.filter', 1, arguments.length);
    checkFunction('Dataset.filter', 'predicate', predicate);
    const src = this.source;
    return new Dataset<T>(async function* () {
      for await (const e of iterate(src)) {
        if (await predicate(e)) yield e;
        else dispose(e as never);
      }
    });
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking tensors, numbers and
   * arrays of numbers (rows, as TensorFlow.js) along a new first axis (objects and other
   * arrays field by field). The stacked inputs are disposed.
   * A short last batch is kept unless `{ dropRemainder: true }` (Keras's name) or
   * `{ smallLastBatch: false }` (TensorFlow.js's).
   */
  batch(batchSize: number, options?: BatchOptions): Dataset<Element> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.batch', 2, arguments.length);
    const dropRemainder = dropsRemainder(batchSize, options);
    const src = this.source;
    const size = this.size === null ? null : dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
    return new Dataset<Element>(async function* () {
      let group: Element[] = [];
      let start = 0; // the dataset index of the group's first element, for errors
      for await (const e of iterate(src)) {
        group.push(e as unknown as Element);
        if (group.length === batchSize) {
          yield collate(group, start);
          start += batchSize;
          group = [];
        }
      }
      if (group.length > 0 && !dropRemainder) yield collate(group, start);
    }, size);
  }

  /**
   * Shuffles through a buffer of `bufferSize` elements (a buffer as large as the data set
   * gives a full shuffle), reshuffling each iteration unless told otherwise.
   */
  shuffle(bufferSize: number, seed?: number, reshuffleEachIteration = true): Dataset<T> {
    if (arguments.length > 3) throw tooManyArguments('Dataset.shuffle', 3, arguments.length);
    checkShuffle(bufferSize, seed, reshuffleEachIteration);
    const src = this.source;
    const base = drawSeed('Dataset.shuffle', seed);
    let iteration = 0;
    return new Dataset<T>(async function* () {
      const random = mulberry32(base + (reshuffleEachIteration ? iteration++ : 0));
      const buffer: T[] = [];
      for await (const e of iterate(src)) {
        if (buffer.length < bufferSize) {
          buffer.push(e);
          continue;
        }
        const i = Math.floor(random() * bufferSize);
        yield buffer[i];
        buffer[i] = e;
      }
      while (buffer.length > 0) {
        const i = Math.floor(random() * buffer.length);
        yield buffer[i];
        buffer[i] = buffer[buffer.length - 1];
        buffer.pop();
      }
    }, this.size);
  }

  /** The data set `count` times over (forever when omitted). */
  repeat(count?: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.repeat', 1, arguments.length);
    if (count !== undefined) checkCount('repeat', 'count', count, 0);
    const src = this.source;
    return new Dataset<T>(
      async function* () {
        for (let i = 0; count === undefined || i < count; i++) {
          let any = false;
          for await (const e of iterate(src)) {
            any = true;
            yield e;
          }
          if (!any) return; // an empty data set repeated forever is still empty
        }
      },
      count === undefined || this.size === null ? null : this.size * count,
    );
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.take', 1, arguments.length);
    checkCount('take', 'count', count, 0);
    const src = this.source;
    return new Dataset<T>(
      async function* () {
        if (count === 0) return;
        let n = 0;
        const it = src();
        try {
          for (;;) {
            const r = await it.next();
            if (r.done) return;
            yield r.value;
            if (++n >= count) return;
          }
        } finally {
          await it.return?.();
        }
      },
      this.size === null ? null : Math.min(count, this.size),
    );
  }

  /** All but the first `count` elements (skipped tensors are disposed). */
  skip(count: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.skip', 1, arguments.length);
    checkCount('skip', 'count', count, 0);
    const src = this.source;
    return new Dataset<T>(
      async function* () {
        let n = 0;
        for await (const e of iterate(src)) {
          if (n++ < count) dispose(e as never);
          else yield e;
        }
      },
      this.size === null ? null : Math.max(0, this.size - count),
    );
  }

  /**
   * Every numShards-th element starting at `index` (elements i with i % numShards ==
   * index), as tf.data's shard: one worker's part of the data. Others' tensors are disposed.
   */
  shard(numShards: number, index: number): Dataset<T> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.shard', 2, arguments.length);
    checkCount('shard', 'numShards', numShards, 1);
    checkCount('shard', 'index', index, 0);
    if (index >= numShards) throw new Error(`Dataset.shard: expected index < numShards ${numShards}, got ${index}`);
    const src = this.source;
    const size = this.size === null ? null : Math.max(0, Math.ceil((this.size - index) / numShards));
    return new Dataset<T>(async function* () {
      let i = 0;
      for await (const e of iterate(src)) {
        if (i++ % numShards === index) yield e;
        else dispose(e as never);
      }
    }, size);
  }

  /** This data set's elements, then other's. */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.concatenate', 1, arguments.length);
    if (!(other instanceof Dataset)) throw new Error(`Dataset.concatenate: expected a Dataset, got ${describe(other)}`);
    const a = this.source;
    const b = other.source;
    return new Dataset<T>(
      async function* () {
        yield* iterate(a);
        yield* iterate(b);
      },
      this.size === null || other.size === null ? null : this.size + other.size,
    );
  }

  /**
   * Reads up to `bufferSize` elements ahead while the consumer works; data.AUTOTUNE
   * (tf.data's spelling in Keras's tutorials) reads the default 2 ahead.
   */
  prefetch(bufferSize = 2): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.prefetch', 1, arguments.length);
    if (bufferSize === AUTOTUNE) bufferSize = 2;
    checkCount('prefetch', 'bufferSize', bufferSize, 1);
    const src = this.source;
    return new Dataset<T>(async function* () {
      const it = src();
      // Reads ahead one element at a time (an iterator answers in order anyway) while fewer
      // than bufferSize wait: a huge bufferSize never asks for more elements than there are.
      const ready: (IteratorResult<T> | { error: unknown })[] = [];
      let reading: Promise<void> | null = null;
      const readAhead = (): void => {
        const last = ready[ready.length - 1];
        if (reading !== null || ready.length >= bufferSize || (last !== undefined && ('error' in last || last.done))) return;
        reading = Promise.resolve(it.next()).then(
          (r) => {
            ready.push(r);
            reading = null;
            readAhead();
          },
          (error: unknown) => {
            ready.push({ error });
            reading = null;
          },
        );
      };
      try {
        for (;;) {
          readAhead();
          while (ready.length === 0) await reading;
          const r = ready.shift()!;
          if ('error' in r) throw r.error;
          if (r.done) return;
          readAhead(); // the next elements load while the consumer works on this one
          yield r.value;
        }
      } finally {
        if (reading !== null) await reading;
        await it.return?.();
      }
    }, this.size);
  }

  /**
   * Keeps the elements of the first complete pass in memory and replays them on later
   * passes (tf.data's cache(), as Keras's tutorials use it: `ds.map(vectorize).cache()`).
   * Caching to a file (tf.data's filename) is not supported.
   */
  cache(filename?: string): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.cache', 1, arguments.length);
    if (filename !== undefined && filename !== '') {
      throw new Error(`Dataset.cache: caching to a file is not supported, got filename ${describe(filename)}; cache() keeps the elements in memory`);
    }
    const src = this.source;
    return new Dataset<T>(
      cachedSource(() => iterate(src)),
      this.size,
    );
  }

  /** Every element, in order (for small data sets and tests). */
  async toArray(): Promise<T[]> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.toArray', 0, arguments.length);
    const out: T[] = [];
    for await (const e of this) out.push(e);
    return out;
  }

  /** Calls fn on every element. */
  async forEachAsync(fn: (element: T) => void | Promise<void>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.forEachAsync', 1, arguments.length);
    checkFunction('Dataset.forEachAsync', 'fn', fn);
    for await (const e of this) await fn(e);
  }
}

async function* iterate<T>(source: Source<T>): AsyncGenerator<T> {
  const it = source();
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

/** What batch does with a short last batch, under Keras's name or TensorFlow.js's. */
export interface BatchOptions {
  /** Keras's name: drop a last batch shorter than batchSize (default false). */
  dropRemainder?: boolean;
  /** TensorFlow.js's name: keep a last batch shorter than batchSize (default true). */
  smallLastBatch?: boolean;
}

/**
 * @internal batch's arguments, for every Dataset that batches: whether a short last batch
 * is dropped. A bare boolean is refused: Keras's drop_remainder and TensorFlow.js's
 * smallLastBatch sit in the same place and mean opposite things.
 */
export function dropsRemainder(batchSize: unknown, options: unknown): boolean {
  checkCount('batch', 'batchSize', batchSize as number, 1);
  if (typeof options === 'boolean') {
    throw new Error(
      `Dataset.batch: a bare ${options} is ambiguous: Keras's drop_remainder=True drops a short last batch and TensorFlow.js's smallLastBatch = true keeps it; ` +
        `name it: batch(${String(batchSize)}, { dropRemainder: ${options} }) or batch(${String(batchSize)}, { smallLastBatch: ${options} })`,
    );
  }
  const { dropRemainder, smallLastBatch } = checkOptions<BatchOptions>('Dataset.batch', options as BatchOptions, ['dropRemainder', 'smallLastBatch']);
  for (const [name, value] of [
    ['dropRemainder', dropRemainder],
    ['smallLastBatch', smallLastBatch],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') throw new Error(`Dataset.batch: expected ${name} to be a boolean, got ${describe(value)}`);
  }
  if (dropRemainder !== undefined && smallLastBatch !== undefined && dropRemainder === smallLastBatch) {
    throw new Error(`Dataset.batch: dropRemainder: ${dropRemainder} and smallLastBatch: ${smallLastBatch} disagree; give one of them`);
  }
  return dropRemainder ?? (smallLastBatch === undefined ? false : !smallLastBatch);
}

/** @internal shuffle's arguments, for every Dataset that shuffles. */
export function checkShuffle(bufferSize: unknown, seed: unknown, reshuffleEachIteration: unknown): void {
  checkCount('shuffle', 'bufferSize', bufferSize as number, 1);
  // null is Keras's seed=None, as undefined.
  if (seed !== undefined && seed !== null && !Number.isSafeInteger(seed))
    throw new Error(`Dataset.shuffle: expected seed to be an integer, got ${describe(seed)}`);
  if (typeof reshuffleEachIteration !== 'boolean') {
    throw new Error(`Dataset.shuffle: expected reshuffleEachIteration to be a boolean, got ${describe(reshuffleEachIteration)}`);
  }
}

function checkCount(op: string, name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw new Error(`Dataset.${op}: expected ${name} to be an integer >= ${min}, got ${describe(v)}`);
}

/** Fisher-Yates: `items` (an array or a typed array) put in a random order, in place. */
export function shuffleInPlace<T>(items: { length: number; [i: number]: T }, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/** A seeded Fisher-Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  shuffleInPlace(out, mulberry32(seed));
  return out;
}
