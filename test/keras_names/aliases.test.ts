// Keras 3.15 names Tessera adds as aliases: keras.layers' short class names, keras.metrics'
// loss functions, keras.losses.kl_divergence, keras.initializers.STFT, keras.regularizers.l1_l2,
// keras.optimizers.schedules, keras.models.model_from_json and the top-level classes.
// Values: test/fixtures/keras_names/keras_names.json (scripts/fixtures/make_keras_names_fixtures.py, Keras 3.15.1, JAX).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';

interface Encoded {
  shape: number[];
  data: number[];
}
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keras_names', 'keras_names.json'), 'utf8'));
const tensorOf = (e: Encoded) => ts.tensor(e.data, e.shape);
const close = (t: ts.Tensor, e: Encoded, tol = 1e-5) => {
  expect(t.shape).toEqual(e.shape);
  const got = Array.from(t.dataSync() as Float32Array);
  got.forEach((v, i) => expect(Math.abs(v - e.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(e.data[i]))));
};

describe('keras.layers short class names', () => {
  test.each([
    ['AvgPool1D', 'AveragePooling1D'],
    ['AvgPool2D', 'AveragePooling2D'],
    ['AvgPool3D', 'AveragePooling3D'],
    ['MaxPool1D', 'MaxPooling1D'],
    ['MaxPool2D', 'MaxPooling2D'],
    ['MaxPool3D', 'MaxPooling3D'],
    ['GlobalAvgPool1D', 'GlobalAveragePooling1D'],
    ['GlobalAvgPool2D', 'GlobalAveragePooling2D'],
    ['GlobalAvgPool3D', 'GlobalAveragePooling3D'],
    ['GlobalMaxPool1D', 'GlobalMaxPooling1D'],
    ['GlobalMaxPool2D', 'GlobalMaxPooling2D'],
    ['GlobalMaxPool3D', 'GlobalMaxPooling3D'],
    ['Convolution1D', 'Conv1D'],
    ['Convolution2D', 'Conv2D'],
    ['Convolution3D', 'Conv3D'],
    ['Convolution1DTranspose', 'Conv1DTranspose'],
    ['Convolution2DTranspose', 'Conv2DTranspose'],
    ['Convolution3DTranspose', 'Conv3DTranspose'],
    ['SeparableConvolution1D', 'SeparableConv1D'],
    ['SeparableConvolution2D', 'SeparableConv2D'],
  ])('%s is the class %s (as in Keras)', (short, long) => {
    const layers = ts.layers as unknown as Record<string, unknown>;
    expect(layers[short]).toBeDefined();
    expect(layers[short]).toBe(layers[long]);
  });

  test('a layer made by the short name saves under the long class name', () => {
    const layer = new ts.layers.MaxPool2D({ poolSize: 2 });
    expect((ts.layers.serialize(layer) as { class_name: string }).class_name).toBe('MaxPooling2D');
  });
});

describe("keras.metrics' functions: the loss functions, one value per sample", () => {
  test.each(Object.keys(fixture.metrics))('%s matches Keras 3.15', (snake) => {
    const camel = snake.replace(/_([a-z])/g, (_: string, c: string) => c.toUpperCase());
    const fn = (ts.metrics as unknown as Record<string, (t: ts.Tensor, p: ts.Tensor) => ts.Tensor>)[camel];
    expect(typeof fn).toBe('function');
    const { yTrue, yPred, out } = fixture.metrics[snake];
    close(fn(tensorOf(yTrue), tensorOf(yPred)), out);
  });

  test('losses.klDivergence is kullbackLeiblerDivergence and matches Keras', () => {
    expect(ts.losses.klDivergence).toBe(ts.losses.kullbackLeiblerDivergence);
    const { yTrue, yPred, out } = fixture.metrics.kl_divergence;
    close(ts.losses.klDivergence(tensorOf(yTrue), tensorOf(yPred)), out);
  });

  test('a metric function refuses an extra argument', () => {
    expect(() => (ts.metrics.hinge as (...a: unknown[]) => unknown)(ts.ones([2]), ts.ones([2]), 3)).toThrow(/hinge: expected at most 2 arguments/);
  });
});

describe('initializers.STFT', () => {
  test('is STFTInitializer, and known by name', () => {
    expect(ts.initializers.STFT).toBe(ts.initializers.STFTInitializer);
    expect(ts.initializers.get({ className: 'STFT', config: { side: 'imag' } })).toBeInstanceOf(ts.initializers.STFTInitializer);
  });

  test.each([0, 1, 2])('values match Keras 3.15 (case %i)', (i) => {
    const { side, window, scaling, periodic, out } = fixture.stft[i];
    const init = new ts.initializers.STFT({ side, window, scaling, periodic });
    close(init.apply(out.shape), out, 1e-5);
  });
});

describe('regularizers.l1L2', () => {
  test("is TF.js's l1l2 under Keras's name, with Keras's defaults (0, 0) and value", () => {
    expect(ts.regularizers.l1L2).toBe(ts.regularizers.l1l2);
    const r = ts.regularizers.l1L2();
    expect([r.l1, r.l2]).toEqual([0, 0]);
    const v = ts.regularizers.l1L2({ l1: 0.25, l2: 0.5 }).apply(tensorOf(fixture.l1l2.w));
    expect(v.dataSync()[0]).toBeCloseTo(fixture.l1l2.out, 5);
  });
});

describe('namespaces reachable under their Keras names', () => {
  test('optimizers.schedules is the schedules namespace', () => {
    expect(ts.optimizers.schedules.ExponentialDecay).toBe(ts.schedules.ExponentialDecay);
    expect(ts.optimizers.schedules.serialize).toBe(ts.schedules.serialize);
  });

  test('models.modelFromJson is modelFromJSON', () => {
    expect(ts.models.modelFromJson).toBe(ts.modelFromJSON);
  });

  test('top-level classes are the namespaces’ classes', () => {
    expect(ts.Layer).toBe(ts.layers.Layer);
    expect(ts.InputSpec).toBe(ts.layers.InputSpec);
    expect(ts.KerasTensor).toBe(ts.SymbolicTensor);
    expect(ts.input({ shape: [3] })).toBeInstanceOf(ts.KerasTensor);
    expect(ts.Initializer).toBe(ts.initializers.Initializer);
    expect(ts.Regularizer).toBe(ts.regularizers.Regularizer);
    expect(ts.DTypePolicy).toBe(ts.dtypePolicies.DTypePolicy);
    expect(ts.FloatDTypePolicy).toBe(ts.dtypePolicies.FloatDTypePolicy);
    expect(new ts.FloatDTypePolicy('float64').computeDtype).toBe('float64');
  });

  test('utils.clearSession and standardizeDtype are the backend functions', () => {
    expect(ts.utils.clearSession).toBe(ts.backend.clearSession);
    expect(ts.utils.standardizeDtype('float')).toBe('float32');
  });
});
