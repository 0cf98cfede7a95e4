// multiHeadAttention: against PyTorch's nn.MultiheadAttention (self/cross attention, causal,
// attention and padding masks; float64 and float32; gradients of inputs and weights),
// finite differences, functional/Sequential/config round trips, masks from embeddings,
// causality, and the errors for bad input.
import { add, dispose, grads, input, layers, model, mul, sequential, slice, sum, tensor, variableGrads, zeros, type Tensor } from '../../src';
import { causalMask, slidingWindowMask } from '../../src/layers/attention/multi_head_attention';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip, expectFlatMemory } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const WEIGHTS = ['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'output_kernel', 'output_bias'];

function runCase(c: FixtureCase, dtype: 'float64' | 'float32'): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-6, 1e-7] : [2e-4, 2e-5];
  const layer = layers.multiHeadAttention({ numHeads: c.attrs.numHeads as number, keyDim: c.attrs.keyDim as number, dtype });
  const f = (name: string) => fromFixture(c.inputs[name], dtype === 'float64' ? 'float64' : 'float32');
  const self = c.attrs.selfAttention as boolean;
  const query = f('query');
  const key = self ? query : f('key');
  const value = self ? query : f('value');
  const attentionMask = c.inputs.attentionMask ? fromFixture(c.inputs.attentionMask, 'int32') : undefined;
  const valueMask = c.inputs.valueMask
    ? tensor(
        c.inputs.valueMask.data.map((v) => v === 1),
        c.inputs.valueMask.shape,
        'bool',
      )
    : null;
  const run = (q: Tensor, k: Tensor, v: Tensor) =>
    layer.apply(q, {
      value: v,
      key: k,
      attentionMask,
      useCausalMask: c.attrs.useCausalMask as boolean,
      returnAttentionScores: true,
      ...(valueMask ? { mask: [null, valueMask, valueMask] } : {}),
    }) as Tensor[];
  run(query, key, value);
  layer.setWeights(WEIGHTS.map(f));
  const [output, scores] = run(query, key, value);
  expectTensor(output, c.outputs.output.shape, c.outputs.output.data, rtol, atol);
  expectTensor(scores, c.outputs.scores.shape, c.outputs.scores.data, rtol, atol);
  const upstream = fromFixture(c.upstream.output, dtype === 'float64' ? 'float64' : 'float32');
  const objective = (q: Tensor, k: Tensor, v: Tensor) => sum(mul(run(q, k, v)[0], upstream));
  const weights = layer.trainableWeights;
  const { value: loss, grads: g } = variableGrads(() => objective(query, key, value), weights);
  loss.dispose();
  WEIGHTS.forEach((n, i) => expectClose(g[weights[i].name].dataSync(), c.grads[n].data, rtol, atol));
  if (self) {
    const [dx] = grads((x: Tensor) => objective(x, x, x))([query]);
    expectClose(dx.dataSync(), c.grads.query.data, rtol, atol);
  } else {
    const inputGrads = grads(objective)([query, key, value]);
    ['query', 'key', 'value'].forEach((n, i) => expectClose(inputGrads[i].dataSync(), c.grads[n].data, rtol, atol));
  }
}

describe('multiHeadAttention against nn.MultiheadAttention', () => {
  const cases = loadFixture('attention', 'layers')
    .filter((c) => c.name.startsWith('mha'))
    .map((c) => [c.name, c] as const);
  it.each(cases)('float64: %s', (_, c) => runCase(c, 'float64'));
  it.each(cases)('float32: %s', (_, c) => runCase(c, 'float32'));
});

