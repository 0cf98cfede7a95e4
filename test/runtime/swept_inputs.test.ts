// What the bad-input sweep of the namespaces and of a model's methods
// (test/sweeps/namespace_baselines.ts, model_baselines.ts) found accepted silently or stuck
// on: each now refused with an error naming the function, or done as asked. The sweep
// checks that nothing crashes, hangs or throws an engine error; these check the values.
import * as ts from '../../src';

// Each element of a Dataset of single tensors (fromTensors of one tensor), by its first value.
const ids = async (d: ts.data.Dataset<unknown>): Promise<number[]> => {
  const out: number[] = [];
  for await (const t of d as AsyncIterable<ts.Tensor>) {
    out.push(t.dataSync()[0]);
    t.dispose();
  }
  return out;
};

describe('data', () => {
  const rows = () => ts.reshape(ts.range(0, 8, 1, 'float32'), [8, 1]);

  it('fromTensors(...).shuffle honours reshuffleEachIteration: false (the same order every pass)', async () => {
    const x = rows();
    const d = ts.data.fromTensors(x).shuffle(8, 3, false);
    const first = await ids(d);
    expect(await ids(d)).toEqual(first);
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // and reshuffles by default
    const again = ts.data.fromTensors(x).shuffle(8, 3);
    expect(await ids(again)).not.toEqual(await ids(again));
    x.dispose();
  });

  it.each([
    [
      'a string seed',
      (d: ts.data.Dataset<ts.Tensor>) => d.shuffle(4, 'abc' as never),
      /Dataset.shuffle: expected seed to be an integer, got 'abc' \(a string\)/,
    ],
    ['a seed of 1.5', (d: ts.data.Dataset<ts.Tensor>) => d.shuffle(4, 1.5), /Dataset.shuffle: expected seed to be an integer/],
    ['reshuffleEachIteration 1', (d: ts.data.Dataset<ts.Tensor>) => d.shuffle(4, 1, 1 as never), /expected reshuffleEachIteration to be a boolean/],
    [
      'bufferSize 0 (fromTensors ignored it)',
      (d: ts.data.Dataset<ts.Tensor>) => d.shuffle(0),
      /Dataset.shuffle: expected bufferSize to be an integer >= 1, got 0/,
    ],
    [
      'dropRemainder "yes"',
      (d: ts.data.Dataset<ts.Tensor>) => d.batch(2, { dropRemainder: 'yes' as never }),
      /Dataset.batch: expected dropRemainder to be a boolean/,
    ],
    ['map of a number', (d: ts.data.Dataset<ts.Tensor>) => d.map(3 as never), /Dataset.map: expected fn to be a function, got 3/],
    ['concatenate with an array', (d: ts.data.Dataset<ts.Tensor>) => d.concatenate([1] as never), /Dataset.concatenate: expected a Dataset, got \[1\]/],
  ])('%s is refused', (_, call, message) => {
    const x = rows();
    expect(() => call(ts.data.fromTensors(x) as ts.data.Dataset<ts.Tensor>)).toThrow(message);
    x.dispose();
  });

  it("shuffle takes a null seed (Keras's None) as no seed", async () => {
    expect(
      (
        await ts.data
          .fromArrays([1, 2, 3])
          .shuffle(3, null as never)
          .toArray()
      ).sort(),
    ).toEqual([1, 2, 3]);
    const x = rows();
    expect(await ids(ts.data.fromTensors(x).shuffle(8, null as never) as ts.data.Dataset<ts.Tensor>)).toHaveLength(8);
    x.dispose();
  });

  it('prefetch with a huge buffer reads no more elements than there are (it looped for ever)', async () => {
    expect(
      await ts.data
        .fromArrays([1, 2, 3])
        .prefetch(2 ** 31)
        .toArray(),
    ).toEqual([1, 2, 3]);
    expect(await ts.data.fromArrays([1, 2, 3, 4, 5]).prefetch(2).toArray()).toEqual([1, 2, 3, 4, 5]);
  });

  it('prefetch passes on an error from the data it reads', async () => {
    const failing = ts.data.fromGenerator(function* () {
      yield 1;
      throw new Error('the source broke');
    });
    await expect(failing.prefetch(4).toArray()).rejects.toThrow('the source broke');
  });

  it('readIdx refuses a number (it would read that file descriptor: 0 waits on stdin)', () => {
    expect(() => ts.data.readIdx(0 as never)).toThrow(/readIdx: expected the path to be a string, got 0/);
  });
});

describe('distribute and distribution in a world of one', () => {
  it('averageGradients checks its list as a real world does (it returned anything as given)', () => {
    expect(() => ts.distribute.averageGradients([ts.ones([2]), 'x' as never])).toThrow(/averageGradients: expected a Tensor or null at index 1, got 'x'/);
    expect(() => ts.distribute.averageGradients(ts.ones([2]) as never)).toThrow(/averageGradients: expected the gradients to be an array/);
    expect(() => ts.distribute.averageGradients([ts.ones([2])], -1)).toThrow(/expected bucketBytes to be a positive number, got -1/);
  });

  it('shardRange refuses what is not a row count (it returned NaN rows)', () => {
    expect(() => ts.distribution.shardRange('10' as never, true)).toThrow(/shardRange: expected rows to be an integer >= 0, got '10' \(a string\)/);
    expect(() => ts.distribution.shardRange(10, 'yes' as never)).toThrow(/expected dropRemainder to be a boolean/);
    expect(ts.distribution.shardRange(10, true)).toEqual({ start: 0, count: 10 });
  });
});

