// Row views: an unshuffled batch of fit / evaluate / predict is a view of the caller's rows
// (native rows(): the same storage at a byte offset), not a slice kernel's copy. Every
// kernel, read and copy must honour the offset; a Variable's rows are still copied.
import * as ts from '../../src';
import { memory, tensor, type Tensor } from '../../src';
import { native } from '../../src/native/binding';
import { rowsView } from '../../src/tensor/run';
import { TensorSource, type Batch } from '../../src/training/data_adapter';
import { randomData } from '../helpers/reference';

const values = (t: Tensor) => Array.from(t.dataSync());

describe('rowsView', () => {
  it('reads rows [first, first + count) of every dtype, rank 1 to 4, at any offset', () => {
    for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
      for (const shape of [[7], [7, 3], [7, 2, 3], [7, 1, 2, 2]]) {
        const size = shape.reduce((a, b) => a * b, 1);
        const x = tensor(
          Array.from({ length: size }, (_, i) => (dtype === 'bool' ? i % 3 === 0 : i - 5)),
          shape,
          dtype,
        );
        for (const [first, count] of [
          [0, 7],
          [2, 3],
          [6, 1],
          [4, 0],
        ]) {
          const v = rowsView(x, first, count);
          const s = ts.slice(x, [first], [count]);
          expect(v.shape).toEqual([count, ...shape.slice(1)]);
          expect(v.dtype).toBe(dtype);
          expect(values(v)).toEqual(values(s));
          ts.dispose([v, s]);
        }
        x.dispose();
      }
    }
  });

  it('feeds kernels, async reads, device copies, reshapes and views of views from its offset', async () => {
    const x = tensor(randomData(10 * 4, 3, -1, 1), [10, 4]);
    const w = tensor(randomData(4 * 3, 4, -1, 1), [4, 3]);
    const v = rowsView(x, 3, 5);
    const s = ts.slice(x, [3], [5]);
    expect(values(ts.matMul(v, w))).toEqual(values(ts.matMul(s, w)));
    expect(values(ts.add(v, 1))).toEqual(values(ts.add(s, 1)));
    expect(Array.from(await v.data())).toEqual(values(s));
    expect(values(ts.reshape(v, [20]))).toEqual(values(s));
    expect(values(v.to('cpu'))).toEqual(values(s));
    // A view of a view adds the offsets: rows 3 + 2 .. 3 + 4 of x.
    const vv = rowsView(v, 2, 2);
    expect(values(vv)).toEqual(values(ts.slice(x, [5], [2])));
    ts.dispose([x, w, v, s, vv]);
  });

  it('shares the storage: no bytes allocated, and the rows outlive a disposed original', () => {
    const x = tensor(randomData(64 * 32, 5, -1, 1), [64, 32]);
    const expected = values(ts.slice(x, [16], [8]));
    const before = memory().numBytes;
    const v = rowsView(x, 16, 8);
    expect(memory().numBytes).toBe(before);
    x.dispose();
    expect(values(v)).toEqual(expected);
    v.dispose();
  });

  it('refuses rows outside the tensor, fractional rows and scalars, naming rows()', () => {
    const x = tensor([1, 2, 3, 4], [2, 2]);
    const h = (x as unknown as { handle: never }).handle;
    expect(() => native.rows(h, 1, 2)).toThrow('rows: rows [1, 3) are outside the 2 rows of [2, 2]');
    expect(() => native.rows(h, -1, 1)).toThrow('outside the 2 rows');
    expect(() => native.rows(h, 0.5, 1)).toThrow('outside the 2 rows');
    expect(() => native.rows(h, 0, Number.NaN)).toThrow('outside the 2 rows');
    expect(() => native.rows(h, '0' as never, 1)).toThrow('rows: expected (handle, first row, row count)');
    const scalar = ts.scalar(1);
    expect(() => native.rows((scalar as unknown as { handle: never }).handle, 0, 1)).toThrow('rows: expected a tensor of rank 1 or more');
    x.dispose();
    expect(() => rowsView(x, 0, 1)).toThrow('disposed');
    scalar.dispose();
  });
});

