// Attention and additiveAttention with Keras's mask=[queryMask, valueMask] in functional
// models: symbolic apply keeps the masks as named inputs of the node, predicts as eager,
// saves (.keras, TensorFlow.js folder) and loads back; Keras 3.15-written .keras files with
// such nodes predict Keras's values (fixtures: scripts/fixtures/make_keras_attention_mask_fixtures.py).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { input, layers, loadModel, model, tensor, type Model, type SymbolicTensor, type Tensor } from '../../src';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';
import { expectSameBits, tempDir } from '../saving/helpers';
import { layerToDisk } from '../../src/saving/model_config';

const root = path.join(__dirname, '..', 'fixtures', 'keras', 'attention_masks');
type Fx = { shape: number[]; data: number[] };
type Case = { inputs: Record<string, Fx>; input_dtypes: Record<string, string>; outputs: Record<string, Fx>; nodes: Record<string, unknown[]> };
const fixture = JSON.parse(fs.readFileSync(path.join(root, 'attention_masks.json'), 'utf8')) as Record<string, Case>;
const feedOf = (c: Case) =>
  Object.entries(c.inputs).map(([n, x]) => {
    const dtype = c.input_dtypes[n] as 'bool' | 'int32' | 'float32';
    return tensor(dtype === 'bool' ? x.data.map(Boolean) : x.data, x.shape, dtype);
  });

const bool = (rows: number[][]) => tensor(rows.flat().map(Boolean), [rows.length, rows[0].length], 'bool');
const maxDiff = (a: Tensor, b: Tensor) => Math.max(...Array.from(a.dataSync(), (x, i) => Math.abs(x - b.dataSync()[i])));

