// A damaged .weights.h5 that sends HDF5 into an endless loop (its global heap's first
// object turned into a free-space record of size 0, which HDF5's heap parser never gets
// past): the file is read in a worker thread, which is stopped at the time limit with an
// error naming the file, and the next file still reads.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { layers, loadModel, sequential } from '../../src';
import { DEFAULT_H5_TIMEOUT_MS, h5TimeoutMs } from '../../src/saving/h5_worker';
import { tempDir } from './helpers';

const dir = tempDir();
const LOOP = path.join(__dirname, '../fixtures/hdf5/global_heap_loop.weights.h5');
// The model the fixture was saved from (before its two bytes were changed).
const mlp = () => sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
const saved = process.env.TESSERA_H5_TIMEOUT_MS;

beforeEach(() => {
  process.env.TESSERA_H5_TIMEOUT_MS = '1500';
});
afterAll(() => {
  if (saved === undefined) delete process.env.TESSERA_H5_TIMEOUT_MS;
  else process.env.TESSERA_H5_TIMEOUT_MS = saved;
});

const hang = (file: string) => `${file} did not finish reading in 1.5 s: the file is corrupt or hostile`;

test('loadWeights stops reading a file that makes HDF5 loop, naming it; the weights stay as they were', async () => {
  const model = mlp();
  const before = model.getWeights().map((w) => w.dataSync());
  await expect(model.loadWeights(LOOP)).rejects.toThrow(hang(LOOP));
  expect(model.getWeights().map((w) => w.dataSync())).toEqual(before);
});

test('the same file inside a .keras is stopped too (loadModel)', async () => {
  const keras = path.join(dir, 'loop.keras');
  await mlp().save(keras);
  const entries = unzipSync(new Uint8Array(fs.readFileSync(keras)));
  fs.writeFileSync(keras, zipSync({ ...entries, 'model.weights.h5': new Uint8Array(fs.readFileSync(LOOP)) }, { level: 0 }));
  await expect(loadModel(keras)).rejects.toThrow(hang(`${keras} (model.weights.h5)`));
});

test('after a stopped read, files read as before (weights and a .keras round trip)', async () => {
  await expect(mlp().loadWeights(LOOP)).rejects.toThrow('did not finish reading');
  // The good files get the default limit: a fresh worker's start alone can take over 1.5 s on a loaded machine.
  delete process.env.TESSERA_H5_TIMEOUT_MS;
  const model = mlp();
  const weights = path.join(dir, 'ok.weights.h5');
  await model.saveWeights(weights);
  const other = mlp();
  await other.loadWeights(weights);
  expect(other.getWeights().map((w) => w.dataSync())).toEqual(model.getWeights().map((w) => w.dataSync()));
  const keras = path.join(dir, 'ok.keras');
  await model.save(keras);
  const loaded = await loadModel(keras);
  expect(loaded.getWeights().map((w) => w.dataSync())).toEqual(model.getWeights().map((w) => w.dataSync()));
});

test('TESSERA_H5_TIMEOUT_MS: the default when unset, a clear error when not a positive whole number', async () => {
  delete process.env.TESSERA_H5_TIMEOUT_MS;
  expect(h5TimeoutMs()).toBe(DEFAULT_H5_TIMEOUT_MS);
  expect(DEFAULT_H5_TIMEOUT_MS).toBe(30_000);
  for (const bad of ['0', '-5', '1.5', 'soon']) {
    process.env.TESSERA_H5_TIMEOUT_MS = bad;
    await expect(mlp().loadWeights(LOOP)).rejects.toThrow(`TESSERA_H5_TIMEOUT_MS: expected a positive whole number of milliseconds, got '${bad}'`);
  }
});
