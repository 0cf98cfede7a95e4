// keras.io's "Character-level text generation with LSTM" on Debian's fortunes: windows of
// `maxlen` one-hot characters predict the next one (an LSTM and a softmax Dense, trained
// with categorical crossentropy and RMSprop), then text is sampled from the predicted
// distribution reweighted by a temperature ("diversity").
//   node dist/examples/char_lstm.js [--quick]
import * as ts from '../src';
import { seededRandom } from './common/data';
import { readFortunes } from './common/fortunes';
import { runAsScript, type ExampleOptions } from './common/main';

/** Draws an index from `preds` (probabilities) reweighted as softmax(log(preds) / temperature). */
function sample(preds: ArrayLike<number>, temperature: number, random: () => number): number {
  const logits = Array.from(preds, (p) => Math.log(p) / temperature);
  const top = Math.max(...logits);
  const weights = logits.map((l) => Math.exp(l - top));
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) <= 0) return i;
  return weights.length - 1;
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(11);
  const text = readFortunes()
    .join('\n')
    .toLowerCase()
    .slice(0, quick ? 6000 : 200000);
  const chars = [...new Set(text)].sort();
  const charIndices = new Map(chars.map((c, i) => [c, i]));
  console.log(`corpus length ${text.length}, ${chars.length} distinct characters`);

  // Overlapping windows every `step` characters; each predicts the character after it.
  const maxlen = quick ? 20 : 40;
  const step = 3;
  const sentences: string[] = [];
  const nextChars: string[] = [];
  for (let i = 0; i + maxlen < text.length; i += step) {
    sentences.push(text.slice(i, i + maxlen));
    nextChars.push(text[i + maxlen]);
  }
  const xData = new Uint8Array(sentences.length * maxlen * chars.length);
  const yData = new Uint8Array(sentences.length * chars.length);
  sentences.forEach((sentence, i) => {
    for (let t = 0; t < maxlen; t++) xData[(i * maxlen + t) * chars.length + charIndices.get(sentence[t])!] = 1;
    yData[i * chars.length + charIndices.get(nextChars[i])!] = 1;
  });
  const x = ts.tensor(xData, [sentences.length, maxlen, chars.length], 'bool');
  const y = ts.tensor(yData, [sentences.length, chars.length], 'bool');
  console.log(`${sentences.length} sequences`);

  const model = ts.sequential({
    layers: [
      ts.input({ shape: [maxlen, chars.length] }),
      ts.layers.lstm({ units: quick ? 32 : 128 }),
      ts.layers.dense({ units: chars.length, activation: 'softmax' }),
    ],
  });
  model.compile({ loss: 'categorical_crossentropy', optimizer: new ts.optimizers.RMSprop({ learningRate: 0.01 }) });

  const random = seededRandom(4);
  const losses: number[] = [];
  const epochs = quick ? 4 : 20;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const history = await model.fit(x, y, { batchSize: 128, epochs: 1, verbose: 2 });
    losses.push(history.history.loss[0]);
    if (quick && epoch < epochs - 1) continue;
    const start = Math.floor(random() * (text.length - maxlen - 1));
    for (const diversity of [0.2, 0.5, 1.0, 1.2]) {
      let sentence = text.slice(start, start + maxlen);
      let generated = '';
      for (let i = 0; i < (quick ? 20 : 400); i++) {
        const xPred = new Uint8Array(maxlen * chars.length);
        for (let t = 0; t < maxlen; t++) xPred[t * chars.length + charIndices.get(sentence[t])!] = 1;
        const preds = ts.tidy(() => model.predict(ts.tensor(xPred, [1, maxlen, chars.length], 'bool'), { verbose: 0 }).dataSync());
        const nextChar = chars[sample(preds, diversity, random)];
        sentence = sentence.slice(1) + nextChar;
        generated += nextChar;
      }
      console.log(`...diversity ${diversity}: "${text.slice(start, start + maxlen)}" -> "${generated}"`);
    }
  }
  model.optimizer!.dispose();
  model.dispose();
  ts.dispose([x, y]);
  // The loss of always predicting the corpus's character frequencies: the model must beat it.
  const counts = new Map<string, number>();
  for (const c of nextChars) counts.set(c, (counts.get(c) ?? 0) + 1);
  const unigram = -[...counts.values()].reduce((s, n) => s + (n / nextChars.length) * Math.log(n / nextChars.length), 0);
  console.log(`final loss ${losses.at(-1)!.toFixed(3)} nats/char, unigram ${unigram.toFixed(3)}`);
  return { firstLoss: losses[0], lastLoss: losses.at(-1)!, unigramLoss: unigram };
}

runAsScript(module, main);
