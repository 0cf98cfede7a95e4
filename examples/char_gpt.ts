// A small GPT on real text: a decoder-only Transformer (token + position embedding, pre-norm
// transformerDecoder blocks with causal self-attention and a GELU feed-forward, a final
// layer norm and a projection to the characters) trained on the fortune-cookie corpus of
// Debian's `fortunes` package (apt-get install fortunes). It reports validation bits per
// character after each epoch beside the unigram baseline, then samples text with a
// temperature and top-k.
//   node dist/examples/char_gpt.js [--quick]
import * as ts from '../src';
import { readFortunes } from './common/fortunes';
import { runAsScript, type ExampleOptions } from './common/main';

/** Characters seen at least `minCount` times get ids 1..; the rest share id 0. */
function vocabulary(text: string, minCount: number): { ids: Map<string, number>; chars: string[] } {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  const chars = [
    '\u00bf',
    ...[...counts]
      .filter(([, n]) => n >= minCount)
      .map(([c]) => c)
      .sort(),
  ];
  return { ids: new Map(chars.map((c, i) => [c, i])), chars };
}

const encode = (text: string, ids: Map<string, number>) => Int32Array.from(text, (c) => ids.get(c) ?? 0);

/** Bits per character of the unigram model fitted on `train`, measured on `valid`. */
function unigramBits(train: Int32Array, valid: Int32Array, vocab: number): number {
  const counts = new Float64Array(vocab).fill(1);
  for (const id of train) counts[id]++;
  const total = counts.reduce((a, b) => a + b, 0);
  let bits = 0;
  for (const id of valid) bits -= Math.log2(counts[id] / total);
  return bits / valid.length;
}

/** `count` windows of `context + 1` characters starting at random places: inputs and the next characters. */
function batch(data: Int32Array, count: number, context: number, random: () => number): { x: ts.Tensor; y: ts.Tensor } {
  const x = new Int32Array(count * context);
  const y = new Int32Array(count * context);
  for (let b = 0; b < count; b++) {
    const start = Math.floor(random() * (data.length - context - 1));
    x.set(data.subarray(start, start + context), b * context);
    y.set(data.subarray(start + 1, start + context + 1), b * context);
  }
  return { x: ts.tensor(x, [count, context], 'int32'), y: ts.tensor(y, [count, context], 'int32') };
}

/** A deterministic stream of numbers in [0, 1) (mulberry32). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Config {
  context: number;
  width: number;
  layers: number;
  heads: number;
  batchSize: number;
  /** Quick runs count steps; full runs train for a time budget per epoch (2 cores shared with other work go further when free). */
  stepsPerEpoch: number;
  secondsPerEpoch: number;
  epochs: number;
  validBatches: number;
}

function gpt(vocab: number, c: Config): ts.Sequential {
  return ts.sequential({
    layers: [
      ts.layers.tokenAndPositionEmbedding({ vocabularySize: vocab, sequenceLength: c.context, embeddingDim: c.width, inputShape: [null] }),
      ...Array.from({ length: c.layers }, () =>
        ts.layers.transformerDecoder({ intermediateDim: 4 * c.width, numHeads: c.heads, normalizeFirst: true, activation: 'gelu', layerNormEpsilon: 1e-5 }),
      ),
      ts.layers.layerNormalization({ epsilon: 1e-5 }),
      ts.layers.dense({ units: vocab }),
    ],
  });
}

/** Next character after `prompt`: softmax(logits / temperature) over the `topK` likeliest. */
function sampleNext(model: ts.Sequential, context: Int32Array, temperature: number, topK: number, random: () => number): number {
  const logits = ts.tidy(() => {
    const x = ts.tensor(context, [1, context.length], 'int32');
    const y = model.predict(x);
    return Array.from(ts.slice(y, [0, context.length - 1, 0], [1, 1, y.shape[2]]).dataSync());
  });
  const top = logits
    .map((l, i) => [l / temperature, i])
    .sort((a, b) => b[0] - a[0])
    .slice(0, topK);
  const m = top[0][0];
  const weights = top.map(([l]) => Math.exp(l - m));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < top.length; i++) if ((r -= weights[i]) <= 0) return top[i][1];
  return top[top.length - 1][1];
}

