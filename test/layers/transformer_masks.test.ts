// transformerEncoder / transformerDecoder with KerasHub's mask options (paddingMask,
// attentionMask; decoderPaddingMask, decoderAttentionMask, encoderPaddingMask,
// encoderAttentionMask), eagerly and in a functional model, against PyTorch's
// nn.TransformerEncoderLayer / nn.TransformerDecoderLayer given the masks merged as
// KerasHub's merge_padding_and_attention_mask does (test/fixtures/layers/transformer_masks.json,
// made by scripts/fixtures/make_transformer_mask_fixtures.py).
import { input, layers, model, tensor, type Tensor } from '../../src';
import type { TransformerDecoder, TransformerEncoder } from '../../src/layers/transformer';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectClose, randomTensor } from '../helpers/reference';

const cases = loadFixture('transformer_masks', 'layers');
const caseNamed = (name: string): FixtureCase => cases.find((c) => c.name === name)!;
const MHA = ['query_kernel', 'query_bias', 'key_kernel', 'key_bias', 'value_kernel', 'value_bias', 'output_kernel', 'output_bias'];
const TOL: [number, number] = [2e-4, 2e-5];

const encoderCase = caseNamed('encoder_padding_and_attention_mask');
const decoderCase = caseNamed('decoder_all_masks');
const f = (c: FixtureCase, n: string) => fromFixture(c.inputs[n], 'float32');
const int = (c: FixtureCase, n: string) => fromFixture(c.inputs[n], 'int32');
const bool = (c: FixtureCase, n: string) =>
  tensor(
    c.inputs[n].data.map((v) => v === 1),
    c.inputs[n].shape,
    'bool',
  );

function setEncoderWeights(enc: TransformerEncoder): void {
  const c = encoderCase;
  enc.selfAttentionLayer!.setWeights(MHA.map((n) => f(c, `sa_${n}`)));
  enc.selfAttentionLayerNorm!.setWeights([f(c, 'ln1_gamma'), f(c, 'ln1_beta')]);
  enc.feedforwardIntermediateDense!.setWeights([f(c, 'ff1_kernel'), f(c, 'ff1_bias')]);
  enc.feedforwardOutputDense!.setWeights([f(c, 'ff2_kernel'), f(c, 'ff2_bias')]);
  enc.feedforwardLayerNorm!.setWeights([f(c, 'ln2_gamma'), f(c, 'ln2_beta')]);
}

function setDecoderWeights(dec: TransformerDecoder): void {
  const c = decoderCase;
  dec.selfAttentionLayer!.setWeights(MHA.map((n) => f(c, `sa_${n}`)));
  dec.selfAttentionLayerNorm!.setWeights([f(c, 'ln1_gamma'), f(c, 'ln1_beta')]);
  dec.crossAttentionLayer!.setWeights(MHA.map((n) => f(c, `ca_${n}`)));
  dec.crossAttentionLayerNorm!.setWeights([f(c, 'ln2_gamma'), f(c, 'ln2_beta')]);
  dec.feedforwardIntermediateDense!.setWeights([f(c, 'ff1_kernel'), f(c, 'ff1_bias')]);
  dec.feedforwardOutputDense!.setWeights([f(c, 'ff2_kernel'), f(c, 'ff2_bias')]);
  dec.feedforwardLayerNorm!.setWeights([f(c, 'ln3_gamma'), f(c, 'ln3_beta')]);
}

const newEncoder = () => layers.transformerEncoder({ intermediateDim: 12, numHeads: 2 });
const newDecoder = () => layers.transformerDecoder({ intermediateDim: 12, numHeads: 2 });
const expectReference = (y: Tensor, c: FixtureCase) => expectClose(y.dataSync(), c.outputs.y.data, ...TOL);

describe('transformerEncoder: paddingMask and attentionMask (KerasHub)', () => {
  it('eagerly: merged as KerasHub merges them, as PyTorch with the merged mask; 1/0 and booleans alike', () => {
    const c = encoderCase;
    const enc = newEncoder();
    enc.apply(f(c, 'x'));
    setEncoderWeights(enc);
    expectReference(enc.apply(f(c, 'x'), { paddingMask: int(c, 'paddingMask'), attentionMask: int(c, 'attentionMask') }), c);
    expectReference(enc.apply(f(c, 'x'), { paddingMask: bool(c, 'paddingMask'), attentionMask: bool(c, 'attentionMask') }), c);
    // Without the masks the output differs (the test can fail).
    expect(() => expectReference(enc.apply(f(c, 'x')), c)).toThrow();
  });

  it("paddingMask replaces the input's own mask; alone it equals the mask option", () => {
    const c = encoderCase;
    const enc = newEncoder();
    const x = f(c, 'x');
    const viaOption = enc.apply(x, { paddingMask: int(c, 'paddingMask') });
    const viaMask = enc.apply(x, { mask: bool(c, 'paddingMask') });
    expectClose(viaOption.dataSync(), viaMask.dataSync(), 2e-5, 2e-6);
    const allOnes = tensor(new Array(10).fill(1), [2, 5], 'int32');
    expectClose(enc.apply(x, { mask: bool(c, 'paddingMask'), paddingMask: allOnes }).dataSync(), enc.apply(x).dataSync(), 2e-5, 2e-6);
  });

  it('in a functional model the masks are graph inputs; the model gives the reference', () => {
    const c = encoderCase;
    const x = input({ shape: [5, 8] });
    const pad = input({ shape: [5], dtype: 'int32' });
    const attn = input({ shape: [5, 5], dtype: 'int32' });
    const enc = newEncoder();
    const y = enc.apply(x, { paddingMask: pad, attentionMask: attn });
    expect(enc.inboundNodes[0].inputs).toHaveLength(3);
    const m = model({ inputs: [x, pad, attn], outputs: y });
    setEncoderWeights(enc);
    expectReference(m.predict([f(c, 'x'), int(c, 'paddingMask'), int(c, 'attentionMask')]) as Tensor, c);
  });

  it('errors name the layer and the option', () => {
    const enc = newEncoder();
    const x = randomTensor([2, 5, 8]);
    expect(() => enc.apply(x, { paddingMask: randomTensor([2, 5, 1]) })).toThrow(
      /transformer_encoder.*: expected paddingMask \[batch, sequence length\] = \[2, 5\], got shape \[2, 5, 1\]/,
    );
    expect(() => enc.apply(x, { attentionMask: randomTensor([2, 5]) })).toThrow(
      /expected attentionMask \[batch, query length, key length\] = \[2, 5, 5\], got shape \[2, 5\]/,
    );
    expect(() => enc.apply(x, { paddingMsk: randomTensor([2, 5]) } as never)).toThrow(/unknown option 'paddingMsk'; did you mean 'paddingMask'\?/);
    expect(() => enc.apply([x] as never, { paddingMask: randomTensor([2, 5]) })).toThrow(/expected inputs to be a Tensor or SymbolicTensor/);
  });
});

