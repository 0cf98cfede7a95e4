// tf.data's sample_from_datasets and choose_from_datasets: one data set made of the elements
// of several, picked at random by weight or by a data set of indices (class balancing:
// one data set per class, sampled evenly). Only the chosen data set is read each step.
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { drawSeed, mulberry32 } from '../tensor/seeded_random';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, withCardinality } from './dataset';

/** sampleFromDatasets's options, tf.data's sample_from_datasets arguments. */
export interface SampleFromDatasetsOptions {
  /** Each data set's chance, relative (default equal): non-negative numbers, one per data set, summing above 0. */
  weights?: number[] | Tensor;
  /** The seed of the draws (default: the next of the global seed, see setSeed). */
  seed?: number | null;
  /** End when the data set drawn is exhausted (default false: draw among the others until every one is). */
  stopOnEmptyDataset?: boolean;
  /** Draw a new order each pass (default: true without a seed, false with one: a seed repeats its order every epoch). */
  rerandomizeEachIteration?: boolean;
}

/** chooseFromDatasets's options, tf.data's choose_from_datasets arguments. */
export interface ChooseFromDatasetsOptions {
  /** End when the data set chosen is exhausted (default true, as tf.data's); false skips the choice instead. */
  stopOnEmptyDataset?: boolean;
}

function checkDatasets<T>(op: string, datasets: unknown): Dataset<T>[] {
  if (!Array.isArray(datasets) || datasets.length === 0) throw new Error(`${op}: expected a non-empty array of Datasets, got ${describe(datasets)}`);
  Array.from(datasets).forEach((d, i) => {
    if (!(d instanceof Dataset)) throw new Error(`${op}: expected a Dataset at index ${i}, got ${describe(d)}`);
  });
  return datasets.slice() as Dataset<T>[];
}

function checkBoolean(op: string, name: string, v: unknown): void {
  if (v !== undefined && typeof v !== 'boolean') throw new Error(`${op}: expected ${name} to be a boolean, got ${describe(v)}`);
}

// A positional tf.data habit (sample_from_datasets(datasets, weights)) gets told where weights go.
function checkOptionsObject(op: string, options: unknown, hint: string): void {
  if (Array.isArray(options) || options instanceof Tensor || options instanceof Dataset) {
    throw new Error(`${op}: expected an options object, got ${describe(options)}; ${hint}`);
  }
}

function checkWeights(op: string, weights: unknown, n: number): number[] {
  if (weights === undefined || weights === null) return new Array<number>(n).fill(1);
  let w: number[];
  if (weights instanceof Tensor) {
    if (weights.isDisposed || weights.rank !== 1)
      throw new Error(`${op}: expected weights to be a 1-D tensor or an array of numbers, got ${describe(weights)}`);
    w = Array.from(weights.dataSync());
  } else if (Array.isArray(weights)) w = Array.from(weights as unknown[]) as number[];
  else throw new Error(`${op}: expected weights to be an array of numbers (one per data set), got ${describe(weights)}`);
  if (w.length !== n) throw new Error(`${op}: expected ${n} weights (one per data set), got ${w.length}`);
  w.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      throw new Error(`${op}: expected weights to be finite numbers >= 0, got ${describe(x)} at index ${i}`);
  });
  if (!(w.reduce((a, b) => a + b, 0) > 0)) throw new Error(`${op}: expected weights to sum to more than 0, got ${describe(w)}`);
  return w;
}

/**
 * tf.data's sample_from_datasets: each element is drawn from one of `datasets`, picked at
 * random with probability proportional to its weight (equal by default). A data set of
 * weight 0 is never read. When the one drawn is exhausted, the draws go on among the others
 * (renormalized) until every one is, or, with stopOnEmptyDataset, the data set ends there.
 * Seeded, the draws repeat exactly.
 * @example sampleFromDatasets([cats, dogs], { weights: [0.5, 0.5], seed: 1 })
 */