describe('multiHeadAttention', () => {
  it('has Keras weight layouts and names', () => {
    const layer = layers.multiHeadAttention({ numHeads: 3, keyDim: 4, valueDim: 5, outputShape: 7 });
    layer.apply(randomTensor([2, 3, 6]), { value: randomTensor([2, 4, 8]) });
    expect(layer.weights.map((w) => w.shape)).toEqual([[6, 3, 4], [3, 4], [8, 3, 4], [3, 4], [8, 3, 5], [3, 5], [3, 5, 7], [7]]);
  });

  it('gradients match finite differences (float64, causal, with dropout off)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, dtype: 'float64' });
    const x = randomTensor([2, 4, 5], 3, 'float64');
    const y = randomTensor([2, 3, 6], 4, 'float64');
    layer.apply(x, { value: y });
    gradcheck((q, v) => layer.apply(q, { value: v, useCausalMask: true }) as Tensor, [x, y]);
  });

  it("a causal model's output at step t does not change when later tokens change", () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 4 });
    const a = randomTensor([1, 6, 8], 5);
    const changed = tensor([...a.dataSync().slice(0, 3 * 8), ...randomTensor([1, 3, 8], 9).dataSync()], [1, 6, 8]);
    const ya = layer.apply(a, { value: a, useCausalMask: true }) as Tensor;
    const yb = layer.apply(changed, { value: changed, useCausalMask: true }) as Tensor;
    expectClose(slice(yb, [0, 0, 0], [1, 3, 8]).dataSync(), slice(ya, [0, 0, 0], [1, 3, 8]).dataSync(), 1e-6, 1e-6);
    expect(Math.abs(yb.dataSync()[5 * 8] - ya.dataSync()[5 * 8])).toBeGreaterThan(1e-6);
  });

  it('works in a functional model with an Embedding maskZero padding mask, and round-trips its config', () => {
    const ids = input({ shape: [5], dtype: 'int32' });
    const emb = layers.embedding({ inputDim: 10, outputDim: 6, maskZero: true }).apply(ids);
    const att = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'att' });
    const out = att.apply(emb, { value: emb, useCausalMask: true });
    const m = model({ inputs: ids, outputs: out });
    const x = tensor(
      [
        [1, 2, 3, 0, 0],
        [4, 5, 6, 7, 0],
      ],
      [2, 5],
      'int32',
    );
    const y = m.predict(x) as Tensor;
    // The real steps match the layer run on the unpadded sequence alone (padded keys are masked out).
    const embLayer = m.layers[1] as InstanceType<typeof layers.Embedding>;
    const e3 = embLayer.apply(tensor([[1, 2, 3]], [1, 3], 'int32')) as Tensor;
    const short = att.apply(e3, { value: e3, useCausalMask: true }) as Tensor;
    expectClose(slice(y, [0, 0, 0], [1, 3, 6]).dataSync(), short.dataSync(), 1e-5, 1e-6);
    expect(m.outputs[0].shape).toEqual([null, 5, 6]);
    const copy = (m.constructor as any).fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    copy.setWeights(m.getWeights());
    expectClose((copy.predict(x) as Tensor).dataSync(), y.dataSync(), 1e-6, 1e-7);
    expect(JSON.stringify(m.getConfig())).toContain('useCausalMask');
  });

  it('masked keys get no attention (padding via the value mask)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 1, keyDim: 2 });
    const q = randomTensor([1, 2, 3], 1);
    const v = randomTensor([1, 4, 3], 2);
    const mask = tensor([[true, true, false, false]], [1, 4], 'bool');
    const [, scores] = layer.apply(q, { value: v, mask: [null, mask], returnAttentionScores: true }) as Tensor[];
    const s = scores.dataSync();
    for (const i of [2, 3, 6, 7]) expect(s[i]).toBeLessThan(1e-7);
  });

  it('works in a Sequential model (self-attention) and in summary, and serializes', () => {
    const s = sequential({ layers: [layers.multiHeadAttention({ numHeads: 2, keyDim: 4, inputShape: [5, 6] }), layers.dense({ units: 1 })] });
    expect((s.predict(randomTensor([3, 5, 6])) as Tensor).shape).toEqual([3, 5, 1]);
    const lines: string[] = [];
    s.summary(undefined, undefined, (l: string) => lines.push(l));
    expect(lines.join('\n')).toMatch(/multi_head_attention\S* \(MultiH/);
    expectConfigRoundTrip(s.layers[0]);
  });

  it('does not leak', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1 });
    const x = randomTensor([2, 5, 6]);
    expectFlatMemory(layer, x, 10);
  });

  it('rejects bad input with the layer, argument, expected and got', () => {
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 0 })).toThrow(/multi_head_attention.*keyDim.*positive integer.*got 0/);
    expect(() => layers.multiHeadAttention({ numHeads: 0, keyDim: 2 })).toThrow(/numHeads/);
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3 });
    const x = randomTensor([2, 5, 6]);
    layer.apply(x, { value: x });
    expect(() => layer.apply(randomTensor([2, 5, 7]), { value: x })).toThrow(/multi_head_attention.*expected query of width 6.*got shape \[2, 5, 7\]/);
    expect(() => layer.apply(x, { value: x, key: randomTensor([2, 4, 6]) })).toThrow(/expected key and value of one length/);
    expect(() => layer.apply(x, { value: x, attentionMask: tensor(new Array(2 * 5 * 4).fill(1), [2, 5, 4]) })).toThrow(
      /attentionMask to broadcast to \[batch, \(heads,\) Tq, Tk\] = \[2, \(2,\) 5, 5\], got shape \[2, 5, 4\]/,
    );
    expect(() => layer.apply(x, { value: x, causal: true } as never)).toThrow(/causal/);
  });

  it("rejects the issue's bad input: widths, masks that do not broadcast, numHeads, zero sizes (layer, argument, expected, got)", () => {
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 3, valueDim: 0 })).toThrow(
      /multi_head_attention.*expected valueDim to be a positive integer, got 0/,
    );
    expect(() => layers.multiHeadAttention({ numHeads: 2.5, keyDim: 3 })).toThrow(/expected numHeads to be a positive integer, got 2.5/);
    expect(() => layers.multiHeadAttention({ numHeads: 2 } as never)).toThrow(/expected keyDim to be a positive integer, got undefined/);
    expect(() => layers.multiHeadAttention({ numHeads: 2, keyDim: 3, outputShape: 0 })).toThrow(/expected outputShape to be a positive integer, got 0/);
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, name: 'mha' });
    const x = randomTensor([2, 5, 6]);
    layer.apply(x, { value: x });
    // Widths against those the layer was built for (eager and symbolic), batch sizes, ranks.
    expect(() => layer.apply(x, { value: randomTensor([2, 5, 7]) })).toThrow(
      /mha: expected value of width 6 \(the layer was built for it\), got shape \[2, 5, 7\]/,
    );
    expect(() => layer.apply(x, { value: x, key: randomTensor([2, 5, 4]) })).toThrow(
      /mha: expected key of width 6 \(the layer was built for it\), got shape \[2, 5, 4\]/,
    );
    expect(() => layer.apply(x, { value: randomTensor([3, 5, 6]) })).toThrow(
      /mha: expected query, value and key of one batch size, got \[2, 5, 6\], \[3, 5, 6\], \[3, 5, 6\]/,
    );
    const q7 = input({ shape: [5, 7] });
    expect(() => layer.apply(q7, { value: q7 })).toThrow(/mha: expected query of width 6 \(the layer was built for it\), got shape \[null, 5, 7\]/);
    expect(() => layer.apply(input({ shape: [4, 5, 6] }), { value: input({ shape: [4, 5, 6] }) })).toThrow(
      /mha: expected query of rank 3 \[batch, time, features\] \(the layer was built for it\), got shape \[null, 4, 5, 6\]/,
    );
    expect(() =>
      layers.multiHeadAttention({ numHeads: 1, keyDim: 2, name: 'fresh' }).apply(input({ shape: [5, 6] }), { value: input({ shape: [2, 5, 6] }) }),
    ).toThrow(/fresh: expected value of rank 3 .* \(the query's\), got shape \[null, 2, 5, 6\]/);
    // Masks that do not broadcast to [batch, (heads,) Tq, Tk].
    const bool = (shape: number[]) => tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(true), shape, 'bool');
    const broadcast = /mha: expected attentionMask to broadcast to \[batch, \(heads,\) Tq, Tk\] = \[2, \(2,\) 5, 5\], got shape /;
    for (const shape of [[2, 3, 5, 5], [3, 5, 5], [5], [1, 2, 1, 5, 5], [5, 4]]) {
      expect(() => layer.apply(x, { value: x, attentionMask: bool(shape) })).toThrow(new RegExp(broadcast.source + `\\[${shape.join(', ')}\\]`));
    }
    expect(() => layer.apply(x, { value: x, attentionMask: [[1]] as never })).toThrow(
      /mha: expected a Tensor or SymbolicTensor for key 'attentionMask', got an array/,
    );
    expect(() => layer.apply(x, { value: x, mask: [bool([1, 3]), null as never] })).toThrow(
      /mha: expected the query's padding mask of shape \[2, 5\] \(\[batch, T\] of the query\), got shape \[1, 3\]/,
    );
    expect(() => layer.apply(x, { value: randomTensor([2, 4, 6]), mask: [null as never, bool([2, 5])] })).toThrow(
      /mha: expected the value's padding mask of shape \[2, 4\] \(\[batch, T\] of the value\), got shape \[2, 5\]/,
    );
    // numHeads must divide the width where the key dimension is derived from it.
    expect(() => layers.transformerDecoder({ intermediateDim: 8, numHeads: 3 }).apply(randomTensor([1, 2, 8]))).toThrow(
      /transformer_decoder.*expected numHeads \(3\) to divide the width of the input, got width 8/,
    );
  });
});

