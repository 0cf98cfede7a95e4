// multiHeadAttention's padding masks queryMask / valueMask / keyMask (Keras's query_mask,
// value_mask, key_mask), against Keras 3.15 itself (test/fixtures/keras/mha_masks, made by
// scripts/fixtures/make_mha_mask_fixtures.py): eager calls with and without useCausalMask,
// on the fused and the composite path; a functional model keeps them (written as kwargs
// and read back); a Keras-written .keras file whose nodes pass masks predicts as Keras.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { expectClose, expectTensor } from '../helpers/reference';
import { tempDir } from '../saving/helpers';
import { layerFromDisk } from '../../src/saving/model_config';

type Json = Record<string, unknown>;
interface Fx {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  layer: 'plain' | 'gated_window';
  call: Record<string, Fx | boolean>;
  scores: boolean;
  output: Fx;
  attention_scores?: Fx;
  explicit_query_mask_output?: Fx;
}
const root = path.join(__dirname, '..', 'fixtures', 'keras', 'mha_masks');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(root, name), 'utf8'));
const fx: { inputs: Record<string, Fx>; weights: Record<string, Record<string, Fx>>; configs: Record<string, Json>; cases: Case[] } = read('mha_masks.json');
const t = (f: Fx, dtype: 'float32' | 'int32' | 'bool' = 'float32') => tensor(dtype === 'bool' ? f.data.map(Boolean) : f.data, f.shape, dtype);
const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const [query, value, key] = ['query', 'value', 'key'].map((k) => t(fx.inputs[k]));

// The layer from Keras's own config (as a .keras file holds it), with Keras's weights.
function kerasLayer(flashAttention: boolean | null, which: Case['layer'] = 'plain') {
  const entry = layerFromDisk(
    { module: 'keras.layers', class_name: 'MultiHeadAttention', config: fx.configs[which], registered_name: null },
    'keras',
    'fixture',
  );
  const mha = layers.deserializeLayer({ className: entry.className, config: { ...entry.config, flashAttention } }) as InstanceType<
    typeof layers.MultiHeadAttention
  >;
  mha.apply(query, { value, key });
  const weights = fx.weights[which];
  for (const p of ['query', 'key', 'value', 'gate', 'attention_output']) {
    const dense = p === 'attention_output' ? mha.outputDense : (mha as unknown as Record<string, InstanceType<typeof layers.EinsumDense> | null>)[`${p}Dense`];
    expect(dense !== null).toBe(weights[`${p}_kernel`] !== undefined);
    if (dense === null) continue;
    dense.kernel!.assign(t(weights[`${p}_kernel`]));
    dense.bias!.assign(t(weights[`${p}_bias`]));
  }
  return mha;
}

// The call's options: masks as given in the fixture (0/1), flags as they are.
const optionsOf = (c: Case, dtype: 'int32' | 'bool') =>
  Object.fromEntries(Object.entries(c.call).map(([k, v]) => [camel(k), typeof v === 'boolean' ? v : t(v, dtype)]));

describe('multiHeadAttention queryMask / valueMask / keyMask vs Keras 3.15', () => {
  for (const flash of [null, false] as const) {
    for (const c of fx.cases) {
      test(`${c.name} (${flash === null ? 'fused where it applies' : 'composite'})`, () => {
        const mha = kerasLayer(flash, c.layer);
        for (const dtype of ['int32', 'bool'] as const) {
          const out = mha.apply(query, { value, key, returnAttentionScores: c.scores, ...optionsOf(c, dtype) });
          const [y, scores] = c.scores ? (out as Tensor[]) : [out as Tensor];
          expectTensor(y, c.output.shape, c.output.data, 2e-5, 2e-6);
          if (c.scores) expectTensor(scores, c.attention_scores!.shape, c.attention_scores!.data, 2e-5, 2e-6);
          if (c.explicit_query_mask_output) {
            // Keras 3.15 drops an explicit query_mask; the unpadded query rows agree all the same.
            const qm = (c.call.query_mask as Fx).data;
            const got = y.dataSync();
            const keras = c.explicit_query_mask_output.data;
            const width = y.shape[2];
            const rows = qm.flatMap((m, r) => (m ? Array.from({ length: width }, (_, j) => r * width + j) : []));
            expectClose(
              rows.map((i) => got[i]),
              rows.map((i) => keras[i]),
              2e-5,
              2e-6,
            );
            expect(rows.length).toBeLessThan(got.length);
          }
        }
      });
    }
  }

  test('the masks given as mask: [query, value, key] agree with the named ones', () => {
    const mha = kerasLayer(null);
    const c = fx.cases.find((x) => x.name === 'all_masks_causal')!;
    const m = (k: string) => t(c.call[k] as Fx, 'bool');
    const y = mha.apply(query, { value, key, useCausalMask: true, mask: [m('query_mask'), m('value_mask'), m('key_mask')] }) as Tensor;
    expectTensor(y, c.output.shape, c.output.data, 2e-5, 2e-6);
  });

  test('bad masks are errors naming the layer', () => {
    const mha = kerasLayer(null);
    const vm = t(fx.cases[0].call.value_mask as Fx, 'bool');
    expect(() => mha.apply(query, { value, key, valueMask: vm, mask: [null, vm] })).toThrow(
      new RegExp(`${mha.name}.apply: give the padding masks as queryMask/valueMask/keyMask or as mask, not both \\(got mask and valueMask\\)`),
    );
    expect(() => mha.apply(query, { value, key, keyMask: [[1, 0]] as never })).toThrow(
      new RegExp(`${mha.name}.apply: expected keyMask to be a Tensor or SymbolicTensor, got`),
    );
    expect(() => mha.apply(query, { value, key, valueMask: tensor([1, 1, 0], [1, 3], 'bool') })).toThrow(
      new RegExp(`${mha.name}: expected the value's padding mask of shape \\[2, 5\\]`),
    );
    expect(() => mha.apply(query, { value, key, queryMsk: vm } as never)).toThrow(/unknown option 'queryMsk'/);
  });
});

