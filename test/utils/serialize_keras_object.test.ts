// utils.serializeKerasObject / deserializeKerasObject (and ts.saving's spellings) against
// Keras 3's serialize_keras_object for one object of each kind
// (scripts/fixtures/make_serialize_keras_object_fixtures.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

const KERAS = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'serialize_keras_object.json'), 'utf8')) as Record<string, Record<string, unknown>>;
const { serializeKerasObject: ser, deserializeKerasObject: deser } = ts.utils;
const head = (o: unknown) => {
  const { module, class_name, registered_name } = o as Record<string, unknown>;
  return { module, class_name, registered_name };
};

describe('utils.serializeKerasObject', () => {
  it.each([
    ['mse', () => new ts.losses.MeanSquaredError()],
    ['bce', () => new ts.losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 })],
    ['l2', () => new ts.regularizers.L2({ l2: 0.01 })],
    ['maxnorm', () => new ts.constraints.MaxNorm({ maxValue: 2 })],
    ['decay', () => new ts.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 })],
    ['relu', () => ts.activations.relu],
  ])('%s: as Keras writes it', (name, make) => {
    const got = ser(make()) as Record<string, unknown>;
    const want = KERAS[name];
    expect(head(got)).toEqual(head(want));
    // Tessera's configs hold a subset of Keras's keys (see the report for the few missing).
    if (typeof want.config === 'object')
      for (const [k, v] of Object.entries(got.config as object)) expect({ [k]: v }).toEqual({ [k]: (want.config as Record<string, unknown>)[k] });
    else expect(got.config).toEqual(want.config);
  });

  it('writes the same head and keys as Keras for layers, metrics, optimizers and initializers', () => {
    const dense = ts.layers.dense({ units: 2, name: 'd2', kernelInitializer: new ts.initializers.GlorotUniform({ seed: 1 }) });
    dense.build([null, 4]);
    const cases: [string, unknown][] = [
      ['dense_built', dense],
      ['accuracy', new ts.metrics.BinaryAccuracy({ threshold: 0.3 })],
      ['adam', new ts.optimizers.Adam({ learningRate: 0.01 })],
      ['glorot', new ts.initializers.GlorotUniform({ seed: 1 })],
    ];
    for (const [name, obj] of cases) {
      const got = ser(obj) as Record<string, Record<string, unknown>>;
      expect(head(got)).toEqual(head(KERAS[name]));
      expect(got.config.name ?? null).toEqual((KERAS[name].config as Record<string, unknown>).name ?? null);
    }
    const got = ser(dense) as Record<string, Record<string, unknown>>;
    expect(got.build_config).toEqual(KERAS.dense_built.build_config);
    expect(head(got.config.kernel_initializer)).toEqual(head((KERAS.dense_built.config as Record<string, unknown>).kernel_initializer));
    expect(got.config.units).toBe(2);
  });

  it('passes plain data through, member by member', () => {
    expect(ser({ a: [1, 'x', null], b: new ts.regularizers.L1({ l1: 0.5 }) })).toEqual(KERAS.nested);
    expect(ts.saving.serializeKerasObject).toBe(ser);
  });

  it('refuses what it cannot write, naming it', () => {
    expect(() => ser({ f: (x: number) => x })).toThrow(
      /utils.serializeKerasObject: cannot serialize the function f: it is not a built-in activation; register it/,
    );
    expect(() => ser({ a: [NaN] })).toThrow(/a\[0\] is NaN, which JSON cannot hold/);
    expect(() => ser(new Map())).toThrow(/cannot serialize a Map; expected a layer, model, loss/);
    expect(() => (ser as (...a: unknown[]) => unknown)(1, 2)).toThrow(/expected at most 1 argument, got 2/);
  });
});