void add;
void dispose;

describe('attention and additiveAttention against PyTorch (Keras formulas)', () => {
  const luong = loadFixture('attention', 'layers')
    .filter((c) => /^(attention|additive)_/.test(c.name))
    .map((c) => [c.name, c] as const);
  it.each(luong)('%s: outputs, weights, gradients; causal and masks', (_, c) => {
    const dot = c.attrs.kind === 'dot';
    const layer = dot ? layers.attention({ useScale: true, dtype: 'float64' }) : layers.additiveAttention({ dtype: 'float64' });
    const [q, v, k] = ['query', 'value', 'key'].map((n) => fromFixture(c.inputs[n]));
    const bool = (n: string) =>
      tensor(
        c.inputs[n].data.map((x) => x === 1),
        c.inputs[n].shape,
        'bool',
      );
    const mask = [bool('queryMask'), bool('valueMask'), null];
    const run = (...xs: Tensor[]) => layer.apply(xs, { mask, useCausalMask: true, returnAttentionScores: true }) as Tensor[];
    run(q, v, k);
    layer.setWeights([fromFixture(c.inputs.scale)]);
    const [out, weights] = run(q, v, k);
    expectTensor(out, c.outputs.output.shape, c.outputs.output.data, 1e-6, 1e-7);
    expectTensor(weights, c.outputs.weights.shape, c.outputs.weights.data, 1e-6, 1e-7);
    const upstream = fromFixture(c.upstream.output);
    const objective = (...xs: Tensor[]) => sum(mul(run(...xs)[0], upstream));
    const g = grads(objective)([q, v, k]);
    ['query', 'value', 'key'].forEach((n, i) => expectClose(g[i].dataSync(), c.grads[n].data, 1e-6, 1e-7));
    const { value: loss, grads: wg } = variableGrads(() => objective(q, v, k), layer.trainableWeights);
    loss.dispose();
    expectClose(wg[layer.trainableWeights[0].name].dataSync(), c.grads.scale.data, 1e-6, 1e-7);
    expectConfigRoundTrip(layer);
  });

  it('in a functional model with the flags kept in the config; errors name the layer', () => {
    const q = input({ shape: [4, 5] });
    const v = input({ shape: [6, 5] });
    const out = layers.attention({ name: 'luong' }).apply([q, v], { useCausalMask: true });
    const m = model({ inputs: [q, v], outputs: out });
    expect(JSON.stringify(m.getConfig())).toContain('useCausalMask');
    const xs = [randomTensor([2, 4, 5], 1), randomTensor([2, 6, 5], 2)];
    const copy = (m.constructor as any).fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    expectClose((copy.predict(xs) as Tensor).dataSync(), (m.predict(xs) as Tensor).dataSync(), 1e-6, 1e-7);
    expect(() => layers.attention().apply(randomTensor([2, 4, 5]))).toThrow(
      /attention.*expected inputs \[query, value\] or \[query, value, key\], got one input/,
    );
    expect(() => layers.attention().apply([randomTensor([2, 4, 5]), randomTensor([2, 6, 3]), randomTensor([2, 6, 4])])).toThrow(
      /expected query and key of one width/,
    );
  });
});

describe('causal and sliding-window masks', () => {
  it('are the lower triangle and the |i - j| < window band, built without a Tq x Tk array (empty batch, 70000 steps)', () => {
    expectTensor(causalMask(2, 3), [1, 2, 3], [1, 0, 0, 1, 1, 0]);
    expectTensor(slidingWindowMask(3, 3, 2), [1, 3, 3], [1, 1, 0, 1, 1, 1, 0, 1, 1]);
    // 70000 ** 2 is past a JS array's 2 ** 32 entries: this was "Invalid array length".
    const x = zeros([0, 70000, 4]);
    const calls = [
      () => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, flashAttention: false }).apply(x, { useCausalMask: true }),
      () => layers.groupQueryAttention({ headDim: 2, numQueryHeads: 2, numKeyValueHeads: 1, slidingWindow: 3 }).apply(x, { useCausalMask: true }),
      () => layers.attention().apply([x, x], { useCausalMask: true }),
    ];
    for (const call of calls) expect((call() as Tensor).shape).toEqual([0, 70000, 4]);
  });
});
