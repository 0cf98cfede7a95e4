// model.save and saveWeights resolve to TensorFlow.js's SaveResult; its byte counts are
// checked against the files on disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, sequential, type SaveResult } from '../../src';
import { readZip } from '../../src/saving/zip';
import { tempDir } from './helpers';

const dir = tempDir();
let count = 0;
const fresh = (ext = '') => path.join(dir, `m${count++}${ext}`);

function compiledModel() {
  const m = sequential({ layers: [layers.dense({ units: 3, inputShape: [4], name: 'hidden' }), layers.dense({ units: 2, name: 'out' })] });
  m.compile({ optimizer: 'adam', loss: 'mse' });
  return m;
}

const utf8 = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const fileBytes = (folder: string, names: string[]) => names.reduce((n, f) => n + fs.statSync(path.join(folder, f)).size, 0);

function expectInfo(result: SaveResult, before: number) {
  expect(Object.keys(result)).toEqual(['modelArtifactsInfo']);
  const info = result.modelArtifactsInfo;
  expect(info.dateSaved).toBeInstanceOf(Date);
  expect(info.dateSaved.getTime()).toBeGreaterThanOrEqual(before);
  expect(info.modelTopologyType).toBe('JSON');
  return info;
}

// What a folder's JSON file says: its topology and weight specs, and the bytes of the weights files it names.
function folderCounts(folder: string, jsonName: string) {
  const json = JSON.parse(fs.readFileSync(path.join(folder, jsonName), 'utf8'));
  const groups = json.weightsManifest as { paths: string[]; weights: unknown[] }[];
  return {
    topology: json.modelTopology,
    specs: utf8(groups.flatMap((g) => g.weights)),
    data: fileBytes(
      folder,
      groups.flatMap((g) => g.paths),
    ),
  };
}

test.each([false, true])('a TensorFlow.js folder (includeOptimizer %s): the counts of model.json and the weights files', async (includeOptimizer) => {
  const m = compiledModel();
  await m.fit([[1, 2, 3, 4]], [[0, 1]], { epochs: 1, verbose: 0 });
  const where = fresh();
  const before = Date.now();
  const info = expectInfo(await m.save(where, { includeOptimizer }), before);
  const disk = folderCounts(where, 'model.json');
  expect(info.modelTopologyBytes).toBe(utf8(disk.topology));
  expect(info.weightSpecsBytes).toBe(disk.specs);
  expect(info.weightDataBytes).toBe(disk.data);
  // 3*4+3 + 2*3+2 float32 weights; Adam adds two slots per weight and its int32 iteration count.
  expect(info.weightDataBytes).toBe(includeOptimizer ? 4 * 23 * 3 + 4 : 4 * 23);
  // The same as a file:// URL.
  expect((await m.save(`file://${fresh()}`)).modelArtifactsInfo.weightDataBytes).toBe(4 * 23);
});

test('a .keras file: config.json is the topology, model.weights.h5 the weight data (its specs are inside it)', async () => {
  const where = fresh('.keras');
  const before = Date.now();
  const info = expectInfo(await compiledModel().save(where), before);
  const entries = readZip(where, new Uint8Array(fs.readFileSync(where)));
  expect(info.modelTopologyBytes).toBe(entries.get('config.json')!.byteLength);
  expect(info.weightDataBytes).toBe(entries.get('model.weights.h5')!.byteLength);
  expect(info.weightSpecsBytes).toBe(0);
});

test('saveWeights: a .weights.h5 file, and a folder of weights.json + weights files; no topology', async () => {
  const m = compiledModel();
  const h5 = fresh('.weights.h5');
  const before = Date.now();
  const info = expectInfo(await m.saveWeights(h5), before);
  expect(info).toMatchObject({ modelTopologyBytes: 0, weightSpecsBytes: 0, weightDataBytes: fs.statSync(h5).size });

  const folder = fresh();
  const folderInfo = expectInfo(await m.saveWeights(folder), before);
  const disk = folderCounts(folder, 'weights.json');
  expect(folderInfo).toMatchObject({ modelTopologyBytes: 0, weightSpecsBytes: disk.specs, weightDataBytes: disk.data });
  expect(folderInfo.weightDataBytes).toBe(4 * 23);
});

test('includeOptimizer must be true or false: any other value is refused, not taken as truthy', async () => {
  const m = compiledModel();
  const where = fresh();
  await expect(m.save(where, { includeOptimizer: 'false' } as never)).rejects.toThrow(
    /save: expected includeOptimizer to be true or false, got 'false' \(a string\)/,
  );
  await expect(m.save(fresh('.keras'), { includeOptimizer: 1 } as never)).rejects.toThrow(/expected includeOptimizer to be true or false, got 1/);
  expect(fs.existsSync(where)).toBe(false);
});
