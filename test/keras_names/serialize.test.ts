// Keras 3's per-namespace serialize / deserialize (keras.layers, losses, metrics, activations,
// constraints, regularizers, initializers): the {module, class_name, config, registered_name}
// configs Keras 3.15 writes (test/fixtures/keras_names/keras_names.json) and back; and
// keras.saving's CustomObjectScope.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'keras_names', 'keras_names.json'), 'utf8'));
const keras = fixture.serialized;

describe('layers.serialize / deserialize', () => {
  test('a Dense layer round trips through the Keras form', () => {
    const out = ts.layers.serialize(ts.layers.dense({ units: 3, activation: 'relu', name: 'd' })) as Record<string, any>;
    expect(out.module).toBe('keras.layers');
    expect(out.class_name).toBe('Dense');
    expect(out.registered_name).toBeNull();
    expect(out.config.units).toBe(3);
    const back = ts.layers.deserialize(out) as ts.layers.Dense;
    expect(back).toBeInstanceOf(ts.layers.Dense);
    expect(back.getConfig()).toEqual(ts.layers.dense({ units: 3, activation: 'relu', name: 'd' }).getConfig());
  });

  test('a Sequential model round trips (fresh weights)', () => {
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [3] }), ts.layers.dense({ units: 1 })] });
    const out = ts.layers.serialize(model) as Record<string, any>;
    expect(out).toMatchObject({ module: 'keras', class_name: 'Sequential' });
    const back = ts.layers.deserialize(out) as ts.Sequential;
    expect(back).toBeInstanceOf(ts.Sequential);
    expect(back.layers.map((l) => l.getConfig().units)).toEqual([2, 1]);
  });

  test("Keras's own config; a TF.js {className, config}", () => {
    expect(ts.layers.deserialize({ module: 'keras.layers', class_name: 'Dense', config: { units: 4 }, registered_name: null })).toBeInstanceOf(ts.layers.Dense);
    expect(ts.layers.deserialize({ className: 'Dropout', config: { rate: 0.5 } })).toBeInstanceOf(ts.layers.Dropout);
  });

  test('bad input names the op', () => {
    expect(() => ts.layers.serialize(3 as never)).toThrow(/layers.serialize: expected a layer or a model, got/);
    expect(() => ts.layers.deserialize('Dense')).toThrow(/layers.deserialize: expected a layer config, got the name 'Dense'/);
    expect(() => ts.layers.deserialize({ module: 'keras.losses', class_name: 'Huber', config: {}, registered_name: null })).toThrow(
      /layers.deserialize: .*not a layer/,
    );
    expect(() => ts.layers.deserialize({ className: 'Dense', config: { units: 2 } }, { customObject: {} } as never)).toThrow(/customObject/);
    expect(() => (ts.layers.deserialize as (...a: unknown[]) => unknown)({}, null, 3)).toThrow(/layers.deserialize: expected at most 2 arguments/);
  });
});

describe('losses and metrics', () => {
  test('losses.serialize writes what Keras writes', () => {
    expect(ts.losses.serialize(new ts.losses.Huber({ delta: 2 }))).toMatchObject({ module: 'keras.losses', class_name: 'Huber', registered_name: null });
    expect(ts.losses.serialize(ts.losses.meanSquaredError)).toEqual(keras['losses.mean_squared_error']);
  });

  test('losses.deserialize: a Keras config, a built-in function, a name', () => {
    const huber = ts.losses.deserialize({ ...keras['losses.Huber'], config: { ...keras['losses.Huber'].config, delta: 2 } });
    expect(huber).toBeInstanceOf(ts.losses.Huber);
    expect(ts.losses.deserialize(keras['losses.mean_squared_error'])).toBe(ts.losses.meanSquaredError);
    expect(ts.losses.deserialize('kld')).toBe(ts.losses.klDivergence);
    expect(() => ts.losses.deserialize({ module: 'keras.metrics', class_name: 'AUC', config: {}, registered_name: null })).toThrow(
      /losses.deserialize: .*not a Loss/,
    );
    expect(() => ts.losses.serialize({} as never)).toThrow(/losses.serialize: expected a Loss or a loss function/);
  });

  test('metrics.serialize / deserialize round trip', () => {
    const out = ts.metrics.serialize(new ts.metrics.AUC({ numThresholds: 50 })) as Record<string, any>;
    expect(out).toMatchObject({ module: 'keras.metrics', class_name: 'AUC', registered_name: null });
    expect(out.config.num_thresholds).toBe(50);
    const back = ts.metrics.deserialize(out) as ts.metrics.AUC;
    expect(back).toBeInstanceOf(ts.metrics.AUC);
    expect(back.getConfig()).toMatchObject({ numThresholds: 50 });
    expect(ts.metrics.deserialize('mse')).toBeInstanceOf(ts.metrics.Metric);
  });
});

