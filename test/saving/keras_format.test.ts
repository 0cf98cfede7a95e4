// Keras files: Keras 3's .keras (Keras's own fixture, and round trips of Tessera's files)
// and Keras 2's .h5 (a file laid out as Keras 2 writes it).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { Model, input, layers, loadModel, model, sequential, tensor, type SymbolicTensor, type Tensor } from '../../src';
import { readH5, writeH5, ensureGroup } from '../../src/saving/h5';
import { expectClose } from '../helpers/reference';
import { expectSameBits, fixture, tempDir } from './helpers';

const dir = tempDir();

/** Keras's NestedDenseModel as a Tessera subclass: three bias-free Dense(4), then Dense(2). */
class NestedDenseModel extends Model {
  static override className = 'NestedDenseModel';
  readonly num: number;
  // Property names that sort after 'layers', as Keras's attribute walk needs for its paths.
  readonly stack: layers.Dense[];
  readonly top: layers.Dense;

  constructor(args: layers.LayerArgs & { num?: number } = {}) {
    super(args);
    this.num = args.num ?? 3;
    this.stack = Array.from({ length: this.num }, (_, i) => layers.dense({ units: 4, useBias: false, name: `d_${i}` }));
    this.top = layers.dense({ units: 2, name: 'dense' });
  }

  override call(x: Tensor): Tensor {
    return this.top.apply(this.stack.reduce((h, d) => d.apply(h), x));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), num: this.num };
  }
}

const matmul = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
const filled = (r: number, c: number, v: number) => Array.from({ length: r }, () => new Array(c).fill(v));

describe("Keras's fixture nested_container.keras (a custom subclassed model)", () => {
  const file = fixture('keras/nested_container.keras');

  test('without the class registered: an error names it and says how to register it', async () => {
    await expect(loadModel(file)).rejects.toThrow(
      /unknown layer class 'legacy_nested_container>NestedDenseModel'.*registerLayer\(NestedDenseModel, 'legacy_nested_container>NestedDenseModel'\)/,
    );
  });

  test('with the class registered: loads its weights and predicts (checked against a plain matmul)', async () => {
    layers.registerLayer(NestedDenseModel, 'legacy_nested_container>NestedDenseModel');
    const m = (await loadModel(file)) as unknown as NestedDenseModel;
    expect(m).toBeInstanceOf(NestedDenseModel);
    expect(m.num).toBe(3);
    const x = [
      [1, 2, 3, 4],
      [-1, 0.5, 0, 2],
    ];
    let want = x;
    for (const v of [0.1, 0.2, 0.3]) want = matmul(want, filled(4, 4, Math.fround(v)));
    want = matmul(want, filled(4, 2, 0.5));
    expectClose(Array.from((m.apply(tensor(x)) as Tensor).dataSync()), want.flat(), 1e-6);
  });
});

describe('.keras files written by Tessera', () => {
  const build = () => {
    const a = input({ shape: [4], name: 'a' });
    const b = input({ shape: [4], name: 'b' });
    const inner = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), layers.dense({ units: 4 })], name: 'inner' });
    const shared = layers.dense({ units: 4, activation: 'tanh', name: 'shared' });
    const y = layers.add({ name: 'sum' }).apply([inner.apply(shared.apply(a)), shared.apply(b)]);
    return model({ inputs: [a, b], outputs: y, name: 'two_towers' });
  };

  test('round trip: same predictions, bit for bit; the files are laid out as Keras 3 lays them out', async () => {
    const m = build();
    const file = path.join(dir, 'towers.keras');
    await m.save(file);
    const x = [
      tensor([
        [1, 2, 3, 4],
        [0, -1, 0.5, 2],
      ]),
      tensor([
        [0.3, 0.1, -2, 1],
        [1, 1, 1, 1],
      ]),
    ];
    const loaded = await loadModel(file);
    expectSameBits(m.apply(x) as Tensor, loaded.apply(x) as Tensor);

    const entries = unzipSync(new Uint8Array(fs.readFileSync(file)));
    expect(Object.keys(entries).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
    expect(config).toMatchObject({ module: 'keras.src.models.functional', class_name: 'Functional', registered_name: 'Functional' });
    const sum = config.config.layers.find((l: { name: string }) => l.name === 'sum');
    expect(sum.inbound_nodes[0].args[0][0]).toEqual({
      class_name: '__keras_tensor__',
      config: { shape: [null, 4], dtype: 'float32', keras_history: ['inner', 0, 0] },
    });
    // (Keras 3 counts no own node for a nested Sequential, only for a nested functional model.)
    const dense = config.config.layers.find((l: { name: string }) => l.name === 'shared');
    expect(dense).toMatchObject({ module: 'keras.layers', class_name: 'Dense', registered_name: null });
    expect(dense.config.kernel_initializer).toEqual({
      module: 'keras.initializers',
      class_name: 'GlorotUniform',
      config: { seed: null },
      registered_name: null,
    });
    expect(dense.config.dtype).toMatchObject({ class_name: 'DTypePolicy', config: { name: 'float32' } });
    const inner = config.config.layers.find((l: { name: string }) => l.name === 'inner');
    expect(inner.config.layers[0]).toMatchObject({ class_name: 'InputLayer', config: { batch_shape: [null, 4], dtype: 'float32' } });
    const tree = await readH5('weights', entries['model.weights.h5'], (f) => ({
      top: f.keys(),
      layers: (f.get('layers') as { keys(): string[] }).keys(),
      inner: (f.get('layers/sequential/layers') as { keys(): string[] }).keys(),
      kernel: (f.get('layers/dense/vars/0') as { shape: number[] }).shape,
    }));
    // Keras names the paths by class: the shared Dense is 'dense'; every layer gets a (maybe empty) group.
    expect(tree.layers.sort()).toEqual(['add', 'dense', 'input_layer', 'input_layer_1', 'sequential']);
    expect(tree.inner.sort()).toEqual(['dense', 'dense_1']);
    expect(tree.kernel).toEqual([4, 4]);
  });

  test("layers whose sublayers share names (two MultiHeadAttention's 'query', 'key', ...) each load their own weights", async () => {
    const x = input({ shape: [6, 8] });
    const first = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, name: 'first' });
    const second = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, name: 'second' });
    const h = first.apply(x) as SymbolicTensor;
    const m = model({ inputs: x, outputs: second.apply(h) as SymbolicTensor });
    const file = path.join(dir, 'two_attentions.keras');
    await m.save(file);
    const loaded = await loadModel(file);
    const q = tensor(
      Array.from({ length: 2 * 6 * 8 }, (_, i) => Math.sin(i * 0.7)),
      [2, 6, 8],
    );
    expectSameBits(m.apply(q) as Tensor, loaded.apply(q) as Tensor);
    for (const name of ['first', 'second']) {
      const kernel = (l: unknown) => Array.from((l as { queryDense: { kernel: Tensor } }).queryDense.kernel.dataSync());
      expect(kernel(loaded.getLayer(name))).toEqual(kernel(m.getLayer(name)));
    }
  });

  test('a subclassed model saves its build shape and loads again', async () => {
    layers.registerLayer(NestedDenseModel, 'legacy_nested_container>NestedDenseModel');
    const m = new NestedDenseModel({ num: 2 });
    const x = tensor([[1, 2, 3, 4]]);
    const before = m.apply(x) as Tensor;
    const file = path.join(dir, 'nested.keras');
    await m.save(file);
    const loaded = await loadModel(file);
    expectSameBits(before, loaded.apply(x) as Tensor);
  });
});

