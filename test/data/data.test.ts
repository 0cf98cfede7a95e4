import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { scalar, tensor, type Tensor } from '../../src';
import { fromArrays, fromCsv, fromGenerator, fromTensors, parseIdx, readIdx, zip } from '../../src/data';
import { parseCsvLine } from '../../src/data/csv';
import * as fashionMnist from '../../src/data/fashion_mnist';
import { liveTensors } from '../helpers/memory';

const values = (t: unknown) => (t as Tensor).arraySync();

describe('Dataset', () => {
  it('maps, filters, takes, skips, repeats and concatenates lazily', async () => {
    const ds = fromArrays([1, 2, 3, 4, 5]);
    expect(await ds.map((x) => x * 10).toArray()).toEqual([10, 20, 30, 40, 50]);
    expect(await ds.filter((x) => x % 2 === 1).toArray()).toEqual([1, 3, 5]);
    expect(await ds.take(2).toArray()).toEqual([1, 2]);
    expect(await ds.skip(3).toArray()).toEqual([4, 5]);
    expect(await ds.take(2).repeat(3).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(await ds.take(1).concatenate(ds.skip(4)).toArray()).toEqual([1, 5]);
    expect(ds.size).toBe(5);
    expect(ds.batch(2).size).toBe(3);
    let pulled = 0;
    const lazy = fromGenerator(function* () {
      for (let i = 0; ; i++) {
        pulled++;
        yield i;
      }
    });
    expect(await lazy.take(3).toArray()).toEqual([0, 1, 2]);
    expect(pulled).toBe(3);
  });

  it('batches numbers, tensors and structures', async () => {
    const b = await fromArrays([
      { x: [1, 2], y: 0 },
      { x: [3, 4], y: 1 },
      { x: [5, 6], y: 0 },
    ])
      .batch(2)
      .toArray();
    // Arrays of numbers are rows, stacked (as TensorFlow.js's batch and tf.data's lists).
    const first = b[0] as { x: Tensor; y: Tensor };
    expect(values(first.x)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(values(first.y)).toEqual([0, 1]);
    // Arrays of anything else are tuples, batched entry by entry.
    const pairs = (await fromArrays([
      [tensor([1]), 'a'],
      [tensor([2]), 'b'],
    ])
      .batch(2)
      .toArray()) as [Tensor, string[]][];
    expect([values(pairs[0][0]), pairs[0][1]]).toEqual([
      [[1], [2]],
      ['a', 'b'],
    ]);
    await expect(
      fromArrays([{ x: [1, 2] }, { x: [3] }])
        .batch(2)
        .toArray(),
    ).rejects.toThrow(/Dataset.batch: ragged nested array: expected 2 elements at \[1\]/);
    expect(
      await fromArrays([1, 2, 3])
        .batch(2, { dropRemainder: true })
        .toArray()
        .then((a) => a.length),
    ).toBe(1);
    const t = await fromArrays([tensor([1, 2]), tensor([3, 4])])
      .batch(2)
      .toArray();
    expect(values(t[0])).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('shuffles with a seed, reshuffling each iteration', async () => {
    const ds = fromArrays(Array.from({ length: 20 }, (_, i) => i)).shuffle(20, 7);
    const a = await ds.toArray();
    const b = await ds.toArray();
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(a).not.toEqual(b);
    expect(
      await fromArrays(Array.from({ length: 20 }, (_, i) => i))
        .shuffle(20, 7)
        .toArray(),
    ).toEqual(a);
    const windowed = await fromArrays(Array.from({ length: 50 }, (_, i) => i))
      .shuffle(5, 1)
      .toArray();
    expect([...windowed].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('slices and batches tensors without leaking', async () => {
    const xs = tensor([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [5, 5],
    ]);
    const ys = tensor([1, 2, 3, 4, 5]);
    const ds = fromTensors({ xs, ys });
    const rows = await ds.take(2).toArray();
    expect(values((rows[1] as { xs: Tensor }).xs)).toEqual([2, 2]);
    const before = liveTensors();
    for await (const batch of ds.shuffle(5, 3).batch(2)) {
      const { xs: bx, ys: by } = batch as { xs: Tensor; ys: Tensor };
      expect(bx.shape[1]).toBe(2);
      const x = bx.arraySync() as number[][];
      expect(x.map((r) => r[0])).toEqual(by.arraySync());
      bx.dispose();
      by.dispose();
    }
    expect(liveTensors()).toBe(before);
    expect(() => fromTensors({ a: tensor([1, 2]), b: tensor([1]) })).toThrow(/every tensor needs the same first dimension/);
  });

  it('batch refuses elements structured unlike the first, naming the element and the difference, and disposes the group', async () => {
    const before = liveTensors();
    const fails = (elements: unknown[], batchSize = 2) =>
      expect(
        fromArrays(elements as never)
          .batch(batchSize)
          .toArray(),
      ).rejects;
    const msg = 'Dataset.batch: every element of a batch must be structured as the first: ';
    await fails([[scalar(1)], [scalar(2), scalar(3)]]).toThrow(msg + 'element 1 has 2 entries, but element 0 has 1');
    await fails([{ x: 1 }, { x: 2, y: 3 }]).toThrow(msg + 'element 1 has key ["y"] that element 0 lacks');
    await fails([{ x: 1, y: 2 }, { x: 2 }]).toThrow(msg + 'element 1 lacks key ["y"] that element 0 has');
    await fails(['a', 5]).toThrow(msg + 'element 1 is a number, but element 0 is a string');
    await fails([{ x: [scalar(1), 'a'] }, { x: [scalar(2), true] }]).toThrow(msg + "element 1's x[1] is a boolean, but element 0's x[1] is a string");
    await fails([tensor([1, 2]), tensor([1, 2, 3])]).toThrow(msg + 'element 1 is a tensor [3] float32, but element 0 is [2] float32');
    // Indices in the dataset: the second batch's elements are 2 and 3.
    await fails(['a', 'b', 'c', 4]).toThrow(msg + 'element 3 is a number, but element 2 is a string');
    // A row that fails to stack after a tensor field was stacked leaves nothing behind.
    await fails([
      { t: scalar(1), x: [1, 2] },
      { t: scalar(2), x: [3] },
    ]).toThrow(/Dataset.batch: ragged nested array/);
    expect(liveTensors()).toBe(before);
  });

  it('zips and prefetches', async () => {
    const z = await zip({ a: fromArrays([1, 2, 3]), b: fromArrays(['x', 'y']) }).toArray();
    expect(z).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
    ]);
    expect(await fromArrays([1, 2, 3, 4]).prefetch(2).toArray()).toEqual([1, 2, 3, 4]);
    const asyncGen = fromGenerator(async function* () {
      yield 1;
      await new Promise((r) => setTimeout(r, 1));
      yield 2;
    });
    expect(await asyncGen.toArray()).toEqual([1, 2]);
  });

  it('rejects bad arguments', () => {
    expect(() => fromArrays([1]).batch(0)).toThrow(/Dataset.batch: expected batchSize to be an integer >= 1, got 0/);
    expect(() => fromArrays([1]).take(-2)).toThrow(/Dataset.take: expected count to be an integer >= -1/);
  });
});

describe('CSV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-csv-'));
  const file = join(dir, 'houses.csv');
  writeFileSync(file, 'rooms,city,price\n3,"Paris, FR",200.5\n\n2,Lyon,120\n');

  it('parses quoted fields', () => {
    expect(parseCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });

  it('reads typed columns and labels', async () => {
    const rows = await fromCsv(file, { columnConfigs: { price: { isLabel: true }, rooms: { dtype: 'int32' } } }).toArray();
    expect(rows).toEqual([
      { xs: { rooms: 3, city: 'Paris, FR' }, ys: { price: 200.5 } },
      { xs: { rooms: 2, city: 'Lyon' }, ys: { price: 120 } },
    ]);
    const plain = await fromCsv(file, { configuredColumnsOnly: true, columnConfigs: { rooms: {} } }).toArray();
    expect(plain).toEqual([{ rooms: 3 }, { rooms: 2 }]);
  });

  it('explains bad files', async () => {
    expect(() => fromCsv(join(dir, 'missing.csv'))).toThrow(/fromCsv: no such file/);
    await expect(fromCsv(file, { columnConfigs: { nope: {} } }).toArray()).rejects.toThrow(/column 'nope' of columnConfigs is not in the header/);
    await expect(fromCsv(file, { columnConfigs: { city: { dtype: 'float32' } } }).toArray()).rejects.toThrow(/row 2, column 'city': expected a number/);
  });
});

describe('IDX and Fashion-MNIST', () => {
  const idx = (type: number, shape: number[], body: number[]) =>
    Buffer.from([0, 0, type, shape.length, ...shape.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255]), ...body]);

  it('parses ubyte and big-endian int files, gzipped or not', () => {
    expect(parseIdx(idx(0x08, [2, 2], [1, 2, 3, 4]))).toEqual({ shape: [2, 2], data: new Uint8Array([1, 2, 3, 4]) });
    const ints = parseIdx(gzipSync(idx(0x0c, [2], [0, 0, 1, 0, 255, 255, 255, 255])));
    expect(Array.from(ints.data)).toEqual([256, -1]);
    expect(() => parseIdx(Buffer.from('hello'))).toThrow(/is not an IDX file/);
    expect(() => parseIdx(idx(0x08, [3], [1, 2]))).toThrow(/should hold 3 ubyte values/);
  });

  it('loads a folder of the four files and explains a missing one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-fm-'));
    const images = idx(
      0x08,
      [3, 2, 2],
      Array.from({ length: 12 }, (_, i) => i * 20),
    );
    const labels = idx(0x08, [3], [9, 0, 4]);
    expect(() => fashionMnist.load({ path: dir })).toThrow(/not found in .*apt-get install dataset-fashion-mnist/);
    for (const [name, data] of [
      ['train-images-idx3-ubyte', images],
      ['train-labels-idx1-ubyte', labels],
      ['t10k-images-idx3-ubyte.gz', gzipSync(images)],
      ['t10k-labels-idx1-ubyte', labels],
    ] as const) {
      writeFileSync(join(dir, name), data);
    }
    const { train, test } = fashionMnist.load({ path: dir, limit: 2 });
    expect(train.images.shape).toEqual([2, 2, 2, 1]);
    expect(train.images.dataSync()[1]).toBeCloseTo(20 / 255);
    expect(test.labels.arraySync()).toEqual([9, 0]);
    expect(readIdx(join(dir, 'train-labels-idx1-ubyte')).shape).toEqual([3]);
  });
});
