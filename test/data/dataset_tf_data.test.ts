// tf.data's Dataset surface: cardinality, map's parallel arguments, enumerate, unbatch,
// rebatch, flatMap, interleave, window, paddedBatch, bucketBySequenceLength, scan, reduce.
// Expected elements are the worked examples of TensorFlow's tf.data.Dataset docstrings.
import { tensor, type Tensor } from '../../src';
import { AUTOTUNE, Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, array, fromArrays, fromGenerator, fromTensors, zip } from '../../src/data';
import { liveTensors } from '../helpers/memory';

const range = (a: number, b?: number) => {
  const [lo, hi] = b === undefined ? [0, a] : [a, b];
  return fromArrays(Array.from({ length: hi - lo }, (_, i) => lo + i));
};
const values = (xs: unknown[]) => xs.map((x) => (x as Tensor).arraySync());
const disposeAll = (xs: unknown[]) => xs.forEach((x) => (Array.isArray(x) ? x.forEach((t) => (t as Tensor).dispose()) : (x as Tensor).dispose()));

describe('Dataset.cardinality', () => {
  it('is known through sources and transformations that keep it, -1 / -2 otherwise (tf.data docstring)', () => {
    const ds = range(42);
    expect(ds.cardinality()).toBe(42);
    expect(ds.repeat().cardinality()).toBe(INFINITE_CARDINALITY);
    expect(ds.filter(() => true).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect([INFINITE_CARDINALITY, UNKNOWN_CARDINALITY]).toEqual([-1, -2]);
    expect(ds.batch(5).cardinality()).toBe(9);
    expect(ds.batch(5, { dropRemainder: true }).cardinality()).toBe(8);
    expect(
      ds
        .take(10)
        .skip(3)
        .map((x) => x)
        .cardinality(),
    ).toBe(7);
    expect(ds.take(-1).cardinality()).toBe(42);
    expect(ds.skip(-1).cardinality()).toBe(0);
    expect(ds.repeat(2).shuffle(4).prefetch(AUTOTUNE).cache().cardinality()).toBe(84);
    expect(ds.repeat().take(7).cardinality()).toBe(7);
    expect(
      ds
        .repeat()
        .batch(4)
        .skip(2)
        .shard(2, 0)
        .map((x) => x)
        .cardinality(),
    ).toBe(INFINITE_CARDINALITY);
    expect(range(0).repeat().cardinality()).toBe(0);
    expect(ds.concatenate(ds.repeat()).cardinality()).toBe(INFINITE_CARDINALITY);
    expect(ds.concatenate(ds.filter(() => true)).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(zip([ds, range(3)]).cardinality()).toBe(3);
    expect(zip([ds.repeat(), range(3)]).cardinality()).toBe(3);
    expect(zip([ds.repeat(), ds.repeat()]).cardinality()).toBe(INFINITE_CARDINALITY);
    expect(zip([ds, ds.filter(() => true)]).cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(
      fromGenerator(function* () {
        yield 1;
      }).cardinality(),
    ).toBe(UNKNOWN_CARDINALITY);
    expect(
      fromTensors(tensor([[1], [2], [3]]))
        .batch(2)
        .cardinality(),
    ).toBe(2);
    expect(
      ds
        .filter(() => true)
        .take(3)
        .cardinality(),
    ).toBe(UNKNOWN_CARDINALITY);
    expect(ds.window(5, 1, 1, true).cardinality()).toBe(38);
    expect(ds.window(5, 2).cardinality()).toBe(21);
    expect(ds.enumerate().cardinality()).toBe(42);
    expect(ds.unbatch().cardinality()).toBe(UNKNOWN_CARDINALITY);
    expect(() => (ds.cardinality as (a: unknown) => number)(1)).toThrow(/Dataset.cardinality: expected at most 0 arguments, got 1/);
  });

  it('repeat(-1), take(-1) and skip(-1) as tf.data', async () => {
    expect(await range(3).repeat(-1).take(7).toArray()).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await range(3).take(-1).toArray()).toEqual([0, 1, 2]);
    expect(await range(3).skip(-1).toArray()).toEqual([]);
    expect(() => range(3).take(-2)).toThrow(/Dataset.take: expected count to be an integer >= -1, got -2/);
  });
});

describe('Dataset.map with tf.data arguments', () => {
  it('accepts AUTOTUNE or a count, and deterministic, mapping in order', async () => {
    expect(
      await range(4)
        .map((x) => x * 2, AUTOTUNE)
        .toArray(),
    ).toEqual([0, 2, 4, 6]);
    expect(
      await range(4)
        .map((x) => x + 1, 4, false)
        .toArray(),
    ).toEqual([1, 2, 3, 4]);
    expect(
      await range(4)
        .map((x) => x, null, null)
        .toArray(),
    ).toEqual([0, 1, 2, 3]);
  });
  it('refuses bad values', () => {
    const ds = range(2);
    expect(() => ds.map((x) => x, 0)).toThrow(/Dataset.map: expected numParallelCalls to be AUTOTUNE \(-1\) or an integer >= 1, got 0/);
    expect(() => ds.map((x) => x, 1.5)).toThrow(/numParallelCalls/);
    expect(() => ds.map((x) => x, 2, 'yes' as never)).toThrow(/Dataset.map: expected deterministic to be a boolean, got/);
    expect(() => (ds.map as (...a: unknown[]) => unknown)((x: number) => x, 1, true, 3)).toThrow(/Dataset.map: expected at most 3 arguments, got 4/);
  });
});

describe('data.array / fromArrays', () => {
  it('refuses holes', () => {
    // eslint-disable-next-line no-sparse-arrays -- a hole is what this checks
    expect(() => array([1, , 2] as number[])).toThrow(/data.fromArrays: the array has a hole \(an empty slot\) at index 1/);
    expect(() => fromArrays(new Array(3) as number[])).toThrow(/hole .* at index 0/);
    expect(() => fromArrays([1, undefined as never])).not.toThrow();
  });
});

describe('enumerate, scan, reduce', () => {
  it('enumerate(start) (tf.data docstring)', async () => {
    expect(await fromArrays([1, 2, 3]).enumerate(5).toArray()).toEqual([
      [5, 1],
      [6, 2],
      [7, 3],
    ]);
    expect(await fromArrays(['a']).enumerate().toArray()).toEqual([[0, 'a']]);
    expect(() => range(2).enumerate(0.5)).toThrow(/Dataset.enumerate: expected start to be an integer, got 0.5/);
  });
  it('scan (tf.data docstring: running sums of range(10))', async () => {
    const ds = range(10).scan(0, (state, i) => [state + i, state + i]);
    expect(await ds.toArray()).toEqual([0, 1, 3, 6, 10, 15, 21, 28, 36, 45]);
    expect(ds.cardinality()).toBe(10);
    await expect(
      range(2)
        .scan(0, (() => 3) as never)
        .toArray(),
    ).rejects.toThrow(/Dataset.scan: expected scanFunc to return \[newState, output\], got 3/);
    expect(() => range(2).scan(0, 'f' as never)).toThrow(/Dataset.scan: expected scanFunc to be a function/);
  });
  it('reduce (tf.data docstring)', async () => {
    expect(await range(5).reduce(0, (x) => x + 1)).toBe(5);
    expect(await range(5).reduce(0, (x, y) => x + y)).toBe(10);
    await expect(
      range(5)
        .repeat()
        .reduce(0, (x) => x),
    ).rejects.toThrow(/Dataset.reduce: the data set is endless/);
    await expect((range(5).reduce as (...a: unknown[]) => unknown)(0, (x: number) => x, 1)).rejects.toThrow(/at most 2 arguments, got 3/);
  });
});

describe('unbatch, rebatch, flatMap', () => {
  it('unbatch (tf.data docstring) and of tensors, without leaks', async () => {
    const ragged = fromGenerator(function* () {
      yield [1, 2, 3];
      yield [1, 2];
      yield [1, 2, 3, 4];
    });
    expect(await ragged.unbatch().toArray()).toEqual([1, 2, 3, 1, 2, 1, 2, 3, 4]);
    const before = liveTensors();
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const y = tensor([7, 8, 9]);
    const rows = await fromTensors({ x, y }).batch(2).unbatch().toArray();
    expect(rows.map((r) => [(r as { x: Tensor }).x.arraySync(), (r as { y: Tensor }).y.arraySync()])).toEqual([
      [[1, 2], 7],
      [[3, 4], 8],
      [[5, 6], 9],
    ]);
    rows.forEach((r) => Object.values(r as object).forEach((t) => (t as Tensor).dispose()));
    // Stopped after one row: the batch's other rows are disposed.
    const [first] = await fromTensors(y).batch(3).unbatch().take(1).toArray();
    expect((first as Tensor).arraySync()).toBe(7);
    (first as Tensor).dispose();
    x.dispose();
    y.dispose();
    expect(liveTensors()).toBe(before);
    await expect(
      fromArrays([[tensor([1, 2]), tensor([1])]])
        .unbatch()
        .toArray(),
    ).rejects.toThrow(/Dataset.unbatch: every part of an element needs the same batch dimension, got \[0\]: 2, \[1\]: 1/);
    await expect(fromArrays([3]).unbatch().toArray()).rejects.toThrow(
      /Dataset.unbatch: expected the element to be a tensor, an array of numbers or of strings with a batch dimension, got 3/,
    );
    // Batched strings (a plain array of them, as batch() makes) unbatch to their entries.
    const texts = await fromArrays([{ text: ['a', 'b'], n: [1, 2] }])
      .unbatch()
      .toArray();
    expect(texts).toEqual([
      { text: 'a', n: 1 },
      { text: 'b', n: 2 },
    ]);
    expect(liveTensors()).toBe(before);
  });
  it('rebatch (tf.data docstring)', async () => {
    const ds = range(8).batch(4).rebatch(2);
    expect(values(await ds.toArray())).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
      [6, 7],
    ]);
    expect(values(await range(8).batch(4).rebatch(3, { dropRemainder: true }).toArray())).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(() => range(8).rebatch([2, 1] as never)).toThrow(/Dataset.rebatch: expected batchSize to be an integer >= 1/);
  });
  it('flatMap (tf.data docstring)', async () => {
    const ds = fromArrays([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]).flatMap((row) => fromArrays(row));
    expect(await ds.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(ds.cardinality()).toBe(UNKNOWN_CARDINALITY);
    await expect(
      range(2)
        .flatMap((() => [1]) as never)
        .toArray(),
    ).rejects.toThrow(/Dataset.flatMap: expected fn to return a Dataset, got/);
  });
});

describe('interleave', () => {
  const repeated = (n: number) => (x: number) => fromArrays([x]).repeat(n);
  it('follows tf.data order (tf.data docstring: cycleLength 2, blockLength 4)', async () => {
    expect(await range(1, 6).interleave(repeated(6), 2, 4).toArray()).toEqual([
      1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 4, 4, 5, 5, 5, 5, 5, 5,
    ]);
    expect(await range(1, 6).interleave(repeated(3), 4, 2, AUTOTUNE, true).toArray()).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 1, 2, 3, 4, 5, 5, 5]);
    // A cycleLength past the input's elements: as many as there are, no wait over empty slots.
    expect(
      await range(1, 4)
        .interleave(repeated(2), 2 ** 31)
        .toArray(),
    ).toEqual([1, 2, 3, 1, 2, 3]);
    // cycleLength 1 is flatMap.
    expect(await range(1, 4).interleave(repeated(2), 1).toArray()).toEqual([1, 1, 2, 2, 3, 3]);
  });
  it('refuses bad arguments', () => {
    expect(() => range(2).interleave(repeated(1), 0)).toThrow(/Dataset.interleave: expected cycleLength to be an integer >= 1, got 0/);
    expect(() => range(2).interleave(repeated(1), 2, 0)).toThrow(/Dataset.interleave: expected blockLength to be an integer >= 1, got 0/);
    expect(() => range(2).interleave(repeated(1), 2, 1, 0)).toThrow(/Dataset.interleave: expected numParallelCalls/);
  });
});

