// Text classification from raw strings: which fortune-cookie file does a fortune come from?
// Debian's fortunes (/usr/share/games/fortunes, each file a category, fortunes separated by
// lines holding '%') are written once as .txt files into one folder per class (a real
// folder of real text), read back with ts.data.textDatasetFromDirectory, and classified by
// a model whose first layer is textVectorization: the saved model takes raw strings.
// Full run (AMD EPYC, 2 shared cores): 32 categories, 2938 validation fortunes, validation
// accuracy 0.436 against 0.091 for the majority class, 539 s wall time.
//   node dist/examples/text_classification.js [--quick]
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { runAsScript, type ExampleOptions } from './common/main';

const FORTUNES = '/usr/share/games/fortunes';

/** The fortunes of each category file: skips the .dat indexes, the .u8 links and other symlinks. */
function readFortunes(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of readdirSync(FORTUNES).sort()) {
    const path = join(FORTUNES, name);
    if (name.endsWith('.dat') || name.endsWith('.u8') || !lstatSync(path).isFile()) continue;
    const fortunes = readFileSync(path, 'latin1')
      .split(/^%\s*$/m)
      .map((f) => f.trim())
      .filter((f) => f.length > 0);
    out.set(name, fortunes);
  }
  return out;
}

/** Writes `perClass` fortunes of each chosen category as dir/<category>/<i>.txt. */
function writeFolder(dir: string, fortunes: Map<string, string[]>, classes: string[], perClass: number): void {
  for (const c of classes) {
    mkdirSync(join(dir, c));
    fortunes
      .get(c)!
      .slice(0, perClass)
      .forEach((f, i) => writeFileSync(join(dir, c, `${i}.txt`), f));
  }
}

/** The labels of a dataset of [texts, labels] batches. */
async function labelsOf(ds: ts.data.Dataset<ts.data.Element>): Promise<number[]> {
  const out: number[] = [];
  for await (const e of ds) {
    const y = (e as ts.data.Element[])[1] as ts.Tensor;
    out.push(...y.dataSync());
    y.dispose();
  }
  return out;
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  if (!existsSync(FORTUNES)) throw new Error(`text_classification: ${FORTUNES} is missing (Debian's fortunes package)`);
  const started = Date.now();
  ts.setSeed(5);
  const fortunes = readFortunes();
  // The categories with enough fortunes to learn from (quick: a few, few fortunes each).
  const classes = [...fortunes.keys()].filter((c) => fortunes.get(c)!.length >= 100).slice(0, quick ? 4 : undefined);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-fortunes-'));
  writeFolder(dir, fortunes, classes, quick ? 60 : 100000);

  const [train, validation] = ts.data.textDatasetFromDirectory(dir, { validationSplit: 0.2, subset: 'both', seed: 5, batchSize: 32 });
  console.log(`classes: ${train.classNames.join(', ')}`);

  const vectorizer = ts.layers.textVectorization({ maxTokens: quick ? 2000 : 20000, outputMode: 'tf_idf', ngrams: 2 });
  // The vocabulary comes from the training texts only (the labels are not needed here).
  const texts = train.map((e) => {
    const [x, y] = e as [string[], ts.Tensor];
    y.dispose();
    return x;
  });
  await vectorizer.adapt(texts);
  const model = ts.sequential({
    layers: [
      vectorizer,
      ts.layers.dropout({ rate: 0.5 }),
      ts.layers.dense({ units: 64, activation: 'relu' }),
      ts.layers.dropout({ rate: 0.5 }),
      ts.layers.dense({ units: classes.length, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const saveDir = join(dir, 'saved');
  try {
    const history = await model.fit(train, { epochs: quick ? 3 : 8, validationData: validation, verbose: quick ? 0 : 1 });
    const logs = await model.evaluate(validation);
    const counts = new Map<number, number>();
    for (const l of await labelsOf(validation)) counts.set(l, (counts.get(l) ?? 0) + 1);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const majority = Math.max(...counts.values()) / total;
    console.log(`validation accuracy ${logs.accuracy.toFixed(3)} vs majority class ${majority.toFixed(3)} (${total} fortunes, ${classes.length} classes)`);

    // The saved model takes raw strings: its vocabulary travels in the layer's config.
    await model.save(saveDir);
    const loaded = await ts.loadModel<'single'>(saveDir);
    const samples = ['Your lucky number is 42. Never trust a computer you cannot throw out a window.', 'The law is an ass.'];
    const a = model.predict(samples);
    const b = loaded.predict(samples);
    const best = ts.argMax(b, -1);
    const guesses = (best.arraySync() as number[]).map((i) => train.classNames[i]);
    best.dispose();
    console.log(`loaded model on raw strings: ${samples.map((s, i) => `"${s}" -> ${guesses[i]}`).join('; ')}`);
    const maxDifference = ts.tidy(() => ts.max(ts.abs(ts.sub(a, b))).dataSync()[0]);
    ts.dispose([a, b]);
    loaded.optimizer?.dispose(); // the loader compiles the model with its own Adam
    loaded.dispose();
    const losses = history.history.loss;
    const seconds = (Date.now() - started) / 1000;
    console.log(`training loss ${losses[0].toFixed(4)} -> ${losses.at(-1)!.toFixed(4)}; wall time ${seconds.toFixed(1)} s`);
    return { firstLoss: losses[0], lastLoss: losses.at(-1)!, accuracy: logs.accuracy, majority, maxDifference, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.optimizer!.dispose();
    model.dispose();
  }
}

runAsScript(module, main);