describe('a registered function', () => {
  const triple = (x: ts.Tensor): ts.Tensor => ts.mul(x, 3);
  ts.utils.registerKerasSerializable(triple, { package: 'fx', name: 'triple' });

  it("is written as Keras 3.15 writes it (its registered name as a builtins function's config) and read back", () => {
    expect(ser(triple)).toEqual(KERAS.registered_fn);
    expect(deser(KERAS.registered_fn)).toBe(triple);
  });
});

describe('utils.deserializeKerasObject', () => {
  it("rebuilds each of Keras's configs", () => {
    const mse = deser(KERAS.mse);
    expect(mse).toBeInstanceOf(ts.losses.MeanSquaredError);
    const bce = deser(KERAS.bce) as ts.losses.BinaryCrossentropy;
    expect(bce.getConfig()).toMatchObject({ fromLogits: true, labelSmoothing: 0.1 });
    expect((deser(KERAS.accuracy) as ts.metrics.BinaryAccuracy).getConfig()).toMatchObject({ threshold: 0.3 });
    const adam = deser(KERAS.adam) as ts.optimizers.Adam;
    expect(adam).toBeInstanceOf(ts.optimizers.Adam);
    expect(adam.getConfig().learningRate).toBeCloseTo(0.01, 7);
    expect((deser(KERAS.glorot) as ts.initializers.Initializer).getConfig()).toMatchObject({ seed: 1 });
    expect(deser(KERAS.glorot)).toBeInstanceOf(ts.initializers.GlorotUniform);
    expect((deser(KERAS.l2) as ts.regularizers.L2).getConfig()).toMatchObject({ l2: 0.01 });
    expect((deser(KERAS.maxnorm) as ts.constraints.MaxNorm).getConfig()).toMatchObject({ maxValue: 2, axis: 0 });
    expect((deser(KERAS.decay) as ts.schedules.ExponentialDecay).getConfig()).toMatchObject({ decaySteps: 10, decayRate: 0.9 });
    expect(deser(KERAS.relu)).toBe(ts.activations.get('relu'));
    const nested = deser(KERAS.nested) as { a: unknown[]; b: ts.regularizers.L1 };
    expect(nested.a).toEqual([1, 'x', null]);
    expect(nested.b.getConfig()).toMatchObject({ l1: 0.5 });
  });

  it('rebuilds layers (built from build_config) and round-trips its own output', () => {
    const d = deser(KERAS.dense_built) as ts.layers.Dense;
    expect(d).toBeInstanceOf(ts.layers.Dense);
    expect(d.name).toBe('d2');
    expect(d.weights.map((w) => w.shape)).toEqual([[4, 2], [2]]);
    const relu = deser(KERAS.dense) as ts.layers.Dense;
    expect(relu.getConfig()).toMatchObject({ units: 3, activation: 'relu' });
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [2] }), ts.layers.dense({ units: 1 })] });
    const copy = ts.saving.deserializeKerasObject(ts.saving.serializeKerasObject(model)) as ts.Sequential;
    expect(copy.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
  });

  it('finds custom classes in customObjects, and names what it cannot find', () => {
    class Halved extends ts.losses.Loss {
      call(yTrue: ts.Tensor, yPred: ts.Tensor): ts.Tensor {
        return ts.mul(ts.sub(yTrue, yPred), 0.5);
      }
    }
    const config = { module: null, class_name: 'Halved', config: { name: 'h' }, registered_name: 'my>Halved' };
    expect(() => deser(config)).toThrow(
      /utils.deserializeKerasObject: config: unknown class 'my>Halved'; a custom class must be registered .* or given as customObjects/,
    );
    expect(deser(config, { customObjects: { 'my>Halved': Halved } })).toBeInstanceOf(Halved);
    expect(() => deser({ module: 'keras.losses', class_name: 'NoSuchLoss', config: {} })).toThrow(/unknown class 'NoSuchLoss' of module keras.losses/);
    expect(() => deser(KERAS.mse, { custom_objects: {}, safeMode: true } as never)).toThrow(/safeMode/);
  });
});
