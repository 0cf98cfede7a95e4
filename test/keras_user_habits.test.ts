// What a Keras 3 user types in a first hour with Tessera (keras.io examples ported as a user
// would): each works as in Keras or is refused with the spelling to use, never dropped.
import * as ts from '../src';

describe('a custom layer ported from Keras', () => {
  // Keras's `def call(self, inputs, training=None)` ported as `call(inputs, training)`: the
  // second parameter is the options object, passed on as { training: <object> }.
  class Block extends ts.layers.Layer {
    drop = ts.layers.dropout({ rate: 0.5 });
    override call(x: ts.Tensor, training: unknown): ts.Tensor {
      return this.drop.apply(x, { training: training as boolean });
    }
  }

  it('refuses a training flag that is not a boolean, instead of dropping out in inference', () => {
    const x = ts.ones([2, 8]);
    expect(() => new Block().apply(x)).toThrow(
      /dropout(_\d+)?\.apply: expected training to be a boolean, got an object; a layer's call receives its options as one object, call\(inputs, \{ training, mask \}\)/,
    );
    const drop = ts.layers.dropout({ rate: 0.5 });
    expect(() => drop.apply(x, { training: 1 as never })).toThrow(/expected training to be a boolean, got 1/);
    expect(() => drop.apply(x, true as never)).toThrow(/the training flag goes by name: apply\(x, \{ training: true \}\)/);
    // The right spellings still work.
    expect(Array.from(drop.apply(x, { training: false }).dataSync())).toEqual(new Array(16).fill(1));
    expect(Array.from(drop.apply(x, {}).dataSync())).toEqual(new Array(16).fill(1));
    expect(Array.from(drop.apply(x, { training: true }).dataSync()).some((v) => v === 0)).toBe(true);
  });
});

describe("Keras's functional subclass, CustomModel(inputs, outputs)", () => {
  const graph = () => {
    const inputs = ts.input({ shape: [3] });
    return { inputs, outputs: ts.layers.dense({ units: 1 }).apply(inputs) };
  };

  it('is refused on a subclass of Model, which would drop the graph, naming Functional', () => {
    class CustomModel extends ts.Model {}
    expect(() => new CustomModel(graph() as never)).toThrow(
      /CustomModel: got \{inputs, outputs\} \(a graph of symbolic tensors\), but a subclass of Model or Layer computes in call\(\) and would drop them; .*'class CustomModel extends ts.Functional'/,
    );
  });

  it('works as a subclass of Functional with its own trainStep', async () => {
    class CustomModel extends ts.Functional {
      steps = 0;
      override trainStep(batch: ts.Batch) {
        this.steps++;
        return super.trainStep(batch);
      }
    }
    const model = new CustomModel(graph());
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await model.fit(ts.ones([4, 3]), ts.ones([4, 1]), { epochs: 1, batchSize: 2, verbose: 0 });
    expect(model.steps).toBe(2);
  });
});

describe("Keras 3's variable names", () => {
  it('layer.variables, trainableVariables and nonTrainableVariables are the weights', () => {
    const bn = ts.layers.batchNormalization();
    bn.build([null, 3]);
    expect(bn.variables).toEqual(bn.weights);
    expect(bn.trainableVariables.map((v) => v.name)).toEqual(bn.trainableWeights.map((v) => v.name));
    expect(bn.nonTrainableVariables.map((v) => v.name)).toEqual(bn.nonTrainableWeights.map((v) => v.name));
    expect(bn.trainableVariables).toHaveLength(2);
    expect(bn.nonTrainableVariables).toHaveLength(2);
  });

  it('optimizer.apply(grads, vars) is applyGradients', () => {
    const a = ts.variable(ts.tensor([1, 2, 3]));
    const b = ts.variable(ts.tensor([1, 2, 3]));
    const g = ts.tensor([0.5, -1, 2]);
    new ts.optimizers.Adam({ learningRate: 0.1 }).apply([g], [a]);
    new ts.optimizers.Adam({ learningRate: 0.1 }).applyGradients({ grads: [g], vars: [b] });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync())).not.toEqual([1, 2, 3]);
    expect(() => new ts.optimizers.SGD().apply([g], undefined as never)).toThrow(/sgd\.apply: expected vars to be an array of the Variables/);
    expect(() => new ts.optimizers.SGD().applyGradients({ grads: [g], vars: [null as never] })).toThrow(
      /sgd\.applyGradients: expected vars\[0\] to be a Variable, got null/,
    );
  });
});

