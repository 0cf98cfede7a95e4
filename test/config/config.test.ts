// ts.config / ts.backend's global settings: floatx, epsilon, imageDataFormat and fit's
// debugging caps. References: Keras 3.15's keras.config docstrings and a JAX-backend run
// under set_epsilon(1e-3) (scripts/fixtures/make_config_epsilon_fixtures.py ->
// test/fixtures/config/epsilon.json). Every setter is restored after each test.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from '../../src';

const { config } = ts;
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/config/epsilon.json'), 'utf8'));

afterEach(() => {
  config.setFloatx('float32');
  config.setEpsilon(1e-7);
  config.setImageDataFormat('channelsLast');
  config.setMaxEpochs(null);
  config.setMaxStepsPerEpoch(null);
  jest.restoreAllMocks();
});

describe('defaults and ts.backend', () => {
  test('Keras 3 defaults', () => {
    expect(config.floatx()).toBe('float32');
    expect(config.epsilon()).toBe(1e-7);
    expect(config.imageDataFormat()).toBe('channelsLast');
    expect(config.maxEpochs()).toBeNull();
    expect(config.maxStepsPerEpoch()).toBeNull();
    expect(config.backend()).toBe('tessera');
  });

  test('ts.backend shares the functions keras.backend shares with keras.config', () => {
    expect(ts.backend.floatx).toBe(config.floatx);
    expect(ts.backend.setEpsilon).toBe(config.setEpsilon);
    expect(ts.backend.imageDataFormat).toBe(config.imageDataFormat);
    expect(ts.backend.backend()).toBe('tessera');
  });
});

describe('floatx', () => {
  test('float64 becomes the dtype of new layers, their weights and inputs; older layers keep theirs', () => {
    const before = ts.layers.dense({ units: 2 });
    config.setFloatx('float64');
    expect(config.floatx()).toBe('float64');
    const dense = ts.layers.dense({ units: 2 });
    const x = ts.input({ shape: [3] });
    expect(x.dtype).toBe('float64');
    const y = dense.apply(x) as ts.SymbolicTensor;
    expect(dense.dtype).toBe('float64');
    expect(dense.getWeights()[0].dtype).toBe('float64');
    expect(y.dtype).toBe('float64');
    expect(before.dtype).toBe('float32');
    // Sequential's implied input too.
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    expect(model.inputs[0].dtype).toBe('float64');
    // An explicit dtype still wins.
    expect(ts.layers.dense({ units: 1, dtype: 'float32' }).dtype).toBe('float32');
  });

  test('refuses half precision and other names, naming the setter', () => {
    expect(() => config.setFloatx('float16' as never)).toThrow(/config\.setFloatx: dtype 'float16' needs half-precision tensors.*CPU/);
    expect(() => config.setFloatx('bfloat16' as never)).toThrow(/half-precision/);
    expect(() => config.setFloatx('int32' as never)).toThrow(/config\.setFloatx: expected a float dtype, 'float32' or 'float64', got 'int32'/);
    expect(() => (config.setFloatx as (...a: unknown[]) => void)('float64', 1)).toThrow(/at most 1 argument/);
    expect(config.floatx()).toBe('float32');
  });
});

describe('epsilon', () => {
  const yTrue = () => ts.tensor(fixture.yTrue);
  const yPred = () => ts.tensor(fixture.yPred);
  const lossValue = (name: string) => {
    const fn = ts.losses.get(name as never) as (t: ts.Tensor, p: ts.Tensor) => ts.Tensor;
    return ts.tidy(() => ts.mean(fn(yTrue(), yPred())).dataSync()[0]);
  };

  test.each(Object.keys(fixture.epsilon1e3))('%s after setEpsilon(1e-3) matches Keras 3.15 (JAX), and 1e-7 again after', (name) => {
    config.setEpsilon(1e-3);
    expect(config.epsilon()).toBe(1e-3);
    const large = lossValue(name);
    expect(Math.abs(large - fixture.epsilon1e3[name])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fixture.epsilon1e3[name])));
    config.setEpsilon(1e-7);
    const small = lossValue(name);
    expect(Math.abs(small - fixture.epsilon1e7[name])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(fixture.epsilon1e7[name])));
    expect(large).not.toBeCloseTo(small, 6);
  });

  test('a layer option named epsilon stays its own', () => {
    config.setEpsilon(0.5);
    expect(ts.layers.batchNormalization({}).getConfig().epsilon).toBe(0.001);
  });

  test('refuses a negative or non-number epsilon', () => {
    expect(() => config.setEpsilon(-1)).toThrow(/config\.setEpsilon: expected a finite non-negative number, got -1/);
    expect(() => config.setEpsilon('1e-3' as never)).toThrow(/config\.setEpsilon/);
  });
});

