// utils.PyDataset: batches by index for fit / evaluate / predict, as Keras 3's PyDatasetAdapter
// reads them (hooks per pass, batch order shuffled per epoch when fit shuffles).
import * as ts from '../../src';
import { tensor, type Tensor } from '../../src';

const X = Array.from({ length: 10 }, (_, i) => [i / 10]);
const Y = X.map(([v]) => [2 * v + 1]);

class Rows extends ts.utils.PyDataset {
  calls: string[] = [];
  made: Tensor[] = [];
  constructor(
    private readonly batch = 2,
    options?: ts.utils.PyDatasetOptions,
  ) {
    super(options);
  }
  override get length(): number {
    return Math.ceil(X.length / this.batch);
  }
  getItem(i: number): [Tensor, Tensor] {
    this.calls.push(`item ${i}`);
    const lo = i * this.batch;
    const batch: [Tensor, Tensor] = [tensor(X.slice(lo, lo + this.batch)), tensor(Y.slice(lo, lo + this.batch))];
    this.made.push(...batch);
    return batch;
  }
  override onEpochBegin(): void {
    this.calls.push('begin');
  }
  override onEpochEnd(): void {
    this.calls.push('end');
  }
}

function model(): ts.Sequential {
  ts.setSeed(3);
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

describe('utils.PyDataset', () => {
  it('trains as the same batches given as tensors, calling the hooks around each epoch', async () => {
    const data = new Rows();
    const a = model();
    const h = await a.fit(data, { epochs: 2, shuffle: false, verbose: 0 });
    expect(data.calls).toEqual([
      ...['begin', 'item 0', 'item 1', 'item 2', 'item 3', 'item 4', 'end'],
      ...['begin', 'item 0', 'item 1', 'item 2', 'item 3', 'item 4', 'end'],
    ]);
    const b = model();
    const ref = await b.fit(tensor(X), tensor(Y), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(h.history.loss[1]).toBeCloseTo(ref.history.loss[1] as number, 6);
    expect(a.getWeights()[0].arraySync()).toEqual(b.getWeights()[0].arraySync());
  });

  it('shuffles the batch order per epoch (a permutation each epoch), and releases the batches', async () => {
    const data = new Rows(1);
    const m = model();
    await m.fit(data, { epochs: 3, verbose: 0 });
    expect(data.made).toHaveLength(60);
    expect(data.made.every((t) => t.isDisposed)).toBe(true);
    const epochs = data.calls
      .join(',')
      .split('end')
      .filter((s) => s.length > 1);
    const orders = epochs.map((e) => e.match(/\d+/g)!.map(Number));
    for (const o of orders) expect([...o].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(orders.some((o) => o.some((v, i) => v !== i))).toBe(true);
  });

  it('evaluates and predicts, with [x] batches and an async getItem', async () => {
    const m = model();
    class Inputs extends ts.utils.PyDataset {
      override get numBatches(): number {
        return 3;
      }
      async getItem(i: number): Promise<[Tensor]> {
        return [tensor(X.slice(4 * i, 4 * i + 4))];
      }
    }
    const out = (await m.predict(new Inputs())) as Tensor;
    expect(out.shape).toEqual([10, 1]);
    expect(out.arraySync()).toEqual((m.predict(tensor(X)) as Tensor).arraySync());
    const data = new Rows();
    const logs = await m.evaluate(data, { verbose: 0 });
    expect(logs.loss).toBeCloseTo((await m.evaluate(tensor(X), tensor(Y), { verbose: 0, batchSize: 2 })).loss, 5);
    expect(data.calls[0]).toBe('begin');
    expect(data.calls[data.calls.length - 1]).toBe('end');
  });

  it('reads a PyDataset as validationData, and an endless one with stepsPerEpoch', async () => {
    const m = model();
    class Endless extends ts.utils.PyDataset {
      override get numBatches(): null {
        return null;
      }
      getItem(i: number): [Tensor, Tensor] {
        const k = i % 5;
        return [tensor(X.slice(2 * k, 2 * k + 2)), tensor(Y.slice(2 * k, 2 * k + 2))];
      }
    }
    const h = await m.fit(new Endless(), { epochs: 2, stepsPerEpoch: 5, shuffle: false, validationData: new Rows(), verbose: 0 });
    expect(h.history.val_loss).toHaveLength(2);
  });

  it('refuses batchSize, y, workers > 1, multiprocessing, a missing length and Keras method names', async () => {
    const m = model();
    await expect(m.fit(new Rows(), { batchSize: 4, verbose: 0 })).rejects.toThrow(/batchSize \(4\) does not apply.*PyDataset makes its batches in getItem/);
    expect(() => new Rows(2, { workers: 2 })).toThrow(/Rows\(PyDataset\): workers 2 is not supported/);
    expect(() => new Rows(2, { useMultiprocessing: true })).toThrow(/useMultiprocessing true is not supported/);
    expect(() => new Rows(2, { maxQueueSize: 0 })).toThrow(/expected maxQueueSize to be a positive integer, got 0/);
    expect(() => new Rows(2, { worker: 1 } as never)).toThrow(/worker/);
    expect(new Rows(2, { workers: 1, maxQueueSize: 4 }).maxQueueSize).toBe(4);
    class NoLength extends ts.utils.PyDataset {
      getItem(): [Tensor, Tensor] {
        return [tensor(X), tensor(Y)];
      }
    }
    await expect(m.fit(new NoLength(), { verbose: 0 })).rejects.toThrow(/NoLength\(PyDataset\): define the batch count/);
    // A Keras habit (Sequence, __getitem__), written without TypeScript's checks.
    const pythonic = Object.assign(Object.create(ts.utils.Sequence.prototype) as ts.utils.PyDataset, { length: 1, __getitem__: () => [tensor(X), tensor(Y)] });
    await expect(m.fit(pythonic, { verbose: 0 })).rejects.toThrow(/must define getItem\(index\), got __getitem__: rename it getItem/);
    class Bad extends ts.utils.PyDataset {
      override length = 1;
      getItem(): never {
        return 'no' as never;
      }
    }
    await expect(m.fit(new Bad(), { verbose: 0 })).rejects.toThrow(/Bad\.getItem\(0\): expected each dataset element/);
  });
});
