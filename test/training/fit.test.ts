import * as ts from '../../src';
import { layers, memory, tensor, type Tensor } from '../../src';
import { fromTensors } from '../../src/data';
import { LambdaCallback } from '../../src/callbacks';
import { randomData } from '../helpers/reference';

// Two Gaussian blobs: class = sign of x0 + x1.
function blobs(n: number, seed: number): { x: Tensor; y: Tensor; yOneHot: Tensor } {
  const data = randomData(2 * n, seed, -1, 1);
  const labels = Array.from({ length: n }, (_, i) => (data[2 * i] + data[2 * i + 1] > 0 ? 1 : 0));
  return { x: tensor(data, [n, 2]), y: tensor(labels, [n], 'int32'), yOneHot: ts.oneHot(tensor(labels, [n], 'int32'), 2) };
}

function classifier(units = 8): ts.Sequential {
  return ts.sequential({ layers: [layers.dense({ units, activation: 'relu', inputShape: [2] }), layers.dense({ units: 2 })] });
}

describe('compile / fit / evaluate / predict', () => {
  it('trains a classifier to high accuracy and reports Keras log names', async () => {
    ts.setSeed(1);
    const { x, y } = blobs(256, 1);
    const model = classifier();
    model.compile({
      optimizer: new ts.optimizers.Adam({ learningRate: 0.02 }),
      loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
      metrics: ['accuracy'],
    });
    const history = await model.fit(x, y, { epochs: 30, batchSize: 32, verbose: 0, validationSplit: 0.25 });
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.history.loss[29]).toBeLessThan(history.history.loss[0]);
    const result = await model.evaluate(x, y, { batchSize: 64 });
    expect(result.accuracy).toBeGreaterThan(0.9);
    const probs = model.predict(x, { batchSize: 100 });
    expect(probs.shape).toEqual([256, 2]);
  });

  it('keeps live tensors flat across 20 epochs', async () => {
    const { x, y } = blobs(64, 2);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, validationSplit: 0.25 });
    const before = memory();
    const rss = process.memoryUsage().rss;
    await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0, validationSplit: 0.25 });
    const after = memory();
    // Garbage of earlier tests that the GC reclaims meanwhile is not ours to count.
    const reclaimed = after.reclaimedByGC - before.reclaimedByGC;
    expect(after.numTensors + reclaimed).toBe(before.numTensors);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 << 20);
  });

  it('trains on a Dataset and yields to the event loop between batches', async () => {
    const { x, yOneHot } = blobs(128, 3);
    const model = classifier();
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const ds = fromTensors({ xs: x, ys: yOneHot }).shuffle(128, 1).batch(16);
    const history = await model.fit(ds, { epochs: 3, verbose: 0 });
    clearInterval(timer);
    expect(history.history.loss.length).toBe(3);
    expect(ticks).toBeGreaterThan(0);
    expect((await model.evaluate(ds)).loss).toBeGreaterThan(0);
  });

  it("releases a Dataset's batches after their step and leaves a user's own batches alive", async () => {
    const { x, yOneHot } = blobs(32, 4);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy' });
    const own = [0, 16].map((begin) => ({ xs: ts.slice(x, [begin, 0], [16, 2]), ys: ts.slice(yOneHot, [begin, 0], [16, 2]) }));
    await model.fit({ [Symbol.iterator]: () => own[Symbol.iterator]() }, { epochs: 2, verbose: 0 });
    expect(own.every((b) => !b.xs.isDisposed && !b.ys.isDisposed)).toBe(true);
    const made: Tensor[] = [];
    const ds = fromTensors({ xs: x, ys: yOneHot })
      .batch(16)
      .map((b) => {
        const { xs, ys } = b as { xs: Tensor; ys: Tensor };
        made.push(xs, ys);
        return b;
      });
    await model.fit(ds, { epochs: 1, verbose: 0 });
    expect(made.length).toBe(4);
    expect(made.every((t) => t.isDisposed)).toBe(true);
  });

  it('multi-output models weight their losses and log each', async () => {
    const inp = ts.input({ shape: [2] });
    const h = layers.dense({ units: 4, activation: 'relu' }).apply(inp);
    const a = layers.dense({ units: 1, name: 'a' }).apply(h);
    const b = layers.dense({ units: 1, name: 'b' }).apply(h);
    const model = ts.model({ inputs: inp, outputs: { a, b } });
    model.compile({ optimizer: 'sgd', loss: { a: 'mse', b: 'mae' }, lossWeights: { a: 1, b: 0.5 }, metrics: { a: ['mae'] } });
    const x = tensor(randomData(32, 4), [16, 2]);
    const ya = tensor(randomData(16, 5), [16, 1]);
    const yb = tensor(randomData(16, 6), [16, 1]);
    const logs = model.testOnBatch(x, { a: ya, b: yb });
    expect(Object.keys(logs).sort()).toEqual(['a_loss', 'a_mae', 'b_loss', 'loss']);
    expect(logs.loss).toBeCloseTo(logs.a_loss + 0.5 * logs.b_loss, 5);
    const history = await model.fit(x, [ya, yb], { epochs: 2, batchSize: 8, verbose: 0 });
    expect(history.history.a_loss.length).toBe(2);
  });

  it('sampleWeight and classWeight change the loss as Keras defines', () => {
    const model = ts.sequential({ layers: [layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'ones', biasInitializer: 'zeros' })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor([[1], [2]]);
    const y = tensor([[0], [0]]);
    // losses 1 and 4; sum_over_batch_size: (w1 * 1 + w2 * 4) / 2
    expect(model.testOnBatch(x, y).loss).toBeCloseTo(2.5);
    expect(model.testOnBatch(x, y, { sampleWeight: tensor([1, 0]) }).loss).toBeCloseTo(0.5);
    const clf = classifier(2);
    clf.compile({ optimizer: 'sgd', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const xs = tensor([
      [1, 1],
      [-1, -1],
    ]);
    const labels = tensor([0, 1], undefined, 'int32');
    const plain = clf.testOnBatch(xs, labels).loss;
    const before = clf.getWeights().map((w) => w.dataSync().slice());
    const weighted = clf.trainOnBatch(xs, labels, { classWeight: { 0: 2, 1: 0 } }).loss;
    expect(before.length).toBeGreaterThan(0);
    expect(weighted).not.toBeCloseTo(plain, 5);
  });

  it('callbacks see every hook and can stop training', async () => {
    const { x, y } = blobs(64, 7);
    const model = classifier();
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    const seen: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void seen.push('train'),
      onEpochEnd: (epoch: number) => {
        seen.push(`epoch${epoch}`);
        if (epoch === 1) model.stopTraining = true;
      },
    });
    const history = await model.fit(x, y, { epochs: 10, verbose: 0, callbacks: [cb] });
    expect(seen).toEqual(['train', 'epoch0', 'epoch1']);
    expect(history.epoch).toEqual([0, 1]);
  });

  it('a subclassed model with a custom trainStep still drives fit and callbacks', async () => {
    class Noisy extends ts.Model {
      dense = layers.dense({ units: 1 });
      steps = 0;
      override call(x: Tensor | Tensor[] | { [k: string]: Tensor }) {
        return this.dense.apply(x as Tensor);
      }
      override trainStep(batch: ts.Batch) {
        this.steps++;
        return super.trainStep(batch);
      }
    }
    const model = new Noisy();
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const x = tensor(randomData(40, 8), [20, 2]);
    const y = tensor(randomData(20, 9), [20, 1]);
    const history = await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0 });
    expect(model.steps).toBe(4);
    expect(Object.keys(history.history).sort()).toEqual(['loss', 'mae']);
  });

  it('explains bad input', async () => {
    const model = classifier();
    await expect(model.fit(tensor([[1, 2]]), tensor([1], undefined, 'int32'))).rejects.toThrow(/must be compiled first/);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' });
    await expect(
      model.fit(
        tensor([
          [1, 2],
          [3, 4],
        ]),
        tensor([1], undefined, 'int32'),
        { verbose: 0 },
      ),
    ).rejects.toThrow(/x has 2 samples but y has 1/);
    expect(() => model.compile({ optimizer: 'sgdd', loss: 'mse' })).toThrow(/sgdd/);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'msee' })).toThrow(/msee/);
    await expect(model.fit(tensor([[1, 2]]), tensor([1], undefined, 'int32'), { epochs: -1 })).rejects.toThrow(/epochs to be an integer >= 0, got -1/);
  });
});
