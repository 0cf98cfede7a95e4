// Functional models with MultiHeadAttention saved in TensorFlow.js format (and .keras) load
// back bit for bit. TensorFlow.js / Keras 2 write the tensors a layer takes as options
// (value, key, attentionMask) as references in the kwargs of the query's node entry:
// [["query_layer", 0, 0, {"value": ["value_layer", 0, 0]}]].
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type Tensor } from '../../src';
import type { SymbolicTensor } from '../../src/layers/symbolic_tensor';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
const values = (shape: number[], phase: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.37 + phase)),
    shape,
  );
};

interface Case {
  build: () => Model;
  feed: () => Tensor[];
}

const mha = () => layers.multiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' });
const cases: Record<string, Case> = {
  'self-attention (query only)': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      return model({ inputs: q, outputs: mha().apply(q) as SymbolicTensor });
    },
    feed: () => [values([2, 5, 8], 0)],
  },
  'cross-attention (query, value)': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      const v = input({ shape: [3, 6], name: 'v' });
      return model({ inputs: [q, v], outputs: mha().apply(q, { value: v }) as SymbolicTensor });
    },
    feed: () => [values([2, 5, 8], 0), values([2, 3, 6], 1)],
  },
  'with key': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      const v = input({ shape: [3, 6], name: 'v' });
      const k = input({ shape: [3, 7], name: 'k' });
      return model({ inputs: [q, v, k], outputs: mha().apply(q, { value: v, key: k }) as SymbolicTensor });
    },
    feed: () => [values([2, 5, 8], 0), values([2, 3, 6], 1), values([2, 3, 7], 2)],
  },
  'with attentionMask as a tensor input': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      const v = input({ shape: [3, 6], name: 'v' });
      const m = input({ shape: [5, 3], name: 'm' });
      return model({ inputs: [q, v, m], outputs: mha().apply(q, { value: v, attentionMask: m }) as SymbolicTensor });
    },
    feed: () => [
      values([2, 5, 8], 0),
      values([2, 3, 6], 1),
      tensor(
        Array.from({ length: 30 }, (_, i) => (i % 4 === 0 ? 0 : 1)),
        [2, 5, 3],
      ),
    ],
  },
  'with useCausalMask, after a Dense (node refs to a non-input layer)': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      const h = layers.dense({ units: 8, name: 'proj' }).apply(q) as SymbolicTensor;
      return model({ inputs: q, outputs: mha().apply(h, { value: q, useCausalMask: true }) as SymbolicTensor });
    },
    feed: () => [values([2, 5, 8], 0)],
  },
  'shared across two calls, with returnAttentionScores on the second': {
    build: () => {
      const q = input({ shape: [5, 8], name: 'q' });
      const v = input({ shape: [3, 8], name: 'v' });
      const layer = mha();
      const first = layer.apply(q, { value: v }) as SymbolicTensor;
      const [second] = layer.apply(first, { value: q, returnAttentionScores: true }) as SymbolicTensor[];
      return model({ inputs: [q, v], outputs: second });
    },
    feed: () => [values([2, 5, 8], 0), values([2, 3, 8], 1)],
  },
  'inside a nested functional model': {
    build: () => {
      const iq = input({ shape: [5, 8], name: 'iq' });
      const iv = input({ shape: [3, 6], name: 'iv' });
      const inner = model({ inputs: [iq, iv], outputs: mha().apply(iq, { value: iv }) as SymbolicTensor, name: 'inner' });
      const q = input({ shape: [5, 8], name: 'q' });
      const v = input({ shape: [3, 6], name: 'v' });
      const h = layers.dense({ units: 8, name: 'proj' }).apply(q) as SymbolicTensor;
      return model({ inputs: [q, v], outputs: inner.apply([h, v]) as SymbolicTensor });
    },
    feed: () => [values([2, 5, 8], 0), values([2, 3, 6], 1)],
  },
};

function expectSameModel(m: Model, loaded: Model, feed: Tensor[]): void {
  const x = feed.length === 1 ? feed[0] : feed;
  expectSameBits(m.predict(x) as Tensor, loaded.predict(x) as Tensor);
  // Variable names get a _N suffix per model built in this process.
  const names = (x: Model) => x.weights.map((w) => w.name.replace(/_\d+$/, ''));
  expect(names(loaded)).toEqual(names(m));
  loaded.getWeights().forEach((w, i) => expectSameBits(m.getWeights()[i], w));
}

