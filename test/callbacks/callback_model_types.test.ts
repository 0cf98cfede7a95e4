// What a callback's this.model and a multi-output model let a user write without a cast
// (keras.io's habits: self.model.predict in a callback, an encoder with several outputs).
// tsc checks the spellings (test/ is in tsconfig.json); the runs check the values.
import * as ts from '../../src';

const x = () => ts.tensor([0.5, -1, 2, 0.25, 1, -0.5, 0, 1.5], [4, 2]);
const y = () => ts.tensor([1, 0, -1, 0.5], [4, 1]);

/** A functional model with two outputs; its type comes from `outputs` alone. */
function twoHeads() {
  ts.setSeed(5);
  const inputs = ts.input({ shape: [2] });
  const hidden = ts.layers.dense({ units: 3, activation: 'tanh', name: 'hidden' }).apply(inputs);
  const first = ts.layers.dense({ units: 1, name: 'first' }).apply(hidden);
  const second = ts.layers.dense({ units: 2, name: 'second' }).apply(hidden);
  return ts.model({ inputs, outputs: [first, second] });
}

/** keras.io's text generator's shape: predict at each epoch's end on a list-output model. */
class PredictEachEpoch extends ts.callbacks.Callback<ts.Model<'list'>> {
  readonly firsts: number[][] = [];
  override onEpochEnd(): void {
    const input = x();
    const [first, second] = this.model!.predict(input, { verbose: 0 });
    this.firsts.push(Array.from(first.dataSync()));
    expect(second.shape).toEqual([4, 2]);
    ts.dispose([input, first, second]);
  }
}

/** The default: a single-output Model, with what Keras callbacks call on self.model. */
class InspectEachEpoch extends ts.callbacks.Callback {
  readonly predictions: number[][] = [];
  readonly losses: number[] = [];
  layerNames: string[] = [];
  learningRate: unknown;
  override async onEpochEnd(): Promise<void> {
    const model = this.model!;
    const input = x(),
      target = y();
    const out = model.predict(input, { verbose: 0 });
    this.predictions.push(Array.from(out.dataSync()));
    const logs = await model.evaluate(input, target, { verbose: 0 });
    this.losses.push(logs.loss);
    this.layerNames = model.layers.map((l) => l.name);
    expect(model.getLayer('out').name).toBe('out');
    this.learningRate = model.optimizer!.learningRate;
    model.setWeights(model.getWeights());
    ts.dispose([input, target, out]);
  }
}

describe("a callback's model, typed as Keras users write it", () => {
  it('a list-output model: ts.model({outputs: [a, b]}) predicts a list, in a callback too', async () => {
    const model = twoHeads();
    const input = x();
    const [first, second] = model.predict(input);
    // @ts-expect-error a list-output model's predict is not one tensor
    const notOne: ts.Tensor = model.predict(input);
    expect(Array.isArray(notOne)).toBe(true);
    ts.dispose([first, second, ...(notOne as unknown as ts.Tensor[])]);

    model.compile({ optimizer: ts.train.sgd(0.1), loss: ['mse', 'mse'] });
    const target = y();
    const target2 = ts.tensor([1, 0, 0, 1, 1, 1, 0, 0], [4, 2]);
    const generator = new PredictEachEpoch();
    await model.fit(input, [target, target2], { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, callbacks: [generator] });
    // The last epoch's prediction is the trained model's; the first one's differs (it trained since).
    const [after, after2] = model.predict(input);
    expect(generator.firsts).toHaveLength(2);
    expect(generator.firsts[1]).toEqual(Array.from(after.dataSync()));
    expect(generator.firsts[0]).not.toEqual(generator.firsts[1]);
    ts.dispose([input, target, target2, after, after2]);
    model.dispose();
  });

  it('a single-output model by default: predict, evaluate, layers, getLayer, optimizer, weights', async () => {
    ts.setSeed(6);
    const model = ts.sequential({
      layers: [ts.layers.dense({ units: 3, activation: 'relu', inputShape: [2], name: 'h' }), ts.layers.dense({ units: 1, name: 'out' })],
    });
    model.compile({ optimizer: ts.train.sgd(0.05), loss: 'mse' });
    const input = x(),
      target = y();
    const inspector = new InspectEachEpoch();
    await model.fit(input, target, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0, callbacks: [inspector] });
    const after = model.predict(input);
    const { loss } = await model.evaluate(input, target, { verbose: 0 });
    expect(inspector.predictions[1]).toEqual(Array.from(after.dataSync()));
    expect(inspector.losses[1]).toBeCloseTo(loss, 6);
    expect(inspector.losses[0]).not.toBeCloseTo(loss, 6);
    expect(inspector.layerNames).toEqual(['h', 'out']);
    expect(inspector.learningRate).toBeCloseTo(0.05, 7);
    ts.dispose([input, target, after]);
    model.dispose();
  });

  it("a subclassed model's own members, through the callback's type parameter", async () => {
    class Scaled extends ts.Model {
      inner = ts.layers.dense({ units: 1, name: 'inner' });
      override call(t: ts.Tensor): ts.Tensor {
        return ts.mul(2, this.inner.apply(t));
      }
    }
    class ReadsInner extends ts.callbacks.Callback<Scaled> {
      units: number[] = [];
      override onEpochEnd(): void {
        this.units.push(this.model!.inner.units);
      }
    }
    ts.setSeed(7);
    const model = new Scaled();
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const input = x(),
      target = y();
    const reader = new ReadsInner();
    await model.fit(input, target, { epochs: 1, verbose: 0, callbacks: reader });
    expect(reader.units).toEqual([1]);
    ts.dispose([input, target]);
    model.dispose();
  });
});

describe('a step that names what its batch holds', () => {
  it('trainStep(data: Batch<Tensor, Tensor>) reads data.x and data.y as tensors', async () => {
    class Halved extends ts.Sequential {
      seenShapes: number[][] = [];
      override trainStep(data: ts.Batch<ts.Tensor, ts.Tensor>): ts.StepLogs {
        this.seenShapes.push(data.x.shape, data.y!.shape);
        return super.trainStep(data);
      }
    }
    ts.setSeed(8);
    const model = new Halved({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const input = x(),
      target = y();
    await model.fit(input, target, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(model.seenShapes).toEqual([
      [4, 2],
      [4, 1],
    ]);
    ts.dispose([input, target]);
    model.dispose();
  });
});
