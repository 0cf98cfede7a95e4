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
import { everyEntry } from '../options/every_entry';
import { cpus } from 'node:os';
import { type Pass, enumerated, flatMapped, interleaved, scanned, unbatched, windowed } from './dataset_transforms';
import { bucketed, paddedBatched, type PaddedShapes, type PaddingValues } from './padded_batch';
import { errorsIgnored, groupedByWindow, scalarResult, takenWhile, uniqued } from './dataset_selection';
import { specOf, type ElementSpec } from './element_spec';
import { scalar } from '../tensor/creation';
import { resampled } from './rejection_resample';

/** What a Dataset yields: tensors, numbers, strings, or arrays / objects of them. */
export type Element = Tensor | number | string | boolean | Element[] | { [key: string]: Element };

/**
 * @internal What a pass asks of the transformations upstream: with `dropError` set (by
 * ignoreErrors), map and filter hand an element whose function threw to it and go on
 * instead of ending the pass.
 */
export interface PassContext {
  dropError?: (op: string, error: unknown) => void;
}

type Source<T> = (context?: PassContext) => AsyncIterator<T>;

/** tf.data.AUTOTUNE: prefetch(AUTOTUNE) lets the data set choose how far to read ahead. */
export const AUTOTUNE = -1;
/** tf.data.INFINITE_CARDINALITY: what cardinality() says of an endless data set (repeat()). */
export const INFINITE_CARDINALITY = -1;
/** tf.data.UNKNOWN_CARDINALITY: what cardinality() says when the count is not known before reading (filter, generators). */
export const UNKNOWN_CARDINALITY = -2;

/** A lazy sequence of elements; iterate it with `for await`, once per epoch. */
export class Dataset<T = Element> implements AsyncIterable<T> {
  // tf.data's static constructors (installed by dataset_statics.ts: they need sources.ts,
  // which extends this class).
  /** tf.data's Dataset.range: the free `data.range` (numbers; a last `{ dtype: 'int32' }` gives scalar tensors). */
  declare static range: typeof import('./sources').range;
  /** tf.data's from_tensor_slices: rows of tensors sliced along their first axis (the free `data.fromTensors`). */
  declare static fromTensorSlices: typeof import('./sources').fromTensorSlices;
  /** tf.data's from_tensors: the whole structure as ONE element (`data.fromElement`; the free `data.fromTensors` slices instead). */
  declare static fromTensors: typeof import('./sources').fromElement;
  /** tf.data's zip: `Dataset.zip(a, b)`, `Dataset.zip([a, b])` or `Dataset.zip({ a, b })`; ends with the shortest. */
  declare static zip: (...datasets: (Dataset<Element> | Dataset<Element>[] | { [key: string]: Dataset<Element> })[]) => Dataset<Element>;
  /** tf.data's Dataset.sample_from_datasets: the free `data.sampleFromDatasets`. */
  declare static sampleFromDatasets: typeof import('./sample_datasets').sampleFromDatasets;
  /** tf.data's Dataset.choose_from_datasets: the free `data.chooseFromDatasets`. */
  declare static chooseFromDatasets: typeof import('./sample_datasets').chooseFromDatasets;

  /** @internal */
  constructor(
    protected readonly source: Source<T>,
    /** Elements per pass, when known; null when unknown or endless. */
    readonly size: number | null = null,
    /** @internal True when the data set never ends (repeat()): cardinality() is INFINITE_CARDINALITY. */
    private readonly endless = false,
  ) {
    if (typeof source !== 'function') throw new Error(`Dataset: expected a function that returns an async iterator, got ${describe(source)}`);
    if (size !== null && !(typeof size === 'number' && size >= 0))
      throw new Error(`Dataset: expected size to be a non-negative number or null, got ${describe(size)}`);
  }

  /**
   * One pass over the elements. `context` is internal: what ignoreErrors downstream asks of
   * this data set when it is read inside zip, flatMap or interleave (see PassContext).
   */
  [Symbol.asyncIterator](context?: PassContext): AsyncIterator<T> {
    const it = this.source(context);
    if (it === null || typeof it !== 'object' || typeof it.next !== 'function') {
      throw new Error(`Dataset: its source function must return an async iterator (an async function* does), got ${describe(it)}`);
    }
    return it;
  }

  /**
   * tf.data's cardinality(): the number of elements, INFINITE_CARDINALITY (-1) for an
   * endless data set, or UNKNOWN_CARDINALITY (-2) when only reading would tell (after
   * filter, flatMap, from a generator or a file).
   */
  cardinality(): number {
    if (arguments.length > 0) throw tooManyArguments('Dataset.cardinality', 0, arguments.length);
    return this.card;
  }

  private get card(): number {
    return this.size !== null ? this.size : this.endless ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY;
  }

