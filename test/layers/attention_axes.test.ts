// multiHeadAttention's attentionAxes (Keras 3): against Keras's einsum equations written
// out in PyTorch (scripts/fixtures/make_attention_axes_fixtures.py) in float64 and float32,
// outputs, scores and every gradient (also with a several-axis outputShape); finite differences; the fused and composite paths;
// causal over one axis equal to the sequence layer per slice; symbolic shapes;
// serialization round trips; errors.
import { grads, input, layers, loadModel, model, mul, reshape, slice, stack, sum, tensor, variableGrads, type SymbolicTensor, type Tensor } from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { tempDir } from '../saving/helpers';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const WEIGHTS = ['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'output_kernel', 'output_bias'];

// The layer's arguments of a fixture case (outputShape only in the several-axis output cases).
function layerArgs(c: FixtureCase) {
  const { numHeads, keyDim, valueDim, attentionAxes, outputShape } = c.attrs as {
    numHeads: number;
    keyDim: number;
    valueDim: number;
    attentionAxes: number[] | null;
    outputShape?: number[];
  };
  return { numHeads, keyDim, valueDim, attentionAxes, outputShape };
}

function runCase(c: FixtureCase, dtype: 'float64' | 'float32', flashAttention: boolean): void {
  const [rtol, atol] = dtype === 'float64' ? [1e-6, 1e-7] : [2e-4, 2e-5];
  const layer = layers.multiHeadAttention({ ...layerArgs(c), dtype, flashAttention });
  const f = (name: string) => fromFixture(c.inputs[name], dtype);
  const self = c.attrs.selfAttention as boolean;
  const query = f('query');
  const [key, value] = self ? [query, query] : [f('key'), f('value')];
  const attentionMask = c.inputs.attentionMask ? fromFixture(c.inputs.attentionMask, 'int32') : undefined;
  const run = (q: Tensor, k: Tensor, v: Tensor, scores: boolean) => layer.apply(q, { value: v, key: k, attentionMask, returnAttentionScores: scores });
  run(query, key, value, false);
  layer.setWeights(WEIGHTS.map(f));
  const [output, scores] = run(query, key, value, true) as Tensor[];
  expectTensor(output, c.outputs.output.shape, c.outputs.output.data, rtol, atol);
  expectTensor(scores, c.outputs.scores.shape, c.outputs.scores.data, rtol, atol);
  const upstream = fromFixture(c.upstream.output, dtype);
  const objective = (q: Tensor, k: Tensor, v: Tensor) => sum(mul(run(q, k, v, false) as Tensor, upstream));
  const weights = layer.trainableWeights;
  const { value: loss, grads: g } = variableGrads(() => objective(query, key, value), weights);
  loss.dispose();
  WEIGHTS.forEach((n, i) => expectClose(g[weights[i].name].dataSync(), c.grads[n].data, rtol, atol));
  const names = self ? ['query'] : ['query', 'key', 'value'];
  const inputGrads = self ? grads((x: Tensor) => objective(x, x, x))([query]) : grads(objective)([query, key, value]);
  names.forEach((n, i) => expectClose(inputGrads[i].dataSync(), c.grads[n].data, rtol, atol));
}

describe('multiHeadAttention with attentionAxes against Keras 3 (einsum in PyTorch)', () => {
  const cases = loadFixture('attention_axes', 'layers');
  it.each(cases.map((c) => [c.name, c] as const))('%s, float64 and float32', (_, c) => {
    runCase(c, 'float64', false);
    runCase(c, 'float32', false);
  });
  it.each(cases.filter((c) => !c.inputs.attentionMask).map((c) => [c.name, c] as const))('%s on the fused kernel (no attentionMask)', (_, c) => {
    // flashAttention true throws where the kernel cannot apply; without scores asked it applies.
    const layer = layers.multiHeadAttention({ ...layerArgs(c), dtype: 'float64', flashAttention: true });
    const [q, k, v] = ['query', 'key', 'value'].map((n) => fromFixture(c.inputs[n] ?? c.inputs.query));
    layer.apply(q, { value: v, key: k });
    layer.setWeights(WEIGHTS.map((n) => fromFixture(c.inputs[n])));
    expectTensor(layer.apply(q, { value: v, key: k }) as Tensor, c.outputs.output.shape, c.outputs.output.data, 1e-6, 1e-7);
  });
});

describe('multiHeadAttention attentionAxes behaviour', () => {
  const dir = tempDir();
  it('gradients match finite differences (2-D attention with an attentionMask; axis 2 causal)', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 2, attentionAxes: [1, 2], dtype: 'float64' });
    const x = randomTensor([1, 2, 3, 3], 3, 'float64');
    const y = randomTensor([1, 2, 2, 4], 4, 'float64');
    const attentionMask = tensor([1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1], [1, 2, 3, 2, 2], 'int32');
    layer.apply(x, { value: y, attentionMask });
    gradcheck((a, b) => layer.apply(a, { value: b, attentionMask }) as Tensor, [x, y]);
    const causal = layers.multiHeadAttention({ numHeads: 1, keyDim: 3, attentionAxes: 2, dtype: 'float64' });
    const z = randomTensor([2, 2, 4, 3], 5, 'float64');
    causal.apply(z, { value: z, useCausalMask: true });
    gradcheck((a) => causal.apply(a, { value: a, useCausalMask: true }) as Tensor, [z]);
  });

  it('attention over axis 2 of [B, X, T, C] is the sequence layer run on each slice of axis 1 (causal, fused and composite)', () => {
    const x = randomTensor([2, 3, 6, 4], 6, 'float64');
    const sequence = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, dtype: 'float64' });
    const slice1 = (i: number) => reshape(slice(x, [0, i, 0, 0], [2, 1, 6, 4]), [2, 6, 4]);
    sequence.apply(slice1(0), { value: slice1(0) });
    for (const flashAttention of [true, false]) {
      const axis2 = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [-2], dtype: 'float64', flashAttention });
      axis2.apply(x, { value: x });
      axis2.setWeights(sequence.getWeights());
      const got = axis2.apply(x, { value: x, useCausalMask: true }) as Tensor;
      const want = stack(
        [0, 1, 2].map((i) => sequence.apply(slice1(i), { value: slice1(i), useCausalMask: true }) as Tensor),
        1,
      );
      expect(got.shape).toEqual([2, 3, 6, 4]);
      expectClose(got.dataSync(), want.dataSync(), 1e-9, 1e-11);
    }
  });

  it('symbolic shapes, a functional model and serialization round trips', () => {
    const layer = layers.multiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [1, 2], outputShape: 7, name: 'mha2d' });
    expectConfigRoundTrip(layer);
    expect(layer.getConfig().attentionAxes).toEqual([1, 2]);
    const q = input({ shape: [3, 4, 5] });
    const v = input({ shape: [2, 3, 6] });
    const [out, scores] = layer.apply(q, { value: v, returnAttentionScores: true }) as SymbolicTensor[];
    expect(out.shape).toEqual([null, 3, 4, 7]);
    expect(scores.shape).toEqual([null, 2, 3, 4, 2, 3]);
    const m = model({ inputs: [q, v], outputs: out });
    const copy = (m.constructor as any).fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    copy.setWeights(m.getWeights());
    const [a, b] = [randomTensor([2, 3, 4, 5], 1), randomTensor([2, 2, 3, 6], 2)];
    expectClose((copy.predict([a, b]) as Tensor).dataSync(), (m.predict([a, b]) as Tensor).dataSync(), 1e-6, 1e-7);
    const axis2 = layers.multiHeadAttention({ numHeads: 3, keyDim: 2, attentionAxes: 2 });
    const x = input({ shape: [4, 5, 6] });
    const [, s2] = axis2.apply(x, { value: x, returnAttentionScores: true }) as SymbolicTensor[];
    expect(s2.shape).toEqual([null, 4, 3, 5, 5]);
    expect(axis2.getConfig().attentionAxes).toEqual([2]);
    expectConfigRoundTrip(axis2);
  });

  it('a model with attentionAxes saves to .keras (attention_axes in its config) and loads with equal outputs', async () => {
    const x = input({ shape: [3, 4, 5] });
    const m = model({ inputs: x, outputs: layers.multiHeadAttention({ numHeads: 2, keyDim: 3, attentionAxes: [2] }).apply(x, { value: x }) as SymbolicTensor });
    const file = join(dir, 'axes.keras');
    await m.save(file);
    const config = JSON.parse(Buffer.from(unzipSync(readFileSync(file))['config.json']).toString());
    expect(JSON.stringify(config)).toContain('"attention_axes":[2]');
    const loaded = await loadModel(file);
    const a = randomTensor([2, 3, 4, 5], 3);
    expectClose((loaded.predict(a) as Tensor).dataSync(), (m.predict(a) as Tensor).dataSync(), 1e-6, 1e-7);
  });

  it('rejects bad attentionAxes and inputs naming the layer, what was expected and what came', () => {
    const x = randomTensor([1, 2, 3, 4]);
    const at = (attentionAxes: unknown) => () =>
      layers.multiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: attentionAxes as never, name: 'mha' }).apply(x, { value: x });
    expect(at([3])).toThrow(/mha: attentionAxes \[3\] include the feature axis 3 \(3 of rank 4\); expected axes 1 to 2/);
    expect(at([-1])).toThrow(/mha: attentionAxes \[-1\] include the feature axis -1/);
    expect(at([0, 1])).toThrow(/mha: attentionAxes \[0, 1\] include the batch axis 0; expected axes 1 to 2/);
    expect(at([4])).toThrow(/mha: attentionAxes \[4\] out of range for inputs of rank 4 \(axes 1 to 2\), got axis 4/);
    expect(at([-5])).toThrow(/out of range for inputs of rank 4/);
    expect(at([1, -3])).toThrow(/mha: attentionAxes \[1, -3\] name one axis twice/);
    expect(at([1, 1])).toThrow(/mha: expected attentionAxes without repeats, got \[1, 1\]/);
    expect(at([1.5])).toThrow(/mha: expected attentionAxes to be null, an integer or a non-empty list of integers/);
    expect(at([])).toThrow(/non-empty list/);
    const two = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: [1, 2], name: 'two' });
    two.apply(x, { value: x });
    expect(() => two.apply(x, { value: x, useCausalMask: true })).toThrow(/two: useCausalMask needs attention over one axis, got attentionAxes \[1, 2\]/);
    expect(() => two.apply(x, { value: x, mask: [tensor([true, false], [1, 2], 'bool'), null as never] })).toThrow(
      /two: padding masks of inputs of rank 4 are not supported/,
    );
    expect(() => two.apply(x, { value: x, attentionMask: tensor([true, false, true], [1, 3], 'bool') })).toThrow(
      /two: expected attentionMask to broadcast to \[batch, \.\.\.other axes, heads, \.\.\.query attention axes, \.\.\.key attention axes\] = \[1, 1, 2, 3, 2, 3\] .*got shape \[1, 3\]/,
    );
    expect(() => two.apply(x, { value: randomTensor([1, 2, 3]) })).toThrow(
      /two: expected value of rank 4 \[batch, \.\.\.axes, features\] \(the layer was built for it\), got shape \[1, 2, 3\]/,
    );
    const axis2 = layers.multiHeadAttention({ numHeads: 1, keyDim: 2, attentionAxes: [2], name: 'ax2' });
    axis2.apply(x, { value: x });
    expect(() => axis2.apply(x, { value: randomTensor([1, 3, 3, 4]) })).toThrow(
      /ax2: expected query, value and key of one batch size and one size on the axes outside attentionAxes \[2\], got \[1, 2, 3, 4\], \[1, 3, 3, 4\]/,
    );
    expect(() => layers.multiHeadAttention({ numHeads: 1, keyDim: 2, name: 'r2' }).apply(randomTensor([2, 4]), { value: randomTensor([2, 4]) })).toThrow(
      /r2: expected query of rank 3 or more/,
    );
  });
});
