// Options objects of the public API (issue 15 items 2 and 3): unknown keys are errors with
// the closest valid key, snake_case spellings are accepted, TF.js's positional signatures
// are read (never ignored), null options are none, and the generated key table is current.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import * as ts from '../src';
import { layers, type Tensor } from '../src';

const { Layer } = layers;
import { OPTION_KEYS } from '../src/options/option_keys';
import { layerFromDisk } from '../src/saving/model_config';
import { gradcheck } from './helpers/gradcheck';

const anyTs = ts as unknown as Record<string, Record<string, unknown>>;

// A misspelling of `key` one transposition away: 'decaySteps' -> 'deacySteps'.
const typo = (key: string) => (key.length >= 3 ? key.slice(0, 1) + key[2] + key[1] + key.slice(3) : `${key}x`);
// The key of an entry whose misspelling is unambiguous (long enough, and no other key as close).
const typoKey = (keys: readonly string[]) => keys.find((k) => k.length >= 5 && k[1] !== k[2]) ?? keys[0];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the generated option table', () => {
  it('is current with the option types (npm run gen:options)', () => {
    const root = join(__dirname, '..');
    expect(() => execFileSync(process.execPath, [join(root, 'scripts', 'gen-option-keys.mjs'), '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('covers layers, training, schedules, callbacks, losses, metrics, initializers, regularizers, constraints, data and ops', () => {
    for (const entry of [
      'layers.Dense',
      'layers.lstm',
      'Model.fit',
      'Model.evaluate',
      'Model.predict',
      'Model.compile',
      'schedules.ExponentialDecay',
      'callbacks.EarlyStopping',
      'losses.Huber',
      'metrics.AUC',
      'initializers.VarianceScaling',
      'regularizers.L1L2',
      'constraints.MaxNorm',
      'data.fromCsv',
      'GradientTape',
      'conv2d',
      'maxPool2d',
      'optimizers.Adam',
      'Layer.addWeight',
      'sequential',
    ])
      expect(OPTION_KEYS[entry]?.length).toBeGreaterThan(0);
  });
});

describe('unknown options are errors naming the owner, the key and the closest valid key', () => {
  it("dense({units: 4, activaton: 'relu'})", () => {
    expect(() => layers.dense({ units: 4, activaton: 'relu' } as never)).toThrow("Dense: unknown option 'activaton'; did you mean 'activation'?");
  });

  // Every layer factory, through the table: the check is the constructor's first statement.
  // inputLayer and input take input()'s options, not a layer's (checked below).
  const factories = Object.keys(OPTION_KEYS).filter(
    (e) =>
      e.startsWith('layers.') &&
      /^[a-z]/.test(e.slice(7)) &&
      typeof anyTs.layers[e.slice(7)] === 'function' &&
      e !== 'layers.inputLayer' &&
      e !== 'layers.input' &&
      // Keras's layers.deserialize takes {customObjects}, not a layer's options.
      e !== 'layers.deserialize',
  );
  it('layers.inputLayer', () => {
    expect(() => layers.inputLayer({ inputShap: [2] } as never)).toThrow("InputLayer: unknown option 'inputShap'; did you mean 'inputShape'?");
  });
  // Keras's ActivityRegularization (it makes its own) and Pipeline ({layers, name}) take no activityRegularizer.
  const without = new Set(['layers.activityRegularization', 'layers.pipeline']);
  it.each(factories)('%s', (entry) => {
    const key = without.has(entry) ? typoKey(OPTION_KEYS[entry]) : 'activityRegularizer';
    expect(OPTION_KEYS[entry]).toContain(key);
    if (without.has(entry)) expect(OPTION_KEYS[entry]).not.toContain('activityRegularizer');
    const factory = anyTs.layers[entry.slice(7)] as (args: object) => unknown;
    expect(() => factory({ [typo(key)]: 'l2' })).toThrow(new RegExp(`^\\w+: unknown option '${typo(key)}'; did you mean '${key}'\\?$`));
  });

  // Every class of the other namespaces that takes an options object first.
  const skip = new Set(['losses.Loss', 'losses.LossFunctionWrapper', 'metrics.MeanMetricWrapper', 'optimizers.Optimizer']);
  const classes = Object.keys(OPTION_KEYS).filter((e) => {
    const [ns, name] = e.split('.');
    return (
      ['schedules', 'callbacks', 'initializers', 'regularizers', 'constraints', 'metrics', 'losses', 'optimizers'].includes(ns) &&
      /^[A-Z]/.test(name) &&
      !skip.has(e)
    );
  });
  it.each(classes)('new %s', (entry) => {
    const [ns, name] = entry.split('.');
    const cls = anyTs[ns][name] as new (options: object) => unknown;
    const key = typoKey(OPTION_KEYS[entry]);
    expect(() => new cls({ [typo(key)]: 1 })).toThrow(new RegExp(`${escape(name)}: unknown option '${escape(typo(key))}'; did you mean '${key}'\\?`));
  });

  it('fit / evaluate / predict / compile / trainOnBatch, GradientTape, ops and data', async () => {
    const model = ts.sequential([layers.dense({ units: 1, inputShape: [2] })]);
    expect(() => model.compile({ optimizer: 'sgd', loss: 'mse', metrix: ['mae'] } as never)).toThrow(
      /compile: unknown option 'metrix'; did you mean 'metrics'\?/,
    );
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = ts.ones([4, 2]);
    const y = ts.ones([4, 1]);
    await expect(model.fit(x, y, { epoch: 2 } as never)).rejects.toThrow(/fit: unknown option 'epoch'; did you mean 'epochs'\?/);
    await expect(model.evaluate(x, y, { batchSise: 2 } as never)).rejects.toThrow(/evaluate: unknown option 'batchSise'; did you mean 'batchSize'\?/);
    await expect(Promise.resolve().then(() => model.predict(x, { verbsoe: 0 } as never))).rejects.toThrow(
      /predict: unknown option 'verbsoe'; did you mean 'verbose'\?/,
    );
    expect(() => model.trainOnBatch(x, y, { sampleWieght: x } as never)).toThrow(/trainOnBatch: unknown option 'sampleWieght'; did you mean 'sampleWeight'\?/);
    expect(() => new ts.GradientTape({ persistant: true } as never)).toThrow(/GradientTape: unknown option 'persistant'; did you mean 'persistent'\?/);
    expect(() => ts.conv2d(ts.ones([1, 4, 4, 1]), ts.ones([3, 3, 1, 1]), { stride: 2 } as never)).toThrow(
      /conv2d: unknown option 'stride'; did you mean 'strides'\?/,
    );
    expect(() => ts.batchNormInference(ts.ones([2, 3]), ts.ones([3]), ts.zeros([3]), ts.zeros([3]), ts.ones([3]), { epsilom: 1 } as never)).toThrow(
      /batchNormInference: unknown option 'epsilom'; did you mean 'epsilon'\?/,
    );
    expect(() => ts.data.fromCsv('x.csv', { hasHeaders: true } as never)).toThrow(/fromCsv: unknown option 'hasHeaders'; did you mean 'hasHeader'\?/);
    expect(() => ts.data.fromCsv('x.csv', { columnConfigs: { price: { is_label: true, dtyp: 'int32' } } } as never)).toThrow(
      /fromCsv: column 'price': unknown option 'dtyp'; did you mean 'dtype'\?/,
    );
    expect(() => layers.dense({ units: 1 }).apply(ts.ones([1, 2]), { trainig: true } as never)).toThrow(
      /dense(_\d+)?.apply: unknown option 'trainig'; did you mean 'training'\?/,
    );
    expect(() => layers.lstm({ units: 1 }).apply(ts.ones([1, 2, 2]), { initalState: [] } as never)).toThrow(
      /apply: unknown option 'initalState'; did you mean 'initialState'\?/,
    );
    expect(() => ts.losses.huber(ts.ones([2, 1]), ts.ones([2, 1]), { delt: 2 } as never)).toThrow(/huber: unknown option 'delt'; did you mean 'delta'\?/);
    expect(() => ts.metrics.binaryAccuracy(ts.ones([2, 1]), ts.ones([2, 1]), { treshold: 0.3 } as never)).toThrow(
      /binaryAccuracy: unknown option 'treshold'; did you mean 'threshold'\?/,
    );
    model.dispose();
  });

  it('models: new Model, sequential, model()', () => {
    expect(() => new ts.Model({ nmae: 'm' } as never)).toThrow(/Model: unknown option 'nmae'; did you mean 'name'\?/);
    expect(() => ts.sequential({ layer: [] } as never)).toThrow(/Sequential: unknown option 'layer'; did you mean 'layers'\?/);
    const x = ts.input({ shape: [2] });
    expect(() => ts.model({ inputs: x, outputs: layers.dense({ units: 1 }).apply(x), trainabel: false } as never)).toThrow(
      /Functional: unknown option 'trainabel'; did you mean 'trainable'\?/,
    );
  });

  it('lists the valid options when no key is close', () => {
    expect(() => layers.dropout({ rate: 0.5, zzzzzzzz: 1 } as never)).toThrow(/Dropout: unknown option 'zzzzzzzz'; valid options are: .*noiseShape.*rate/);
  });
});

describe('snake_case (Keras) spellings are accepted', () => {
  it('use_bias, kernel_initializer and input_shape build the layer they say', () => {
    const model = ts.sequential([layers.dense({ units: 2, input_shape: [3], use_bias: false, kernel_initializer: 'ones' } as never)]);
    expect(model.countParams()).toBe(6);
    const dense = model.layers[0] as ts.layers.Dense;
    expect(dense.useBias).toBe(false);
    expect(Array.from(dense.kernel!.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    model.dispose();
  });

  it('lstm({return_sequences: true}) returns sequences', () => {
    const lstm = layers.lstm({ units: 3, return_sequences: true } as never);
    const y = lstm.apply(ts.ones([2, 5, 4])) as unknown as Tensor;
    expect(y.shape).toEqual([2, 5, 3]);
    lstm.dispose();
  });

  it('fit({batch_size, validation_split}) does both', async () => {
    const model = ts.sequential([layers.dense({ units: 1, inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    let batches = 0;
    const counter = new ts.callbacks.LambdaCallback({ onTrainBatchEnd: () => void batches++ });
    const history = await model.fit(ts.ones([10, 2]), ts.ones([10, 1]), {
      batch_size: 3,
      validation_split: 0.2,
      epochs: 1,
      verbose: 0,
      callbacks: [counter],
    } as never);
    expect(batches).toBe(3); // 8 training samples in batches of 3
    expect(history.history.val_loss).toHaveLength(1);
    model.dispose();
  });

  it('schedules, optimizers, callbacks, losses and initializers', () => {
    const s = ts.schedules.exponentialDecay({ initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } as never);
    expect(s.call(10)).toBeCloseTo(0.05);
    expect(new ts.optimizers.Adam({ learning_rate: 0.01, beta_1: 0.8, global_clipnorm: 1 } as never).hyper.beta1).toBe(0.8);
    expect(new ts.losses.BinaryCrossentropy({ from_logits: true } as never).getConfig().fromLogits).toBe(true);
    expect(new ts.callbacks.EarlyStopping({ restore_best_weights: true, min_delta: 0.1 } as never)).toBeDefined();
    expect(new ts.initializers.VarianceScaling({ scale: 2, mode: 'fanIn' }).getConfig().scale).toBe(2);
  });

  it('two spellings of one option that disagree are an error', () => {
    expect(() => layers.dense({ units: 2, useBias: true, use_bias: false } as never)).toThrow(
      /Dense: options 'useBias' and 'use_bias' disagree \(true \(a boolean\) and false \(a boolean\)\)/,
    );
    expect(layers.dense({ units: 2, useBias: false, use_bias: false } as never).useBias).toBe(false);
    expect(layers.dense({ units: 2, inputShape: [3], input_shape: [3] } as never).batchInputShape).toEqual([null, 3]);
  });
});

describe("users' subclasses keep working", () => {
  it('a Layer subclass passing its own keys (and snake_case base keys) to super', () => {
    class Scale extends Layer {
      readonly factor: number;
      constructor(args: { factor: number; input_shape?: number[] }) {
        super(args as never);
        this.factor = args.factor;
      }
    }
    const layer = new Scale({ factor: 2, input_shape: [3] });
    expect(layer.batchInputShape).toEqual([null, 3]);
  });

  it('a Dense subclass adding a key of its own', () => {
    class Tagged extends layers.Dense {
      constructor(args: ts.layers.DenseArgs & { tag: string }) {
        super(args);
      }
    }
    expect(new Tagged({ units: 2, tag: 'x', use_bias: false } as never).useBias).toBe(false);
  });
});

describe('null options are no options; other non-objects are errors', () => {
  const x = ts.ones([1, 4, 4, 2]);
  it.each([
    ['conv2d', () => ts.conv2d(x, ts.ones([3, 3, 2, 1]), null)],
    ['conv1d', () => ts.conv1d(ts.ones([1, 4, 2]), ts.ones([3, 2, 1]), null)],
    ['conv2dTranspose', () => ts.conv2dTranspose(x, ts.ones([3, 3, 1, 2]), null)],
    ['depthwiseConv2d', () => ts.depthwiseConv2d(x, ts.ones([3, 3, 2, 1]), null)],
    ['separableConv2d', () => ts.separableConv2d(x, ts.ones([3, 3, 2, 1]), ts.ones([1, 1, 2, 1]), null)],
    ['maxPool2d', () => ts.maxPool2d(x, 2, null)],
    ['avgPool2d', () => ts.avgPool2d(x, 2, null)],
    ['maxPool1d', () => ts.maxPool1d(ts.ones([1, 4, 2]), 2, null)],
    ['avgPool1d', () => ts.avgPool1d(ts.ones([1, 4, 2]), 2, null)],
    ['batchNormInference', () => ts.batchNormInference(x, ts.ones([2]), ts.zeros([2]), ts.zeros([2]), ts.ones([2]), null)],
    ['dense', () => layers.flatten(null as never)],
  ])('%s', (_, run) => {
    expect(() => run()).not.toThrow();
  });

  it('refuses a string or a number where options belong', () => {
    expect(() => ts.batchNormInference(x, ts.ones([2]), ts.zeros([2]), ts.zeros([2]), ts.ones([2]), 'same' as never)).toThrow(
      /batchNormInference: expected an options object, got 'same' \(a string\)/,
    );
    expect(() => layers.dense(5 as never)).toThrow(/Dense: expected an options object, got 5/);
    expect(() => ts.sequential({ layers: layers.dense({ units: 1 }) } as never)).toThrow(/expected layers to be a list of layers/);
  });

  it('refuses a Tensor where options belong (a fourth tensor to mha, whose Keras form takes query, value, key), naming the options that take tensors', () => {
    const q = ts.ones([1, 2, 4]);
    const mha = layers.multiHeadAttention({ numHeads: 1, keyDim: 2 });
    expect(() => (mha.apply as (...a: unknown[]) => unknown)(q, q, q, q)).toThrow(
      /multi_head_attention\w*.apply: expected an options object, got a Tensor \(shape \[1, 2, 4\]\); tensors go in by name: \{ attentionMask: \.\.\., key: \.\.\., keyMask: \.\.\., mask: \.\.\., queryMask: \.\.\., value: \.\.\., valueMask: \.\.\. \}/,
    );
    const m = ts.sequential({ layers: [layers.dense({ units: 2, inputShape: [4] })] });
    expect(() => m.predict(ts.ones([2, 4]), ts.ones([2, 4]) as never)).toThrow(
      /predict: expected an options object, got a Tensor \(shape \[2, 4\]\); valid options are: batchSize/,
    );
    ts.dispose(q);
    m.dispose();
  });
});

describe("TensorFlow.js's positional signatures", () => {
  const x8 = ts.randomNormal([1, 8, 8, 2], 0, 1, 'float32', 1);
  const close = (a: Tensor, b: Tensor) => {
    expect(a.shape).toEqual(b.shape);
    const [u, v] = [a.dataSync(), b.dataSync()];
    u.forEach((value, i) => expect(value).toBeCloseTo(v[i], 5));
  };

  it('conv2d(x, filter, strides, pad) uses the strides and the padding', () => {
    const w = ts.randomNormal([3, 3, 2, 4], 0, 1, 'float32', 2);
    const y = ts.conv2d(x8, w, 2, 'valid');
    expect(y.shape).toEqual([1, 3, 3, 4]);
    close(y, ts.conv2d(x8, w, { strides: 2, padding: 'valid' }));
    close(ts.conv2d(x8, w, [1, 2], 'same', 'NHWC', 1), ts.conv2d(x8, w, { strides: [1, 2], padding: 'same' }));
    expect(() => ts.conv2d(x8, w, 1, 'same', 'NCHW' as never)).toThrow(
      /conv2d: only channels-last data \(dataFormat 'NHWC' \/ 'NWC' \/ 'NDHWC'\) is supported, got 'NCHW'/,
    );
    expect(() => (ts.conv2d as (...a: unknown[]) => Tensor)(x8, w, { strides: 1 }, 'same')).toThrow(
      /conv2d: expected either an options object or TensorFlow.js's positional arguments/,
    );
    expect(() => (ts.conv2d as (...a: unknown[]) => Tensor)(x8, w, 1, 'same', 'NHWC', 1, 'round')).toThrow(
      /conv2d: dimRoundingMode 'round' takes a numeric or explicit pad/,
    );
  });

  it('conv1d, depthwiseConv2d, separableConv2d, conv2dTranspose', () => {
    const s = ts.randomNormal([1, 9, 2], 0, 1, 'float32', 3);
    const w1 = ts.randomNormal([3, 2, 3], 0, 1, 'float32', 4);
    close(ts.conv1d(s, w1, 2, 'same'), ts.conv1d(s, w1, { stride: 2, padding: 'same' }));
    expect(ts.conv1d(s, w1, 2, 'same').shape).toEqual([1, 5, 3]);
    const dw = ts.randomNormal([3, 3, 2, 2], 0, 1, 'float32', 5);
    close(ts.depthwiseConv2d(x8, dw, 2, 'same'), ts.depthwiseConv2d(x8, dw, { strides: 2, padding: 'same' }));
    const pw = ts.randomNormal([1, 1, 4, 3], 0, 1, 'float32', 6);
    close(ts.separableConv2d(x8, dw, pw, 2, 'valid'), ts.separableConv2d(x8, dw, pw, { strides: 2, padding: 'valid' }));
    const wt = ts.randomNormal([3, 3, 5, 2], 0, 1, 'float32', 7);
    const up = ts.conv2dTranspose(x8, wt, [1, 16, 16, 5], 2, 'same');
    expect(up.shape).toEqual([1, 16, 16, 5]);
    close(up, ts.conv2dTranspose(x8, wt, { strides: 2, padding: 'same' }));
  });

  it('maxPool / avgPool (x, filterSize, strides, pad)', () => {
    expect(ts.maxPool(x8, 2, 1, 'valid').shape).toEqual([1, 7, 7, 2]); // strides 1, not the pool size
    close(ts.maxPool2d(x8, 3, 2, 'same'), ts.maxPool2d(x8, 3, { strides: 2, padding: 'same' }));
    close(ts.avgPool(x8, 3, 1, 'same'), ts.avgPool2d(x8, 3, { strides: 1, padding: 'same' }));
    expect(ts.maxPool1d(ts.ones([1, 6, 2]), 2, 1, 'valid').shape).toEqual([1, 5, 2]);
  });
});

describe('sequential, addN, randomUniform int32, addWeight, squeeze', () => {
  it('sequential takes a list of layers (Keras) or {layers} (TF.js)', () => {
    for (const model of [
      ts.sequential([layers.dense({ units: 2, inputShape: [3] }), layers.dense({ units: 1 })]),
      ts.sequential({ layers: [layers.dense({ units: 2, inputShape: [3] })] }),
    ]) {
      expect(model.layers.length).toBeGreaterThan(0);
      expect(model.countParams()).toBeGreaterThan(0);
      model.dispose();
    }
    expect(new ts.Sequential([layers.dense({ units: 1, inputShape: [2] })]).countParams()).toBe(3);
  });

  it('addN sums same-shape tensors, with gradients', () => {
    const [a, b, c] = [ts.tensor([1, 2]), ts.tensor([10, 20]), ts.tensor([100, 200])];
    expect(Array.from(ts.addN([a, b, c]).dataSync())).toEqual([111, 222]);
    expect(Array.from(ts.addN([a]).dataSync())).toEqual([1, 2]);
    const r = (seed: number) => ts.randomNormal([2, 3], 0, 1, 'float64', seed);
    gradcheck((p, q, s) => ts.sum(ts.mul(ts.addN([p, q, s]), ts.addN([p, p]))), [r(1), r(2), r(3)]);
    expect(() => ts.addN([a, ts.tensor([1, 2, 3])])).toThrow(/addN: tensors\[1\] has shape \[3\], expected \[2\] like tensors\[0\]/);
    expect(() => ts.addN([a, ts.tensor([1, 2], undefined, 'int32')])).toThrow(/addN: tensors\[1\] has dtype int32, expected float32/);
    expect(() => ts.addN([])).toThrow(/addN: expected a non-empty array of tensors/);
    // A hole is refused as an explicit undefined is, not skipped.
    // eslint-disable-next-line no-sparse-arrays -- the hole is what is tested
    expect(() => ts.addN([a, , c] as never)).toThrow(/^addN: expected argument 'tensors\[1\]' to be a Tensor, number, boolean or array, got undefined/);
  });

  it('randomUniform(shape, 0, 10, int32): uniform integers in [0, 10)', () => {
    const t = ts.randomUniform([2000], 0, 10, 'int32', 42);
    expect(t.dtype).toBe('int32');
    const values = Array.from(t.dataSync());
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
    expect(new Set(values).size).toBe(10);
    const counts = new Array(10).fill(0);
    for (const v of values) counts[v]++;
    expect(Math.min(...counts)).toBeGreaterThan(140); // expected 200 each
    expect(Array.from(ts.randomUniform([50], 0, 10, 'int32', 42).dataSync())).toEqual(values.slice(0, 50));
    expect(Array.from(ts.randomUniform([100], -3, -1, 'int32', 1).dataSync()).every((v) => v === -3 || v === -2)).toBe(true);
    expect(() => ts.randomUniform([2], 5, 5, 'int32')).toThrow(/randomUniform: expected int32 bounds with minval < maxval/);
  });

  it("addWeight takes Keras 3's options object as well as the positional form", () => {
    class TwoWeights extends Layer {
      override build() {
        this.addWeight({ shape: [2], initializer: 'ones', name: 'scale' });
        this.addWeight({ shape: [3], initializer: 'zeros', trainable: false });
        this.addWeight('positional', [1], 'float32', 'ones');
      }
      override call(x: Tensor) {
        return x;
      }
    }
    const layer = new TwoWeights();
    layer.apply(ts.ones([1, 2]));
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[2], [1]]);
    expect(layer.nonTrainableWeights.map((w) => w.shape)).toEqual([[3]]);
    expect(layer.ownWeights().map((w) => w.name)).toEqual(['scale', 'positional', 'variable']);
    expect(Array.from(layer.trainableWeights[0].dataSync())).toEqual([1, 1]);
    expect(() => layer.addWeight({ shape: [1], initialiser: 'ones' } as never)).toThrow(
      /addWeight: unknown option 'initialiser'; did you mean 'initializer'\?/,
    );
    expect(() => layer.addWeight('w', [1], 'float32', 'ones', null, 'yes' as never)).toThrow(
      /addWeight\('w'\): expected trainable to be true or false, got 'yes'/,
    );
    layer.dispose();
  });

  it('squeeze takes one axis as a number', () => {
    expect(ts.squeeze(ts.ones([1, 3, 1]), 0).shape).toEqual([3, 1]);
    expect(ts.squeeze(ts.ones([1, 3, 1]), [0, 2]).shape).toEqual([3]);
    expect(() => ts.squeeze(ts.ones([1, 3]), 'a' as never)).toThrow(/squeeze: expected axes to be an axis or a list of axes, got 'a' \(a string\)/);
  });
});

describe('errors quote strings where numbers belong', () => {
  it("units: '64'", () => {
    expect(() => layers.dense({ units: '64' } as never)).toThrow("expected units to be a positive integer, got '64' (a string)");
    expect(() => ts.schedules.exponentialDecay({ initialLearningRate: 0.1, decaySteps: '10', decayRate: 0.5 } as never)).toThrow(
      /expected decaySteps > 0, got '10' \(a string\)/,
    );
  });
});

describe('options from files', () => {
  const bn = (extra: object) => ({ class_name: 'BatchNormalization', config: { name: 'bn', axis: -1, momentum: 0.99, epsilon: 0.001, ...extra } });
  it("drops Keras's options at their neutral values and refuses them otherwise", () => {
    expect(layerFromDisk(bn({ synchronized: false }), 'keras', 'model.keras').config.synchronized).toBeUndefined();
    expect(() => layerFromDisk(bn({ synchronized: true }), 'keras', 'model.keras')).toThrow(
      /model.keras: layer BatchNormalization 'bn' sets synchronized = true \(a boolean\), which Tessera does not support/,
    );
    const flatten = (dataFormat: string) => ({ class_name: 'Flatten', config: { name: 'f', data_format: dataFormat } });
    expect(ts.layers.deserializeLayer(layerFromDisk(flatten('channels_last'), 'keras', 'model.keras'))).toBeInstanceOf(ts.layers.Flatten);
    const first = ts.layers.deserializeLayer(layerFromDisk(flatten('channels_first'), 'keras', 'model.keras')) as ts.layers.Flatten;
    expect(first.dataFormat).toBe('channelsFirst');
    const embedding = { class_name: 'Embedding', config: { name: 'e', input_dim: 3, output_dim: 2, sparse: true } };
    expect(() => layerFromDisk(embedding, 'keras', 'model.keras')).toThrow(/sets sparse = true/);
    // An option Keras writes that Tessera has never heard of is named, not dropped.
    expect(() =>
      ts.layers.deserializeLayer(layerFromDisk({ class_name: 'Dense', config: { name: 'd', units: 2, lora_rnk: 4 } }, 'keras', 'model.keras')),
    ).toThrow(/Dense: unknown option 'loraRnk'/);
  });

  it("reads TensorFlow.js's leakyReLU alpha and embedding inputLength", () => {
    expect(layers.leakyReLU({ alpha: 0.1 }).negativeSlope).toBe(0.1);
    expect(() => layers.leakyReLU({ alpha: 0.1, negativeSlope: 0.2 })).toThrow(/alpha and negativeSlope are one option and disagree/);
    expect(layers.embedding({ inputDim: 5, outputDim: 2, inputLength: 7 }).batchInputShape).toEqual([null, 7]);
    expect(() => ts.input({ shape: [2], sparse: true })).toThrow(/input: sparse inputs are not supported/);
  });
});