  /**
   * TensorFlow.js's iterator: `const it = await ds.iterator()`, then `await it.next()` gives
   * `{ value, done }` (what `for await` does for you).
   */
  async iterator(): Promise<AsyncIterator<T>> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.iterator', 0, arguments.length);
    return this[Symbol.asyncIterator]();
  }

  /**
   * Applies fn to every element (fn may be async). numParallelCalls (AUTOTUNE or a count)
   * and deterministic are tf.data's and accepted for its code, but elements are mapped one
   * at a time, in order: fn runs on the JavaScript thread either way.
   */
  map<U>(fn: (element: T) => U | Promise<U>, numParallelCalls?: number | null, deterministic?: boolean | null): Dataset<U> {
    if (arguments.length > 3) throw tooManyArguments('Dataset.map', 3, arguments.length);
    checkParallel('map', numParallelCalls, deterministic);
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
    return new Dataset<U>(
      async function* (context?: PassContext) {
        for await (const e of iterate(src, context)) {
          let out: U;
          try {
            out = await fn(e);
          } catch (error) {
            if (context?.dropError === undefined) throw error;
            dispose(e as never); // what fn was given dies with it, as tf.data drops the element
            context.dropError(op, error);
            continue;
          }
          // An element of undefined would only fail later, far from here (batch, fit).
          if (out === undefined) throw new Error(`${op}: fn returned undefined for an element; it must return the new element (did it forget a return?)`);
          yield out;
        }
      },
      this.size,
      this.endless,
    );
  }

  /**
   * Keeps the elements for which predicate is true (a boolean, a number's truth, or a
   * scalar tensor's, as tf.data's bool tensor); dropped elements' tensors are disposed.
   */
  filter(predicate: (element: T) => boolean | number | Tensor | Promise<boolean | number | Tensor>): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.filter', 1, arguments.length);
    checkFunction('Dataset.filter', 'predicate', predicate);
    const src = this.source;
    return new Dataset<T>(async function* (context?: PassContext) {
      for await (const e of iterate(src, context)) {
        let keep: boolean;
        try {
          // A bool tensor is read (an object is always truthy: every element would pass).
          keep = Boolean(scalarResult('Dataset.filter', 'predicate', await predicate(e), e));
        } catch (error) {
          dispose(e as never);
          if (context?.dropError === undefined) throw error;
          context.dropError('Dataset.filter', error);
          continue;
        }
        if (keep) yield e;
        else dispose(e as never);
      }
    });
  }

  /**
   * Groups `batchSize` consecutive elements into one, stacking tensors, numbers and
   * arrays of numbers (rows, as TensorFlow.js) along a new first axis (objects and other
   * arrays field by field). The stacked inputs are disposed (and a dropped short last batch).
   * A short last batch is kept unless `{ dropRemainder: true }` (Keras's name) or
   * `{ smallLastBatch: false }` (TensorFlow.js's).
   */
  batch(batchSize: number, options?: BatchOptions): Dataset<Element> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.batch', 2, arguments.length);
    const dropRemainder = dropsRemainder(batchSize, options);
    const src = this.source;
    const card = this.card < 0 ? this.card : dropRemainder ? Math.floor(this.card / batchSize) : Math.ceil(this.card / batchSize);
    return withCardinality<Element>(async function* (context?: PassContext) {
      let group: Element[] = [];
      let start = 0; // the dataset index of the group's first element, for errors
      // collate owns (and disposes) a group handed to it; a group still gathering when the
      // source throws or the reader stops is freed here.
      try {
        for await (const e of iterate(src, context)) {
          group.push(e as unknown as Element);
          if (group.length === batchSize) {
            const full = group;
            group = [];
            yield collate(full, start);
            start += batchSize;
          }
        }
        const rest = group;
        group = [];
        if (rest.length > 0 && !dropRemainder) yield collate(rest, start);
        else dispose(rest as never);
      } finally {
        dispose(group as never);
      }
    }, card);
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
    return new Dataset<T>(
      async function* (context?: PassContext) {
        const random = mulberry32(base + (reshuffleEachIteration ? iteration++ : 0));
        const buffer: T[] = [];
        // Each element leaves the buffer before it is handed out, so the buffer holds only
        // the pipeline's own: freed when the reader stops early or the source throws.
        try {
          for await (const e of iterate(src, context)) {
            if (buffer.length < bufferSize) {
              buffer.push(e);
              continue;
            }
            const i = Math.floor(random() * bufferSize);
            const out = buffer[i];
            buffer[i] = e;
            yield out;
          }
          while (buffer.length > 0) {
            const i = Math.floor(random() * buffer.length);
            const out = buffer[i];
            buffer[i] = buffer[buffer.length - 1];
            buffer.pop();
            yield out;
          }
        } finally {
          dispose(buffer as never);
        }
      },
      this.size,
      this.endless,
    );
  }

  /** The data set `count` times over (forever when omitted or -1, as tf.data's). */
  repeat(count?: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.repeat', 1, arguments.length);
    if (count !== undefined) checkCount('repeat', 'count', count, -1);
    if (count === -1) count = undefined;
    const src = this.source;
    const n = this.card;
    const card = count === undefined ? (n === 0 ? 0 : INFINITE_CARDINALITY) : count === 0 ? 0 : n < 0 ? n : n * count;
    return withCardinality<T>(async function* (context?: PassContext) {
      for (let i = 0; count === undefined || i < count; i++) {
        let any = false;
        for await (const e of iterate(src, context)) {
          any = true;
          yield e;
        }
        if (!any) return; // an empty data set repeated forever is still empty
      }
    }, card);
  }

  /** The first `count` elements (all of them for -1, as tf.data's). */
  take(count: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.take', 1, arguments.length);
    checkCount('take', 'count', count, -1);
    if (count === -1) return this.map((e) => e);
    const src = this.source;
    const n = this.card;
    return withCardinality<T>(
      async function* (context?: PassContext) {
        if (count === 0) return;
        let n = 0;
        const it = src(context);
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
      n === INFINITE_CARDINALITY ? count : n === UNKNOWN_CARDINALITY ? n : Math.min(count, n),
    );
  }

  /** All but the first `count` elements (-1 skips them all, as tf.data's; skipped tensors are disposed). */
  skip(count: number): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.skip', 1, arguments.length);
    checkCount('skip', 'count', count, -1);
    const src = this.source;
    const n = this.card;
    return withCardinality<T>(
      async function* (context?: PassContext) {
        let i = 0;
        for await (const e of iterate(src, context)) {
          if (count === -1 || i++ < count) dispose(e as never);
          else yield e;
        }
      },
      n < 0 ? n : count === -1 ? 0 : Math.max(0, n - count),
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
    const card = this.card < 0 ? this.card : Math.max(0, Math.ceil((this.card - index) / numShards));
    return withCardinality<T>(async function* (context?: PassContext) {
      let i = 0;
      for await (const e of iterate(src, context)) {
        if (i++ % numShards === index) yield e;
        else dispose(e as never);
      }
    }, card);
  }

  /** This data set's elements, then other's. */
  concatenate(other: Dataset<T>): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.concatenate', 1, arguments.length);
    if (!(other instanceof Dataset)) throw new Error(`Dataset.concatenate: expected a Dataset, got ${describe(other)}`);
    const a = this.source;
    const b = other.source;
    const [m, n] = [this.card, other.card];
    return withCardinality<T>(
      async function* (context?: PassContext) {
        yield* iterate(a, context);
        yield* iterate(b, context);
      },
      m === INFINITE_CARDINALITY || n === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : m < 0 || n < 0 ? UNKNOWN_CARDINALITY : m + n,
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
    return new Dataset<T>(
      async function* (context?: PassContext) {
        const it = src(context);
        // Reads ahead one element at a time (an iterator answers in order anyway) while fewer
        // than bufferSize wait: a huge bufferSize never asks for more elements than there are.
        const ready: (IteratorResult<T> | { error: unknown })[] = [];
        let reading: Promise<void> | null = null;
        let stopped = false;
        const readAhead = (): void => {
          const last = ready[ready.length - 1];
          if (stopped || reading !== null || ready.length >= bufferSize || (last !== undefined && ('error' in last || last.done))) return;
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
          stopped = true;
          if (reading !== null) await reading;
          // Stopped early (a break, take, an error downstream): the elements read ahead are the pipeline's.
          for (const r of ready) if (!('error' in r) && !r.done) dispose(r.value as never);
          await it.return?.();
        }
      },
      this.size,
      this.endless,
    );
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
      cachedSource((context) => iterate(src, context)),
      this.size,
      this.endless,
    );
  }

  /**
   * [index, element] pairs counting from `start` (tf.data's enumerate). The index is a plain
   * number, as Tessera's data sets carry integers (JavaScript's arithmetic and every op take
   * it); `{ dtype: 'int32' }` makes it a scalar tensor as tf.data's int64 one (then batch
   * stacks int32 indices, where numbers stack as float32).
   */
  enumerate(start?: number): Dataset<[number, T]>;
  enumerate(start: number, options: Required<ScalarOptions>): Dataset<[Tensor, T]>;
  enumerate(start?: number, options?: ScalarOptions): Dataset<[number | Tensor, T]>;
  enumerate(start = 0, options?: ScalarOptions): Dataset<[number | Tensor, T]> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.enumerate', 2, arguments.length);
    if (!Number.isSafeInteger(start)) throw new Error(`Dataset.enumerate: expected start to be an integer, got ${describe(start)}`);
    const make = scalarMaker('Dataset.enumerate', options);
    return withCardinality(enumerated(this.pass(), start, make), this.card);
  }

  /**
   * tf.data's take_while: the elements up to, not including, the first for which predicate
   * is false (a boolean, or a bool scalar tensor); reading stops there. Cardinality unknown.
   */
  takeWhile(predicate: (element: T) => boolean | Tensor | Promise<boolean | Tensor>): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.takeWhile', 1, arguments.length);
    checkFunction('Dataset.takeWhile', 'predicate', predicate);
    const card = this.card === 0 ? 0 : UNKNOWN_CARDINALITY;
    return withCardinality(takenWhile('Dataset.takeWhile', this.pass(), predicate), card);
  }

  /**
   * tf.data's unique: each element once, at its first appearance. Elements must be scalars
   * of one kind: integers, strings or int32 scalar tensors (tf.data's int32, int64, string);
   * repeated tensors are disposed. Cardinality unknown.
   */
  unique(): Dataset<T> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.unique', 0, arguments.length);
    return withCardinality(uniqued('Dataset.unique', this.pass()), this.card === 0 ? 0 : UNKNOWN_CARDINALITY);
  }

  /**
   * tf.data's ignore_errors: drops the elements whose map (or mapAsync, filter) function
   * threw anywhere upstream, and goes on: through batch, shuffle, take, skip, repeat,
   * prefetch, cache, window, paddedBatch and bucketBySequenceLength (a batch or window is
   * made of the elements that survived), into the data sets flatMap and interleave read
   * (their fn throwing drops its input element) and into zip's inputs (a drop in one input
   * drops the other inputs' elements at that position, so the pairs stay aligned). An
   * error it cannot step past still ends the pass, loudly, where tf.data would end it in
   * silence: a source (generator, file) that threw cannot go on, and an error in a
   * transformation's own work (batch's ragged elements, fn returning no data set) is a
   * bug to fix, not an element to drop. With logWarning (tf.data's log_warning), each
   * dropped element's error is printed with console.warn.
   */
  ignoreErrors(logWarning = false): Dataset<T> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.ignoreErrors', 1, arguments.length);
    if (typeof logWarning !== 'boolean') throw new Error(`Dataset.ignoreErrors: expected logWarning to be a boolean, got ${describe(logWarning)}`);
    const onDrop = (op: string, error: unknown) => {
      if (logWarning) console.warn(`Dataset.ignoreErrors: dropped an element: ${op}: ${error instanceof Error ? error.message : String(error)}`);
    };
    return withCardinality(errorsIgnored(this.pass(), onDrop), this.card === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY);
  }

  /** tf.data's apply: `fn(this)`, which must return a Dataset (a reusable chain of transformations). */
  apply<U>(fn: (dataset: Dataset<T>) => Dataset<U>): Dataset<U> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.apply', 1, arguments.length);
    checkFunction('Dataset.apply', 'fn', fn);
    const out = fn(this);
    if (!(out instanceof Dataset)) throw new Error(`Dataset.apply: expected fn to return a Dataset, got ${describe(out)}`);
    return out;
  }

  /**
   * tf.data's group_by_window: keyFunc gives each element an integer key (a number or an
   * int32 scalar tensor); when a key's group holds windowSize elements (or
   * windowSizeFunc(key)), reduceFunc(key, window) is called with them as a Dataset, read
   * once, and the elements of the Dataset it returns are yielded. At the end the partial
   * groups follow, by ascending key (tf.data's order). Elements a reduced data set does not
   * read are disposed. Cardinality unknown.
   */
  groupByWindow<U>(options: GroupByWindowOptions<T, U>): Dataset<U> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.groupByWindow', 1, arguments.length);
    const op = 'Dataset.groupByWindow';
    if (options === undefined || options === null)
      throw new Error(`${op}: expected an options object { keyFunc, reduceFunc, windowSize }, got ${describe(options)}`);
    const o = checkOptions<GroupByWindowOptions<T, U>>(op, options, ['keyFunc', 'reduceFunc', 'windowSize', 'windowSizeFunc']);
    checkFunction(op, 'keyFunc', o.keyFunc);
    checkFunction(op, 'reduceFunc', o.reduceFunc);
    if ((o.windowSize === undefined) === (o.windowSizeFunc === undefined)) {
      throw new Error(`${op}: give exactly one of windowSize and windowSizeFunc, got ${o.windowSize === undefined ? 'neither' : 'both'}`);
    }
    if (o.windowSize !== undefined) checkCount('groupByWindow', 'windowSize', o.windowSize, 1);
    else checkFunction(op, 'windowSizeFunc', o.windowSizeFunc);
    const { windowSize, windowSizeFunc } = o;
    const grouping = {
      keyFunc: o.keyFunc,
      reduceFunc: o.reduceFunc as (key: number, window: AsyncIterable<T>) => unknown,
      windowSizeOf: (key: number) => windowSize ?? windowSizeFunc!(key),
      makeWindow: (items: T[]) => {
        let taken = 0;
        const window = readOnce(items, op, () => taken++);
        return { window, taken: () => taken };
      },
    };
    return withCardinality(groupedByWindow<T, U>(op, this.pass(), grouping), this.card === 0 ? 0 : UNKNOWN_CARDINALITY);
  }

  /**
   * tf.data's rejection_resample: [class, element] pairs (class = classFunc(element), an
   * integer or an int32 scalar tensor) resampled so the classes follow targetDist, as
   * tf.data's: with probability m (the smallest targetDist / initialDist ratio) an element
   * comes straight from one pass, otherwise from a second pass that keeps class i with
   * probability (ratio_i - m) / (max ratio - m). Without initialDist the initial
   * distribution is estimated from the classes read (counts from 10 per class, tf.data's
   * smoothing). Both distributions are normalized. Ends when either pass ends; rejected
   * elements are disposed. Cardinality unknown.
   */
  rejectionResample(options: RejectionResampleOptions<T>): Dataset<[number, T]> {
    const op = 'Dataset.rejectionResample';
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    if (options === undefined || options === null) throw new Error(`${op}: expected an options object { classFunc, targetDist }, got ${describe(options)}`);
    const o = checkOptions<RejectionResampleOptions<T>>(op, options, ['classFunc', 'targetDist', 'initialDist', 'seed']);
    checkFunction(op, 'classFunc', o.classFunc);
    const target = distribution(op, 'targetDist', o.targetDist);
    const initial = o.initialDist === undefined || o.initialDist === null ? null : distribution(op, 'initialDist', o.initialDist);
    if (initial !== null && initial.length !== target.length) {
      throw new Error(`${op}: initialDist has ${initial.length} classes but targetDist ${target.length}; give one probability per class in both`);
    }
    if (o.seed !== undefined && o.seed !== null && !Number.isSafeInteger(o.seed))
      throw new Error(`${op}: expected seed to be an integer, got ${describe(o.seed)}`);
    const seed = drawSeed(op, o.seed);
    const rerandomize = o.seed === undefined || o.seed === null;
    const resampling = { classFunc: o.classFunc, target, initial, seed, rerandomize };
    return withCardinality(resampled(op, this.pass(), resampling), this.card === 0 ? 0 : UNKNOWN_CARDINALITY);
  }

  /**
   * tf.data's element_spec: the shape and dtype of each part of an element, structured as
   * it. Tessera's data sets carry no static spec, so this reads the first element (and
   * disposes it): the spec of that element, whose shapes later elements may not share.
   * A data set of tensor slices answers from its tensors without reading.
   */
  async elementSpec(): Promise<ElementSpec> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.elementSpec', 0, arguments.length);
    const it = this[Symbol.asyncIterator]();
    try {
      const r = await it.next();
      if (r.done) throw new Error('Dataset.elementSpec: the data set is empty: no element to read the spec from');
      try {
        return specOf('Dataset.elementSpec', r.value);
      } finally {
        dispose(r.value as never);
      }
    } finally {
      await it.return?.();
    }
  }

  /**
   * Splits each element along its first axis into rows (tf.data's unbatch): tensors are
   * sliced, arrays of numbers give their entries; every part of an element needs the same
   * batch dimension. The batched tensors are disposed.
   */
  unbatch(): Dataset<Element> {
    if (arguments.length > 0) throw tooManyArguments('Dataset.unbatch', 0, arguments.length);
    return withCardinality(
      unbatched('Dataset.unbatch', this.pass()) as Source<Element>,
      this.card === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY,
    );
  }

  /** The rows of every element regrouped into batches of batchSize (tf.data's rebatch: unbatch, then batch). */
  rebatch(batchSize: number, options?: BatchOptions): Dataset<Element> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.rebatch', 2, arguments.length);
    dropsRemainder(batchSize, options, 'rebatch');
    return this.unbatch().batch(batchSize, options);
  }

  /** The elements of the Dataset fn makes of each element, one data set after another (tf.data's flat_map). */
  flatMap<U>(fn: (element: T) => Dataset<U> | Promise<Dataset<U>>): Dataset<U> {
    if (arguments.length > 1) throw tooManyArguments('Dataset.flatMap', 1, arguments.length);
    checkFunction('Dataset.flatMap', 'fn', fn);
    return withCardinality(flatMapped('Dataset.flatMap', this.pass(), fn), UNKNOWN_CARDINALITY);
  }

  /**
   * tf.data's interleave: the Datasets fn makes of cycleLength elements are read in turn,
   * blockLength elements from each, in tf.data's deterministic order. cycleLength defaults
   * to the number of CPU cores (tf.data's AUTOTUNE); numParallelCalls and deterministic are
   * accepted for tf.data's code, but the data sets are read one at a time, in that order.
   */
  interleave<U>(
    fn: (element: T) => Dataset<U> | Promise<Dataset<U>>,
    cycleLength?: number | null,
    blockLength = 1,
    numParallelCalls?: number | null,
    deterministic?: boolean | null,
  ): Dataset<U> {
    if (arguments.length > 5) throw tooManyArguments('Dataset.interleave', 5, arguments.length);
    checkFunction('Dataset.interleave', 'fn', fn);
    const cycle = cycleLength === undefined || cycleLength === null || cycleLength === AUTOTUNE ? Math.max(1, cpus().length) : cycleLength;
    checkCount('interleave', 'cycleLength', cycle, 1);
    checkCount('interleave', 'blockLength', blockLength, 1);
    checkParallel('interleave', numParallelCalls, deterministic);
    return withCardinality(interleaved('Dataset.interleave', this.pass(), fn, cycle, blockLength), UNKNOWN_CARDINALITY);
  }

  /**
   * tf.data's window: Datasets of `size` elements (every `stride`-th), a new one each
   * `shift` elements (default size); a short last window is kept unless dropRemainder.
   * Each window holds its own copies of the tensors and is read once (its elements are the
   * reader's, e.g. `ds.window(3).flatMap((w) => w.batch(3))`).
   */
  window(size: number, shift?: number | null, stride = 1, dropRemainder = false): Dataset<Dataset<T>> {
    if (arguments.length > 4) throw tooManyArguments('Dataset.window', 4, arguments.length);
    checkCount('window', 'size', size, 1);
    const by = shift === undefined || shift === null ? size : shift;
    checkCount('window', 'shift', by, 1);
    checkCount('window', 'stride', stride, 1);
    if (typeof dropRemainder !== 'boolean') throw new Error(`Dataset.window: expected dropRemainder to be a boolean, got ${describe(dropRemainder)}`);
    const n = this.card;
    const rest = n - ((size - 1) * stride + 1);
    const card = n < 0 ? n : dropRemainder ? (rest < 0 ? 0 : Math.floor(rest / by) + 1) : Math.ceil(n / by);
    const windows = windowed(this.pass(), size, by, stride, dropRemainder);
    return withCardinality(async function* (context?: PassContext) {
      for await (const w of windows(context)) yield readOnce(w);
    }, card);
  }

  /**
   * batch for elements whose tensors differ in shape (tf.data's padded_batch): each part is
   * padded at the end of every dimension to the longest in the batch, or to `paddedShapes`
   * (null / -1 for the longest), with `paddingValues` (default 0), then stacked.
   */
  paddedBatch(batchSize: number, options?: PaddedBatchOptions): Dataset<Element> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.paddedBatch', 2, arguments.length);
    checkCount('paddedBatch', 'batchSize', batchSize, 1);
    const {
      paddedShapes,
      paddingValues,
      dropRemainder = false,
    } = checkOptions<PaddedBatchOptions>('Dataset.paddedBatch', options, ['paddedShapes', 'paddingValues', 'dropRemainder']);
    if (typeof dropRemainder !== 'boolean') throw new Error(`Dataset.paddedBatch: expected dropRemainder to be a boolean, got ${describe(dropRemainder)}`);
    const n = this.card;
    const card = n < 0 ? n : dropRemainder ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
    const spec = { paddedShapes, paddingValues };
    return withCardinality(paddedBatched('Dataset.paddedBatch', this.pass() as unknown as Pass<Element>, batchSize, dropRemainder, spec), card);
  }

  /**
   * tf.data's bucket_by_sequence_length: elements go to buckets by elementLengthFunc's
   * length (bucket i holds lengths below bucketBoundaries[i], the last bucket the rest);
   * a bucket with bucketBatchSizes[i] elements is padded (see paddedBatch) and yielded,
   * and at the end the partial buckets, lowest first. With padToBucketBoundary, the null
   * dimensions of paddedShapes (without paddedShapes: each part's first) pad to the
   * bucket's boundary - 1.
   */
  bucketBySequenceLength(
    elementLengthFunc: (element: T) => number | Promise<number>,
    bucketBoundaries: number[],
    bucketBatchSizes: number[],
    options?: BucketOptions,
  ): Dataset<Element> {
    if (arguments.length > 4) throw tooManyArguments('Dataset.bucketBySequenceLength', 4, arguments.length);
    const op = 'Dataset.bucketBySequenceLength';
    checkFunction(op, 'elementLengthFunc', elementLengthFunc);
    if (!Array.isArray(bucketBoundaries) || !everyEntry(bucketBoundaries, (b, i) => Number.isInteger(b) && (i === 0 || b > bucketBoundaries[i - 1]))) {
      throw new Error(`${op}: expected bucketBoundaries to be increasing integers, got ${describe(bucketBoundaries)}`);
    }
    if (
      !Array.isArray(bucketBatchSizes) ||
      bucketBatchSizes.length !== bucketBoundaries.length + 1 ||
      !everyEntry(bucketBatchSizes, (b) => Number.isInteger(b) && b >= 1)
    ) {
      throw new Error(
        `${op}: expected bucketBatchSizes to be ${bucketBoundaries.length + 1} integers >= 1 (one per bucket: bucketBoundaries.length + 1), got ${describe(bucketBatchSizes)}`,
      );
    }
    const o = checkOptions<BucketOptions>(op, options, ['paddedShapes', 'paddingValues', 'padToBucketBoundary', 'noPadding', 'dropRemainder']);
    for (const name of ['padToBucketBoundary', 'noPadding', 'dropRemainder'] as const) {
      if (o[name] !== undefined && typeof o[name] !== 'boolean') throw new Error(`${op}: expected ${name} to be a boolean, got ${describe(o[name])}`);
    }
    if (o.noPadding && (o.padToBucketBoundary || o.paddedShapes !== undefined || o.paddingValues !== undefined)) {
      throw new Error(`${op}: noPadding: true pads nothing; give it without paddedShapes, paddingValues and padToBucketBoundary`);
    }
    const buckets = {
      boundaries: bucketBoundaries.slice(),
      batchSizes: bucketBatchSizes.slice(),
      padToBucketBoundary: o.padToBucketBoundary ?? false,
      noPadding: o.noPadding ?? false,
      dropRemainder: o.dropRemainder ?? false,
    };
    const spec = { paddedShapes: o.paddedShapes, paddingValues: o.paddingValues };
    const lengthOf = elementLengthFunc as (e: Element) => number | Promise<number>;
    return withCardinality(
      bucketed(op, this.pass() as unknown as Pass<Element>, lengthOf, buckets, spec),
      this.card === INFINITE_CARDINALITY ? INFINITE_CARDINALITY : UNKNOWN_CARDINALITY,
    );
  }

  /** tf.data's scan: scanFunc(state, element) returns [newState, output]; the outputs, in order. */
  scan<S, U>(initialState: S, scanFunc: (state: S, element: T) => [S, U] | Promise<[S, U]>): Dataset<U> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.scan', 2, arguments.length);
    checkFunction('Dataset.scan', 'scanFunc', scanFunc);
    return withCardinality(scanned('Dataset.scan', this.pass(), initialState, scanFunc), this.card);
  }

  /** tf.data's reduce: reduceFunc(state, element) over every element, from initialState; the final state. */
  async reduce<S>(initialState: S, reduceFunc: (state: S, element: T) => S | Promise<S>): Promise<S> {
    if (arguments.length > 2) throw tooManyArguments('Dataset.reduce', 2, arguments.length);
    checkFunction('Dataset.reduce', 'reduceFunc', reduceFunc);
    if (this.card === INFINITE_CARDINALITY) throw new Error('Dataset.reduce: the data set is endless (repeat()); take(n) first');
    let state = initialState;
    for await (const e of this) state = await reduceFunc(state, e);
    return state;
  }

  private pass(): (context?: PassContext) => AsyncGenerator<T> {
    const src = this.source;
    return (context?: PassContext) => iterate(src, context);
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

/** @internal A data set of `source`, whose cardinality is `card` (a count, or -1 / -2). */
export function withCardinality<U>(source: Source<U>, card: number): Dataset<U> {
  return new Dataset<U>(source, card >= 0 ? card : null, card === INFINITE_CARDINALITY);
}

/** map's and interleave's tf.data arguments: accepted (AUTOTUNE or a count), then run sequentially. */
function checkParallel(op: string, numParallelCalls: unknown, deterministic: unknown): void {
  if (
    numParallelCalls !== undefined &&
    numParallelCalls !== null &&
    numParallelCalls !== AUTOTUNE &&
    !(Number.isInteger(numParallelCalls) && (numParallelCalls as number) >= 1)
  ) {
    throw new Error(`Dataset.${op}: expected numParallelCalls to be AUTOTUNE (-1) or an integer >= 1, got ${describe(numParallelCalls)}`);
  }
  if (deterministic !== undefined && deterministic !== null && typeof deterministic !== 'boolean') {
    throw new Error(`Dataset.${op}: expected deterministic to be a boolean, got ${describe(deterministic)}`);
  }
}

/** One pass over `source`, closing it when the reader stops early. */
async function* iterate<T>(source: Source<T>, context?: PassContext): AsyncGenerator<T> {
  const it = source(context);
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

/** rejectionResample's options, tf.data's rejection_resample arguments. */
export interface RejectionResampleOptions<T> {
  /** An element's class: an integer in [0, number of classes) (a number or an int32 scalar tensor). */
  classFunc: (element: T) => number | Tensor | Promise<number | Tensor>;
  /** The class distribution wanted: one non-negative number per class (normalized). */
  targetDist: number[] | Tensor;
  /** The data set's class distribution, when known (normalized); estimated from the classes read otherwise. */
  initialDist?: number[] | Tensor | null;
  /** The seed of the draws (default: the next of the global seed, and a new draw each pass). */
  seed?: number | null;
}

/** A probability distribution given as numbers or a 1-D tensor: checked, then normalized. */
function distribution(op: string, name: string, v: unknown): number[] {
  const values = v instanceof Tensor && !v.isDisposed && v.rank === 1 ? Array.from(v.dataSync()) : Array.isArray(v) ? Array.from(v as unknown[]) : null;
  if (values === null || values.length === 0) throw new Error(`${op}: expected ${name} to be a non-empty array of numbers or a 1-D tensor, got ${describe(v)}`);
  values.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      throw new Error(`${op}: expected ${name} to hold finite numbers >= 0, got ${describe(x)} at index ${i}`);
  });
  const total = (values as number[]).reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`${op}: expected ${name} to sum to more than 0, got ${describe(values)}`);
  return (values as number[]).map((x) => x / total);
}