describe('TensorSource batches are row views', () => {
  it('in order: no bytes copied per batch; a Variable source is still copied', () => {
    const x = tensor(randomData(40 * 16, 6, -1, 1), [40, 16]);
    const bytesOf = (src: Tensor) => {
      const source = new TensorSource('predict', src, undefined, undefined, 8, false);
      const before = memory().numBytes;
      const grown: number[] = [];
      const batches: Tensor[] = [];
      for (const b of source.batches() as Iterable<Batch>) {
        batches.push(b.x as Tensor);
        grown.push(memory().numBytes - before);
      }
      expect(values(ts.concat(batches, 0))).toEqual(values(src));
      ts.dispose(batches);
      return grown[grown.length - 1];
    };
    expect(bytesOf(x)).toBe(0);
    const v = ts.variable(x);
    expect(bytesOf(v)).toBe(40 * 16 * 4);
    ts.dispose([x, v]);
  });

  it('predict and fit give the results of copied batches (bitwise), validation rows at an offset included', async () => {
    const build = () => {
      ts.setSeed(5);
      const m = ts.sequential({ layers: [ts.layers.dense({ units: 6, activation: 'relu', inputShape: [5] }), ts.layers.dense({ units: 3 })] });
      m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
      return m;
    };
    const x = tensor(randomData(23 * 5, 7, -1, 1), [23, 5]);
    const y = tensor(randomData(23 * 3, 8, -1, 1), [23, 3]);
    const model = build();
    // The reference: each batch a copy, one predictOnBatch each, joined.
    const parts: Tensor[] = [];
    for (let i = 0; i < 23; i += 4) parts.push(model.predictOnBatch(ts.slice(x, [i], [Math.min(4, 23 - i)])));
    expect(values(model.predict(x, { batchSize: 4 }))).toEqual(values(ts.concat(parts, 0)));
    // fit with a validation split (validation rows 18..22, a view at an offset) against
    // fit on copies of the same rows with them passed as validationData.
    const h1 = await model.fit(x, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0, validationSplit: 0.2 });
    const copy = build();
    const [xt, xv, yt, yv] = [ts.slice(x, [0], [18]), ts.slice(x, [18], [5]), ts.slice(y, [0], [18]), ts.slice(y, [18], [5])];
    const h2 = await copy.fit(ts.add(xt, 0), ts.add(yt, 0), {
      batchSize: 4,
      epochs: 2,
      shuffle: false,
      verbose: 0,
      validationData: [ts.add(xv, 0), ts.add(yv, 0)],
    });
    expect(h1.history).toEqual(h2.history);
    expect(model.getWeights().map(values)).toEqual(copy.getWeights().map(values));
  });

  // The batches a step reads are views of the caller's data: nothing may write them.
  it('fit leaves its data bitwise unchanged, and shuffled batches are each row once with the last one partial', async () => {
    const x = tensor(randomData(23 * 5, 9, -1, 1), [23, 5]);
    const y = tensor(randomData(23 * 3, 10, -1, 1), [23, 3]);
    const [x0, y0] = [values(x), values(y)];
    ts.setSeed(3);
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [5] })] });
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    for (const shuffle of [false, true]) await m.fit(x, y, { batchSize: 4, epochs: 2, shuffle, verbose: 0 });
    expect(values(x)).toEqual(x0);
    expect(values(y)).toEqual(y0);
    const source = new TensorSource('fit', x, y, undefined, 4, true);
    const batches = [...(source.batches() as Iterable<Batch>)];
    expect(batches.map((b) => (b.x as Tensor).shape[0])).toEqual([4, 4, 4, 4, 4, 3]);
    // Each batch's x and y rows stay paired, and together they are x's rows, each once.
    const rowsOf = (t: Tensor, width: number) =>
      Array.from({ length: t.shape[0] }, (_, i) => Array.from(t.dataSync().slice(i * width, (i + 1) * width)).join(','));
    const xRows = rowsOf(x, 5);
    const yRows = rowsOf(y, 3);
    const got = batches.flatMap((b) => {
      const bx = rowsOf(b.x as Tensor, 5);
      const by = rowsOf(b.y as Tensor, 3);
      return bx.map((r, i) => {
        expect(yRows[xRows.indexOf(r)]).toBe(by[i]);
        return r;
      });
    });
    expect([...got].sort()).toEqual([...xRows].sort());
    expect(got).not.toEqual(xRows);
    for (const b of batches) ts.dispose([b.x as Tensor, b.y as Tensor]);
    ts.dispose([x, y]);
    m.dispose();
  });
});