export function sampleFromDatasets<T>(datasets: Dataset<T>[], options?: SampleFromDatasetsOptions): Dataset<T> {
  const op = 'data.sampleFromDatasets';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  const sets = checkDatasets<T>(op, datasets);
  checkOptionsObject(op, options, 'give the weights as { weights: [...] }');
  const o = checkOptions<SampleFromDatasetsOptions>(op, options, ['weights', 'seed', 'stopOnEmptyDataset', 'rerandomizeEachIteration']);
  const weights = checkWeights(op, o.weights, sets.length);
  if (o.seed !== undefined && o.seed !== null && !Number.isSafeInteger(o.seed))
    throw new Error(`${op}: expected seed to be an integer, got ${describe(o.seed)}`);
  checkBoolean(op, 'stopOnEmptyDataset', o.stopOnEmptyDataset);
  checkBoolean(op, 'rerandomizeEachIteration', o.rerandomizeEachIteration);
  const stopOnEmpty = o.stopOnEmptyDataset ?? false;
  const rerandomize = o.rerandomizeEachIteration ?? (o.seed === undefined || o.seed === null);
  const base = drawSeed(op, o.seed);
  const drawn = sets.map((_, i) => i).filter((i) => weights[i] > 0);
  let iteration = 0;
  return withCardinality<T>(
    async function* () {
      const random = mulberry32(base + (rerandomize ? iteration++ : 0));
      const open = new Map<number, AsyncIterator<T>>();
      let live = drawn;
      try {
        while (live.length > 0) {
          const total = live.reduce((sum, i) => sum + weights[i], 0);
          let u = random() * total;
          // The last live one takes u's rounding remainder.
          const i = live.find((j) => (u -= weights[j]) < 0) ?? live[live.length - 1];
          if (!open.has(i)) open.set(i, sets[i][Symbol.asyncIterator]());
          const r = await open.get(i)!.next();
          if (!r.done) {
            yield r.value;
            continue;
          }
          if (stopOnEmpty) return;
          live = live.filter((j) => j !== i);
        }
      } finally {
        await Promise.all([...open.values()].map((it) => it.return?.()));
      }
    },
    sampledCardinality(
      drawn.map((i) => sets[i].cardinality()),
      stopOnEmpty,
    ),
  );
}

// Without stopOnEmptyDataset every element of every data set drawn comes out: their sum.
function sampledCardinality(cards: number[], stopOnEmpty: boolean): number {
  if (cards.every((c) => c === INFINITE_CARDINALITY)) return INFINITE_CARDINALITY;
  if (stopOnEmpty) return UNKNOWN_CARDINALITY;
  if (cards.includes(INFINITE_CARDINALITY)) return INFINITE_CARDINALITY;
  if (cards.includes(UNKNOWN_CARDINALITY)) return UNKNOWN_CARDINALITY;
  return cards.reduce((a, b) => a + b, 0);
}

/**
 * tf.data's choose_from_datasets: for each element i of choiceDataset (an integer, or an
 * int32 scalar tensor, which is disposed), the next element of datasets[i]. When that data
 * set is exhausted the result ends (stopOnEmptyDataset, the default, as tf.data's), or,
 * with stopOnEmptyDataset false, the choice is skipped; it ends with choiceDataset.
 * @example chooseFromDatasets([a, b, c], range(3).repeat(3)) yields a0, b0, c0, a1, b1, c1, ...
 */
export function chooseFromDatasets<T>(datasets: Dataset<T>[], choiceDataset: Dataset<unknown>, options?: ChooseFromDatasetsOptions): Dataset<T> {
  const op = 'data.chooseFromDatasets';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  const sets = checkDatasets<T>(op, datasets);
  if (!(choiceDataset instanceof Dataset)) throw new Error(`${op}: expected choiceDataset to be a Dataset of indices, got ${describe(choiceDataset)}`);
  checkOptionsObject(op, options, 'stopOnEmptyDataset goes in an options object: { stopOnEmptyDataset: false }');
  const o = checkOptions<ChooseFromDatasetsOptions>(op, options, ['stopOnEmptyDataset']);
  checkBoolean(op, 'stopOnEmptyDataset', o.stopOnEmptyDataset);
  const stopOnEmpty = o.stopOnEmptyDataset ?? true;
  const choices = choiceDataset.cardinality();
  const allEndless = sets.every((d) => d.cardinality() === INFINITE_CARDINALITY);
  const card = choices === 0 ? 0 : allEndless ? choices : UNKNOWN_CARDINALITY;
  return withCardinality<T>(async function* () {
    const open = new Map<number, AsyncIterator<T>>();
    const exhausted = new Set<number>();
    try {
      for await (const choice of choiceDataset) {
        const i = indexOf(op, choice, sets.length);
        if (exhausted.has(i)) continue;
        if (!open.has(i)) open.set(i, sets[i][Symbol.asyncIterator]());
        const r = await open.get(i)!.next();
        if (!r.done) {
          yield r.value;
          continue;
        }
        if (stopOnEmpty) return;
        exhausted.add(i);
        if (exhausted.size === sets.length) return;
      }
    } finally {
      await Promise.all([...open.values()].map((it) => it.return?.()));
    }
  }, card);
}

// A choice as an index into n data sets; a tensor choice is read and disposed.
function indexOf(op: string, choice: unknown, n: number): number {
  let i: unknown = choice;
  if (choice instanceof Tensor) {
    const ok = !choice.isDisposed && choice.rank === 0 && choice.dtype === 'int32';
    i = ok ? choice.dataSync()[0] : undefined;
    if (!choice.isDisposed) choice.dispose();
    if (!ok) throw new Error(`${op}: expected each choice to be an integer or an int32 scalar tensor, got ${describe(choice)}`);
  }
  if (!Number.isSafeInteger(i) || (i as number) < 0 || (i as number) >= n) {
    throw new Error(`${op}: expected each choice to be an integer in [0, ${n}) (an index into the ${n} data sets), got ${describe(i)}`);
  }
  return i as number;
}
