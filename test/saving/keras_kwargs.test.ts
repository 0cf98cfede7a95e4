// Tensors passed to a layer as call options (multiHeadAttention's value / key / attentionMask,
// categoryEncoding's countWeights, the transformer blocks' encoderSequence and mask options)
// are written to .keras files as Keras 3 writes them: the first input in the node's args,
// the option tensors as __keras_tensor__ references in its kwargs (snake_case). Read back
// from that form, from Keras 3's positional form (mha(query, value, key)), and from the forms
// Tessera wrote before (every tensor in args[0], by name or as a list).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { buildModel } from '../../src/saving/build_model';
import { readZip, writeZip } from '../../src/saving/zip';
import { expectClose, randomTensor } from '../helpers/reference';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
type Json = Record<string, any>;

interface Case {
  build: () => Model;
  feed: () => Tensor[];
  layer: string;
  // The kwargs tensors written for the layer's node: kwarg -> the input layer it refers to.
  kwargs: Record<string, string>;
}

const ints = (values: number[], shape: number[]) => tensor(values, shape, 'int32');

const cases: Record<string, Case> = {
  transformerEncoder: {
    build: () => {
      const x = input({ shape: [5, 8], name: 'x' });
      const pad = input({ shape: [5], dtype: 'int32', name: 'pad' });
      const attn = input({ shape: [5, 5], dtype: 'int32', name: 'attn' });
      const y = layers.transformerEncoder({ intermediateDim: 12, numHeads: 2, name: 'enc' }).apply(x, { paddingMask: pad, attentionMask: attn });
      return model({ inputs: [x, pad, attn], outputs: y });
    },
    feed: () => [
      randomTensor([2, 5, 8], 1),
      ints([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [2, 5]),
      ints(
        [...Array(50)].map((_, i) => (i % 3 === 2 ? 0 : 1)),
        [2, 5, 5],
      ),
    ],
    layer: 'enc',
    kwargs: { padding_mask: 'pad', attention_mask: 'attn' },
  },
  transformerDecoder: {
    build: () => {
      const x = input({ shape: [4, 8], name: 'x' });
      const e = input({ shape: [6, 8], name: 'e' });
      const dp = input({ shape: [4], dtype: 'int32', name: 'dp' });
      const ea = input({ shape: [4, 6], dtype: 'int32', name: 'ea' });
      const dec = layers.transformerDecoder({ intermediateDim: 12, numHeads: 2, name: 'dec' });
      const y = dec.apply(x, { encoderSequence: e, decoderPaddingMask: dp, encoderAttentionMask: ea, useCausalMask: false });
      return model({ inputs: [x, e, dp, ea], outputs: y });
    },
    feed: () => [
      randomTensor([2, 4, 8], 2),
      randomTensor([2, 6, 8], 3),
      ints([1, 1, 1, 0, 1, 1, 1, 1], [2, 4]),
      ints(
        [...Array(48)].map((_, i) => (i % 4 === 3 ? 0 : 1)),
        [2, 4, 6],
      ),
    ],
    layer: 'dec',
    kwargs: { encoder_sequence: 'e', decoder_padding_mask: 'dp', encoder_attention_mask: 'ea' },
  },
  categoryEncoding: {
    build: () => {
      const ids = input({ shape: [3], dtype: 'int32', name: 'ids' });
      const w = input({ shape: [3], name: 'w' });
      const y = layers.categoryEncoding({ numTokens: 5, outputMode: 'count', name: 'counts' }).apply(ids, { countWeights: w });
      return model({ inputs: [ids, w], outputs: y });
    },
    feed: () => [ints([0, 1, 1, 4, 4, 2], [2, 3]), tensor([0.5, 2, 3, 1, 1.5, 2], [2, 3])],
    layer: 'counts',
    kwargs: { count_weights: 'w' },
  },
  multiHeadAttention: {
    build: () => {
      const q = input({ shape: [4, 6], name: 'q' });
      const v = input({ shape: [3, 5], name: 'v' });
      const k = input({ shape: [3, 7], name: 'k' });
      const mk = input({ shape: [4, 3], name: 'mk' });
      const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
      return model({ inputs: [q, v, k, mk], outputs: mha.apply(q, { value: v, key: k, attentionMask: mk }) as SymbolicTensor });
    },
    feed: () => [
      randomTensor([2, 4, 6], 4),
      randomTensor([2, 3, 5], 5),
      randomTensor([2, 3, 7], 6),
      ints(
        [...Array(24)].map((_, i) => (i % 5 === 4 ? 0 : 1)),
        [2, 4, 3],
      ),
    ],
    layer: 'mha',
    kwargs: { value: 'v', key: 'k', attention_mask: 'mk' },
  },
};

const readConfig = (file: string): Json => JSON.parse(new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json')));

/** `file` with its config.json edited (weights and metadata as they are). */
function edited(file: string, edit: (config: Json) => void): string {
  const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
  const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
  edit(config);
  const out = path.join(dir, `edited-${Math.random().toString(36).slice(2)}.keras`);
  const keep = (n: string): [string, Uint8Array] => [n, entries.get(n)!];
  fs.writeFileSync(
    out,
    writeZip(new Map([keep('metadata.json'), keep('model.weights.h5'), ['config.json', new TextEncoder().encode(JSON.stringify(config))]])),
  );
  return out;
}

const layerEntry = (config: Json, name: string): Json => config.config.layers.find((l: Json) => l.name === name);
const ref = (layer: string, shape: (number | null)[], dtype = 'float32') => ({
  class_name: '__keras_tensor__',
  config: { shape, dtype, keras_history: [layer, 0, 0] },
});

async function saved(c: Case): Promise<{ m: Model; file: string }> {
  const m = c.build();
  const file = path.join(dir, `${c.layer}-${Math.random().toString(36).slice(2)}.keras`);
  await m.save(file);
  return { m, file };
}

describe.each(Object.entries(cases))('%s with tensor call options, saved as .keras', (label, c) => {
  test('the node is written as Keras 3 writes it: the first input in args, the option tensors in kwargs', async () => {
    const { file } = await saved(c);
    const [node] = layerEntry(readConfig(file), c.layer).inbound_nodes;
    expect(node.args).toHaveLength(1);
    expect(node.args[0].class_name).toBe('__keras_tensor__');
    const tensors = Object.entries(node.kwargs as Json).filter(([, v]) => v?.class_name === '__keras_tensor__');
    expect(Object.fromEntries(tensors.map(([k, v]) => [k, v.config.keras_history]))).toEqual(
      Object.fromEntries(Object.entries(c.kwargs).map(([k, layer]) => [k, [layer, 0, 0]])),
    );
    for (const [, v] of tensors) expect(Object.keys(v.config).sort()).toEqual(['dtype', 'keras_history', 'shape']);
  });

  test('reloads and predicts the same, bit for bit', async () => {
    const { m, file } = await saved(c);
    const back = await loadModel(file);
    expectSameBits(back.predict(c.feed()) as Tensor, m.predict(c.feed()) as Tensor);
    // Saved again, the node is written the same way.
    const again = path.join(dir, `again-${c.layer}.keras`);
    await back.save(again);
    expect(layerEntry(readConfig(again), c.layer).inbound_nodes).toEqual(layerEntry(readConfig(file), c.layer).inbound_nodes);
  });

  // The transformer blocks' sublayer weights share names in TensorFlow.js's flat naming: .keras only.
  const tfjsTest = c.layer === 'enc' || c.layer === 'dec' ? () => undefined : test;
  tfjsTest('TensorFlow.js format: the option tensors ride in the kwargs of the first input, and load back', async () => {
    const m = c.build();
    const where = path.join(dir, `tfjs-${c.layer}`);
    await m.save(where);
    const json = JSON.parse(fs.readFileSync(path.join(where, 'model.json'), 'utf8'));
    const [node] = json.modelTopology.config.layers.find((l: Json) => l.name === c.layer).inbound_nodes;
    expect(node).toHaveLength(1);
    const kwargs = node[0][3] as Json;
    expect(Object.fromEntries(Object.keys(c.kwargs).map((k) => [k, kwargs[k]]))).toEqual(
      Object.fromEntries(Object.entries(c.kwargs).map(([k, layer]) => [k, [layer, 0, 0]])),
    );
    expectSameBits((await loadModel(where)).predict(c.feed()) as Tensor, m.predict(c.feed()) as Tensor);
  });

  test("Tessera's earlier form (every tensor in args[0]) still loads", async () => {
    const { m, file } = await saved(c);
    const old = edited(file, (config) => {
      const entry = layerEntry(config, c.layer);
      const [node] = entry.inbound_nodes;
      const tensors = Object.entries(node.kwargs as Json).filter(([, v]) => v?.class_name === '__keras_tensor__');
      const rest = Object.fromEntries(Object.entries(node.kwargs as Json).filter(([, v]) => v?.class_name !== '__keras_tensor__'));
      const camel = (s: string) => s.replace(/_([a-z])/g, (_m, ch: string) => ch.toUpperCase());
      const first = ({ multiHeadAttention: 'query', transformerDecoder: 'decoderSequence', transformerEncoder: 'inputs' } as Record<string, string>)[label];
      // categoryEncoding wrote [ids, countWeights]; the others their parts by name (the encoder took no tensor options then).
      const arg =
        first === undefined
          ? [node.args[0], ...tensors.map(([, v]) => v)]
          : { [first]: node.args[0], ...Object.fromEntries(tensors.map(([k, v]) => [camel(k), v])) };
      entry.inbound_nodes = [{ args: [arg], kwargs: rest }];
    });
    expectSameBits((await loadModel(old)).predict(c.feed()) as Tensor, m.predict(c.feed()) as Tensor);
  });
});

describe('Keras-3-shaped configs written by hand', () => {
  const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
  const inputLayer = (name: string, shape: (number | null)[], dtype = 'float32') => ({
    module: 'keras.layers',
    class_name: 'InputLayer',
    config: { batch_shape: shape, dtype, sparse: false, name },
    registered_name: null,
    name,
    inbound_nodes: [],
  });
  const functional = (layerList: Json[], inputs: string[], output: string) => ({
    module: 'keras',
    class_name: 'Functional',
    config: { name: 'hand', trainable: true, layers: layerList, input_layers: inputs.map((n) => [n, 0, 0]), output_layers: [[output, 0, 0]] },
    registered_name: 'Functional',
  });
  const mhaLayer = (inbound: Json) => ({
    module: 'keras.layers',
    class_name: 'MultiHeadAttention',
    config: {
      name: 'mha',
      trainable: true,
      dtype: policy,
      num_heads: 2,
      key_dim: 3,
      value_dim: 3,
      dropout: 0.0,
      use_bias: true,
      output_shape: null,
      attention_axes: null,
    },
    registered_name: null,
    name: 'mha',
    inbound_nodes: [inbound],
  });
  const mhaInputs = [inputLayer('q', [null, 4, 6]), inputLayer('v', [null, 3, 5]), inputLayer('k', [null, 3, 7]), inputLayer('mk', [null, 4, 3], 'int32')];

  // The reference: the same attention built in Tessera with the same weights.
  function expectLikeTessera(loaded: Model): void {
    const c = cases.multiHeadAttention;
    const m = c.build();
    loaded.setWeights(m.getWeights());
    expectSameBits(loaded.predict(c.feed()) as Tensor, m.predict(c.feed()) as Tensor);
  }

  test('kwargs tensors: mha(q, value=v, key=k, attention_mask=mk)', () => {
    const node = {
      args: [ref('q', [null, 4, 6])],
      kwargs: {
        value: ref('v', [null, 3, 5]),
        key: ref('k', [null, 3, 7]),
        attention_mask: ref('mk', [null, 4, 3], 'int32'),
        query_mask: null,
        value_mask: null,
      },
    };
    expectLikeTessera(buildModel(functional([...mhaInputs, mhaLayer(node)], ['q', 'v', 'k', 'mk'], 'mha'), 'keras', 'hand.keras') as Model);
  });

  test('positional tensors as Keras 3 writes mha(q, v, k): value and key by position; attention_mask in kwargs', () => {
    const node = {
      args: [ref('q', [null, 4, 6]), ref('v', [null, 3, 5]), ref('k', [null, 3, 7])],
      kwargs: { attention_mask: ref('mk', [null, 4, 3], 'int32'), query_mask: null, value_mask: null },
    };
    expectLikeTessera(buildModel(functional([...mhaInputs, mhaLayer(node)], ['q', 'v', 'k', 'mk'], 'mha'), 'keras', 'hand.keras') as Model);
  });

  test('a transformer encoder with padding_mask in kwargs, and count_weights given positionally', () => {
    const enc = {
      module: 'keras_hub.layers',
      class_name: 'TransformerEncoder',
      config: { name: 'enc', trainable: true, dtype: policy, intermediate_dim: 12, num_heads: 2 },
      registered_name: null,
      name: 'enc',
      inbound_nodes: [{ args: [ref('x', [null, 5, 8])], kwargs: { padding_mask: ref('pad', [null, 5], 'int32') } }],
    };
    const counts = {
      module: 'keras.layers',
      class_name: 'CategoryEncoding',
      config: { name: 'counts', trainable: true, dtype: policy, num_tokens: 5, output_mode: 'count', sparse: false },
      registered_name: null,
      name: 'counts',
      inbound_nodes: [{ args: [ref('ids', [null, 3], 'int32'), ref('w', [null, 3])], kwargs: {} }],
    };
    const encModel = buildModel(
      functional([inputLayer('x', [null, 5, 8]), inputLayer('pad', [null, 5], 'int32'), enc], ['x', 'pad'], 'enc'),
      'keras',
      'h',
    ) as Model;
    const x = randomTensor([2, 5, 8], 7);
    const pad = ints([1, 1, 1, 1, 1, 1, 1, 1, 0, 0], [2, 5]);
    const encLayer = encModel.getLayer('enc') as any;
    const viaMask = encLayer.apply(x, { mask: tensor([1, 1, 1, 1, 1, 1, 1, 1, 0, 0].map(Boolean), [2, 5], 'bool') }) as Tensor;
    expectClose((encModel.predict([x, pad]) as Tensor).dataSync(), viaMask.dataSync(), 2e-5, 2e-6);
    const countModel = buildModel(
      functional([inputLayer('ids', [null, 3], 'int32'), inputLayer('w', [null, 3]), counts], ['ids', 'w'], 'counts'),
      'keras',
      'h',
    ) as Model;
    expect(Array.from((countModel.predict(cases.categoryEncoding.feed()) as Tensor).dataSync())).toEqual([0.5, 5, 0, 0, 0, 0, 0, 2, 0, 2.5]);
  });

  test('a tensor in kwargs the layer does not take is an error naming it; Keras 3 mask kwargs are left to the graph', () => {
    const bad = { args: [ref('q', [null, 4, 6])], kwargs: { value: ref('v', [null, 3, 5]), bias: ref('k', [null, 3, 7]) } };
    expect(() => buildModel(functional([...mhaInputs, mhaLayer(bad)], ['q', 'v', 'k', 'mk'], 'mha'), 'keras', 'hand.keras')).toThrow(
      /layer 'mha': kwargs 'bias' is a tensor, but layer MultiHeadAttention has no such option \(it takes tensor kwargs value, key, queryMask, valueMask, keyMask, attentionMask\)/,
    );
    // Keras's call(query, value, key, query_mask, value_mask, key_mask, attention_mask): seven at most.
    const extra = {
      args: [ref('q', [null, 4, 6]), ref('v', [null, 3, 5]), null, null, null, null, ref('mk', [null, 4, 3], 'int32'), ref('mk', [null, 4, 3], 'int32')],
      kwargs: {},
    };
    expect(() => buildModel(functional([...mhaInputs, mhaLayer(extra)], ['q', 'v', 'k', 'mk'], 'mha'), 'keras', 'hand.keras')).toThrow(
      /layer 'mha': the node passes tensor 8 positionally, but layer MultiHeadAttention has no such argument \(it takes value, key, queryMask, valueMask, keyMask, attentionMask after the first\)/,
    );
    const twice = { args: [ref('q', [null, 4, 6]), ref('v', [null, 3, 5])], kwargs: { value: ref('v', [null, 3, 5]) } };
    expect(() => buildModel(functional([...mhaInputs, mhaLayer(twice)], ['q', 'v', 'k', 'mk'], 'mha'), 'keras', 'hand.keras')).toThrow(
      /'value' is given both positionally and in the kwargs/,
    );
  });
});