describe('a symbolic apply with mask=[queryMask, valueMask]', () => {
  const dir = tempDir();
  // Query rows 3 (batch 0) and 2-3 (batch 1) padded; batch 1's values 3-4 padded.
  const qmT = bool([
    [1, 1, 1, 0],
    [1, 1, 0, 0],
  ]);
  const vmT = bool([
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0],
  ]);
  const [qs, vs, ks] = [randomTensor([2, 4, 6], 1), randomTensor([2, 5, 6], 2), randomTensor([2, 5, 6], 3)];
  const build = () => {
    const q = input({ shape: [4, 6], name: 'q' });
    const v = input({ shape: [5, 6], name: 'v' });
    const k = input({ shape: [5, 6], name: 'k' });
    const qm = input({ shape: [4], dtype: 'bool', name: 'qm' });
    const vm = input({ shape: [5], dtype: 'bool', name: 'vm' });
    const att = layers.attention({ useScale: true, scoreMode: 'concat', name: 'att' });
    const [out, scores] = att.apply([q, v, k], { mask: [qm, vm], useCausalMask: true, returnAttentionScores: true }) as SymbolicTensor[];
    const additive = layers.additiveAttention({ name: 'add' });
    const add = additive.apply([q, v], { mask: [null, vm] }) as SymbolicTensor;
    // The pooling sees the query mask as the attention output's mask (Keras's compute_mask).
    const pool = layers.globalAveragePooling1d({ name: 'pool' });
    const m = model({ inputs: [q, v, k, qm, vm], outputs: [out, scores, add, pool.apply(out) as SymbolicTensor] });
    return { m, att, additive, pool };
  };

  test('predicts what the layers give eagerly, padded rows included; the masks take part', () => {
    const { m, att, additive, pool } = build();
    const got = m.predict([qs, vs, ks, qmT, vmT]) as unknown as Tensor[];
    const [out, scores] = att.apply([qs, vs, ks], { mask: [qmT, vmT], useCausalMask: true, returnAttentionScores: true }) as Tensor[];
    const add = additive.apply([qs, vs], { mask: [null, vmT] }) as Tensor;
    [out, scores, add, pool.apply(out) as Tensor].forEach((want, i) => expectClose(got[i].dataSync(), want.dataSync(), 1e-6, 1e-7));
    // Padded queries give zeros; the pooling averages the unpadded rows only.
    expect(Array.from(got[0].dataSync().slice(3 * 6, 4 * 6))).toEqual(new Array(6).fill(0));
    const rows = [3, 2];
    const mean = Array.from({ length: 2 * 6 }, (_, i) => {
      const [b, j] = [Math.floor(i / 6), i % 6];
      let s = 0;
      for (let r = 0; r < rows[b]; r++) s += got[0].dataSync()[(b * 4 + r) * 6 + j];
      return s / rows[b];
    });
    expectClose(got[3].dataSync(), mean, 1e-6, 1e-7);
    const open = m.predict([
      qs,
      vs,
      ks,
      bool([
        [1, 1, 1, 1],
        [1, 1, 1, 1],
      ]),
      bool([
        [1, 1, 1, 1, 1],
        [1, 1, 1, 1, 1],
      ]),
    ]) as unknown as Tensor[];
    expect(maxDiff(open[0], got[0])).toBeGreaterThan(1e-3);
    expect(maxDiff(open[2], got[2])).toBeGreaterThan(1e-3);
  });

  test("writes Keras's node form and loads back from .keras and TensorFlow.js folders with identical outputs", async () => {
    const { m } = build();
    const nodes = (m.getConfig() as any).layers.filter((l: any) => l.name === 'att' || l.name === 'add').map((l: any) => l.inboundNodes[0]);
    expect(nodes[0].args[0].map((r: any) => r.config.kerasHistory[0])).toEqual(['q', 'v', 'k']);
    expect(nodes[0].kwargs.mask.map((r: any) => r.config.kerasHistory[0])).toEqual(['qm', 'vm']);
    expect(nodes[0].kwargs).toMatchObject({ useCausalMask: true, returnAttentionScores: true });
    expect(nodes[1].kwargs.mask[0]).toBeNull();
    const feed = [qs, vs, ks, qmT, vmT];
    const want = m.predict(feed) as unknown as Tensor[];
    for (const file of ['masks.keras', 'masks_tfjs']) {
      await m.save(path.join(dir, file));
      const back = (await loadModel(path.join(dir, file))) as Model;
      expectSameBits(back.predict(feed) as unknown as Tensor[], want);
    }
    // The TensorFlow.js (Keras 2) form: the mask list rides in the kwargs of each input's entry.
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'masks_tfjs', 'model.json'), 'utf8'));
    const add = json.modelTopology.config.layers.find((l: any) => l.name === 'add');
    expect(add.inbound_nodes[0][0][3].mask).toEqual([null, ['vm', 0, 0]]);
  });
});

describe('Keras 3.15 files whose attention nodes pass mask=[query_mask, value_mask]', () => {
  test.each(['ops_masks', 'input_masks'])("%s.keras predicts Keras's values (padded rows too)", async (name) => {
    const c = fixture[name];
    const m = (await loadModel(path.join(root, `${name}.keras`))) as Model;
    const out = m.predict(feedOf(c)) as unknown as Tensor[];
    Object.values(c.outputs).forEach((want, i) => expectTensor(out[i], want.shape, want.data, 2e-5, 2e-6));
    // The masks take part: with nothing padded the first attention output changes.
    const open = feedOf(c).map((t) =>
      t.dtype === 'bool'
        ? tensor(new Array(t.size).fill(true), t.shape, 'bool')
        : t.dtype === 'int32'
          ? tensor(new Array(t.size).fill(1), t.shape, 'int32')
          : t,
    );
    expect(maxDiff((m.predict(open) as unknown as Tensor[])[0], out[0])).toBeGreaterThan(1e-3);
  });
});

