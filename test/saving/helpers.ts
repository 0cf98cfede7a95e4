// Shared helpers of the saving tests: temporary folders, bit-exact comparisons, and
// TensorFlow.js IO handlers that read and write model.json + weights.bin folders (as
// tfjs-node's file:// handler does, without tfjs-node).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { Tensor } from '../../src';

/** A file of test/fixtures (files written by other tools; where each came from: test/fixtures/README.md). */
export function fixture(relative: string): string {
  const file = path.resolve(__dirname, '..', 'fixtures', relative);
  if (!fs.existsSync(file)) throw new Error(`fixture ${relative} not found at ${file}`);
  return file;
}

/** A fresh temporary folder, removed after the test file. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-saving-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The outputs of `predict`, as float arrays, compared bit for bit. */
export function expectSameBits(a: Tensor | Tensor[], b: Tensor | Tensor[]): void {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  expect(bs.length).toBe(as.length);
  as.forEach((t, i) => {
    expect(bs[i].shape).toEqual(t.shape);
    expect(Buffer.from(bs[i].dataSync().buffer).equals(Buffer.from(t.dataSync().buffer))).toBe(true);
  });
}

/** A TensorFlow.js IOHandler that saves to and loads from a folder: model.json + weights.bin. */
export function tfjsFolder(tf: typeof tfjs, dir: string): tfjs.io.IOHandler {
  return {
    save: async (artifacts: tfjs.io.ModelArtifacts) => {
      fs.mkdirSync(dir, { recursive: true });
      const data = artifacts.weightData as ArrayBuffer;
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(data));
      const { weightData, weightSpecs, ...rest } = artifacts;
      void weightData;
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...rest, weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
      const buffers = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
      const all = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        trainingConfig: json.trainingConfig,
      };
    },
  };
}