describe('multiHeadAttention padding masks in functional models', () => {
  const dir = tempDir();
  test('the masks are inputs of the node: kept, written as kwargs and read back', async () => {
    const q = input({ shape: [4, 6], name: 'q' });
    const v = input({ shape: [5, 5], name: 'v' });
    const qm = input({ shape: [4], dtype: 'bool', name: 'qm' });
    const vm = input({ shape: [5], dtype: 'bool', name: 'vm' });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
    const y = mha.apply(q, { value: v, queryMask: qm, valueMask: vm, useCausalMask: true }) as SymbolicTensor;
    const m = model({ inputs: [q, v, qm, vm], outputs: y });
    const c = fx.cases.find((x) => x.name === 'all_masks_causal')!;
    const feed = [query, value, t(c.call.query_mask as Fx, 'bool'), t(c.call.value_mask as Fx, 'bool')];
    const eager = mha.apply(query, { value, queryMask: feed[2], valueMask: feed[3], useCausalMask: true }) as Tensor;
    const viaModel = m.predict(feed) as Tensor;
    expectClose(viaModel.dataSync(), eager.dataSync(), 1e-6, 1e-7);
    // Without the masks the output differs: the masks took part.
    const unmasked = mha.apply(query, { value, useCausalMask: true }) as Tensor;
    expect(Math.max(...Array.from(unmasked.dataSync(), (x, i) => Math.abs(x - eager.dataSync()[i])))).toBeGreaterThan(1e-3);
    const node = (m.getConfig() as any).layers.find((l: any) => l.name === 'mha').inboundNodes[0];
    expect(Object.keys(node.kwargs).sort()).toEqual(['queryMask', 'useCausalMask', 'value', 'valueMask']);
    const file = path.join(dir, 'mha_masks.keras');
    await m.save(file);
    const back = (await loadModel(file)) as Model;
    expectClose((back.predict(feed) as Tensor).dataSync(), eager.dataSync(), 1e-6, 1e-7);
  });

  test("a Keras 3.15 file whose MultiHeadAttention nodes pass masks (kwargs and positional) predicts Keras's values", async () => {
    const ref = read('mha_masks_model.json');
    const m = (await loadModel(path.join(root, 'mha_masks.keras'))) as Model;
    const feed = ['q', 'v', 'k', 'qm', 'vm', 'km'].map((n) => t(ref.inputs[n], n.endsWith('m') ? 'bool' : 'float32'));
    const [a, b] = m.predict(feed) as unknown as Tensor[];
    expectTensor(a, ref.outputs.out_a.shape, ref.outputs.out_a.data, 2e-5, 2e-6);
    // out_b: Keras 3.15 drops the query_mask it was given; the unpadded query rows agree.
    const qm = ref.inputs.qm.data as number[];
    const width = b.shape[2];
    const rows = qm.flatMap((x, r) => (x ? Array.from({ length: width }, (_, j) => r * width + j) : []));
    const got = b.dataSync();
    expectClose(
      rows.map((i) => got[i]),
      rows.map((i) => ref.outputs.out_b.data[i]),
      2e-5,
      2e-6,
    );
    // The masks are inputs of the loaded graph: the value mask changes out_a.
    const noMask = [...feed.slice(0, 4), tensor(new Array(10).fill(true), [2, 5], 'bool'), feed[5]];
    const a2 = (m.predict(noMask) as unknown as Tensor[])[0];
    expect(Math.max(...Array.from(a2.dataSync(), (x, i) => Math.abs(x - a.dataSync()[i])))).toBeGreaterThan(1e-3);
  });
});
