// Normalization keeps Keras 3's scalar 'count' weight beside mean and variance, so Keras's
// weight files of a model with one (EfficientNet's imagenet files among them) load: both
// layouts, and the same output (scripts/fixtures/make_normalization_count_fixture.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../../src';

const DIR = join(__dirname, '../../fixtures/normalization_count');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as { x: number[][]; y: number[][]; weights: string[] };

function model(): ts.Functional {
  const inp = ts.input({ shape: [4] });
  const normalized = ts.layers.normalization({ name: 'normalization' }).apply(inp) as ts.SymbolicTensor;
  return new ts.Functional({ inputs: inp, outputs: ts.layers.dense({ units: 2, name: 'd' }).apply(normalized) as ts.SymbolicTensor });
}

test("the weights are Keras's: mean, variance, count (an integer scalar, 0), then the next layer's", () => {
  const m = model();
  const norm = m.layers[1] as ts.layers.Normalization;
  expect(norm.ownWeights().map((w) => `${norm.name}/${w.name}`)).toEqual(expected.weights.slice(0, 3));
  expect(norm.count!.shape).toEqual([]);
  expect(norm.count!.dtype).toBe('int32');
  expect(norm.count!.trainable).toBe(false);
  expect(norm.countParams()).toBe(4 + 4 + 1);
  expect(norm.count!.dataSync()[0]).toBe(0);
  // Given statistics: no weights at all, as in Keras.
  const given = ts.layers.normalization({ mean: 1, variance: 2 });
  given.apply(ts.ones([2, 3]));
  expect(given.weights).toEqual([]);
});

test.each(['model.weights.h5', 'model.h5'])('%s from Keras loads and gives Keras’s output', async (file) => {
  const m = model();
  await m.loadWeights(join(DIR, file));
  const y = m.predict(ts.tensor(expected.x)) as ts.Tensor;
  const got = y.arraySync() as number[][];
  got.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.y.flat()[i], 5));
});