test("Tessera writes the nodes of input_masks.keras as Keras 3.15 does (Keras loads such a file and predicts Tessera's values)", () => {
  const q = input({ shape: [4, 6], name: 'q' });
  const v = input({ shape: [5, 6], name: 'v' });
  const k = input({ shape: [5, 6], name: 'k' });
  const qm = input({ shape: [4], dtype: 'bool', name: 'qm' });
  const vm = input({ shape: [5], dtype: 'bool', name: 'vm' });
  const c2 = layers.attention({ scoreMode: 'concat', name: 'att_concat' }).apply([q, v], { mask: [qm, vm] }) as SymbolicTensor;
  const a2 = layers.additiveAttention({ name: 'add_key' }).apply([q, v, k], { mask: [qm, vm], returnAttentionScores: true }) as SymbolicTensor[];
  const m = model({ inputs: [q, v, k, qm, vm], outputs: [c2, ...a2] });
  const disk = layerToDisk({ className: 'Functional', config: m.getConfig() }, 'keras') as any;
  for (const name of ['att_concat', 'add_key']) {
    const written = disk.config.layers.find((l: any) => l.name === name).inbound_nodes;
    expect(written).toEqual(fixture.input_masks.nodes[name]);
  }
});

describe('bad masks are refused naming the layer', () => {
  const q = input({ shape: [4, 6] });
  const v = input({ shape: [5, 6] });
  const qm = input({ shape: [4], dtype: 'bool' });
  const vm = input({ shape: [5], dtype: 'bool' });
  const [qs, vs] = [randomTensor([2, 4, 6], 1), randomTensor([2, 5, 6], 2)];
  const yes = (b: number, t: number) => tensor(new Array(b * t).fill(true), [b, t], 'bool');

  test.each([
    ['attention', () => layers.attention({ name: 'att' })],
    ['additiveAttention', () => layers.additiveAttention({ name: 'att' })],
  ])('%s: list length, key mask, shape, dtype (symbolic and eager)', (_, make) => {
    expect(() => make().apply([q, v], { mask: [qm] })).toThrow(/att.apply: expected mask to be a list \[queryMask, valueMask\] .*got a list of 1/);
    expect(() => make().apply([qs, vs], { mask: [yes(2, 4), yes(2, 5), yes(2, 5), null] })).toThrow(/att.apply: expected mask .*got a list of 4/);
    expect(() => make().apply([qs, vs], { mask: yes(2, 4) })).toThrow(/att.apply: expected mask to be a list .*got a Tensor/);
    expect(() => make().apply([q, v], { mask: [qm, vm, vm] })).toThrow(/att.apply: got a key mask \(mask\[2\]\), which Keras's attention layers ignore/);
    expect(() => make().apply([q, v], { mask: [vm, null] })).toThrow(
      /att: expected the query mask of shape \[null, 4\] \(\[batch, T\] of the query\), got shape \[null, 5\]/,
    );
    expect(() => make().apply([qs, vs], { mask: [null, yes(2, 4)] })).toThrow(
      /att: expected the value mask of shape \[2, 5\] \(\[batch, T\] of the value\), got shape \[2, 4\]/,
    );
    const floatMask = input({ shape: [5] });
    expect(() => make().apply([q, v], { mask: [null, floatMask] })).toThrow(/att: expected the value mask to be boolean .*got dtype 'float32'/);
    expect(() => make().apply([qs, vs], { mask: [tensor(new Array(8).fill(1), [2, 4]), null] })).toThrow(
      /att: expected the query mask to be boolean .*got dtype 'float32'/,
    );
    expect(() => make().apply(q, { mask: [qm, vm] })).toThrow(/att.apply: expected inputs \[query, value\] or \[query, value, key\] beside the mask list/);
    expect(() => make().apply({ value: v } as never)).toThrow(
      /att.apply: expected inputs \[query, value\(, key\)\] or \{query, value, key\?, queryMask\?, valueMask\?\}, got an object with keys value/,
    );
    expect(() => make().apply({ query: q, value: v, queryMask: qm }, { mask: [qm, null] })).toThrow(
      /att.apply: give the masks as queryMask\/valueMask in the inputs or as mask, not both/,
    );
    expect(() => make().apply([q, v], { mask: [qm, 'yes' as never] })).toThrow(/att.apply: expected mask\[1\] to be a Tensor, a SymbolicTensor or null, got/);
  });
});