describe('Keras 2 .h5 files (load only)', () => {
  // What Keras 2's model.save('m.h5') writes for Sequential([Dense(3, input_shape=(4,), relu), Dense(2)]).
  const keras2Config = {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
        {
          class_name: 'Dense',
          config: {
            name: 'dense',
            trainable: true,
            dtype: 'float32',
            units: 3,
            activation: 'relu',
            use_bias: true,
            kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
            bias_initializer: { class_name: 'Zeros', config: {} },
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
        },
        {
          class_name: 'Dense',
          config: {
            name: 'dense_1',
            trainable: true,
            dtype: 'float32',
            units: 2,
            activation: 'linear',
            use_bias: true,
            kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
            bias_initializer: { class_name: 'Zeros', config: {} },
            kernel_regularizer: null,
            bias_regularizer: null,
            activity_regularizer: null,
            kernel_constraint: null,
            bias_constraint: null,
          },
        },
      ],
    },
  };
  const k1 = [
    [0.1, -0.2, 0.3],
    [0.4, 0.5, -0.6],
    [0.7, 0.8, 0.9],
    [-1, 1.1, 1.2],
  ];
  const b1 = [0.01, 0.02, -0.03];
  const k2 = [
    [1, -1],
    [0.5, 0.25],
    [-0.5, 2],
  ];
  const b2 = [0.1, -0.1];

  test('loads the model_config and model_weights/<layer>/<layer>/kernel:0 layout', async () => {
    const bytes = await writeH5((f) => {
      f.create_attribute('keras_version', '2.15.0');
      f.create_attribute('backend', 'tensorflow');
      f.create_attribute('model_config', JSON.stringify(keras2Config));
      const root = ensureGroup(f, 'model_weights');
      root.create_attribute('layer_names', ['dense', 'dense_1']);
      for (const [name, k, b] of [
        ['dense', k1, b1],
        ['dense_1', k2, b2],
      ] as const) {
        const g = ensureGroup(root, name);
        g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
        const inner = ensureGroup(g, name);
        inner.create_dataset({ name: 'kernel:0', data: Float32Array.from(k.flat()), shape: [k.length, k[0].length], dtype: '<f' });
        inner.create_dataset({ name: 'bias:0', data: Float32Array.from(b), shape: [b.length], dtype: '<f' });
      }
    });
    const file = path.join(dir, 'keras2.h5');
    fs.writeFileSync(file, bytes);
    const m = await loadModel(file);
    const x = [
      [1, 2, 3, 4],
      [-1, 0, 0.5, 1],
    ];
    const h = matmul(x, k1).map((r) => r.map((v, j) => Math.max(0, v + b1[j])));
    const want = matmul(h, k2).map((r) => r.map((v, j) => v + b2[j]));
    expectClose(Array.from((m.apply(tensor(x)) as Tensor).dataSync()), want.flat(), 1e-5);
    // Its weights also load into a model built in code.
    const same = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], activation: 'relu' }), layers.dense({ units: 2 })] });
    await same.loadWeights(file);
    expectSameBits(m.apply(tensor(x)) as Tensor, same.apply(tensor(x)) as Tensor);
  });

  test('saving to .h5 says to use .keras', async () => {
    const m = sequential({ layers: [layers.dense({ units: 1, inputShape: [2] })] });
    await expect(m.save(path.join(dir, 'x.h5'))).rejects.toThrow(/Keras 2 \.h5 files can be loaded but not written; save as '.*x\.keras'/);
  });
});