/** enumerate's and range's choice of element: a plain number (the default) or a scalar tensor. */
export interface ScalarOptions {
  /** Yield scalar tensors of this dtype (tf.data's int64 is Tessera's int32) instead of numbers. */
  dtype?: 'int32' | 'float32';
}

/** groupByWindow's options, tf.data's group_by_window arguments. */
export interface GroupByWindowOptions<T, U> {
  /** An element's group: an integer (a number or an int32 scalar tensor). */
  keyFunc: (element: T) => number | Tensor | Promise<number | Tensor>;
  /** What a full group becomes: reduceFunc(key, window) returns a Dataset, whose elements are yielded. */
  reduceFunc: (key: number, window: Dataset<T>) => Dataset<U> | Promise<Dataset<U>>;
  /** Elements per group (give this or windowSizeFunc). */
  windowSize?: number;
  /** Elements per group of a key (give this or windowSize). */
  windowSizeFunc?: (key: number) => number | Promise<number>;
}

/** @internal enumerate's and range's element maker: numbers, or scalar tensors of options.dtype. */
export function scalarMaker(op: string, options: ScalarOptions | undefined, extraKeys: readonly string[] = []): (i: number) => number | Tensor {
  const o = checkOptions<ScalarOptions & { outputType?: string }>(op, options, ['dtype', ...extraKeys]);
  if (o.dtype !== undefined && o.outputType !== undefined && o.dtype !== o.outputType) {
    throw new Error(`${op}: options dtype ${describe(o.dtype)} and outputType ${describe(o.outputType)} disagree; give one`);
  }
  const dtype = o.dtype ?? o.outputType;
  if (dtype === undefined) return (i) => i;
  if (dtype !== 'int32' && dtype !== 'float32') throw new Error(`${op}: expected dtype to be 'int32' or 'float32', got ${describe(dtype)}`);
  // Past these a value would wrap (int32) or round (float32): refused, not yielded wrong.
  const [lo, hi] = dtype === 'int32' ? [-(2 ** 31), 2 ** 31 - 1] : [-(2 ** 24), 2 ** 24];
  return (i) => {
    if (i < lo || i > hi) throw new Error(`${op}: ${i} does not fit a ${dtype} scalar exactly (${lo} to ${hi}); yield numbers (no dtype) instead`);
    return scalar(i, dtype);
  };
}

