// Keras 3's guide "Customizing what happens in fit()", ported: a trainStep written from
// scratch (computeLoss, applyGradients, then model.metrics), and the lower-level variant
// with its own trackers listed by a `metrics` getter. fit must log the real loss and
// metric values, reset each epoch.
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { ProgbarLogger } from '../../src/callbacks';
import { randomData } from '../helpers/reference';

const SAMPLES = 96;
const BATCH = 32; // divides SAMPLES: every batch has the same size, so epoch means are plain means

function data(): { x: Tensor; y: Tensor } {
  return { x: tensor(randomData(SAMPLES * 4, 21, -1, 1), [SAMPLES, 4]), y: tensor(randomData(SAMPLES, 22, -1, 1), [SAMPLES, 1]) };
}

function graph(): { inputs: ts.SymbolicTensor; outputs: ts.SymbolicTensor } {
  ts.setSeed(5);
  const inputs = ts.input({ shape: [4] });
  return { inputs, outputs: layers.dense({ units: 1 }).apply(layers.dense({ units: 8, activation: 'tanh' }).apply(inputs)) };
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const scalarOf = (t: Tensor) => t.dataSync()[0];

/** The guide's first example: compiled loss and metrics, updated through model.metrics. */
class CustomModel extends ts.Functional<'single'> {
  /** What each batch's loss and MAE really were, per epoch, computed apart from the metrics. */
  readonly seen: { loss: number[]; mae: number[] }[] = [];

  override trainStep({ x, y }: ts.Batch): ts.StepLogs {
    const tape = new ts.GradientTape();
    const yPred = this.apply(x as Tensor, { training: true });
    const loss = this.computeLoss({ x, y: y!, yPred });
    const vars = this.trainableWeights;
    const grads = tape.gradient(loss, vars);
    this.optimizer!.applyGradients({ grads, vars });
    for (const m of this.metrics) {
      if (m.name === 'loss') m.updateState(loss);
      else m.updateState(y as Tensor, yPred);
    }
    this.seen.at(-1)!.loss.push(scalarOf(loss));
    this.seen.at(-1)!.mae.push(scalarOf(ts.mean(ts.abs(ts.sub(y as Tensor, yPred)))));
    return Object.fromEntries(this.metrics.map((m) => [m.name, m.result()]));
  }
}

describe("Keras 3's guide: a trainStep written from scratch", () => {
  it('model.metrics is the loss tracker, then the compiled metrics; fit logs what the step updated', async () => {
    const model = new CustomModel(graph());
    expect(model.metrics).toEqual([]); // before compile, as in Keras
    model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    expect(model.metrics.map((m) => m.name)).toEqual(['loss', 'mae']);
    expect(model.metricsNames).toEqual(['loss', 'mae']);
    expect(model.metrics[0]).toBeInstanceOf(ts.metrics.Mean);

    const { x, y } = data();
    const lines: string[] = [];
    const startEpoch = new ts.callbacks.LambdaCallback({ onEpochBegin: () => void model.seen.push({ loss: [], mae: [] }) });
    const history = await model.fit(x, y, {
      epochs: 3,
      batchSize: BATCH,
      verbose: 0,
      shuffle: false,
      callbacks: [startEpoch, new ProgbarLogger({ verbose: 2, write: (t) => lines.push(t) })],
    });

    expect(model.seen.map((e) => e.loss.length)).toEqual([3, 3, 3]);
    model.seen.forEach((epoch, e) => {
      // Each epoch's log is the mean of that epoch's batches only: fit reset the metrics.
      expect(history.history.loss[e]).toBeCloseTo(mean(epoch.loss), 5);
      expect(history.history.mae[e]).toBeCloseTo(mean(epoch.mae), 5);
      expect(history.history.loss[e]).toBeGreaterThan(0.05);
    });
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
    // What the progress line prints is the real loss, not 0.0000.
    expect(lines.join('')).toContain(`loss: ${history.history.loss[2].toFixed(4)}`);
  });

  it("resetMetrics() and each metric's resetState() clear the state; getMetricsResult reads it", () => {
    const model = new CustomModel(graph());
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae', 'accuracy'] });
    const { x, y } = data();
    model.seen.push({ loss: [], mae: [] });
    const logs = model.trainOnBatch(x, y);
    expect(Object.keys(logs)).toEqual(['loss', 'mae', 'accuracy']);
    expect(logs.loss).toBeCloseTo(model.seen[0].loss[0], 5);
    expect(model.getMetricsResult()).toEqual(logs);
    model.metrics[1].resetState();
    expect(model.getMetricsResult().mae).toBe(0);
    expect(model.getMetricsResult().loss).toBeCloseTo(logs.loss, 6);
    model.resetMetrics();
    expect(Object.values(model.getMetricsResult())).toEqual([0, 0, 0]);
  });

  it("lists each output's loss tracker and prefixed metrics for several outputs, from compile on", () => {
    const inputs = ts.input({ shape: [3] });
    const model = ts.model({
      inputs,
      outputs: { a: layers.dense({ units: 1, name: 'a' }).apply(inputs), b: layers.dense({ units: 2, name: 'b' }).apply(inputs) },
    });
    model.compile({ optimizer: 'sgd', loss: { a: 'mse', b: 'sparseCategoricalCrossentropy' }, metrics: { a: ['mae'], b: ['accuracy'] } });
    expect(model.metrics.map((m) => m.name)).toEqual(['loss', 'a_loss', 'b_loss', 'a_mae', 'b_accuracy']);
  });
});

// The guide's "going lower-level": no compiled loss; the step keeps its own trackers and
// lists them in `metrics`, so fit resets them at each epoch.
const lossTracker = new ts.metrics.Mean({ name: 'loss' });
const maeMetric = new ts.metrics.MeanAbsoluteError({ name: 'mae' });

class LowerLevelModel extends ts.Functional<'single'> {
  readonly seen: number[][] = [];

  override trainStep({ x, y }: ts.Batch): ts.StepLogs {
    const tape = new ts.GradientTape();
    const yPred = this.apply(x as Tensor, { training: true });
    const loss = ts.losses.meanSquaredError(y as Tensor, yPred); // one value per sample
    const vars = this.trainableWeights;
    const grads = tape.gradient(ts.mean(loss), vars);
    this.optimizer!.applyGradients({ grads, vars });
    lossTracker.updateState(loss);
    maeMetric.updateState(y as Tensor, yPred);
    this.seen.at(-1)!.push(scalarOf(ts.mean(loss)));
    return { loss: lossTracker.result(), mae: maeMetric.result() };
  }

  override get metrics(): ts.Metric[] {
    return [lossTracker, maeMetric];
  }
}

describe("Keras 3's guide: going lower-level (own trackers, compile without a loss)", () => {
  it('fit resets the metrics the model lists and logs what the step returned', async () => {
    const model = new LowerLevelModel(graph());
    model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.05 }) });
    const { x, y } = data();
    const startEpoch = new ts.callbacks.LambdaCallback({ onEpochBegin: () => void model.seen.push([]) });
    const history = await model.fit(x, y, { epochs: 3, batchSize: BATCH, verbose: 0, shuffle: false, callbacks: [startEpoch] });
    expect(Object.keys(history.history).sort()).toEqual(['loss', 'mae']);
    model.seen.forEach((batches, e) => expect(history.history.loss[e]).toBeCloseTo(mean(batches), 5));
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
  });

  it('the default step of a model compiled without a loss says what is missing', async () => {
    const model = ts.model(graph());
    model.compile({ optimizer: 'sgd' });
    const { x, y } = data();
    await expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow(/compiled without a loss; pass one to compile\(\{optimizer, loss\}\)/);
  });
});

