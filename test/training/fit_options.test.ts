// fit's, evaluate's and predict's plain options: read as Keras 3 and TensorFlow.js read
// them, and a wrong value is an error before any work. Before, tensor data ignored
// stepsPerEpoch, validationSteps and steps; validationSplit ignored validationBatchSize;
// a Dataset restarted every epoch under stepsPerEpoch (its later batches never trained);
// initialEpoch 'a', shuffle 'yes', classWeight 'x' and verbose 7 were accepted silently.
import * as ts from '../../src';
import { fromTensors } from '../../src/data';

/** A model that records the first input value of each training batch (the row ids below). */
class Recording extends ts.Sequential {
  batches: number[][] = [];
  override trainStep(batch: ts.Batch): ts.StepLogs {
    this.batches.push(Array.from((batch.x as ts.Tensor).dataSync()));
    return super.trainStep(batch);
  }
}

function recording(): Recording {
  ts.setSeed(5);
  const m = new Recording({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

/** Batches of two consecutive rows, each named by its first row. */
const pairsFrom = (...firsts: number[]) => firsts.map((f) => [f, f + 1]);

/** Rows 0 .. n - 1: each row's value is its index. */
const rowIds = (n: number) => ts.tensor(Array.from({ length: n }, (_, i) => [i]));

let warn: jest.SpyInstance;
beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => {})));
afterEach(() => warn.mockRestore());