/** paddedBatch's options, tf.data's padded_batch arguments. */
export interface PaddedBatchOptions {
  /** Each part's padded shape, structured as the element (a dimension null or -1: the longest in the batch). */
  paddedShapes?: PaddedShapes;
  /** What padding fills with: a number, or one per part structured as the element (default 0). */
  paddingValues?: PaddingValues;
  /** Drop a last batch shorter than batchSize (default false). */
  dropRemainder?: boolean;
}

/** bucketBySequenceLength's options, tf.data's bucket_by_sequence_length arguments. */
export interface BucketOptions extends PaddedBatchOptions {
  /** Pad the null dimensions to the bucket's boundary - 1 instead of the longest in the batch (default false). */
  padToBucketBoundary?: boolean;
  /** Stack without padding: every element of a batch must then have one shape (default false). */
  noPadding?: boolean;
}

/**
 * A window: a Dataset of its elements, read once when it holds tensors (the reader owns
 * them); `onGive` hears of each element handed out.
 */
function readOnce<T>(items: T[], op = 'Dataset.window', onGive?: () => void): Dataset<T> {
  let read = false;
  const holdsTensors = items.some((e) => hasTensor(e));
  return new Dataset<T>(async function* () {
    if (read && holdsTensors) throw new Error(`${op}: a window holding tensors can be read once (its tensors went to the first reader)`);
    read = true;
    let given = 0;
    try {
      while (given < items.length) {
        onGive?.();
        yield items[given++];
      }
    } finally {
      // Stopped early: the elements not handed out are disposed (no one else holds them).
      if (holdsTensors) dispose(items.slice(given) as never);
    }
  }, items.length);
}

