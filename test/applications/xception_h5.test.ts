// weights given as Keras's files: a Keras 2 layout .h5 (the layout of Keras's ImageNet files)
// whose unnamed layers carry Keras 2's numbering (conv2d_1, ... where this build has conv2d,
// ...): the weights still reach their layers (by order, as Keras's load_weights pairs them);
// and Keras 3's .weights.h5. Xception then gives Keras's features (fixtures of
// scripts/fixtures/make_applications_legacy_h5_fixture.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { relativeError, sineImages } from './keras_reference';

const dir = join(__dirname, '..', 'fixtures', 'applications');

const fx = JSON.parse(readFileSync(join(dir, 'xception_constant.json'), 'utf8')) as { side: number; output: number[]; shape: number[] };

test("Xception loads a Keras 2 .h5 with Keras 2's automatic names and matches Keras", async () => {
  ts.backend.clearSession();
  const model = await ts.applications.Xception({
    weights: join(dir, 'xception_keras2_constant.h5'),
    includeTop: false,
    inputShape: [fx.side, fx.side, 3],
    pooling: 'avg',
  });
  // This build names its shortcut convolution 'conv2d'; the file's is 'conv2d_1'.
  expect(model.layers.some((l) => l.name === 'conv2d')).toBe(true);
  const y = model.apply(sineImages(2, fx.side)) as ts.Tensor;
  expect(y.shape).toEqual(fx.shape);
  expect(relativeError(y.dataSync() as Float32Array, fx.output)).toBeLessThan(1e-4);
  model.dispose();
});

test("Xception loads Keras 3's .weights.h5 of the same weights", async () => {
  const model = await ts.applications.Xception({
    weights: join(dir, 'xception_constant.weights.h5'),
    includeTop: false,
    inputShape: [fx.side, fx.side, 3],
    pooling: 'avg',
  });
  const y = model.apply(sineImages(2, fx.side)) as ts.Tensor;
  expect(relativeError(y.dataSync() as Float32Array, fx.output)).toBeLessThan(1e-4);
  model.dispose();
});
