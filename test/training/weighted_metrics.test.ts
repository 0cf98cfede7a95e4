// Keras 3's metrics and weighted_metrics: compiled metrics ignore sampleWeight and
// classWeight, weightedMetrics take them (a name both share logs as weighted_<name>), and
// both survive a save.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ts from '../../src';

// A fixed classifier: the identity kernel under softmax predicts class i for one-hot row i.
function fixed(compile: Partial<ts.CompileArgs>) {
  const m = ts.sequential({
    layers: [ts.layers.dense({ units: 3, inputShape: [3], kernelInitializer: 'identity', useBias: false, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy', ...compile });
  return m;
}
const x = () => ts.eye(4, 3);
const y = () => ts.tensor([0, 1, 0, 0]); // rows 0 and 1 right, row 2 wrong (predicts 2), row 3 (all zeros) predicts 0: right
const weights = () => ts.tensor([1, 1, 6, 0]);

it('metrics ignore sample weights; weightedMetrics apply them, as weighted_<name> beside a metric of that name', async () => {
  const m = fixed({ metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
  const [xs, ys, sw] = [x(), y(), weights()];
  const logs = await m.evaluate(xs, ys, { sampleWeight: sw });
  expect(Object.keys(logs)).toEqual(['loss', 'accuracy', 'weighted_accuracy']);
  expect(logs.accuracy).toBeCloseTo(3 / 4, 6); // unweighted
  expect(logs.weighted_accuracy).toBeCloseTo(2 / 8, 6); // (1 + 1 + 0 + 0) / (1 + 1 + 6 + 0)
  const plain = await fixed({ metrics: ['accuracy'] }).evaluate(xs, ys, { sampleWeight: sw });
  expect(plain.accuracy).toBeCloseTo(3 / 4, 6);
  ts.dispose([xs, ys, sw]);
});

it('classWeight reaches the loss and weightedMetrics only', async () => {
  const m = fixed({ metrics: ['accuracy'], weightedMetrics: ['accuracy'] });
  const [xs, ys] = [x(), y()];
  const h = await m.fit(xs, ys, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, classWeight: { 0: 0, 1: 1 } });
  // Before the step's update the metrics see the fixed predictions: 3 of 4 right; weighted, only class 1 counts (right).
  expect(h.history.accuracy[0]).toBeCloseTo(3 / 4, 6);
  expect(h.history.weighted_accuracy[0]).toBeCloseTo(1, 6);
  ts.dispose([xs, ys]);
});

it('weightedMetrics are saved and compiled again by .keras and TensorFlow.js files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-weighted-'));
  try {
    const m = fixed({ metrics: ['accuracy'], weightedMetrics: ['accuracy', 'mae'] });
    for (const path of [join(dir, 'm.keras'), join(dir, 'tfjs')]) {
      await m.save(path, { includeOptimizer: true }); // TensorFlow.js folders keep the compile arguments with the optimizer
      const loaded = (await ts.loadModel(path)) as ts.Sequential;
      expect(loaded.metricsNames).toEqual(['loss', 'accuracy', 'weighted_accuracy', 'mae']);
      loaded.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('weightedMetrics are checked as metrics are', () => {
  expect(() => fixed({ weightedMetrics: 5 as never })).toThrow(/compile: expected weightedMetrics as a list/);
});