describe.each(Object.entries(cases))('MultiHeadAttention in a functional model: %s', (label, { build, feed }) => {
  const slug = label.replace(/\W+/g, '_');

  test('TensorFlow.js format: saves the value/key/mask as kwargs tensor refs and loads back bit for bit', async () => {
    const m = build();
    const where = path.join(dir, `tfjs_${slug}`);
    await m.save(where);
    const json = JSON.parse(fs.readFileSync(path.join(where, 'model.json'), 'utf8'));
    const top = json.modelTopology.config.layers;
    const entry = (top.find((l: { name: string }) => l.name === 'inner')?.config.layers ?? top).find((l: { name: string }) => l.name === 'mha');
    // Each node one entry: the query; the other tensors ride in its kwargs.
    for (const node of entry.inbound_nodes) {
      expect(node).toHaveLength(1);
      const [name, nodeIndex, index, kwargs] = node[0];
      expect([typeof name, typeof nodeIndex, index]).toEqual(['string', 'number', 0]);
      for (const v of Object.values(kwargs as Record<string, unknown>).filter(Array.isArray)) expect(v).toEqual([expect.any(String), expect.any(Number), 0]);
    }
    const loaded = await loadModel(where);
    expectSameModel(m, loaded, feed());
  });

  test('.keras format loads back bit for bit', async () => {
    const m = build();
    const file = path.join(dir, `keras_${slug}.keras`);
    await m.save(file);
    expectSameModel(m, await loadModel(file), feed());
  });
});

describe('MultiHeadAttention kwargs in a TensorFlow.js model.json', () => {
  test('the written kwargs name the inputs as Keras 2 does (attention_mask, use_causal_mask)', async () => {
    const q = input({ shape: [5, 8], name: 'q' });
    const v = input({ shape: [3, 6], name: 'v' });
    const k = input({ shape: [3, 7], name: 'k' });
    const mk = input({ shape: [5, 3], name: 'm' });
    const m = model({ inputs: [q, v, k, mk], outputs: mha().apply(q, { value: v, key: k, attentionMask: mk, useCausalMask: true }) as SymbolicTensor });
    const where = path.join(dir, 'tfjs_kwargs_names');
    await m.save(where);
    const json = JSON.parse(fs.readFileSync(path.join(where, 'model.json'), 'utf8'));
    const entry = json.modelTopology.config.layers.find((l: { name: string }) => l.name === 'mha');
    expect(entry.inbound_nodes).toEqual([[['q', 0, 0, { use_causal_mask: true, value: ['v', 0, 0], key: ['k', 0, 0], attention_mask: ['m', 0, 0] }]]]);
  });

  /** Saves a cross-attention model, edits the mha node's entry, and loads it. */
  async function loadEdited(edit: (entry: unknown[]) => void, saved: Model[] = []): Promise<Model> {
    const m = cases['cross-attention (query, value)'].build();
    saved.push(m);
    const where = path.join(dir, `tfjs_edited_${Math.random().toString(36).slice(2)}`);
    await m.save(where);
    const file = path.join(where, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json.modelTopology.config.layers.find((l: { name: string }) => l.name === 'mha').inbound_nodes[0][0]);
    fs.writeFileSync(file, JSON.stringify(json));
    return loadModel(where);
  }

  test('a malformed kwargs tensor reference is an error naming the layer', async () => {
    await expect(loadEdited((e) => ((e[3] as Record<string, unknown>).value = ['v', 0]))).rejects.toThrow(
      /layer 'mha': expected kwargs 'value' to be a tensor reference \[layer name, node index, tensor index\], got \["v",0\]/,
    );
  });

  test('a tensor reference under a kwarg the layer does not take is an error naming the layer', async () => {
    await expect(
      loadEdited((e) => {
        const kw = e[3] as Record<string, unknown>;
        kw.valeu = kw.value;
        delete kw.value;
      }),
    ).rejects.toThrow(/layer 'mha': kwargs 'valeu' is a tensor reference \["v",0,0\], but layer MultiHeadAttention has no such option/);
  });

  test('a kwargs reference to a missing layer is an error naming the layer', async () => {
    await expect(loadEdited((e) => ((e[3] as Record<string, unknown>).value = ['nowhere', 0, 0]))).rejects.toThrow(
      /layer 'mha' refers to layer 'nowhere', which is not in the config/,
    );
  });

  test('Keras 2 style kwargs with a null mask still load (the mask is not a tensor there)', async () => {
    const original: Model[] = [];
    const loaded = await loadEdited((e) => ((e[3] as Record<string, unknown>).attention_mask = null), original);
    expectSameModel(original[0], loaded, cases['cross-attention (query, value)'].feed());
  });
});