describe('imageDataFormat', () => {
  test('a Conv2D made after setImageDataFormat(channels_first) is channelsFirst and equals one given the option', () => {
    config.setImageDataFormat('channels_first');
    expect(config.imageDataFormat()).toBe('channelsFirst');
    const implicit = ts.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', strides: [1, 2] });
    config.setImageDataFormat('channelsLast');
    const explicit = ts.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', strides: [1, 2], dataFormat: 'channelsFirst' });
    expect(implicit.dataFormat).toBe('channelsFirst');
    expect(implicit.getConfig().dataFormat).toBe('channelsFirst');
    ts.setSeed(3);
    const x = ts.randomNormal([2, 4, 5, 6]); // [batch, channels, height, width]
    const a = implicit.apply(x) as ts.Tensor;
    explicit.build(x.shape);
    explicit.setWeights(implicit.getWeights());
    const b = explicit.apply(x) as ts.Tensor;
    expect(a.shape).toEqual([2, 3, 5, 3]);
    expect(implicit.computeOutputShape([null, 4, 5, 6])).toEqual([null, 3, 5, 3]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    // Channels-first is channels-last between transposes: compare with a channels-last conv.
    const last = ts.layers.conv2d({ filters: 3, kernelSize: 2, padding: 'same', strides: [1, 2] });
    const xLast = ts.transpose(x, [0, 2, 3, 1]);
    last.build(xLast.shape);
    last.setWeights(implicit.getWeights());
    const c = ts.transpose(last.apply(xLast) as ts.Tensor, [0, 3, 1, 2]);
    const diff = ts.max(ts.abs(ts.sub(a, c))).dataSync()[0];
    expect(diff).toBeLessThan(1e-6);
  });

  test('a saved config keeps its explicit value whatever the global setting', () => {
    const layer = ts.layers.conv2d({ filters: 2, kernelSize: 1 });
    config.setImageDataFormat('channels_first');
    const again = ts.layers.Conv2D.fromConfig(layer.getConfig() as never) as ts.layers.Conv2D;
    expect(again.dataFormat).toBe('channelsLast');
  });

  test('image ops follow it when given no dataFormat', () => {
    config.setImageDataFormat('channelsFirst');
    const x = ts.ones([1, 3, 4, 6]);
    const y = ts.image.resize(x, [2, 3]);
    expect(y.shape).toEqual([1, 3, 2, 3]);
  });

  test('a channels-last-only layer says the global setting is why it refuses', () => {
    config.setImageDataFormat('channelsFirst');
    expect(() => ts.layers.convLstm2d({ filters: 2, kernelSize: 3 })).toThrow(
      /config\.imageDataFormat\(\) is 'channelsFirst'.*channels-last only.*dataFormat: 'channelsLast'/,
    );
    expect(ts.layers.convLstm2d({ filters: 2, kernelSize: 3, dataFormat: 'channelsLast' }).getConfig().dataFormat).toBe('channelsLast');
  });

  test('refuses other names', () => {
    expect(() => config.setImageDataFormat('NCHW' as never)).toThrow(/config\.setImageDataFormat: expected 'channelsLast' or 'channelsFirst'.*got 'NCHW'/);
  });
});

describe('maxEpochs and maxStepsPerEpoch', () => {
  const compiled = () => {
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    return model;
  };

  test('fit with setMaxEpochs(1) runs one epoch, and warns', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    config.setMaxEpochs(1);
    expect(config.maxEpochs()).toBe(1);
    const history = await compiled().fit(ts.ones([4, 2]), ts.ones([4, 1]), { epochs: 5, verbose: 0 });
    expect(history.epoch).toEqual([0]);
    expect(warn.mock.calls.join('\n')).toMatch(/limiting epochs to 1 \(config\.maxEpochs\)/);
  });

  test('null clears the cap', async () => {
    config.setMaxEpochs(1);
    config.setMaxEpochs(null);
    const history = await compiled().fit(ts.ones([4, 2]), ts.ones([4, 1]), { epochs: 3, verbose: 0 });
    expect(history.epoch).toEqual([0, 1, 2]);
  });

  test('setMaxStepsPerEpoch caps the batches of fit, evaluate and predict', async () => {
    jest.spyOn(console, 'warn').mockImplementation(() => {});
    config.setMaxStepsPerEpoch(2);
    const model = compiled();
    let batches = 0;
    await model.fit(ts.ones([10, 2]), ts.ones([10, 1]), {
      epochs: 1,
      batchSize: 2,
      verbose: 0,
      callbacks: [new ts.CustomCallback({ onBatchEnd: () => void batches++ })],
    });
    expect(batches).toBe(2);
    const y = model.predict(ts.ones([10, 2]), { batchSize: 2 }) as ts.Tensor;
    expect(y.shape).toEqual([4, 1]);
  });

  test('refuses what is not a positive integer or null', () => {
    expect(() => config.setMaxEpochs(0)).toThrow(/config\.setMaxEpochs: expected a positive integer or null \(no cap\), got 0/);
    expect(() => config.setMaxStepsPerEpoch(1.5)).toThrow(/config\.setMaxStepsPerEpoch/);
    expect(() => (config.setMaxEpochs as () => void)()).toThrow(/config\.setMaxEpochs: expected the cap/);
  });
});

describe('floatx and metrics', () => {
  test("a metric's dtype defaults to floatx, as Keras's Metric(dtype=None)", () => {
    config.setFloatx('float64');
    const m = new ts.metrics.Mean();
    expect(m.dtype).toBe('float64');
    expect(m.addVariable({ shape: [], initializer: 'zeros', name: 'total' }).dtype).toBe('float64');
    config.setFloatx('float32');
    expect(new ts.metrics.Mean().dtype).toBe('float32');
  });
});

describe('flatten and the image data format', () => {
  test('a channels-first flatten gives what a channels-last one gives on the transposed input (Keras)', () => {
    config.setImageDataFormat('channels_first');
    const first = ts.layers.flatten();
    config.setImageDataFormat('channels_last');
    expect(first.dataFormat).toBe('channelsFirst');
    expect(first.getConfig().dataFormat).toBe('channelsFirst');
    const x = ts.tensor([...Array(12).keys()], [1, 2, 3, 2]);
    const y = first.apply(x) as ts.Tensor;
    const z = ts.layers.flatten().apply(ts.transpose(x, [0, 2, 3, 1])) as ts.Tensor;
    expect(Array.from(y.dataSync())).toEqual(Array.from(z.dataSync()));
    expect(Array.from(y.dataSync())).not.toEqual(Array.from(x.dataSync()));
  });
});