function hasTensor(e: unknown): boolean {
  if (e instanceof Tensor) return true;
  if (Array.isArray(e)) return e.some(hasTensor);
  return e !== null && typeof e === 'object' && !ArrayBuffer.isView(e) && Object.values(e).some(hasTensor);
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
export function dropsRemainder(batchSize: unknown, options: unknown, op = 'batch'): boolean {
  checkCount(op, 'batchSize', batchSize as number, 1);
  if (typeof options === 'boolean') {
    throw new Error(
      `Dataset.${op}: a bare ${options} is ambiguous: Keras's drop_remainder=True drops a short last batch and TensorFlow.js's smallLastBatch = true keeps it; ` +
        `name it: ${op}(${String(batchSize)}, { dropRemainder: ${options} }) or ${op}(${String(batchSize)}, { smallLastBatch: ${options} })`,
    );
  }
  const { dropRemainder, smallLastBatch } = checkOptions<BatchOptions>(`Dataset.${op}`, options as BatchOptions, ['dropRemainder', 'smallLastBatch']);
  for (const [name, value] of [
    ['dropRemainder', dropRemainder],
    ['smallLastBatch', smallLastBatch],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean') throw new Error(`Dataset.${op}: expected ${name} to be a boolean, got ${describe(value)}`);
  }
  if (dropRemainder !== undefined && smallLastBatch !== undefined && dropRemainder === smallLastBatch) {
    throw new Error(`Dataset.${op}: dropRemainder: ${dropRemainder} and smallLastBatch: ${smallLastBatch} disagree; give one of them`);
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