describe('trainOnBatch and testOnBatch read as lists too', () => {
  it("destructure in order, as Keras's train_on_batch and evaluate", () => {
    const model = ts.sequential([ts.input({ shape: [2] }), ts.layers.dense({ units: 2, activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const x = ts.tensor([
      [1, 0],
      [0, 1],
    ]);
    const y = ts.tensor([0, 1], [2], 'int32');
    const tested = model.testOnBatch(x, y);
    const [loss, accuracy] = tested;
    expect([loss, accuracy]).toEqual([tested.loss, tested.accuracy]);
    const trained = model.trainOnBatch(x, y);
    expect([...trained]).toEqual([trained.loss, trained.accuracy]);
    expect(Object.keys(trained)).toEqual(['loss', 'accuracy']);
  });
});

describe("fit without targets, Keras's fit(x, epochs=2)", () => {
  it('says to write fit(x, null, options) rather than that y is no tensor', async () => {
    const model = ts.sequential([ts.input({ shape: [2] }), ts.layers.dense({ units: 2 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = ts.ones([4, 2]);
    await expect(model.fit(x, { epochs: 1, batch_size: 2 } as never)).rejects.toThrow(
      /fit: got fit's options \(\{ epochs, batch_size \}\) where y goes; without targets \(Keras's fit\(x, epochs=\.\.\.\)\) write fit\(x, null, \{ \.\.\. \}\)/,
    );
    await expect(model.evaluate(x, { verbose: 0 } as never)).rejects.toThrow(/evaluate: got evaluate's options \(\{ verbose \}\) where y goes/);
    // Targets given as an object by output name are still targets.
    await expect(model.fit(x, x, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
  });

  it('takes fit(x, null, options) as typed code: a trainStep that reads x only trains', async () => {
    // An autoencoder's step (the VAE pattern): its loss compares the output with x itself.
    class AutoEncoder extends ts.Model {
      dense = ts.layers.dense({ units: 3 });
      override call(x: ts.Tensor): ts.Tensor {
        return this.dense.apply(x);
      }
      override trainStep(batch: ts.Batch): ts.StepLogs {
        const x = batch.x as ts.Tensor;
        expect(batch.y).toBeUndefined();
        const tape = new ts.GradientTape();
        const loss = ts.mean(ts.square(ts.sub(this.apply(x), x)));
        this.optimizer!.apply(tape.gradient(loss, this.trainableWeights), this.trainableWeights);
        return { loss };
      }
    }
    ts.setSeed(1);
    const model = new AutoEncoder();
    model.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.1 }) });
    const x = ts.randomNormal([16, 3], 0, 1, 'float32', 2);
    const history = await model.fit(x, null, { epochs: 5, batchSize: 16, verbose: 0 });
    const losses = history.history.loss;
    expect(losses[4]).toBeLessThan(0.8 * losses[0]);
    ts.dispose([x]);
    model.dispose();
  });
});

describe('options that a Dataset would ignore', () => {
  it('are refused: batchSize and sampleWeight come from the batches', async () => {
    const model = ts.sequential([ts.input({ shape: [2] }), ts.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const ds = ts.data.fromTensors({ xs: ts.ones([8, 2]), ys: ts.ones([8, 1]) }).batch(4);
    await expect(model.fit(ds, { epochs: 1, batchSize: 2, verbose: 0 })).rejects.toThrow(
      /fit: batchSize \(2\) does not apply to a Dataset or an iterable of batches, which is batched already/,
    );
    await expect(model.evaluate(ds, { batchSize: 2 })).rejects.toThrow(/evaluate: batchSize \(2\) does not apply/);
    await expect(model.predict(ds, { batchSize: 2 })).rejects.toThrow(/predict: batchSize \(2\) does not apply/);
    await expect(model.fit(ds, { sampleWeight: ts.zeros([8]), verbose: 0 })).rejects.toThrow(/fit: when x is a Dataset .*, sampleWeight must not be given/);
    await expect(model.fit(ds, { epochs: 1, verbose: 0 })).resolves.toBeDefined();
  });
});

describe('a custom layer without getConfig, saved and loaded', () => {
  it('fails to load naming the class and what its getConfig lacks', () => {
    // keras.io's TokenAndPositionEmbedding: constructor arguments that Keras 3 records itself.
    class TokenAndPositionEmbedding extends ts.layers.Layer {
      tokenEmb: ts.layers.Layer;
      constructor(vocabSize: number, embedDim: number) {
        super();
        this.tokenEmb = ts.layers.embedding({ inputDim: vocabSize, outputDim: embedDim });
      }
      override call(x: ts.Tensor): ts.Tensor {
        return this.tokenEmb.apply(x) as ts.Tensor;
      }
    }
    const config = ts.layers.serializeLayer(new TokenAndPositionEmbedding(10, 4));
    ts.layers.registerLayer(TokenAndPositionEmbedding as never);
    expect(() => ts.layers.deserializeLayer(config)).toThrow(
      /TokenAndPositionEmbedding\.fromConfig: rebuilding from its config \{ name, trainable, dtype \} failed \(embedding(_\d+)?: expected inputDim to be a positive integer, got an object\); TokenAndPositionEmbedding does not override getConfig/,
    );
  });
});

describe('names from Keras that are spelled otherwise here', () => {
  it('say the spelling to use', async () => {
    expect(() => new ts.optimizers.Adam({ lr: 0.01 } as never)).toThrow(/Adam: unknown option 'lr'; did you mean 'learningRate'\? \(Keras 2's lr\)/);
    expect(() => new ts.optimizers.SGD({ decay: 1e-6 } as never)).toThrow(/Keras 2's decay is a schedule here: learningRate: ts.schedules.inverseTimeDecay/);
    const model = ts.sequential([ts.input({ shape: [2] }), ts.layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(model.fit(ts.ones([2, 2]), ts.ones([2, 1]), { nb_epoch: 2 } as never)).rejects.toThrow(/unknown option 'nb_epoch'; did you mean 'epochs'\?/);
    expect(() => ts.input({ shape: [3], dtype: 'int64' as never })).toThrow(/got 'int64' \(a string\); write int32/);
    expect(() => ts.input([28] as never)).toThrow(/InputLayer: expected an options object, got .*written with named options here: \{ shape: \[28\], \.\.\. \}/);
    expect(() => ts.regularizers.l2(0.01 as never)).toThrow(/L2: expected an options object, got 0.01.*\{ l2: 0.01 \}/);
    expect(() => new ts.regularizers.L1L2(0.01 as never)).toThrow(/L1L2: .*\{ l1: 0.01 \}/);
  });

  it('layers.input is input (keras.layers.Input)', () => {
    const x = ts.layers.input({ shape: [4] });
    expect(x.shape).toEqual([null, 4]);
  });
});