describe('stepsPerEpoch: each epoch goes on from where the last stopped (Keras 3, TensorFlow.js)', () => {
  test('tensor data: 5 batches, 2 per epoch; the data runs out in the third epoch, which ends early with a warning', async () => {
    const m = recording();
    const x = rowIds(10);
    await m.fit(x, x, { batchSize: 2, epochs: 4, stepsPerEpoch: 2, shuffle: false, verbose: 0 });
    expect(m.batches).toEqual(pairsFrom(0, 2, 4, 6, 8, 0, 2));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/fit: the data ran out after 1 of stepsPerEpoch 2 batches; this epoch ends here and the next starts the data again/);
    m.dispose();
  });

  test('epochs that divide the data start it again without a warning', async () => {
    const m = recording();
    const x = rowIds(8);
    await m.fit(x, x, { batchSize: 2, epochs: 3, stepsPerEpoch: 2, shuffle: false, verbose: 0 });
    expect(m.batches).toEqual(pairsFrom(0, 2, 4, 6, 0, 2));
    expect(warn).not.toHaveBeenCalled();
    m.dispose();
  });

  test('a Dataset continues too (it restarted every epoch before: rows 4-7 never trained)', async () => {
    const m = recording();
    const x = rowIds(8);
    const ds = fromTensors({ xs: x, ys: x }).batch(2);
    await m.fit(ds, { epochs: 3, stepsPerEpoch: 2, verbose: 0 });
    expect(m.batches).toEqual(pairsFrom(0, 2, 4, 6, 0, 2));
    m.dispose();
  });

  test('shuffled tensor data reshuffles when it starts again, and every row trains once per pass', async () => {
    const m = recording();
    const x = rowIds(8);
    await m.fit(x, x, { batchSize: 2, epochs: 4, stepsPerEpoch: 2, shuffle: true, verbose: 0 });
    const pass = (k: number) => m.batches.slice(4 * k, 4 * k + 4).flat();
    expect([...pass(0)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...pass(1)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(pass(0)).not.toEqual(pass(1));
    m.dispose();
  });

  test('the progress bar and callbacks see stepsPerEpoch as the epoch length', async () => {
    const m = recording();
    const x = rowIds(10);
    let steps: number | undefined;
    await m.fit(x, x, {
      batchSize: 2,
      stepsPerEpoch: 3,
      verbose: 0,
      callbacks: {
        onTrainBegin() {
          steps = (this as unknown as ts.callbacks.Callback).params.steps;
        },
      },
    });
    expect(steps).toBe(3);
    m.dispose();
  });
});

describe("validation's batch size and steps", () => {
  test('validationSplit uses validationBatchSize (it used the training batch size)', async () => {
    const seen: number[] = [];
    class Sizes extends ts.Sequential {
      override testStep(batch: ts.Batch): ts.StepLogs {
        seen.push((batch.x as ts.Tensor).shape[0]);
        return super.testStep(batch);
      }
    }
    ts.setSeed(5);
    const m = new Sizes({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = rowIds(20);
    await m.fit(x, x, { batchSize: 2, validationSplit: 0.5, validationBatchSize: 5, verbose: 0 });
    expect(seen).toEqual([5, 5]);
    seen.length = 0;
    await m.fit(x, x, { batchSize: 2, validationData: [x, x], validationBatchSize: 10, validationSteps: 1, epochs: 3, verbose: 0 });
    expect(seen).toEqual([10, 10, 10]); // one batch per validation, going on through the data
    m.dispose();
  });
});

describe("evaluate's and predict's steps read tensor data too (ignored before)", () => {
  test('the first `steps` batches', async () => {
    ts.setSeed(5);
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = rowIds(10);
    const batches: number[] = [];
    await m.evaluate(x, x, { batchSize: 2, steps: 2, callbacks: { onTestBatchEnd: (b) => void batches.push(b) } });
    expect(batches).toEqual([0, 1]);
    const out = m.predict(x, { batchSize: 4, steps: 2 }) as ts.Tensor;
    expect(out.shape).toEqual([8, 1]);
    const all = m.predict(x, { batchSize: 4, steps: 9 }) as ts.Tensor; // more than there are: all of it, with a warning (as Keras)
    expect(all.shape).toEqual([10, 1]);
    expect(warn.mock.calls[0][0]).toMatch(/predict: the data ran out after 3 of steps 9 batches/);
    ts.dispose([out, all]);
    m.dispose();
  });
});

describe('wrong values, each a clear error before training', () => {
  const x = ts.ones([4, 1]);
  afterAll(() => x.dispose());
  test.each([
    [{ initialEpoch: 'a' }, /expected initialEpoch to be an integer >= 0, got 'a'/],
    [{ initialEpoch: 1.5 }, /expected initialEpoch to be an integer >= 0, got 1.5/],
    [{ initialEpoch: -(2 ** 31) }, /expected initialEpoch to be an integer >= 0/],
    [{ epochs: -1 }, /expected epochs to be an integer >= 0, got -1/],
    [{ epochs: 1.5 }, /expected epochs to be an integer >= 0, got 1.5/],
    [{ validationFreq: 0 }, /expected validationFreq to be a positive integer, got 0/],
    [{ shuffle: 'yes' }, /expected shuffle to be true or false, got 'yes'/],
    [{ classWeight: 'x' }, /expected classWeight \(class index -> weight\) to be an object, got 'x'/],
    [{ classWeight: { a: 1 } }, /expected classWeight's keys to be class indices \(integers >= 0\), got 'a'/],
    [{ classWeight: { 0: NaN } }, /expected classWeight\[0\] to be a finite number >= 0, got NaN/],
    [{ verbose: 7 }, /expected verbose to be 0 \(silent\), 1 \(a progress bar\), 2 \(one line per epoch\), 'auto' or true \/ false, got 7/],
    [{ stepsPerEpoch: 0 }, /expected stepsPerEpoch to be a positive integer, got 0/],
    [{ validationSteps: 1.5 }, /expected validationSteps to be a positive integer, got 1.5/],
    [{ validationBatchSize: 'x' }, /expected validationBatchSize to be a positive integer, got 'x'/],
    [{ validationSplit: -0.5 }, /recording_\d+\.fit: expected validationSplit in \(0, 1\), got -0.5/],
    [{ validationSplit: 'x' }, /expected validationSplit in \(0, 1\)/],
  ])('%j', async (args, message) => {
    const m = recording();
    await expect(m.fit(x, x, { ...(args as ts.FitArgs), verbose: (args as ts.FitArgs).verbose ?? 0 })).rejects.toThrow(message);
    expect(m.batches).toEqual([]);
    m.dispose();
  });

  test("TensorFlow.js's and Keras's other forms: verbose true / false, classWeight as an array, validationSplit null", async () => {
    const m = recording();
    const y = ts.tensor1d([0, 1, 1, 0], 'int32');
    await m.fit(x, x, { verbose: false, validationSplit: null as never });
    expect(m.batches.length).toBe(1);
    await expect(m.evaluate(x, x, { verbose: false })).resolves.toHaveProperty('loss');
    ts.dispose(m.predict(x, { verbose: false }) as ts.Tensor);
    const c = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [1] })] });
    c.compile({ optimizer: 'sgd', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    ts.setSeed(1);
    const asArray = (await c.fit(x, y, { verbose: 0, classWeight: [1, 5], shuffle: false })).history.loss[0];
    await expect(c.fit(x, y, { verbose: 0, classWeight: [1, NaN] })).rejects.toThrow(/expected classWeight\[1\] to be a finite number >= 0, got NaN/);
    expect(Number.isFinite(asArray)).toBe(true);
    ts.dispose([y]);
    c.dispose();
    m.dispose();
  });

  test('epochs 0, or initialEpoch at or past epochs, trains nothing and returns an empty History; onTrainBegin / onTrainEnd still run (Keras 3)', async () => {
    const m = recording();
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    for (const args of [{ epochs: 0 }, { epochs: 2, initialEpoch: 2 }, { epochs: 1, initialEpoch: 3 }]) {
      const events: string[] = [];
      const hooks = Object.fromEntries(
        ['onTrainBegin', 'onEpochBegin', 'onTrainBatchBegin', 'onEpochEnd', 'onTrainEnd'].map((k) => [k, () => void events.push(k)]),
      );
      const history = await m.fit(x, x, { ...args, verbose: 1, callbacks: hooks });
      expect(events).toEqual(['onTrainBegin', 'onTrainEnd']);
      expect(history.history).toEqual({});
      expect(history.epoch).toEqual([]);
      expect(history.params.epochs).toBe(args.epochs);
    }
    expect(m.batches).toEqual([]);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
    m.dispose();
  });

  test("'auto' verbose is Keras's default; initialEpoch past epochs trains nothing (as Keras)", async () => {
    const m = recording();
    await m.fit(x, x, { verbose: 0, epochs: 2, initialEpoch: 2 });
    expect(m.batches).toEqual([]);
    await expect(m.evaluate(x, x, { verbose: 'auto' })).resolves.toHaveProperty('loss');
    await expect(m.evaluate(x, x, { steps: 0 })).rejects.toThrow(/evaluate: expected steps to be a positive integer, got 0/);
    expect(() => m.predict(x, { verbose: 3 })).toThrow(/predict: expected verbose to be 0/);
    m.dispose();
  });
});

describe('iterables that run out', () => {
  test('a one-shot iterable used up: training stops with a warning and returns its History (as Keras 3 and TensorFlow.js)', async () => {
    const m = recording();
    const x = rowIds(4);
    const batches = [0, 2].map((b) => ({ xs: ts.slice(x, [b, 0], [2, 1]), ys: ts.slice(x, [b, 0], [2, 1]) }));
    const oneShot = batches[Symbol.iterator]();
    const history = await m.fit(oneShot as never, { epochs: 3, verbose: 0 });
    expect(history.epoch).toEqual([0]);
    expect(warn.mock.calls[0][0]).toMatch(/fit: the training data ran out at epoch 2 after 2 batches; training stops here/);
    ts.dispose(batches.flatMap((b) => [b.xs, b.ys]));
    x.dispose();
    m.dispose();
  });

  test("stopping a generator's Dataset early (stepsPerEpoch) lets the generator clean up at the end of fit", async () => {
    const m = recording();
    let closed = false;
    const ds = ts.data.fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield { xs: ts.tensor2d([[i]]), ys: ts.tensor2d([[i]]) };
      } finally {
        closed = true;
      }
    });
    await m.fit(ds, { epochs: 2, stepsPerEpoch: 3, verbose: 0 });
    expect(m.batches).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(closed).toBe(true);
    m.dispose();
  });
});