describe('window', () => {
  const windows = async (ds: Dataset<Dataset<number>>) => Promise.all((await ds.toArray()).map((w) => w.toArray()));
  it('size, shift, stride, dropRemainder (tf.data docstring)', async () => {
    expect(await windows(range(7).window(3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(await windows(range(7).window(3, null, 1, true))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(await windows(range(7).window(3, 2, 1, true))).toEqual([
      [0, 1, 2],
      [2, 3, 4],
      [4, 5, 6],
    ]);
    expect(await windows(range(7).window(3, 1, 2, true))).toEqual([
      [0, 2, 4],
      [1, 3, 5],
      [2, 4, 6],
    ]);
    expect(await windows(range(7).window(2, 3))).toEqual([[0, 1], [3, 4], [6]]);
    expect(range(7).window(3, 1, 2, true).cardinality()).toBe(3);
  });
  it('gives each window its own tensors, read once, without leaks', async () => {
    const before = liveTensors();
    const x = tensor([0, 1, 2, 3, 4]);
    const batches = await fromTensors(x)
      .window(3, 1, 1, true)
      .flatMap((w) => w.batch(3))
      .toArray();
    expect(values(batches)).toEqual([
      [0, 1, 2],
      [1, 2, 3],
      [2, 3, 4],
    ]);
    disposeAll(batches);
    const [w] = await fromTensors(x).window(2).take(1).toArray();
    disposeAll(await w.toArray());
    await expect(w.toArray()).rejects.toThrow(/Dataset.window: a window holding tensors can be read once/);
    x.dispose();
    expect(liveTensors()).toBe(before);
    expect(() => range(3).window(0)).toThrow(/Dataset.window: expected size to be an integer >= 1, got 0/);
    expect(() => range(3).window(2, 1, 1, 'true' as never)).toThrow(/Dataset.window: expected dropRemainder to be a boolean/);
  });
});

describe('paddedBatch', () => {
  const filled = () => range(1, 5).map((x) => tensor(new Array(x).fill(x), [x], 'int32'));
  it('pads to the longest, to paddedShapes, with paddingValues (tf.data docstring)', async () => {
    const before = liveTensors();
    const b = await filled().paddedBatch(2).toArray();
    expect(values(b)).toEqual([
      [
        [1, 0],
        [2, 2],
      ],
      [
        [3, 3, 3, 0],
        [4, 4, 4, 4],
      ],
    ]);
    expect((b[0] as Tensor).dtype).toBe('int32');
    const d = await filled().paddedBatch(2, { paddedShapes: 5, paddingValues: -1 }).toArray();
    expect(values(d)).toEqual([
      [
        [1, -1, -1, -1, -1],
        [2, 2, -1, -1, -1],
      ],
      [
        [3, 3, 3, -1, -1],
        [4, 4, 4, 4, -1],
      ],
    ]);
    const pairs = fromGenerator(function* () {
      yield [tensor([1, 2, 3], [3], 'int32'), tensor([10], [1], 'int32')];
      yield [tensor([4, 5], [2], 'int32'), tensor([11, 12], [2], 'int32')];
    });
    const [t] = (await pairs.paddedBatch(2, { paddedShapes: [[4], [null]], paddingValues: [-1, 100] }).toArray()) as Tensor[][];
    expect(values(t)).toEqual([
      [
        [1, 2, 3, -1],
        [4, 5, -1, -1],
      ],
      [
        [10, 100],
        [11, 12],
      ],
    ]);
    // (tokens, label) pairs as plain arrays: the scalar label is stacked as batch() does.
    const tokens = await fromArrays([
      { x: [1], y: 0 },
      { x: [1, 2], y: 1 },
    ])
      .paddedBatch(2)
      .toArray();
    const { x: tx, y: ty } = tokens[0] as { x: Tensor; y: Tensor };
    expect([tx.arraySync(), ty.arraySync()]).toEqual([
      [
        [1, 0],
        [1, 2],
      ],
      [0, 1],
    ]);
    disposeAll([...b, ...d, t, tx, ty]);
    expect(liveTensors()).toBe(before);
    expect(filled().paddedBatch(3, { dropRemainder: true }).cardinality()).toBe(1);
  });
  it('refuses what cannot be padded, without leaks', async () => {
    const before = liveTensors();
    await expect(
      filled()
        .paddedBatch(2, { paddedShapes: [1] })
        .toArray(),
    ).rejects.toThrow(/Dataset.paddedBatch: the element has 2 entries along dimension 0, more than its padded size 1/);
    await expect(
      filled()
        .paddedBatch(2, { paddedShapes: [[2]] as never })
        .toArray(),
    ).rejects.toThrow(/expected paddedShapes at the element to be 1 dimensions/);
    // A huge padded size is refused naming paddedBatch and the batch's size, before any
    // allocation (it was an out-of-memory error naming concat).
    await expect(
      filled()
        .paddedBatch(2, { paddedShapes: [2 ** 40] })
        .toArray(),
    ).rejects.toThrow(
      /^Dataset\.paddedBatch: the padded batch of the element \[2, 1099511627776\] would hold 2199023255552 int32 values .*more than the memory available/,
    );
    await expect(
      filled()
        .paddedBatch(2, { paddedShapes: [1e300] })
        .toArray(),
    ).rejects.toThrow(/^Dataset\.paddedBatch: the padded batch of the element \[2, 1e\+300\] has more than 2\^53 - 1 elements/);
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case
    const holed = [, 3] as never;
    expect(() => filled().paddedBatch(2, { paddedShapes: holed })).toThrow(
      "Dataset.paddedBatch: option 'paddedShapes' is a sparse array with no entry at paddedShapes[0]",
    );
    await expect(fromArrays(['a', 'b']).paddedBatch(2).toArray()).rejects.toThrow(
      /Dataset.paddedBatch: can only pad tensors, numbers and arrays of numbers, got/,
    );
    expect(liveTensors()).toBe(before);
    expect(() => filled().paddedBatch(2, { padded: 1 } as never)).toThrow(/Dataset.paddedBatch/);
    expect(() => filled().paddedBatch(0)).toThrow(/Dataset.paddedBatch: expected batchSize to be an integer >= 1, got 0/);
  });
});

describe('bucketBySequenceLength', () => {
  const elements = [[0], [1, 2, 3, 4], [5, 6, 7], [7, 8, 9, 10, 11], [13, 14, 15, 16, 19, 20], [21, 22]];
  const source = () => fromArrays(elements).map((e) => tensor(e, [e.length], 'int32'));
  const length = (e: Element) => (e as Tensor).shape[0];
  type Element = Parameters<Parameters<ReturnType<typeof source>['map']>[0]>[0];
  it('buckets, pads and flushes as tf.data (its docstring examples)', async () => {
    const before = liveTensors();
    const a = await source().bucketBySequenceLength(length, [3, 5], [2, 2, 2]).toArray();
    expect(values(a)).toEqual([
      [
        [1, 2, 3, 4],
        [5, 6, 7, 0],
      ],
      [
        [7, 8, 9, 10, 11, 0],
        [13, 14, 15, 16, 19, 20],
      ],
      [
        [0, 0],
        [21, 22],
      ],
    ]);
    const b = await source().bucketBySequenceLength(length, [4, 7], [2, 2, 2], { padToBucketBoundary: true, paddingValues: -1 }).toArray();
    expect(values(b)).toEqual([
      [
        [0, -1, -1],
        [5, 6, 7],
      ],
      [
        [1, 2, 3, 4, -1, -1],
        [7, 8, 9, 10, 11, -1],
      ],
      [[21, 22, -1]],
      [[13, 14, 15, 16, 19, 20]],
    ]);
    // Bucket [3, 5) holds 2 of its 3 at the end: dropped.
    const c = await source().bucketBySequenceLength(length, [3, 5], [2, 3, 2], { dropRemainder: true }).toArray();
    expect(values(c)).toEqual([
      [
        [7, 8, 9, 10, 11, 0],
        [13, 14, 15, 16, 19, 20],
      ],
      [
        [0, 0],
        [21, 22],
      ],
    ]);
    disposeAll([...a, ...b, ...c]);
    expect(liveTensors()).toBe(before);
    // The first batch is yielded (and disposed here) before the second element fails.
    const bad = source().bucketBySequenceLength(length, [3], [1, 1], { padToBucketBoundary: true });
    await expect(bad.forEachAsync((t) => (t as Tensor).dispose())).rejects.toThrow(
      /with padToBucketBoundary every element's length must be < the last boundary 3/,
    );
    expect(liveTensors()).toBe(before);
  });
  it('refuses bad arguments', () => {
    expect(() => source().bucketBySequenceLength(length, [5, 3], [1, 1, 1])).toThrow(/expected bucketBoundaries to be increasing integers/);
    expect(() => source().bucketBySequenceLength(length, [3, 5], [1, 1])).toThrow(
      /Dataset.bucketBySequenceLength: expected bucketBatchSizes to be 3 integers >= 1 \(one per bucket/,
    );
    // eslint-disable-next-line no-sparse-arrays -- a hole is what this checks
    expect(() => source().bucketBySequenceLength(length, [3, , 5] as number[], [1, 1, 1, 1])).toThrow(/bucketBoundaries/);
    expect(() => source().bucketBySequenceLength(length, [3], [1, 1], { noPadding: true, paddingValues: 1 })).toThrow(/noPadding: true pads nothing/);
    expect(() => source().bucketBySequenceLength(length, [3], [1, 1], { padToBucket: true } as never)).toThrow(/Dataset.bucketBySequenceLength/);
  });
});