describe('activations, constraints, regularizers, initializers: deserialize', () => {
  test("Keras's configs", () => {
    expect(ts.activations.deserialize('relu')).toBe(ts.activations.relu);
    expect(ts.activations.deserialize({ module: 'builtins', class_name: 'function', config: 'relu', registered_name: 'function' })).toBe(ts.activations.relu);
    expect(ts.initializers.deserialize(keras['initializers.Zeros'])).toBeInstanceOf(ts.initializers.Zeros);
    expect(ts.constraints.deserialize(keras['constraints.NonNeg'])).toBeInstanceOf(ts.constraints.NonNeg);
    const r = ts.regularizers.deserialize(keras['regularizers.L1L2']) as ts.regularizers.L1L2;
    expect(r).toBeInstanceOf(ts.regularizers.L1L2);
    expect([r.l1, r.l2]).toEqual([0.25, 0.5]);
  });

  test('names and TF.js forms, through get', () => {
    expect(ts.initializers.deserialize('glorot_uniform')).toBeInstanceOf(ts.initializers.GlorotUniform);
    expect(ts.regularizers.deserialize({ className: 'L2', config: { l2: 0.1 } })).toBeInstanceOf(ts.regularizers.L2);
    expect(ts.constraints.deserialize('non_neg')).toBeInstanceOf(ts.constraints.NonNeg);
  });

  test('the wrong kind, a bad config and unknown names are refused naming the op', () => {
    expect(() => ts.initializers.deserialize(keras['constraints.NonNeg'])).toThrow(/initializers.deserialize: .*not an Initializer/);
    expect(() => ts.regularizers.deserialize(42)).toThrow(/regularizers.deserialize: expected a name or a config/);
    expect(() => ts.constraints.deserialize('nonneg2')).toThrow(/constraints.deserialize: unknown constraint 'nonneg2'/);
    expect(() => ts.activations.deserialize('rellu')).toThrow(/activations.deserialize: unknown activation 'rellu'/);
  });
});

describe('custom objects', () => {
  class Doubled extends ts.regularizers.L1L2 {}

  test("deserialize's customObjects, and saving.CustomObjectScope", () => {
    const config = { module: null, class_name: 'Doubled', config: { l1: 0.1, l2: 0 }, registered_name: 'Doubled' };
    expect(() => ts.regularizers.deserialize(config)).toThrow(/unknown class 'Doubled'/);
    expect(ts.regularizers.deserialize(config, { customObjects: { Doubled } })).toBeInstanceOf(Doubled);
    const scope = new ts.saving.CustomObjectScope({ Doubled });
    expect(scope.run(() => ts.regularizers.deserialize(config))).toBeInstanceOf(Doubled);
    expect(ts.saving.customObjectScope({ Doubled }, () => ts.utils.deserializeKerasObject(config))).toBeInstanceOf(Doubled);
    expect(() => new ts.saving.CustomObjectScope({ Doubled: 3 } as never)).toThrow(/saving.CustomObjectScope: customObjects\['Doubled'\]/);
    expect(() => scope.run(3 as never)).toThrow(/CustomObjectScope.run: expected a function/);
  });

  test('the keras.saving registration names are the utils functions', () => {
    expect(ts.saving.registerKerasSerializable).toBe(ts.utils.registerKerasSerializable);
    expect(ts.saving.getCustomObjects).toBe(ts.utils.getCustomObjects);
    expect(ts.saving.getRegisteredName).toBe(ts.utils.getRegisteredName);
    expect(ts.saving.getRegisteredObject).toBe(ts.utils.getRegisteredObject);
    expect(ts.saving.customObjectScope).toBe(ts.utils.customObjectScope);
  });
});
