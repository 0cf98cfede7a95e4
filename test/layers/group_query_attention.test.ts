// groupQueryAttention: against Keras 3's GroupedQueryAttention written out in PyTorch (key/value
// heads repeated with repeat_interleave; causal, attention, padding and sliding-window masks;
// the gate), on the fused and the composite path, float64 and float32, gradients of inputs
// and weights; finite differences; config and .keras round trips; errors.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { grads, input, layers, loadModel, model, mul, sum, tensor, variableGrads, type SymbolicTensor, type Tensor } from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const PROJECTIONS = ['query', 'key', 'value', 'output', 'gate'] as const;

function runCase(c: FixtureCase, dtype: 'float64' | 'float32', composite: boolean): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-6, 1e-7] : [2e-4, 2e-5];
  const a = c.attrs;
  const layer = layers.groupQueryAttention({
    headDim: a.headDim as number,
    numQueryHeads: a.numQueryHeads as number,
    numKeyValueHeads: a.numKeyValueHeads as number,
    slidingWindow: a.slidingWindow as number | null,
    useGate: a.useGate as boolean,
    flashAttention: composite ? false : null,
    dtype,
  });
  const f = (name: string) => fromFixture(c.inputs[name], dtype);
  const int = (name: string) => (c.inputs[name] ? fromFixture(c.inputs[name], 'int32') : undefined);
  const self = a.selfAttention as boolean;
  const query = f('query');
  const [key, value] = self ? [query, query] : [f('key'), f('value')];
  const masks = { queryMask: int('queryMask'), valueMask: int('valueMask'), attentionMask: int('attentionMask') };
  const run = (q: Tensor, k: Tensor, v: Tensor) => {
    const y = layer.apply(q, { value: v, key: k, useCausalMask: a.useCausalMask as boolean, returnAttentionScores: composite, ...masks });
    return (composite ? (y as Tensor[])[0] : y) as Tensor;
  };
  run(query, key, value);
  const weights: [string, Tensor][] = [];
  for (const p of PROJECTIONS) {
    const dense = (layer as unknown as Record<string, InstanceType<typeof layers.EinsumDense> | null>)[`${p}Dense`];
    if (dense === null) continue;
    dense.kernel!.assign(f(`${p}_kernel`));
    dense.bias!.assign(f(`${p}_bias`));
    weights.push([`${p}_kernel`, dense.kernel!], [`${p}_bias`, dense.bias!]);
  }
  expect(weights.length).toBe(a.useGate ? 10 : 8);
  const out = layer.apply(query, { value, key, useCausalMask: a.useCausalMask as boolean, returnAttentionScores: composite, ...masks });
  const output = composite ? (out as Tensor[])[0] : (out as Tensor);
  expectTensor(output, c.outputs.output.shape, c.outputs.output.data, rtol, atol);
  if (composite) expectTensor((out as Tensor[])[1], c.outputs.scores.shape, c.outputs.scores.data, rtol, atol);
  const upstream = fromFixture(c.upstream.output, dtype);
  const objective = (q: Tensor, k: Tensor, v: Tensor) => sum(mul(run(q, k, v), upstream));
  const { value: loss, grads: g } = variableGrads(
    () => objective(query, key, value),
    weights.map(([, w]) => w as never),
  );
  loss.dispose();
  for (const [name, w] of weights) expectClose(g[(w as unknown as { name: string }).name].dataSync(), c.grads[name].data, rtol, atol);
  if (self) {
    const [dx] = grads((x: Tensor) => objective(x, x, x))([query]);
    expectClose(dx.dataSync(), c.grads.query.data, rtol, atol);
  } else {
    const inputGrads = grads(objective)([query, key, value]);
    ['query', 'key', 'value'].forEach((n, i) => expectClose(inputGrads[i].dataSync(), c.grads[n].data, rtol, atol));
  }
}

describe('groupQueryAttention against a PyTorch reference (Keras 3 GroupedQueryAttention)', () => {
  const cases = loadFixture('group_query_attention', 'layers').map((c) => [c.name, c] as const);
  it.each(cases)('composite, float64: %s', (_, c) => runCase(c, 'float64', true));
  it.each(cases)('fused where it applies, float64: %s', (_, c) => runCase(c, 'float64', false));
  it.each(cases)('composite, float32: %s', (_, c) => runCase(c, 'float32', true));
});

