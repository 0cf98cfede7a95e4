// tf.data's habits on Dataset: its static constructors (range, fromTensorSlices,
// fromTensors, zip), sampleFromDatasets / chooseFromDatasets, takeWhile, unique,
// ignoreErrors, apply, groupByWindow, elementSpec, rejectionResample and enumerate's tensor
// index. Expected elements are worked by hand or are the examples of TensorFlow's tf.data
// docstrings; each is read whole and stopped early without leaking a tensor.
import { dispose, less, tensor, type Tensor } from '../../src';
import * as data from '../../src/data';
import {
  Dataset,
  INFINITE_CARDINALITY,
  UNKNOWN_CARDINALITY,
  chooseFromDatasets,
  fromArrays,
  fromElement,
  fromGenerator,
  range,
  sampleFromDatasets,
} from '../../src/data';
import { acceptance } from '../../src/data/rejection_resample';
import { liveTensors } from '../helpers/memory';

const values = (xs: unknown[]) => xs.map((x) => (x as Tensor).arraySync());

/** Reads `ds` whole, then again stopping after its first element: no tensor outlives either. */
async function expectLeakFree(ds: AsyncIterable<unknown>): Promise<void> {
  const before = liveTensors();
  for await (const e of ds) dispose(e as never);
  expect(liveTensors()).toBe(before);
  for await (const e of ds) {
    dispose(e as never);
    break;
  }
  expect(liveTensors()).toBe(before);
}

