// Model configs: Functional.getConfig / fromConfig (shared layers, nested models, several
// inputs and outputs), Keras 2's inbound-node form, and the camelCase <-> snake_case rule.
import { Functional, input, layers, model, sequential, tensor, type Tensor } from '../../src';
import { configFromDisk, configToDisk, toCamelCase, toSnake } from '../../src/saving/config_conversion';
import { layerFromDisk, layerToDisk } from '../../src/saving/model_config';
import { expectSameBits } from './helpers';

/** A model rebuilt from its config, given the original's weights. */
function rebuilt(m: Functional<any>): Functional<any> {
  const copy = Functional.fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
  copy.setWeights(m.getWeights());
  return copy;
}

test('shared layers, a nested model used twice, two inputs and two outputs (named)', () => {
  const inner = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' })], name: 'inner' });
  const a = input({ shape: [4], name: 'a' });
  const b = input({ shape: [4], name: 'b' });
  const shared = layers.dense({ units: 4, name: 'shared' });
  const ha = inner.apply(shared.apply(a));
  const hb = inner.apply(shared.apply(shared.apply(b)));
  const m = model({
    inputs: { a, b },
    outputs: { sum: layers.add({ name: 'sum' }).apply([ha, hb]), joined: layers.concatenate({ name: 'joined' }).apply([ha, hb]) },
  });
  const config = m.getConfig() as { layers: { name: string; inboundNodes: unknown[] }[]; inputLayers: unknown };
  expect(config.layers.find((l) => l.name === 'shared')!.inboundNodes).toHaveLength(3);
  expect(config.layers.find((l) => l.name === 'inner')!.inboundNodes).toHaveLength(2);
  expect(config.inputLayers).toEqual({ a: ['a', 0, 0], b: ['b', 0, 0] });
  const copy = rebuilt(m);
  expect(copy.getConfig()).toEqual(m.getConfig());
  const x = { a: tensor([[1, 2, 3, 4]]), b: tensor([[0, -1, 2, 0.5]]) };
  const want = m.apply(x) as unknown as Record<string, Tensor>;
  const got = copy.apply(x) as unknown as Record<string, Tensor>;
  expect(Object.keys(got)).toEqual(['sum', 'joined']);
  expectSameBits([want.sum, want.joined], [got.sum, got.joined]);
});

test("Keras 2 / TensorFlow.js inbound nodes ([[name, node, tensor, kwargs]]) rebuild the same graph; a nested model's node 0 is its own there", () => {
  const x = input({ shape: [2], name: 'x' });
  const sub = (() => {
    const i = input({ shape: [2], name: 'sub_in' });
    return model({ inputs: i, outputs: layers.dense({ units: 2, name: 'sub_dense' }).apply(i), name: 'sub' });
  })();
  const m = model({ inputs: x, outputs: sub.apply(sub.apply(x)) });
  const disk = layerToDisk({ className: 'Functional', config: m.getConfig() }, 'tfjs');
  const layersOnDisk = (disk.config as { layers: { name: string; inbound_nodes: unknown }[]; output_layers: unknown }).layers;
  expect(disk.class_name).toBe('Model');
  // TensorFlow.js and Keras 2 count a nested model's own node first: its calls are 1 and 2.
  expect(layersOnDisk.find((l) => l.name === 'sub')!.inbound_nodes).toEqual([[['x', 0, 0, {}]], [['sub', 1, 0, {}]]]);
  expect((disk.config as { output_layers: unknown }).output_layers).toEqual([['sub', 2, 0]]);
  const back = layerFromDisk(JSON.parse(JSON.stringify(disk)), 'tfjs', 'test');
  const copy = Functional.fromConfig(back.config);
  copy.setWeights(m.getWeights());
  const t = tensor([[1, -2]]);
  expectSameBits(m.apply(t) as Tensor, copy.apply(t) as Tensor);
});

test('keys: one rule both ways, with a table of exceptions; nested objects get class_name (and Keras 3 wrappers)', () => {
  expect(toSnake('kernelInitializer')).toBe('kernel_initializer');
  expect(toSnake('batchInputShape')).toBe('batch_input_shape');
  expect(toSnake('beta1')).toBe('beta_1');
  expect(toCamelCase('beta_1')).toBe('beta1');
  expect(toCamelCase('recurrent_activation')).toBe('recurrentActivation');
  const ts = {
    units: 2,
    kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fanAvg', distribution: 'truncatedNormal', seed: null } },
    name: 'myLayer',
    dtype: 'float32',
  };
  expect(configToDisk(ts, 'tfjs')).toEqual({
    units: 2,
    kernel_initializer: { class_name: 'VarianceScaling', config: { mode: 'fan_avg', distribution: 'truncated_normal', seed: null } },
    name: 'myLayer',
    dtype: 'float32',
  });
  const keras = configToDisk(ts, 'keras') as Record<string, unknown>;
  expect(keras.kernel_initializer).toEqual({
    module: 'keras.initializers',
    class_name: 'VarianceScaling',
    config: { mode: 'fan_avg', distribution: 'truncated_normal', seed: null },
    registered_name: null,
  });
  expect(keras.dtype).toEqual({ module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null });
  expect(configFromDisk(keras)).toEqual({
    ...ts,
    kernelInitializer: { className: 'VarianceScaling', config: { mode: 'fan_avg', distribution: 'truncated_normal', seed: null } },
  });
});
