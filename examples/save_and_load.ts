// Saving and loading: the TensorFlow.js format (a folder with model.json and
// weights.bin, readable by tf.loadLayersModel; optionally with the optimizer's state),
// Keras 3's .keras file (readable by keras.saving.load_model), and weights alone
// (.weights.h5). Each reloaded model must predict exactly what the original does.
//   node dist/examples/save_and_load.js [--quick]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../src';
import { syntheticClasses } from './common/data';
import { runAsScript, type ExampleOptions } from './common/main';

function buildModel(): ts.LayersModel {
  const x = ts.input({ shape: [8], name: 'features' });
  let h = ts.layers.dense({ units: 32, activation: 'relu' }).apply(x);
  h = ts.layers.batchNormalization().apply(h);
  h = ts.layers.dropout({ rate: 0.2 }).apply(h);
  const y = ts.layers.dense({ units: 3, activation: 'softmax', name: 'classes' }).apply(h);
  return ts.model({ name: 'classifier', inputs: x, outputs: y });
}

// The largest difference between two models' predictions on x.
function maxDifference(a: ts.Model, b: ts.Model, x: ts.Tensor): number {
  const [pa, pb] = [a.predict(x), b.predict(x)];
  const diff = ts.tidy(() => ts.max(ts.abs(ts.sub(pa, pb))).dataSync()[0]);
  ts.dispose([pa, pb]);
  return diff;
}

export async function main({ quick = false }: ExampleOptions = {}): Promise<Record<string, number>> {
  ts.setSeed(14);
  const { x, y } = syntheticClasses(quick ? 256 : 4000, 8, 3, 14);
  const model = buildModel();
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: quick ? 4 : 10, batchSize: 32, verbose: 0 });
  console.log(`trained: loss ${history.history.loss[0].toFixed(4)} -> ${history.history.loss.at(-1)!.toFixed(4)}`);

  const dir = mkdtempSync(join(tmpdir(), 'tessera-save-'));
  const loaded: ts.Model<any>[] = [];
  let worst: number;
  try {
    // 1. TensorFlow.js format, with the optimizer: the loaded model comes back compiled
    // (loss and metrics by name, Adam with its moments), so training resumes.
    const tfjsDir = join(dir, 'tfjs_model');
    await model.save(tfjsDir, { includeOptimizer: true });
    const fromTfjs = await ts.loadModel(tfjsDir);
    loaded.push(fromTfjs);
    const d1 = maxDifference(model, fromTfjs, x);
    console.log(`TF.js folder (${readdirSync(tfjsDir).join(', ')}): max prediction difference ${d1}`);
    const step = fromTfjs.optimizer!.iterations;
    const resumed = await fromTfjs.fit(x, y, { epochs: 1, batchSize: 64, verbose: 0 });
    console.log(`  training resumed at optimizer step ${step}: loss ${resumed.history.loss[0].toFixed(4)}`);

    // 2. Keras 3's .keras (a zip of config.json and model.weights.h5); configs only, so
    // compile the loaded model to train it.
    const kerasFile = join(dir, 'classifier.keras');
    await model.save(kerasFile);
    const fromKeras = await ts.loadModel(kerasFile);
    loaded.push(fromKeras);
    const d2 = maxDifference(model, fromKeras, x);
    console.log(`.keras file: max prediction difference ${d2}`);

    // 3. Weights only, into a model built by the same code (matched by layer and weight
    // names; every weight is checked before any is changed).
    const weightsFile = join(dir, 'classifier.weights.h5');
    await model.saveWeights(weightsFile);
    const rebuilt = buildModel();
    loaded.push(rebuilt);
    await rebuilt.loadWeights(weightsFile);
    const d3 = maxDifference(model, rebuilt, x);
    console.log(`.weights.h5 into a rebuilt model: max prediction difference ${d3}`);
    worst = Math.max(d1, d2, d3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const m of loaded) {
      m.optimizer?.dispose(); // the loader's Adam belongs to us
      m.dispose();
    }
    ts.dispose([x, y]);
    model.dispose();
  }
  return { firstLoss: history.history.loss[0], lastLoss: history.history.loss.at(-1)!, maxDifference: worst };
}

runAsScript(module, main);