describe('Dataset.range and data.range (tf.data docstring)', () => {
  it('counts as Python range, in plain numbers', async () => {
    expect(await Dataset.range(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(await Dataset.range(2, 5).toArray()).toEqual([2, 3, 4]);
    expect(await Dataset.range(1, 5, 2).toArray()).toEqual([1, 3]);
    expect(await Dataset.range(1, 5, -2).toArray()).toEqual([]);
    expect(await Dataset.range(5, 1).toArray()).toEqual([]);
    expect(await Dataset.range(5, 1, -2).toArray()).toEqual([5, 3]);
    expect(await range(-3, 3, 4).toArray()).toEqual([-3, 1]);
    expect(
      [5, 2, 1, 0, 0, 2, 2].map((n, i) =>
        [range(5), range(2, 4), range(1, 5, 3), range(1, 5, -2), range(5, 1), range(5, 1, -2), range(-3, 3, 4)][i].cardinality(),
      ),
    ).toEqual([5, 2, 2, 0, 0, 2, 2]);
  });
  it("gives scalar tensors with { dtype } (or tf.data's outputType), which batch stacks in that dtype", async () => {
    const ints = await Dataset.range(2, 5, { dtype: 'int32' }).toArray();
    expect(ints.map((t) => [(t as Tensor).dtype, (t as Tensor).shape, (t as Tensor).arraySync()])).toEqual([
      ['int32', [], 2],
      ['int32', [], 3],
      ['int32', [], 4],
    ]);
    dispose(ints as Tensor[]);
    const [batch] = await range(1, 5, 2, { outputType: 'float32' }).batch(2).toArray();
    expect([(batch as Tensor).dtype, (batch as Tensor).arraySync()]).toEqual(['float32', [1, 3]]);
    (batch as Tensor).dispose();
    await expectLeakFree(range(6, { dtype: 'int32' }).batch(4));
  });
  it('refuses bounds that are not integers, step 0 and wrong options, naming range', async () => {
    expect(() => (range as (...a: unknown[]) => unknown)()).toThrow(
      /data.range: expected \(stop\), \(start, stop\) or \(start, stop, step\), then options, got 0 bounds/,
    );
    expect(() => Dataset.range(1.5)).toThrow(/Dataset.range: expected stop to be an integer, got 1.5/);
    expect(() => range(0, '3' as never)).toThrow(/data.range: expected stop to be an integer, got '3'/);
    expect(() => range(0, 5, 0)).toThrow(/data.range: step must not be 0/);
    expect(() => (range as (...a: unknown[]) => unknown)(1, 2, 3, 4)).toThrow(/got 4 bounds/);
    expect(() => range(5, { dtype: 'bool' as never })).toThrow(/data.range: expected dtype to be 'int32' or 'float32', got 'bool'/);
    expect(() => range(5, { dtyp: 'int32' } as never)).toThrow(/data.range: unknown option 'dtyp'/);
    // Values a dtype cannot hold exactly are refused when reached, not wrapped or rounded.
    await expect(range(2 ** 31 - 1, 2 ** 31 + 1, { dtype: 'int32' }).toArray()).rejects.toThrow(/data.range: 2147483648 does not fit a int32 scalar exactly/);
    await expect(range(2 ** 24, 2 ** 24 + 2, { dtype: 'float32' }).toArray()).rejects.toThrow(/16777217 does not fit a float32 scalar exactly/);
    await expect(
      fromArrays([1, 2])
        .enumerate(2 ** 31 - 1, { dtype: 'int32' })
        .toArray(),
    ).rejects.toThrow(/Dataset.enumerate: 2147483648 does not fit/);
    expect(() => range(5, { dtype: 'int32', outputType: 'float32' })).toThrow(
      /data.range: options dtype 'int32' \(a string\) and outputType 'float32' \(a string\) disagree/,
    );
  });
});

describe('Dataset.fromTensorSlices, Dataset.fromTensors (data.fromElement), Dataset.zip', () => {
  it('fromTensorSlices slices as data.fromTensors does', async () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const ds = Dataset.fromTensorSlices(x);
    expect(ds).toBeInstanceOf(data.TensorSliceDataset);
    expect(ds.cardinality()).toBe(3);
    const rows = await ds.toArray();
    expect(values(rows)).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    dispose(rows as Tensor[]);
    expect(() => data.fromTensorSlices(3 as never)).toThrow(/data.fromTensors: expected the tensors to be a Tensor/);
    x.dispose();
  });
  it("fromTensors gives the whole structure as ONE element (tf.data's from_tensors), a copy each pass", async () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const ds = Dataset.fromTensors({ x, label: 7 });
    expect(ds.cardinality()).toBe(1);
    const [batch] = await ds.repeat(2).batch(2).toArray();
    const { x: xs, label } = batch as { x: Tensor; label: Tensor };
    expect(xs.shape).toEqual([2, 2, 3]);
    expect(label.arraySync()).toEqual([7, 7]);
    dispose([xs, label]);
    expect(x.isDisposed).toBe(false); // the caller's tensor is never handed out
    expect(await Dataset.fromTensors([1, 2, 3]).toArray()).toEqual([[1, 2, 3]]);
    expect(await fromElement('a').repeat(3).toArray()).toEqual(['a', 'a', 'a']);
    await expectLeakFree(ds.repeat(3));
    x.dispose();
    await expect(ds.toArray()).rejects.toThrow(/data.fromElement: the element holds a disposed tensor/);
    expect(() => fromElement(undefined as never)).toThrow(/data.fromElement: expected an element/);
    expect(() => fromElement((() => 1) as never)).toThrow(/data.fromElement: cannot describe the element/);
  });
  it('zip takes the data sets one by one, as an array or as an object (tf.data docstring)', async () => {
    const a = Dataset.range(1, 4);
    const b = Dataset.range(4, 7);
    const pairs = [
      [1, 4],
      [2, 5],
      [3, 6],
    ];
    expect(await Dataset.zip(a, b).toArray()).toEqual(pairs);
    expect(await Dataset.zip([a, b]).toArray()).toEqual(pairs);
    expect(await Dataset.zip({ a, b }).toArray()).toEqual(pairs.map(([x, y]) => ({ a: x, b: y })));
    expect(Dataset.zip(a, Dataset.range(2)).cardinality()).toBe(2);
    expect(() => Dataset.zip(a, 3 as never)).toThrow(/Dataset.zip: expected Datasets, got 3 at argument 1/);
    // Unequal lengths: the longer one's element read in the last step is freed.
    const x = tensor([[1], [2], [3]]);
    await expectLeakFree(Dataset.zip(Dataset.fromTensorSlices(x), Dataset.fromTensorSlices(x).take(2)));
    x.dispose();
  });
});