describe('optimizers', () => {
  it('the fused updates write only Variables (a plain tensor was changed in place under its owner)', () => {
    const t = ts.ones([3]);
    const attrs = { lr: 0.5, momentum: 0, nesterov: false, weightDecay: 0 };
    expect(() => ts.optimizers.sgdUpdate(t as never, ts.ones([3]), null, attrs)).toThrow(/sgdUpdate: expected the variable to be a Variable, got a Tensor/);
    expect(Array.from(t.dataSync())).toEqual([1, 1, 1]);
    expect(() => ts.optimizers.sgdUpdate(ts.variable(ts.ones([3])), ts.ones([3]), null, undefined as never)).toThrow(
      /sgdUpdate: expected the update's attributes/,
    );
  });

  it("Adam's second argument is its name, not TensorFlow.js's positional beta1", () => {
    expect(() => new ts.optimizers.Adam({ learningRate: 0.1 }, 0.9 as never)).toThrow(
      /Adam: expected one options object \(\{learningRate, \.\.\.\}\), got a second argument 0.9/,
    );
  });
});

describe('layers', () => {
  it.each([
    ['lstm', () => ts.layers.lstm({ units: 3, returnSequences: true })],
    ['gru', () => ts.layers.gru({ units: 3, returnSequences: true })],
    ['simpleRNN', () => ts.layers.simpleRNN({ units: 3, returnSequences: true })],
  ])('%s over a batch of no rows runs no steps, however many (2^31 of them took 20 s)', (_, make) => {
    const y = make().apply(ts.ones([0, 2 ** 31, 2])) as ts.Tensor;
    expect(y.shape).toEqual([0, 2 ** 31, 3]);
  });

  it("an LSTM's weight gradients over a batch of no rows are zeros", () => {
    const layer = ts.layers.lstm({ units: 2 });
    layer.apply(ts.ones([1, 3, 2]));
    const { grads } = ts.variableGrads(() => ts.sum(layer.apply(ts.ones([0, 3, 2])) as ts.Tensor), layer.trainableWeights);
    for (const g of Object.values(grads)) expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it.each([
    ['Conv', () => new (ts.layers.Conv as never as new (a: object) => unknown)({ filters: 2, kernelSize: 3 })],
    ['Pooling', () => new (ts.layers.Pooling as never as new (a: object) => unknown)({ poolSize: 2 })],
  ])('the abstract base %s says so (its message read "an array of undefined of them")', (name, make) => {
    expect(make).toThrow(new RegExp(`${name}: an abstract base class .* use `));
  });
});

describe('a model', () => {
  const make = () => {
    const m = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] })] });
    return m;
  };

  it("compile takes metrics: null (Keras's None) and one metric name (TensorFlow.js's habit)", async () => {
    const m = make();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: null as never });
    expect(m.metricsNames).toEqual(['loss']);
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: 'mae' as never });
    // Awaited: compile while an evaluate still runs is refused (test/hostile/mid_fit_mutation).
    await m.evaluate(ts.ones([2, 3]), ts.ones([2, 2]));
    expect(m.metricsNames).toEqual(['loss', 'mae']);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: 3 as never })).toThrow(/compile: expected metrics as a list.*got 3/);
  });

  it('evaluate and fit refuse targets that hold no tensor (they read as "no targets" and failed inside the step)', async () => {
    const m = make();
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    await expect(m.evaluate(ts.ones([2, 3]), 'y' as never)).rejects.toThrow(
      /evaluate: expected y to be a Tensor or nested arrays of numbers, or a non-empty list or object of them, got 'y' \(a string\)/,
    );
    await expect(m.fit(ts.ones([2, 3]), [null] as never, { verbose: 0 })).rejects.toThrow(
      /fit: expected y to be a Tensor or nested arrays of numbers, or a non-empty list or object of them, got \[null\]/,
    );
    await expect(m.fit(ts.ones([2, 3]), null as never, { verbose: 0 })).rejects.toThrow(/fit: the data has no targets/);
  });

  it('summary refuses a line it cannot build and a printFn that is no function', () => {
    const m = make();
    expect(() => m.summary(2 ** 31)).toThrow(/summary: expected lineLength to be an integer in \[1, 10000\], got 2147483648/);
    expect(() => m.summary(80, undefined, 'log' as never)).toThrow(/summary: expected printFn to be a function/);
  });
});

describe("callbacks' hooks called by hand (as a user testing a callback does)", () => {
  it('say which hook lacks a model, and check the logs', () => {
    const stop = new ts.callbacks.TerminateOnNaN();
    expect(() => stop.onTrainBatchEnd(0, { loss: NaN })).toThrow(
      /TerminateOnNaN.onTrainBatchEnd: no model attached \(fit attaches it; or call setModel first\)/,
    );
    expect(() => stop.onTrainBatchEnd(0, { loss: 'x' as never })).toThrow(
      /TerminateOnNaN.onTrainBatchEnd: expected logs of numbers, got 'x' \(a string\) for 'loss'/,
    );
    expect(() => new ts.callbacks.History().onEpochEnd(-1, {})).toThrow(/History.onEpochEnd: expected the epoch to be an integer >= 0, got -1/);
  });
});
