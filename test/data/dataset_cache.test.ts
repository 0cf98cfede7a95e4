// Dataset.cache() and data.AUTOTUNE, as Keras's tutorials use them:
// `ds.map(vectorize).cache().prefetch(AUTOTUNE)` fed to fit for several epochs.
import { data, layers, sequential, tensor, type Tensor } from '../../src';
import { liveTensors } from '../helpers/memory';

describe('Dataset.cache', () => {
  test('runs the upstream work once and replays the same elements', async () => {
    let calls = 0;
    const ds = data.fromArrays([1, 2, 3]).map((v) => {
      calls++;
      return v * 10;
    });
    const cached = ds.cache();
    expect(cached.size).toBe(3);
    expect(await cached.toArray()).toEqual([10, 20, 30]);
    expect(await cached.toArray()).toEqual([10, 20, 30]);
    expect(calls).toBe(3);
  });

  test('a pass cut short caches nothing, as tf.data discards a partial cache', async () => {
    let calls = 0;
    const cached = data
      .fromArrays([1, 2, 3])
      .map((v) => (calls++, v))
      .cache();
    expect(await cached.take(1).toArray()).toEqual([1]);
    expect(await cached.toArray()).toEqual([1, 2, 3]);
    expect(await cached.toArray()).toEqual([1, 2, 3]);
    expect(calls).toBe(4);
  });

  test('hands out copies: fit disposes its batches, and the next epoch still has them', async () => {
    const x = tensor([[0], [1], [2], [3]]);
    const y = tensor([[0], [2], [4], [6]]);
    let mapped = 0;
    const ds = data
      .fromTensors([x, y])
      .batch(2)
      .map((e) => (mapped++, e))
      .cache()
      .prefetch(data.AUTOTUNE);
    const model = sequential({ layers: [layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = liveTensors();
    const history = await model.fit(ds, { epochs: 3, verbose: 0 });
    expect(history.history.loss).toHaveLength(3);
    expect(mapped).toBe(2);
    // Each epoch saw both batches, with their values.
    const batches = (await ds.toArray()) as Tensor[][];
    expect(batches.map(([bx]) => bx.arraySync())).toEqual([
      [[0], [1]],
      [[2], [3]],
    ]);
    // What stays alive is the cache's one copy of the data (2 batches of x and y), not one per epoch.
    for (const b of batches) for (const t of b) t.dispose();
    expect(liveTensors() - before).toBeLessThanOrEqual(4 + 4);
  });

  test('bad arguments', () => {
    const ds = data.fromArrays([1]);
    expect(() => ds.cache('/tmp/file')).toThrow(/Dataset.cache: caching to a file is not supported, got filename '\/tmp\/file'/);
    expect(() => (ds.cache as (...a: unknown[]) => unknown)('', 1)).toThrow(/Dataset.cache/);
  });
});

describe('data.AUTOTUNE', () => {
  test('prefetch(AUTOTUNE) reads ahead, as tf.data.AUTOTUNE; other negatives are errors', async () => {
    expect(data.AUTOTUNE).toBe(-1);
    expect(await data.fromArrays([1, 2, 3]).prefetch(data.AUTOTUNE).toArray()).toEqual([1, 2, 3]);
    expect(() => data.fromArrays([1]).prefetch(-2)).toThrow(/Dataset.prefetch: expected bufferSize to be an integer >= 1, got -2/);
  });
});
