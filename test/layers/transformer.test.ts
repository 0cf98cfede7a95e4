// transformerEncoder against nn.TransformerEncoderLayer (post/pre-norm, relu/gelu, padding),
// transformerDecoder (causality, cross-attention, GPT in a Sequential), group/rms/unit
// normalization and rotary embedding against PyTorch formulas, position embeddings, configs,
// gradients and errors.
import { input, layers, model, sequential, slice, tensor, type Tensor } from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

const cases = loadFixture('attention', 'layers');
const MHA = ['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'output_kernel', 'output_bias'];

function runEncoder(c: FixtureCase, dtype: 'float64' | 'float32'): void {
  const f = (n: string) => fromFixture(c.inputs[n], dtype === 'float64' ? 'float64' : 'float32');
  const enc = layers.transformerEncoder({
    intermediateDim: c.attrs.intermediateDim as number,
    numHeads: c.attrs.numHeads as number,
    normalizeFirst: c.attrs.normalizeFirst as boolean,
    activation: c.attrs.activation as 'relu',
    dtype,
  });
  const x = f('x');
  const mask = c.inputs.mask
    ? tensor(
        c.inputs.mask.data.map((v) => v === 1),
        c.inputs.mask.shape,
        'bool',
      )
    : undefined;
  enc.apply(x);
  enc.selfAttentionLayer!.setWeights(MHA.map(f));
  enc.selfAttentionLayerNorm!.setWeights([f('ln1_gamma'), f('ln1_beta')]);
  enc.feedforwardIntermediateDense!.setWeights([f('ff1_kernel'), f('ff1_bias')]);
  enc.feedforwardOutputDense!.setWeights([f('ff2_kernel'), f('ff2_bias')]);
  enc.feedforwardLayerNorm!.setWeights([f('ln2_gamma'), f('ln2_beta')]);
  const y = enc.apply(x, { mask });
  const [rtol, atol] = dtype === 'float64' ? [1e-6, 1e-7] : [2e-4, 2e-5];
  const want = c.outputs.y;
  // PyTorch's fast path leaves padded steps undefined; compare the real ones (row-major [b, t, d]).
  const [b, t, d] = want.shape;
  for (let i = 0; i < b; i++) {
    const real = mask ? c.inputs.mask.data.slice(i * t, (i + 1) * t).filter((v) => v === 1).length : t;
    expectClose(slice(y, [i, 0, 0], [1, real, d]).dataSync(), want.data.slice(i * t * d, i * t * d + real * d), rtol, atol);
  }
}

describe('transformerEncoder against nn.TransformerEncoderLayer', () => {
  const enc = cases.filter((c) => c.name.startsWith('encoder')).map((c) => [c.name, c] as const);
  it.each(enc)('float64: %s', (_, c) => runEncoder(c, 'float64'));
  it.each(enc)('float32: %s', (_, c) => runEncoder(c, 'float32'));
});

describe('normalizations and rotary embedding against PyTorch', () => {
  const c = cases.find((k) => k.name === 'norms_rotary')!;
  const x = fromFixture(c.inputs.x);
  it('groupNormalization (4 groups over 8 channels, channels last)', () => {
    const g = layers.groupNormalization({ groups: 4, dtype: 'float64' });
    g.apply(x);
    g.setWeights([fromFixture(c.inputs.gamma), fromFixture(c.inputs.beta)]);
    expectTensor(g.apply(x), c.outputs.group.shape, c.outputs.group.data, 1e-6, 1e-7);
    gradcheck((v) => g.apply(v), [x]);
  });
  it('rmsNormalization', () => {
    const r = layers.rmsNormalization({ dtype: 'float64' });
    r.apply(x);
    r.setWeights([fromFixture(c.inputs.scale)]);
    expectTensor(r.apply(x), c.outputs.rms.shape, c.outputs.rms.data, 1e-6, 1e-7);
    gradcheck((v) => r.apply(v), [x]);
  });
  it('rotaryEmbedding', () => {
    const r = layers.rotaryEmbedding({ dtype: 'float64' });
    expectTensor(r.apply(x), c.outputs.rotary.shape, c.outputs.rotary.data, 1e-6, 1e-7);
    gradcheck((v) => r.apply(v), [x]);
  });
  it('unitNormalization', () => {
    const u = layers.unitNormalization({ dtype: 'float64' });
    const y = u.apply(x).dataSync();
    const v = x.dataSync();
    for (let row = 0; row < 6; row++) {
      const n = Math.hypot(...Array.from(v.slice(row * 8, row * 8 + 8)));
      for (let j = 0; j < 8; j++) expect(y[row * 8 + j]).toBeCloseTo(v[row * 8 + j] / n, 10);
    }
  });
});

describe('transformerDecoder, position embeddings', () => {
  it('a GPT block is causal: output at step t unchanged when later tokens change', () => {
    const dec = layers.transformerDecoder({ intermediateDim: 16, numHeads: 2, normalizeFirst: true, activation: 'gelu' });
    const a = randomTensor([1, 6, 8], 5);
    const changed = tensor([...a.dataSync().slice(0, 4 * 8), ...randomTensor([1, 2, 8], 9).dataSync()], [1, 6, 8]);
    const ya = dec.apply(a);
    const yb = dec.apply(changed);
    expectClose(slice(yb, [0, 0, 0], [1, 4, 8]).dataSync(), slice(ya, [0, 0, 0], [1, 4, 8]).dataSync(), 1e-5, 1e-6);
  });

  it('cross-attention: functional encoder-decoder trains gradients to every weight and round-trips its config', () => {
    const src = input({ shape: [7], dtype: 'int32' });
    const tgt = input({ shape: [5], dtype: 'int32' });
    const encoded = layers
      .transformerEncoder({ intermediateDim: 12, numHeads: 2 })
      .apply(layers.tokenAndPositionEmbedding({ vocabularySize: 11, sequenceLength: 7, embeddingDim: 6, maskZero: true }).apply(src));
    const dec = layers.transformerDecoder({ intermediateDim: 12, numHeads: 3 });
    const decoded = dec.apply(layers.tokenAndPositionEmbedding({ vocabularySize: 11, sequenceLength: 5, embeddingDim: 6 }).apply(tgt), {
      encoderSequence: encoded,
    });
    const m = model({ inputs: [src, tgt], outputs: layers.dense({ units: 11 }).apply(decoded) });
    const xs = [
      tensor(
        [
          [1, 2, 3, 0, 0, 0, 0],
          [4, 5, 6, 7, 8, 9, 1],
        ],
        [2, 7],
        'int32',
      ),
      tensor(
        [
          [1, 2, 3, 4, 5],
          [5, 4, 3, 2, 1],
        ],
        [2, 5],
        'int32',
      ),
    ];
    const y = m.predict(xs) as Tensor;
    expect(y.shape).toEqual([2, 5, 11]);
    expect(dec.crossAttentionLayer).not.toBeNull();
    const copy = (m.constructor as any).fromConfig(JSON.parse(JSON.stringify(m.getConfig())));
    copy.setWeights(m.getWeights());
    expectClose((copy.predict(xs) as Tensor).dataSync(), y.dataSync(), 1e-5, 1e-6);
  });

  it('GPT in a Sequential: tokenAndPositionEmbedding -> decoders -> dense, fits, summary', () => {
    const gpt = sequential({
      layers: [
        layers.tokenAndPositionEmbedding({ vocabularySize: 9, sequenceLength: 8, embeddingDim: 8, inputShape: [8] }),
        layers.transformerDecoder({ intermediateDim: 16, numHeads: 2, normalizeFirst: true, activation: 'gelu', dropout: 0.1 }),
        layers.dense({ units: 9 }),
      ],
    });
    gpt.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
    const lines: string[] = [];
    gpt.summary(undefined, undefined, (l: string) => lines.push(l));
    expect(lines.join('\n')).toMatch(/transformer_decoder/);
    for (const l of gpt.layers) expectConfigRoundTrip(l);
  });

  it('gradients reach every weight; encoder gradcheck in float64', () => {
    const enc = layers.transformerEncoder({ intermediateDim: 5, numHeads: 2, dtype: 'float64' });
    const x = randomTensor([2, 3, 4], 2, 'float64');
    expectGradientsToAllWeights(enc, x);
    gradcheck((v) => enc.apply(v), [x]);
    const pos = layers.positionEmbedding({ sequenceLength: 5 });
    expectGradientsToAllWeights(pos, randomTensor([2, 3, 4]));
  });

  it('rejects bad input naming the layer and argument', () => {
    expect(() => layers.transformerEncoder({ intermediateDim: 8, numHeads: 3 }).apply(randomTensor([1, 2, 8]))).toThrow(
      /transformer_encoder.*numHeads \(3\) to divide the width of the input, got width 8/,
    );
    expect(() => layers.groupNormalization({ groups: 3 }).apply(randomTensor([1, 2, 8]))).toThrow(
      /group_normalization.*groups \(3\) to divide the number of channels, got 8/,
    );
    expect(() => layers.positionEmbedding({ sequenceLength: 2 }).apply(randomTensor([1, 3, 4]))).toThrow(
      /position_embedding.*at most sequenceLength = 2 steps, got shape \[1, 3, 4\]/,
    );
    expect(() => layers.rotaryEmbedding().apply(randomTensor([1, 3, 5]))).toThrow(/rotary_embedding.*even number of features/);
    const dec = layers.transformerDecoder({ intermediateDim: 8, numHeads: 2 });
    dec.apply(randomTensor([1, 3, 4]));
    expect(() => dec.apply(randomTensor([1, 3, 4]), { encoderSequence: randomTensor([1, 2, 4]) })).toThrow(/built without cross-attention/);
  });
});