describe('groupQueryAttention', () => {
  it("has Keras's weight shapes, names and output shape", () => {
    const layer = layers.groupQueryAttention({ headDim: 4, numQueryHeads: 6, numKeyValueHeads: 2 });
    const y = layer.apply(randomTensor([2, 3, 5]), { value: randomTensor([2, 4, 7]) }) as Tensor;
    expect(y.shape).toEqual([2, 3, 5]);
    expect(layer.weights.map((w) => w.shape)).toEqual([[5, 6, 4], [6, 4], [7, 2, 4], [2, 4], [7, 2, 4], [2, 4], [6, 4, 5], [5]]);
    expect([layer.queryDense!.name, layer.keyDense!.name, layer.valueDense!.name, layer.outputDense!.name]).toEqual([
      'query',
      'key',
      'value',
      'attention_output',
    ]);
  });

  it('with as many key/value heads as query heads, equals multiHeadAttention with the same weights', () => {
    const gqa = layers.groupQueryAttention({ headDim: 3, numQueryHeads: 2, numKeyValueHeads: 2 });
    const mha = layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const x = randomTensor([2, 4, 5], 3);
    gqa.apply(x);
    mha.apply(x);
    mha.setWeights(gqa.getWeights());
    expectClose((gqa.apply(x, { useCausalMask: true }) as Tensor).dataSync(), (mha.apply(x, { useCausalMask: true }) as Tensor).dataSync(), 1e-6, 1e-6);
  });

  it('gradients match finite differences (float64, causal, sliding window, gate)', () => {
    const layer = layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, slidingWindow: 2, useGate: true, dtype: 'float64' });
    const x = randomTensor([2, 4, 3], 3, 'float64');
    const v = randomTensor([2, 4, 5], 4, 'float64');
    layer.apply(x, { value: v });
    gradcheck((q, val) => layer.apply(q, { value: val, useCausalMask: true }) as Tensor, [x, v]);
  });

  it('takes the padding masks as queryMask/valueMask/keyMask or as mask, alike', () => {
    const layer = layers.groupQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 });
    const q = randomTensor([1, 3, 4], 1);
    const v = randomTensor([1, 4, 4], 2);
    const keyMask = tensor([[true, true, true, false]], [1, 4], 'bool');
    const [, scores] = layer.apply(q, { value: v, keyMask, returnAttentionScores: true }) as Tensor[];
    const s = scores.dataSync();
    for (let row = 0; row < 6; row++) expect(s[row * 4 + 3]).toBeLessThan(1e-7);
    const byMask = layer.apply(q, { value: v, key: v, mask: [null, null, keyMask] }) as Tensor;
    expectClose(byMask.dataSync(), (layer.apply(q, { value: v, keyMask }) as Tensor).dataSync(), 1e-6, 1e-7);
    expect(() => layer.apply(q, { value: v, keyMask, mask: [null, keyMask] })).toThrow(/queryMask\/valueMask\/keyMask or as mask, not both/);
    // A masked query's row changes (it attends uniformly); the live rows do not.
    const queryMask = tensor([[1, 1, 0]], [1, 3], 'int32');
    const plain = (layer.apply(q, { value: v }) as Tensor).dataSync();
    const masked = (layer.apply(q, { value: v, queryMask }) as Tensor).dataSync();
    expectClose(masked.slice(0, 8), plain.slice(0, 8), 1e-6, 1e-7);
    expect(Math.abs(masked[8] - plain[8]) + Math.abs(masked[9] - plain[9])).toBeGreaterThan(1e-4);
  });

  it('accepts snake_case options and round-trips its config', () => {
    const layer = layers.groupQueryAttention({ head_dim: 3, num_query_heads: 4, num_key_value_heads: 1, sliding_window: 3, use_gate: true } as never);
    expect([layer.headDim, layer.numQueryHeads, layer.numKeyValueHeads, layer.slidingWindow, layer.useGate]).toEqual([3, 4, 1, 3, true]);
    layer.apply(randomTensor([1, 5, 6]));
    const config = layer.getConfig();
    expect(config).toMatchObject({ headDim: 3, numQueryHeads: 4, numKeyValueHeads: 1, slidingWindow: 3, useGate: true, dropout: 0, useBias: true });
    expect(config).not.toHaveProperty('numHeads');
    expectConfigRoundTrip(layer);
    expect(layers.serializeLayer(layer).className).toBe('GroupQueryAttention');
    const copy = layers.deserializeLayer({ className: 'GroupQueryAttention', config: JSON.parse(JSON.stringify(config)) });
    expect(copy).toBeInstanceOf(layers.GroupQueryAttention);
    // Files of earlier Keras 3 versions name the Python class.
    expect(layers.deserializeLayer({ className: 'GroupedQueryAttention', config: JSON.parse(JSON.stringify(config)) })).toBeInstanceOf(
      layers.GroupQueryAttention,
    );
    expect(layers.groupQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1 }).name).toMatch(/^grouped_query_attention(_\d+)?$/);
  });

  it('saves to .keras as GroupQueryAttention (as Keras 3.15 writes and reads it) and loads back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqa-'));
    try {
      const x = input({ shape: [5, 6] });
      const gqa = layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, name: 'gqa' });
      const m = model({ inputs: x, outputs: gqa.apply(x, { value: x, useCausalMask: true }) as SymbolicTensor });
      const file = path.join(dir, 'gqa.keras');
      await m.save(file);
      const config = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(file)))['config.json']));
      const entry = config.config.layers.find((l: { name: string }) => l.name === 'gqa');
      expect(entry).toMatchObject({ module: 'keras.layers', class_name: 'GroupQueryAttention' });
      expect(entry.config).toMatchObject({ head_dim: 2, num_query_heads: 4, num_key_value_heads: 2, use_gate: false, sliding_window: null });
      const loaded = await loadModel(file);
      const q = randomTensor([2, 5, 6], 7);
      expectClose((loaded.apply(q) as Tensor).dataSync(), (m.apply(q) as Tensor).dataSync(), 0, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps queryMask/valueMask/keyMask inputs of a functional model, writes them as kwargs, loads them back', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqa-'));
    try {
      const x = input({ shape: [5, 6] });
      const [qm, vm, km] = ['qm', 'vm', 'km'].map((name) => input({ shape: [5], dtype: 'bool', name }));
      const gqa = layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, name: 'gqa' });
      const m = model({ inputs: [x, qm, vm, km], outputs: gqa.apply(x, { value: x, queryMask: qm, valueMask: vm, keyMask: km }) as SymbolicTensor });
      const q = randomTensor([2, 5, 6], 7);
      const pad = (n: number[]) =>
        tensor(
          [0, 1].flatMap((b) => [0, 1, 2, 3, 4].map((t) => t < n[b])),
          [2, 5],
          'bool',
        );
      const masks = { queryMask: pad([3, 5]), valueMask: pad([4, 5]), keyMask: pad([5, 2]) };
      const want = (gqa.apply(q, { value: q, ...masks }) as Tensor).dataSync();
      expect(Math.max(...want.map((v, i) => Math.abs(v - (gqa.apply(q) as Tensor).dataSync()[i])))).toBeGreaterThan(1e-3);
      const feed = [q, masks.queryMask, masks.valueMask, masks.keyMask];
      expectClose((m.apply(feed) as Tensor).dataSync(), want, 0, 0);
      const file = path.join(dir, 'gqa_masks.keras');
      await m.save(file);
      // Keras 3 writes gqa(x, x, query_mask=qm, ...) with the masks as __keras_tensor__ kwargs.
      const config = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(fs.readFileSync(file)))['config.json']));
      const [node] = config.config.layers.find((l: { name: string }) => l.name === 'gqa').inbound_nodes;
      for (const [k, from] of [
        ['query_mask', 'qm'],
        ['value_mask', 'vm'],
        ['key_mask', 'km'],
      ])
        expect(node.kwargs[k]).toMatchObject({ class_name: '__keras_tensor__', config: { keras_history: [from, 0, 0] } });
      const loaded = await loadModel(file);
      expectClose((loaded.apply(feed) as Tensor).dataSync(), want, 0, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with its options and inputs', () => {
    const make = (args: Record<string, unknown>) => layers.groupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, ...args } as never);
    expect(() => make({ numKeyValueHeads: 3 })).toThrow(/numQueryHeads to be a multiple of numKeyValueHeads, got numQueryHeads 4 and numKeyValueHeads 3/);
    expect(() => make({ numQueryHeads: 0 })).toThrow(/numQueryHeads/);
    expect(() => make({ slidingWindow: 0 })).toThrow(/slidingWindow/);
    expect(() => make({ useGate: 'yes' })).toThrow(/useGate to be true or false/);
    expect(() => make({ numHeads: 4 })).toThrow(/numHeads/);
    expect(() => make({}).apply(randomTensor([1, 2, 3, 4]))).toThrow(/expected query of rank 3 \[batch, time, features\], got shape \[1, 2, 3, 4\]/);
    expect(() => make({ flashAttention: true }).apply(randomTensor([1, 3, 4]), { slidingWindow: 2 } as never)).toThrow(/slidingWindow/);
    expect(() => make({ slidingWindow: 2, flashAttention: true }).apply(randomTensor([1, 3, 4]))).toThrow(/fused kernel cannot apply: slidingWindow is set/);
    expect(() => (layers.groupQueryAttention as unknown as (...a: unknown[]) => unknown)(16, 8, 2)).toThrow(
      /headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2/,
    );
  });
});
