// ts.util (TensorFlow.js's tf.util functions of data preparation) and tf.data.csv's
// spelling: what TensorFlow.js's getting-started tutorials call.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from '../src';

describe('util', () => {
  it('shuffle permutes in place, repeatably after setSeed; typed arrays too', () => {
    const a = Array.from({ length: 50 }, (_, i) => i);
    ts.setSeed(11);
    ts.util.shuffle(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const b = Array.from({ length: 50 }, (_, i) => i);
    ts.setSeed(11);
    ts.util.shuffle(b);
    expect(b).toEqual(a);
    const f = Float32Array.from([1, 2, 3, 4]);
    ts.util.shuffle(f);
    expect(Array.from(f).sort()).toEqual([1, 2, 3, 4]);
  });

  it('shuffleCombo keeps pairs together', () => {
    const xs = Array.from({ length: 20 }, (_, i) => i);
    const ys = xs.map((i) => `label${i}`);
    ts.util.shuffleCombo(xs, ys);
    xs.forEach((x, i) => expect(ys[i]).toBe(`label${x}`));
    expect(xs).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(() => ts.util.shuffleCombo([1, 2], [1])).toThrow(/util.shuffleCombo: the arrays differ in length \(2 and 1\)/);
  });

  it('createShuffledIndices, sizeFromShape, flatten, now, assert', () => {
    const order = ts.util.createShuffledIndices(10);
    expect(order).toBeInstanceOf(Uint32Array);
    expect(Array.from(order).sort((x, y) => x - y)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(ts.util.sizeFromShape([2, 3, 4])).toBe(24);
    expect(ts.util.sizeFromShape([])).toBe(1);
    expect(ts.util.flatten([[1, [2, 3]], 4])).toEqual([1, 2, 3, 4]);
    const into: unknown[] = [0];
    expect(ts.util.flatten([Float32Array.from([1, 2]), [3]] as unknown[], into)).toBe(into);
    expect(into).toEqual([0, 1, 2, 3]);
    const typed = Int32Array.from([5]);
    expect(ts.util.flatten([typed, 6], [], true)).toEqual([typed, 6]);
    expect(typeof ts.util.now()).toBe('number');
    expect(() => ts.util.assert(false, () => 'the reason')).toThrow('the reason');
    expect(() => ts.util.assert(true, () => 'never')).not.toThrow();
  });

  it('says what is wrong', () => {
    expect(() => ts.util.shuffle('abc' as never)).toThrow(
      /util.shuffle: expected array to be an array or a Uint32Array \/ Int32Array \/ Float32Array, got 'abc'/,
    );
    expect(() => ts.util.createShuffledIndices(-1)).toThrow(/util.createShuffledIndices: expected n to be an integer from 0 to 2\^31 - 1, got -1/);
    expect(() => ts.util.createShuffledIndices(2 ** 31)).toThrow(/got 2147483648/);
    expect(() => ts.util.sizeFromShape([2, -1])).toThrow(/util.sizeFromShape: /);
    expect(() => ts.util.assert(false, 3 as never)).toThrow(/util.assert: expected msg \(a string or a function\) to be a function, got 3/);
  });
});

it("data.csv reads a file:// URL with TensorFlow.js's csvConfig (tf.data.csv)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-csv-'));
  try {
    const file = path.join(dir, 'houses.csv');
    fs.writeFileSync(file, 'rooms,area,price\n3,80,200\n4,120,310\n');
    const rows = await ts.data.csv(`file://${file}`, { columnConfigs: { price: { isLabel: true } } }).toArray();
    expect(rows).toEqual([
      { xs: { rooms: 3, area: 80 }, ys: { price: 200 } },
      { xs: { rooms: 4, area: 120 }, ys: { price: 310 } },
    ]);
    expect(() => ts.data.csv('https://example.com/houses.csv')).toThrow(/data.csv: 'https:\/\/' is a TensorFlow.js store this package does not have/);
    // Errors name the function the user called, under either name.
    fs.writeFileSync(file, 'rooms,area\n3,80\n4\n');
    await expect(ts.data.csv(file).toArray()).rejects.toThrow(new RegExp(`^data.csv: ${file}: row 3 has 1 fields, expected 2`));
    await expect(ts.data.fromCsv(file).toArray()).rejects.toThrow(new RegExp(`^data.fromCsv: ${file}: row 3 has 1 fields, expected 2`));
    expect(() => ts.data.csv(file, { hasHeaders: true } as never)).toThrow(/^data.csv: unknown option 'hasHeaders'/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("TensorFlow.js's csv pipeline trains: rows mapped to {xs: number[], ys: number[]} batch into tensors", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-csv-'));
  try {
    const file = path.join(dir, 'houses.csv');
    fs.writeFileSync(file, 'rooms,area,price\n3,80,200\n4,120,310\n2,50,120\n');
    const ds = ts.data
      .csv(file, { columnConfigs: { price: { isLabel: true } } })
      .map((row) => {
        const { xs, ys } = row as { xs: Record<string, number>; ys: Record<string, number> };
        return { xs: Object.values(xs), ys: Object.values(ys) };
      })
      .batch(2);
    const batches = (await ds.toArray()) as { xs: ts.Tensor; ys: ts.Tensor }[];
    expect(batches.map((b) => [b.xs.shape, b.ys.shape])).toEqual([
      [
        [2, 2],
        [2, 1],
      ],
      [
        [1, 2],
        [1, 1],
      ],
    ]);
    expect(batches[0].xs.arraySync()).toEqual([
      [3, 80],
      [4, 120],
    ]);
    ts.dispose(batches.flatMap((b) => [b.xs, b.ys]));
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const zipped = ts.data
      .zip({
        xs: ts.data.array([
          [1, 2],
          [3, 4],
        ]),
        ys: ts.data.array([[1], [0]]),
      })
      .batch(2);
    const history = await model.fitDataset(zipped, { epochs: 1, verbose: 0 });
    expect(history.history.loss).toHaveLength(1);
    model.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