describe('transformerDecoder: decoder and encoder padding / attention masks (KerasHub)', () => {
  const args = (c: FixtureCase, pick: (c: FixtureCase, n: string) => Tensor) => ({
    encoderSequence: f(c, 'encoder'),
    decoderPaddingMask: pick(c, 'decoderPaddingMask'),
    decoderAttentionMask: pick(c, 'decoderAttentionMask'),
    encoderPaddingMask: pick(c, 'encoderPaddingMask'),
    encoderAttentionMask: pick(c, 'encoderAttentionMask'),
  });

  it('eagerly: and-ed with the causal mask, as PyTorch with the merged masks', () => {
    const c = decoderCase;
    const dec = newDecoder();
    dec.apply(f(c, 'x'), { encoderSequence: f(c, 'encoder') });
    setDecoderWeights(dec);
    expectReference(dec.apply(f(c, 'x'), args(c, int)), c);
    expectReference(dec.apply(f(c, 'x'), args(c, bool)), c);
    expect(() => expectReference(dec.apply(f(c, 'x'), { encoderSequence: f(c, 'encoder') }), c)).toThrow();
  });

  it("the padding masks equal the sequences' own masks given as the mask option", () => {
    const c = decoderCase;
    const dec = newDecoder();
    const x = f(c, 'x');
    const a = dec.apply(x, {
      encoderSequence: f(c, 'encoder'),
      decoderPaddingMask: int(c, 'decoderPaddingMask'),
      encoderPaddingMask: int(c, 'encoderPaddingMask'),
    });
    const b = dec.apply(x, { encoderSequence: f(c, 'encoder'), mask: [bool(c, 'decoderPaddingMask'), bool(c, 'encoderPaddingMask')] });
    expectClose(a.dataSync(), b.dataSync(), 2e-5, 2e-6);
  });

  it('in a functional model (the first call builds the cross-attention) the model gives the reference', () => {
    const c = decoderCase;
    const x = input({ shape: [4, 8] });
    const e = input({ shape: [6, 8] });
    const masks = [
      input({ shape: [4], dtype: 'int32' }),
      input({ shape: [4, 4], dtype: 'int32' }),
      input({ shape: [6], dtype: 'int32' }),
      input({ shape: [4, 6], dtype: 'int32' }),
    ];
    const dec = newDecoder();
    const y = dec.apply(x, {
      encoderSequence: e,
      decoderPaddingMask: masks[0],
      decoderAttentionMask: masks[1],
      encoderPaddingMask: masks[2],
      encoderAttentionMask: masks[3],
    });
    expect(dec.crossAttentionLayer).not.toBeNull();
    const m = model({ inputs: [x, e, ...masks], outputs: y });
    setDecoderWeights(dec);
    const names = ['decoderPaddingMask', 'decoderAttentionMask', 'encoderPaddingMask', 'encoderAttentionMask'];
    expectReference(m.predict([f(c, 'x'), f(c, 'encoder'), ...names.map((n) => int(c, n))]) as Tensor, c);
  });

  it('a decoder-only block takes decoder masks; encoder masks without an encoder sequence are an error', () => {
    const dec = newDecoder();
    const x = randomTensor([2, 4, 8]);
    const y = dec.apply(x, { decoderPaddingMask: tensor([1, 1, 1, 0, 1, 1, 1, 1], [2, 4], 'int32') });
    expect(y.shape).toEqual([2, 4, 8]);
    expect(() => dec.apply(x, { encoderPaddingMask: tensor([1, 1, 1, 0, 1, 1, 1, 1], [2, 4], 'int32') })).toThrow(
      /transformer_decoder.*: encoderPaddingMask and encoderAttentionMask go with an encoderSequence, got none/,
    );
    expect(() => dec.apply(x, { decoderAttentionMask: randomTensor([2, 4]) })).toThrow(
      /expected decoderAttentionMask \[batch, query length, key length\] = \[2, 4, 4\], got shape \[2, 4\]/,
    );
    expect(() => dec.apply(x, { decoderPaddingMask: tensor([1, 1, 1], [1, 3], 'int32') })).toThrow(
      /expected decoderPaddingMask \[batch, sequence length\] = \[2, 4\], got shape \[1, 3\]/,
    );
  });
});