describe("what a step returns becomes fit's logs", () => {
  class Returning extends ts.Functional<'single'> {
    result: unknown;
    override trainStep(batch: ts.Batch): ts.StepLogs {
      super.trainStep(batch);
      return this.result as ts.StepLogs;
    }
  }
  const make = (result: unknown) => {
    const model = new Returning(graph());
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    model.result = result;
    return model;
  };

  it("nothing: the model's metrics", async () => {
    const model = make(undefined);
    const { x, y } = data();
    const history = await model.fit(x, y, { verbose: 0, batchSize: BATCH });
    expect(history.history.loss[0]).toBeGreaterThan(0.05);
    expect(history.history.loss[0]).toBeCloseTo(model.getMetricsResult().loss, 6);
  });

  it('a non-scalar tensor or a non-object is an error naming it', async () => {
    const { x, y } = data();
    await expect(make({ loss: ts.ones([2]) }).fit(x, y, { verbose: 0 })).rejects.toThrow(/the step's log 'loss' is .*expected a number or a scalar tensor/);
    await expect(make(3).fit(x, y, { verbose: 0 })).rejects.toThrow(/the step returned .*expected its logs/);
  });
});

it("a trainStep written after Keras's guides unpacks its data in order: const [x, y] = data", async () => {
  const seen: string[] = [];
  class Unpacking extends ts.Sequential {
    override trainStep(data: ts.Batch) {
      const [x, y, sampleWeight] = data as unknown as [ts.Tensor, ts.Tensor, ts.Tensor | undefined];
      seen.push(`${x.shape} ${y.shape} ${sampleWeight === undefined ? 'none' : sampleWeight.shape}`);
      return super.trainStep({ x, y, sampleWeight });
    }
    override predictStep(data: ts.Batch) {
      const [x, ...rest] = data as unknown as ts.Tensor[];
      seen.push(`predict ${x.shape} ${rest.length}`);
      return super.predictStep(data);
    }
  }
  const m = new Unpacking({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const [x, y] = [ts.ones([4, 2]), ts.ones([4, 1])];
  await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0 });
  await m.fit(x, y, { batchSize: 4, epochs: 1, verbose: 0, sampleWeight: ts.ones([4]) });
  ts.dispose(m.predict(x));
  expect(seen).toEqual(['4,2 4,1 none', '4,2 4,1 4', 'predict 4,2 0']);
  ts.dispose([x, y]);
  m.dispose();
});