function sample(
  model: ts.Sequential,
  prompt: string,
  length: number,
  c: Config,
  ids: Map<string, number>,
  chars: string[],
  temperature: number,
  topK: number,
): string {
  const random = mulberry32(7);
  let text = prompt;
  for (let i = 0; i < length; i++) {
    const context = encode(text.slice(-c.context), ids);
    text += chars[sampleNext(model, context, temperature, topK, random)];
  }
  return text;
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(18);
  const started = Date.now();
  const config: Config = quick
    ? { context: 32, width: 32, layers: 2, heads: 2, batchSize: 8, stepsPerEpoch: 12, secondsPerEpoch: Infinity, epochs: 2, validBatches: 2 }
    : { context: 128, width: 128, layers: 4, heads: 4, batchSize: 16, stepsPerEpoch: Infinity, secondsPerEpoch: 40, epochs: 6, validBatches: 4 };
  const fortunes = readFortunes();
  const split = Math.floor(fortunes.length * 0.9);
  const trainText = fortunes.slice(0, split).join('\n%\n');
  const validText = fortunes.slice(split).join('\n%\n');
  const { ids, chars } = vocabulary(trainText, 20);
  const train = encode(trainText, ids);
  const valid = encode(validText, ids);
  const baseline = unigramBits(train, valid, chars.length);
  console.log(
    `${fortunes.length} fortunes, ${train.length} training and ${valid.length} validation characters, ${chars.length} symbols; unigram baseline ${baseline.toFixed(3)} bits/char`,
  );

  const model = gpt(chars.length, config);
  model.compile({
    optimizer: new ts.optimizers.Adam({ learningRate: quick ? 3e-3 : 2e-3 }),
    loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }),
  });
  console.log(`${model.countParams()} parameters; context ${config.context}, width ${config.width}, ${config.layers} blocks of ${config.heads} heads`);

  // A fixed validation set: the same windows every epoch.
  const validRandom = mulberry32(99);
  const validSet = Array.from({ length: config.validBatches }, () => batch(valid, config.batchSize, config.context, validRandom));
  const validBits = () => validSet.reduce((s, b) => s + model.testOnBatch(b.x, b.y).loss, 0) / validSet.length / Math.LN2;

  const random = mulberry32(1);
  const losses: number[] = [];
  const bitsPerEpoch: number[] = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const epochStart = Date.now();
    let steps = 0;
    while (steps < config.stepsPerEpoch && (Date.now() - epochStart) / 1000 < config.secondsPerEpoch) {
      const { x, y } = batch(train, config.batchSize, config.context, random);
      losses.push(model.trainOnBatch(x, y).loss);
      ts.dispose([x, y]);
      steps++;
    }
    bitsPerEpoch.push(validBits());
    const recent = losses.slice(-steps);
    console.log(
      `epoch ${epoch} (${steps} steps of ${config.batchSize} x ${config.context}): train ${(recent.reduce((a, b) => a + b, 0) / recent.length / Math.LN2).toFixed(3)} bits/char, ` +
        `validation ${bitsPerEpoch.at(-1)!.toFixed(3)} bits/char (unigram ${baseline.toFixed(3)}), ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  for (const [temperature, topK] of [
    [0.8, 10],
    [1.0, 40],
  ] as const) {
    console.log(
      `\n--- sample (temperature ${temperature}, top-k ${topK}) ---\n${sample(model, 'The ', quick ? 20 : 200, config, ids, chars, temperature, topK)}`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nwall time ${seconds.toFixed(0)} s`);
  for (const b of validSet) ts.dispose([b.x, b.y]);
  model.optimizer!.dispose();
  model.dispose();
  const head = losses.slice(0, 3);
  const tail = losses.slice(-3);
  return {
    firstLoss: head.reduce((a, b) => a + b, 0) / head.length,
    lastLoss: tail.reduce((a, b) => a + b, 0) / tail.length,
    validationBits: bitsPerEpoch.at(-1)!,
    unigramBits: baseline,
    seconds,
  };
}

runAsScript(module, main);
