// keras.io's "Text generation with a miniature GPT" on Debian's fortunes: a textVectorization
// layer turns each fortune into word ids, a TokenAndPositionEmbedding layer and a
// TransformerBlock (multiHeadAttention with useCausalMask, so each position sees only
// the ones before it) predict the next word at every position, and a callback samples a
// continuation of a prompt (top-k) at the end of each epoch.
//   node dist/examples/mini_gpt.js [--quick]
import * as ts from '../src';
import { seededRandom } from './common/data';
import { readFortunes } from './common/fortunes';
import { runAsScript, type ExampleOptions } from './common/main';

/** Word embeddings plus learned position embeddings. */
class TokenAndPositionEmbedding extends ts.layers.Layer {
  tokenEmb: ts.layers.Layer;
  posEmb: ts.layers.Layer;

  constructor(maxlen: number, vocabSize: number, embedDim: number) {
    super();
    this.tokenEmb = ts.layers.embedding({ inputDim: vocabSize, outputDim: embedDim });
    this.posEmb = ts.layers.embedding({ inputDim: maxlen, outputDim: embedDim });
  }

  override call(x: ts.Tensor): ts.Tensor {
    const maxlen = x.shape[x.shape.length - 1];
    const positions = this.posEmb.apply(ts.range(0, maxlen, 1, 'int32'));
    return ts.add(this.tokenEmb.apply(x), positions);
  }
}

/** A post-norm Transformer decoder block: causal self-attention, then a feed-forward network. */
class TransformerBlock extends ts.layers.Layer {
  att: ts.layers.MultiHeadAttention;
  ffn: ts.Sequential;
  layernorm1 = ts.layers.layerNormalization({ epsilon: 1e-6 });
  layernorm2 = ts.layers.layerNormalization({ epsilon: 1e-6 });
  dropout1: ts.layers.Layer;
  dropout2: ts.layers.Layer;

  constructor(embedDim: number, numHeads: number, ffDim: number, rate = 0.1) {
    super();
    this.att = ts.layers.multiHeadAttention({ numHeads, keyDim: embedDim });
    this.ffn = ts.sequential({ layers: [ts.layers.dense({ units: ffDim, activation: 'relu' }), ts.layers.dense({ units: embedDim })] });
    this.dropout1 = ts.layers.dropout({ rate });
    this.dropout2 = ts.layers.dropout({ rate });
  }

  override call(inputs: ts.Tensor, { training }: ts.layers.CallOptions = {}): ts.Tensor {
    let attentionOutput = this.att.apply(inputs, { value: inputs, useCausalMask: true, training });
    attentionOutput = this.dropout1.apply(attentionOutput, { training });
    const out1 = this.layernorm1.apply(ts.add(inputs, attentionOutput));
    let ffnOutput = this.ffn.apply(out1, { training });
    ffnOutput = this.dropout2.apply(ffnOutput, { training });
    return this.layernorm2.apply(ts.add(out1, ffnOutput));
  }
}

interface Sizes {
  vocabSize: number;
  maxlen: number;
  embedDim: number;
  numHeads: number;
  feedForwardDim: number;
}

/** Next-word logits at every position, and the block's output (which gets no loss). */
function createModel(s: Sizes): ts.Model<'list'> {
  const inputs = ts.layers.input({ shape: [s.maxlen], dtype: 'int32' });
  let x = new TokenAndPositionEmbedding(s.maxlen, s.vocabSize, s.embedDim).apply(inputs);
  x = new TransformerBlock(s.embedDim, s.numHeads, s.feedForwardDim).apply(x);
  const outputs = ts.layers.dense({ units: s.vocabSize }).apply(x);
  const model = ts.model({ inputs, outputs: [outputs, x] });
  const lossFn = new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true });
  // No loss for the second output: y holds the next words only.
  model.compile({ optimizer: 'adam', loss: [lossFn, null] });
  return model;
}

/** At each epoch's end, continues a prompt word by word, sampling among the top-k next words. */
class TextGenerator extends ts.callbacks.Callback<ts.Model<'list'>> {
  readonly samples: string[] = [];
  private readonly random = seededRandom(9);

  constructor(
    readonly maxTokens: number,
    readonly startTokens: number[],
    readonly indexToWord: string[],
    readonly maxlen: number,
    readonly topK = 10,
  ) {
    super();
  }

  private sampleFrom(logits: number[]): number {
    const top = logits
      .map((l, i) => [l, i])
      .sort((a, b) => b[0] - a[0])
      .slice(0, this.topK);
    const weights = top.map(([l]) => Math.exp(l - top[0][0]));
    let r = this.random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < top.length; i++) if ((r -= weights[i]) <= 0) return top[i][1];
    return top[top.length - 1][1];
  }

  override onEpochEnd(): void {
    const tokens = [...this.startTokens];
    for (let generated = 0; generated < this.maxTokens; generated++) {
      // The prompt so far, padded (or cut) to maxlen; the logits at its last word predict the next.
      const window = tokens.slice(-this.maxlen);
      const sampleIndex = window.length - 1;
      const x = ts.tensor(
        Int32Array.from({ length: this.maxlen }, (_, i) => window[i] ?? 0),
        [1, this.maxlen],
        'int32',
      );
      const [y, features] = this.model!.predict(x, { verbose: 0 });
      const logits = Array.from(ts.tidy(() => ts.slice(y, [0, sampleIndex, 0], [1, 1, -1]).dataSync()));
      ts.dispose([x, y, features]);
      tokens.push(this.sampleFrom(logits));
    }
    const text = tokens.map((t) => this.indexToWord[t]).join(' ');
    this.samples.push(text);
    console.log(`generated text:\n${text}\n`);
  }
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(21);
  const sizes: Sizes = quick
    ? { vocabSize: 400, maxlen: 16, embedDim: 32, numHeads: 2, feedForwardDim: 32 }
    : { vocabSize: 20000, maxlen: 80, embedDim: 256, numHeads: 2, feedForwardDim: 256 };
  const fortunes = readFortunes().slice(0, quick ? 400 : undefined);

  // Lower case, punctuation kept as words of its own (the tutorial's custom standardization).
  const vectorizeLayer = ts.layers.textVectorization({
    standardize: (s: string) => s.toLowerCase().replace(/([!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~])/g, ' $1 '),
    maxTokens: sizes.vocabSize - 1,
    outputMode: 'int',
    outputSequenceLength: sizes.maxlen + 1,
  });
  await vectorizeLayer.adapt(fortunes);
  const vocab = vectorizeLayer.getVocabulary();

  // Inputs are every word but the last; targets are the words one step later.
  const tokenized = vectorizeLayer.apply(fortunes);
  const x = ts.slice(tokenized, [0, 0], [-1, sizes.maxlen]);
  const y = ts.slice(tokenized, [0, 1], [-1, sizes.maxlen]);
  tokenized.dispose();

  const wordToIndex = new Map(vocab.map((w, i) => [w, i]));
  const startTokens = 'this movie is'.split(' ').map((w) => wordToIndex.get(w) ?? 1);
  const textGenCallback = new TextGenerator(quick ? 5 : 40, startTokens, vocab, sizes.maxlen);

  const model = createModel(sizes);
  const history = await model.fit(x, y, { batchSize: 32, epochs: quick ? 4 : 25, verbose: 2, callbacks: [textGenCallback] });
  const losses = history.history.loss;
  model.dispose();
  ts.dispose([x, y]);
  return { firstLoss: losses[0], lastLoss: losses.at(-1)!, samples: textGenCallback.samples.length, epochs: losses.length };
}

runAsScript(module, main);
