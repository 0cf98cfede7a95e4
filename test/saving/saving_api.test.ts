// ts.saving.saveModel / saveWeights / loadWeights and ts.models.saveModel: Keras 3's
// function forms of model.save / saveWeights / loadWeights.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
const mlp = () => ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [4] }), ts.layers.dense({ units: 2 })] });
const x = ts.tensor([[1, 2, 3, 4]]);

test('saveModel writes a .keras file that loadModel reads back', async () => {
  const a = mlp();
  const file = path.join(dir, 'a.keras');
  const r = await ts.saving.saveModel(a, file);
  expect(r.modelArtifactsInfo.weightDataBytes).toBeGreaterThan(0);
  const b = await ts.saving.loadModel(file);
  expectSameBits(a.apply(x) as ts.Tensor, b.apply(x) as ts.Tensor);
  expect(ts.models.saveModel).toBe(ts.saving.saveModel);
});

test('saveWeights -> loadWeights carries the weights; overwrite false refuses an existing path', async () => {
  const a = mlp();
  const b = mlp();
  const file = path.join(dir, 'w.weights.h5');
  await ts.saving.saveWeights(a, file, { overwrite: true });
  await ts.saving.loadWeights(b, file, { skip_mismatch: false } as never);
  expectSameBits(a.apply(x) as ts.Tensor, b.apply(x) as ts.Tensor);
  const before = fs.statSync(file).mtimeMs;
  await expect(ts.saving.saveWeights(a, file, { overwrite: false })).rejects.toThrow(
    /saving\.saveWeights: .*w\.weights\.h5 already exists and overwrite is false/,
  );
  await expect(ts.saving.saveModel(a, file, { overwrite: false })).rejects.toThrow(/saving\.saveModel: .* already exists/);
  expect(fs.statSync(file).mtimeMs).toBe(before);
  // overwrite false on a new path saves
  await ts.models.saveModel(a, path.join(dir, 'new-folder'), { overwrite: false, includeOptimizer: false });
  expect(fs.existsSync(path.join(dir, 'new-folder', 'model.json'))).toBe(true);
});

test('bad arguments name the function', async () => {
  const m = mlp();
  await expect(ts.saving.saveModel({} as never, 'x.keras')).rejects.toThrow(/saving\.saveModel: expected model to be a Model/);
  await expect(ts.saving.saveModel(m, 3 as never)).rejects.toThrow(/saving\.saveModel: expected a path/);
  await expect(ts.saving.saveModel(m, 'x.keras', { overwrit: true } as never)).rejects.toThrow(/saving\.saveModel: unknown option 'overwrit'/);
  await expect(ts.saving.saveWeights(m, 'x.weights.h5', { overwrite: 1 } as never)).rejects.toThrow(/saving\.saveWeights: expected overwrite/);
  await expect(ts.saving.loadWeights(m, 'x.weights.h5', { skipMismatch: true })).rejects.toThrow(/saving\.loadWeights: skipMismatch true is not supported/);
  await expect(ts.saving.loadWeights(m, path.join(dir, 'missing.weights.h5'))).rejects.toThrow(/does not exist/);
  await expect((ts.saving.loadWeights as (...a: unknown[]) => Promise<void>)(m, 'a', {}, 1)).rejects.toThrow(
    /saving\.loadWeights: expected at most 3 arguments, got 4/,
  );
});