describe('data.sampleFromDatasets', () => {
  const ones = () => fromElement(1).repeat();
  const zeros = () => fromElement(0).repeat();
  it('draws with the weights as probabilities (wide margins: about 9 standard deviations)', async () => {
    const draws = (await sampleFromDatasets([zeros(), ones()], { weights: [0.2, 0.8], seed: 7 })
      .take(5000)
      .toArray()) as number[];
    const share = draws.reduce((s, x) => s + x, 0);
    expect(share).toBeGreaterThan(4000 - 250);
    expect(share).toBeLessThan(4000 + 250);
    // Equal weights by default; a weights tensor works as an array.
    const even = (await sampleFromDatasets([zeros(), ones()], { seed: 3 }).take(4000).toArray()) as number[];
    expect(Math.abs(even.reduce((s, x) => s + x, 0) - 2000)).toBeLessThan(300);
    const w = tensor([3, 1]);
    const skewed = (await sampleFromDatasets([zeros(), ones()], { weights: w, seed: 3 }).take(4000).toArray()) as number[];
    expect(Math.abs(skewed.reduce((s, x) => s + x, 0) - 1000)).toBeLessThan(250);
    w.dispose();
  });
  it('repeats its draws under a seed, every pass unless rerandomizeEachIteration', async () => {
    const ds = () => sampleFromDatasets([zeros(), ones()], { seed: 11 }).take(64);
    const first = await ds().toArray();
    expect(await ds().toArray()).toEqual(first);
    const again = ds();
    expect(await again.toArray()).toEqual(await again.toArray());
    expect(await sampleFromDatasets([zeros(), ones()], { seed: 12 }).take(64).toArray()).not.toEqual(first);
    const fresh = sampleFromDatasets([zeros(), ones()], { seed: 11, rerandomizeEachIteration: true }).take(64);
    expect(await fresh.toArray()).not.toEqual(await fresh.toArray());
  });
  it('goes on among the others when one is exhausted, keeping each one order; or stops with stopOnEmptyDataset', async () => {
    const ds = sampleFromDatasets<number | string>([range(3), fromArrays(['a', 'b'])], { seed: 5 });
    expect(ds.cardinality()).toBe(5);
    const out = await ds.toArray();
    expect(out.filter((x) => typeof x === 'number')).toEqual([0, 1, 2]);
    expect(out.filter((x) => typeof x === 'string')).toEqual(['a', 'b']);
    for (let seed = 0; seed < 20; seed++) {
      const stopped = await sampleFromDatasets<number | string>([range(3), fromArrays(['a', 'b'])], { seed, stopOnEmptyDataset: true }).toArray();
      expect(stopped.length).toBeGreaterThanOrEqual(2);
      expect(stopped.filter((x) => typeof x === 'number')).toEqual([0, 1, 2].slice(0, stopped.filter((x) => typeof x === 'number').length));
      expect(stopped.filter((x) => typeof x === 'string')).toEqual(['a', 'b'].slice(0, stopped.filter((x) => typeof x === 'string').length));
    }
    // tf.data stops at the first exhausted draw: with only one data set, after its elements.
    expect(await sampleFromDatasets([range(2)], { stopOnEmptyDataset: true }).toArray()).toEqual([0, 1]);
    expect(sampleFromDatasets([range(2)], { stopOnEmptyDataset: true }).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(sampleFromDatasets([range(2), ones()]).cardinality()).toBe(INFINITE_CARDINALITY);
    expect(sampleFromDatasets([range(2), range(3).filter(() => true)]).cardinality()).toBe(UNKNOWN_CARDINALITY);
  });
  it('never reads a data set of weight 0', async () => {
    const never = fromArrays([9]).map((): number => {
      throw new Error('read a data set of weight 0');
    });
    expect(await sampleFromDatasets([range(3), never], { weights: [1, 0] }).toArray()).toEqual([0, 1, 2]);
  });
  it('is leak-free over tensors, read whole and stopped early', async () => {
    const a = tensor([[1], [2], [3]]);
    const b = tensor([[4], [5]]);
    await expectLeakFree(sampleFromDatasets([data.fromTensors(a), data.fromTensors(b)], { seed: 1 }));
    await expectLeakFree(sampleFromDatasets([data.fromTensors(a), data.fromTensors(b)], { seed: 1 }).batch(2));
    dispose([a, b]);
  });
  it('refuses bad arguments naming sampleFromDatasets', () => {
    expect(() => sampleFromDatasets([] as never)).toThrow(/data.sampleFromDatasets: expected a non-empty array of Datasets, got \[\]/);
    expect(() => sampleFromDatasets([range(2), [1, 2] as never])).toThrow(/data.sampleFromDatasets: expected a Dataset at index 1/);
    expect(() => sampleFromDatasets([range(2)], { weights: [1, 2] })).toThrow(/expected 1 weights \(one per data set\), got 2/);
    expect(() => sampleFromDatasets([range(2), range(2)], { weights: [0, 0] })).toThrow(/expected weights to sum to more than 0/);
    expect(() => sampleFromDatasets([range(2), range(2)], { weights: [1, -1] })).toThrow(/expected weights to be finite numbers >= 0, got -1 at index 1/);
    expect(() => sampleFromDatasets([range(2), range(2)], { weights: [1, NaN] })).toThrow(/finite numbers >= 0, got NaN/);
    expect(() => sampleFromDatasets([range(2)], [1] as never)).toThrow(
      /data.sampleFromDatasets: expected an options object, got \[1\]; give the weights as \{ weights: \[...\] \}/,
    );
    expect(() => sampleFromDatasets([range(2)], { seed: 1.5 })).toThrow(/expected seed to be an integer, got 1.5/);
    expect(() => sampleFromDatasets([range(2)], { stopOnEmptyDataset: 1 as never })).toThrow(/expected stopOnEmptyDataset to be a boolean/);
    expect(() => sampleFromDatasets([range(2)], { weight: [1] } as never)).toThrow(/data.sampleFromDatasets: unknown option 'weight'/);
  });
});

describe('data.chooseFromDatasets', () => {
  it('takes the next element of the data set each choice names (tf.data docstring)', async () => {
    const datasets = [Dataset.fromTensors('foo').repeat(), Dataset.fromTensors('bar').repeat(), Dataset.fromTensors('baz').repeat()];
    const ds = Dataset.chooseFromDatasets(datasets, Dataset.range(3).repeat(3));
    expect(ds.cardinality()).toBe(9);
    expect(await ds.toArray()).toEqual(['foo', 'bar', 'baz', 'foo', 'bar', 'baz', 'foo', 'bar', 'baz']);
  });
  it('ends at an exhausted data set (stopOnEmptyDataset, the default) or skips the choice', async () => {
    const sets = () => [fromArrays([1]), fromArrays([2, 3])];
    const choices = fromArrays([0, 1, 0, 1, 1]);
    expect(await chooseFromDatasets(sets(), choices).toArray()).toEqual([1, 2]);
    expect(await chooseFromDatasets(sets(), choices, { stopOnEmptyDataset: false }).toArray()).toEqual([1, 2, 3]);
    expect(chooseFromDatasets(sets(), choices).cardinality()).toBe(UNKNOWN_CARDINALITY);
  });
  it('takes int32 scalar tensor choices (disposed), leak-free', async () => {
    const x = tensor([[1], [2], [3]]);
    const y = tensor([[4], [5], [6]]);
    const ds = chooseFromDatasets(
      [data.fromTensors(x), data.fromTensors(y)],
      range(0, 6, { dtype: 'int32' }).map((i) => tensor([((i as Tensor).arraySync() as number) % 2], [], 'int32')),
    );
    const out = await ds.toArray();
    expect(values(out)).toEqual([[1], [4], [2], [5], [3], [6]]);
    dispose(out as Tensor[]);
    const choices = range(0, 6, { dtype: 'int32' }).map((i) => {
      const c = tensor([((i as Tensor).arraySync() as number) % 2], [], 'int32');
      (i as Tensor).dispose();
      return c;
    });
    await expectLeakFree(chooseFromDatasets([data.fromTensors(x), data.fromTensors(y)], choices));
    dispose([x, y]);
  });
  it('refuses bad choices and arguments naming chooseFromDatasets', async () => {
    await expect(chooseFromDatasets([range(2)], fromArrays([1])).toArray()).rejects.toThrow(
      /data.chooseFromDatasets: expected each choice to be an integer in \[0, 1\) \(an index into the 1 data sets\), got 1/,
    );
    await expect(chooseFromDatasets([range(2)], fromArrays([0.5])).toArray()).rejects.toThrow(/got 0.5/);
    await expect(chooseFromDatasets([range(2)], range(1, { dtype: 'float32' })).toArray()).rejects.toThrow(
      /expected each choice to be an integer or an int32 scalar tensor/,
    );
    expect(() => chooseFromDatasets([range(2)], [0] as never)).toThrow(/data.chooseFromDatasets: expected choiceDataset to be a Dataset of indices/);
    expect(() => chooseFromDatasets([range(2)], range(1), { stopOnEmpty: false } as never)).toThrow(/unknown option 'stopOnEmpty'/);
    expect(() => chooseFromDatasets([range(2)], range(1), false as never)).toThrow(/expected an options object, got false/);
  });
});

describe('takeWhile, unique, apply', () => {
  it('takeWhile stops at the first element the predicate refuses (tf.data docstring)', async () => {
    const ds = range(10).takeWhile((x) => x < 5);
    expect(await ds.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(ds.cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(
      await range(10)
        .takeWhile(() => false)
        .toArray(),
    ).toEqual([]);
    // A bool scalar tensor predicate, made new each time: read and disposed.
    const t = range(10, { dtype: 'int32' }).takeWhile((x) => less(x as Tensor, 5));
    const out = await t.toArray();
    expect(values(out)).toEqual([0, 1, 2, 3, 4]);
    dispose(out as Tensor[]);
    await expectLeakFree(t);
    await expect(
      range(3)
        .takeWhile((() => 'yes') as never)
        .toArray(),
    ).rejects.toThrow(/Dataset.takeWhile: expected predicate to return a number, a boolean or a scalar tensor, got 'yes'/);
    await expect(
      range(3)
        .takeWhile((() => 1) as never)
        .toArray(),
    ).rejects.toThrow(/Dataset.takeWhile: expected predicate to return a boolean, got 1/);
    expect(() => range(3).takeWhile(5 as never)).toThrow(/Dataset.takeWhile: expected predicate to be a function/);
  });
  it('unique keeps first appearances (tf.data docstring), of integers, strings or int32 scalar tensors', async () => {
    expect(await fromArrays([1, 37, 2, 37, 2, 1]).unique().toArray()).toEqual([1, 37, 2]);
    expect(await fromArrays(['good', 'bad', 'good']).unique().toArray()).toEqual(['good', 'bad']);
    const ints = fromArrays([3, 1, 3, 3, 2, 1])
      .map((x) => tensor(x, [], 'int32'))
      .unique();
    const out = await ints.toArray();
    expect(values(out)).toEqual([3, 1, 2]);
    dispose(out as Tensor[]);
    await expectLeakFree(ints);
    expect(range(4).unique().cardinality()).toBe(UNKNOWN_CARDINALITY);
    await expect(fromArrays([1.5]).unique().toArray()).rejects.toThrow(/Dataset.unique: expected scalar elements \(integers, strings or int32 scalar tensors/);
    await expect(fromArrays<number | string>([1, 'a']).unique().toArray()).rejects.toThrow(
      /Dataset.unique: every element must be of one kind; the first was an integer, then came a string/,
    );
    await expect(
      fromArrays([0])
        .map(() => tensor([1, 2]))
        .unique()
        .toArray(),
    ).rejects.toThrow(/Dataset.unique: expected scalar elements/);
    expect(() => (range(2).unique as (...a: unknown[]) => unknown)(1)).toThrow(/Dataset.unique/);
  });
  it("filter reads a bool scalar tensor predicate (tf.data's) instead of taking the object as true", async () => {
    const kept = range(6, { dtype: 'int32' }).filter((x) => less(x as Tensor, 2));
    const out = await kept.toArray();
    expect(values(out)).toEqual([0, 1]);
    dispose(out as Tensor[]);
    await expectLeakFree(kept);
    await expect(
      range(2)
        .filter((() => undefined) as never)
        .toArray(),
    ).rejects.toThrow(/Dataset.filter: expected predicate to return a number, a boolean or a scalar tensor, got undefined/);
  });
  it('apply hands the data set to fn (tf.data docstring)', async () => {
    const ds = Dataset.range(100).apply((d) => d.filter((x) => x < 5));
    expect(await ds.toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(() => range(2).apply((() => [1]) as never)).toThrow(/Dataset.apply: expected fn to return a Dataset, got \[1\]/);
    expect(() => range(2).apply('f' as never)).toThrow(/Dataset.apply: expected fn to be a function/);
  });
});

describe('ignoreErrors', () => {
  const inverse = (x: number) => {
    const y = 1 / x;
    if (!Number.isFinite(y)) throw new Error('Tensor had Inf values');
    return y;
  };
  it("drops the elements whose map threw (tf.data docstring's check_numerics)", async () => {
    const ds = fromArrays([1, 2, 0, 4]).map(inverse);
    await expect(ds.toArray()).rejects.toThrow(/Tensor had Inf values/);
    expect(await ds.ignoreErrors().toArray()).toEqual([1, 0.5, 0.25]);
    expect(ds.ignoreErrors().cardinality()).toBe(UNKNOWN_CARDINALITY);
    // Through the transformations between: filter, shuffle, batch, take, prefetch.
    const through = fromArrays([1, 0, 2, 0, 4, 8])
      .map(inverse)
      .filter((x) => x !== 0.125)
      .batch(2)
      .prefetch(2)
      .ignoreErrors();
    expect(values(await through.toArray())).toEqual([[1, 0.5], [0.25]]);
    // A filter's predicate that throws drops its element too.
    const picky = fromArrays([1, 2, 3]).filter((x) => {
      if (x === 2) throw new Error('bad');
      return true;
    });
    expect(await picky.ignoreErrors().toArray()).toEqual([1, 3]);
  });
  it('disposes what the failing map was given, and is leak-free', async () => {
    const x = tensor([[1], [0], [2], [0]]);
    const ds = data
      .fromTensors(x)
      .map((row) => {
        if ((row as Tensor).dataSync()[0] === 0) throw new Error('zero');
        return row;
      })
      .ignoreErrors();
    const out = await ds.toArray();
    expect(values(out)).toEqual([[1], [2]]);
    dispose(out as Tensor[]);
    await expectLeakFree(ds);
    x.dispose();
  });
  it('logWarning prints each drop; an error it cannot step past still ends the pass loudly', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(await fromArrays([1, 0]).map(inverse).ignoreErrors(true).toArray()).toEqual([1]);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/Dataset.ignoreErrors: dropped an element: Dataset.map: Tensor had Inf values/);
    } finally {
      warn.mockRestore();
    }
    const failing = fromGenerator(function* () {
      yield 1;
      throw new Error('the source broke');
    });
    await expect(failing.ignoreErrors().toArray()).rejects.toThrow(/the source broke/);
    expect(() => range(2).ignoreErrors('yes' as never)).toThrow(/Dataset.ignoreErrors: expected logWarning to be a boolean, got 'yes'/);
  });
});

describe('groupByWindow', () => {
  it('groups by key into windows of windowSize (tf.data docstring)', async () => {
    const ds = range(10).groupByWindow({ keyFunc: (x) => x % 2, reduceFunc: (_key, w) => w.batch(5), windowSize: 5 });
    expect(values(await ds.toArray())).toEqual([
      [0, 2, 4, 6, 8],
      [1, 3, 5, 7, 9],
    ]);
    expect(ds.cardinality()).toBe(UNKNOWN_CARDINALITY);
  });
  it('yields a group when full, the partial ones at the end by ascending key; reduceFunc gets the key', async () => {
    const pairs = range(7).groupByWindow({ keyFunc: (x) => x % 3, reduceFunc: (key, w) => w.map((x) => [key, x]), windowSize: 2 });
    expect(await pairs.toArray()).toEqual([
      [0, 0],
      [0, 3],
      [1, 1],
      [1, 4],
      [2, 2],
      [2, 5],
      [0, 6],
    ]);
    const reversed = range(5).groupByWindow({ keyFunc: (x) => 4 - x, reduceFunc: (_k, w) => w, windowSize: 10 });
    expect(await reversed.toArray()).toEqual([4, 3, 2, 1, 0]);
    const sized = range(6).groupByWindow({ keyFunc: (x) => x % 2, reduceFunc: (_k, w) => w.batch(3), windowSizeFunc: (key) => key + 2 });
    expect(values(await sized.toArray())).toEqual([[0, 2], [1, 3, 5], [4]]);
  });
  it('takes int32 scalar tensor keys; disposes what a window leaves unread; leak-free', async () => {
    const x = tensor([[0], [1], [2], [3], [4], [5]]);
    const ds = data.fromTensors(x).groupByWindow({
      keyFunc: (row) => tensor([((row as Tensor).dataSync()[0] as number) % 2], [], 'int32'),
      reduceFunc: (_k, w) => w.take(1),
      windowSize: 2,
    });
    const out = await ds.toArray();
    expect(values(out)).toEqual([[0], [1], [4], [5]]);
    dispose(out as Tensor[]);
    await expectLeakFree(ds);
    x.dispose();
  });
  it('refuses bad options naming groupByWindow', async () => {
    const key = (x: number) => x % 2;
    const reduce = (_k: number, w: Dataset<number>) => w;
    expect(() => range(4).groupByWindow({ keyFunc: key, reduceFunc: reduce })).toThrow(
      /Dataset.groupByWindow: give exactly one of windowSize and windowSizeFunc, got neither/,
    );
    expect(() => range(4).groupByWindow({ keyFunc: key, reduceFunc: reduce, windowSize: 2, windowSizeFunc: () => 2 })).toThrow(/got both/);
    expect(() => range(4).groupByWindow({ keyFunc: key, reduceFunc: reduce, windowSize: 0 })).toThrow(
      /Dataset.groupByWindow: expected windowSize to be an integer >= 1, got 0/,
    );
    expect(() => range(4).groupByWindow({ keyFunc: key, reduceFunc: reduce, windowSize: 1.5 })).toThrow(/expected windowSize to be an integer >= 1, got 1.5/);
    expect(() => range(4).groupByWindow({ keyFunc: 'x' as never, reduceFunc: reduce, windowSize: 2 })).toThrow(
      /Dataset.groupByWindow: expected keyFunc to be a function/,
    );
    expect(() => range(4).groupByWindow({ keyFunc: key, reduceFunc: reduce, windowsize: 2, window: 1 } as never)).toThrow(
      /Dataset.groupByWindow: unknown option 'window'/,
    );
    expect(() => (range(4).groupByWindow as (...a: unknown[]) => unknown)(key, reduce, 2)).toThrow(/Dataset.groupByWindow/);
    await expect(
      range(4)
        .groupByWindow({ keyFunc: (x) => x / 2, reduceFunc: reduce, windowSize: 2 })
        .toArray(),
    ).rejects.toThrow(/Dataset.groupByWindow: expected keyFunc to return an integer, got 0.5/);
    await expect(
      range(4)
        .groupByWindow({ keyFunc: key, reduceFunc: (() => [1]) as never, windowSize: 2 })
        .toArray(),
    ).rejects.toThrow(/Dataset.groupByWindow: expected reduceFunc to return a Dataset, got \[1\]/);
    await expect(
      range(4)
        .groupByWindow({ keyFunc: key, reduceFunc: reduce, windowSizeFunc: () => -1 })
        .toArray(),
    ).rejects.toThrow(/expected the window size of key 0 to be an integer >= 1, got -1/);
  });
});

describe('elementSpec', () => {
  it('of tensor slices, from the tensors without reading', async () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = tensor([1, 0], [2], 'int32');
    const before = liveTensors();
    expect(await Dataset.fromTensorSlices({ x, y }).elementSpec()).toEqual({ x: { shape: [3], dtype: 'float32' }, y: { shape: [], dtype: 'int32' } });
    expect(await Dataset.fromTensorSlices([x, y]).elementSpec()).toEqual([
      { shape: [3], dtype: 'float32' },
      { shape: [], dtype: 'int32' },
    ]);
    // Others read their first element (and dispose it).
    expect(
      await Dataset.fromTensorSlices({ x, y })
        .batch(2)
        .map((e) => e)
        .elementSpec(),
    ).toEqual({
      x: { shape: [2, 3], dtype: 'float32' },
      y: { shape: [2], dtype: 'int32' },
    });
    expect(liveTensors()).toBe(before);
    dispose([x, y]);
  });
  it('of plain values, and refusals', async () => {
    expect(await fromArrays([{ a: 1, b: 'x', c: [[1, 2, 3]], d: true, e: ['p', 'q'] }]).elementSpec()).toEqual({
      a: { shape: [], dtype: 'number' },
      b: { shape: [], dtype: 'string' },
      c: { shape: [1, 3], dtype: 'number' },
      d: { shape: [], dtype: 'boolean' },
      e: { shape: [2], dtype: 'string' },
    });
    expect(await range(3).enumerate(0, { dtype: 'int32' }).elementSpec()).toEqual([
      { shape: [], dtype: 'int32' },
      { shape: [], dtype: 'number' },
    ]);
    await expect(range(0).elementSpec()).rejects.toThrow(/Dataset.elementSpec: the data set is empty/);
    await expect(range(2).window(2).elementSpec()).rejects.toThrow(/Dataset.elementSpec: cannot describe the element/);
  });
});

describe('enumerate', () => {
  it('counts in numbers by default (unchanged), in scalar tensors with { dtype }', async () => {
    expect(await fromArrays(['a', 'b']).enumerate(3).toArray()).toEqual([
      [3, 'a'],
      [4, 'b'],
    ]);
    const pairs = await fromArrays(['a', 'b']).enumerate(3, { dtype: 'int32' }).toArray();
    expect(pairs.map(([i, e]) => [i.dtype, i.arraySync(), e])).toEqual([
      ['int32', 3, 'a'],
      ['int32', 4, 'b'],
    ]);
    dispose(pairs.map(([i]) => i));
    const [batch] = await range(3).enumerate(0, { dtype: 'int32' }).batch(3).toArray();
    expect(((batch as Tensor[])[0] as Tensor).dtype).toBe('int32');
    dispose(batch as never);
    await expectLeakFree(range(5).enumerate(0, { dtype: 'int32' }).batch(2));
    expect(() => range(2).enumerate(0, { dtype: 'int64' as never })).toThrow(/Dataset.enumerate: expected dtype to be 'int32' or 'float32', got 'int64'/);
    expect(() => range(2).enumerate(0, { outputType: 'int32' } as never)).toThrow(/Dataset.enumerate: unknown option 'outputType'/);
  });
});

describe('rejectionResample', () => {
  // Class 1 is every tenth element: 90% / 10%.
  const skewed = () => range(100).repeat();
  const classOf = (x: number) => (x % 10 === 0 ? 1 : 0);
  const shareOfOne = (pairs: [number, number][]) => pairs.filter(([c]) => c === 1).length / pairs.length;

  it("mixes unfiltered and accepted elements as tf.data's acceptance probabilities say", () => {
    // ratio = target / initial = [0.5 / 0.9, 0.5 / 0.1]; m = its minimum; accept = (ratio - m) / (max - m).
    const { accept, m } = acceptance([0.9, 0.1], [0.5, 0.5]);
    expect(m).toBeCloseTo(0.5 / 0.9, 12);
    expect(accept).toEqual([0, 1]);
    expect(acceptance([0.5, 0.5], [0.5, 0.5])).toEqual({ accept: [0, 0], m: 1 });
  });
  it('brings the classes to the target distribution (wide margins: over 5 standard deviations)', async () => {
    const given = (await skewed()
      .rejectionResample({ classFunc: classOf, targetDist: [0.5, 0.5], initialDist: [0.9, 0.1], seed: 1 })
      .take(1000)
      .toArray()) as [number, number][];
    expect(given.every(([c, x]) => c === classOf(x))).toBe(true);
    expect(Math.abs(shareOfOne(given) - 0.5)).toBeLessThan(0.08);
    // Estimated from the classes read; the targets normalized ([1, 3] is [0.25, 0.75]).
    const estimated = (await skewed()
      .rejectionResample({ classFunc: classOf, targetDist: [1, 3], seed: 2 })
      .take(2000)
      .toArray()) as [number, number][];
    expect(Math.abs(shareOfOne(estimated) - 0.75)).toBeLessThan(0.1);
    // Seeded: the same pairs again.
    const again = (await skewed()
      .rejectionResample({ classFunc: classOf, targetDist: [0.5, 0.5], initialDist: [0.9, 0.1], seed: 1 })
      .take(1000)
      .toArray()) as [number, number][];
    expect(again).toEqual(given);
  });
  it('disposes rejected tensors; leak-free; cardinality unknown', async () => {
    const x = tensor(Array.from({ length: 40 }, (_, i) => [i]));
    const ds = data.fromTensors(x).rejectionResample({
      classFunc: (row) => (((row as Tensor).dataSync()[0] as number) % 4 === 0 ? 1 : 0),
      targetDist: [0.5, 0.5],
      initialDist: [0.75, 0.25],
      seed: 3,
    });
    expect(ds.cardinality()).toBe(UNKNOWN_CARDINALITY);
    const out = await ds.toArray();
    expect(out.length).toBeGreaterThan(0);
    dispose(out.map(([, row]) => row) as Tensor[]);
    await expectLeakFree(ds.map(([, row]) => row));
    x.dispose();
  });
  it('refuses bad arguments naming rejectionResample', async () => {
    const op = /Dataset.rejectionResample/;
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [] })).toThrow(
      /Dataset.rejectionResample: expected targetDist to be a non-empty array/,
    );
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [0.5, 0.5], initialDist: [1] })).toThrow(
      /initialDist has 1 classes but targetDist 2/,
    );
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [1, -1] })).toThrow(/targetDist to hold finite numbers >= 0, got -1 at index 1/);
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [0, 0] })).toThrow(/targetDist to sum to more than 0/);
    expect(() => range(4).rejectionResample({ classFunc: 1 as never, targetDist: [1] })).toThrow(/expected classFunc to be a function/);
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [1], seed: 0.5 })).toThrow(/expected seed to be an integer/);
    expect(() => range(4).rejectionResample({ classFunc: classOf, targetDist: [1], target: [1] } as never)).toThrow(/unknown option 'target'/);
    expect(() => (range(4).rejectionResample as (...a: unknown[]) => unknown)()).toThrow(op);
    await expect(
      range(4)
        .rejectionResample({ classFunc: () => 2, targetDist: [0.5, 0.5], seed: 1 })
        .toArray(),
    ).rejects.toThrow(/Dataset.rejectionResample: expected classFunc to return a class in \[0, 2\) \(one per targetDist entry\), got 2/);
  });
});
