// Bad files are refused with a clear error before any weight changes, and a failed save
// leaves the previous one intact.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, loadModel, sequential, tensor, type Tensor } from '../../src';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
let n = 0;
const fresh = (suffix = '') => path.join(dir, `e${n++}${suffix}`);
const mlp = (units = 3) => sequential({ layers: [layers.dense({ units, inputShape: [4], name: 'hidden' }), layers.dense({ units: 2, name: 'out' })] });
const x = tensor([[1, 2, 3, 4]]);

/** Saves a model in a folder and returns the folder and its parsed model.json. */
async function saved(): Promise<{ where: string; json: Record<string, any> }> {
  const where = fresh();
  await mlp().save(where);
  return { where, json: JSON.parse(fs.readFileSync(path.join(where, 'model.json'), 'utf8')) };
}

/** Runs loadWeights and checks it throws `message` and changed nothing. */
async function expectRefusedUnchanged(source: string, message: RegExp): Promise<void> {
  const target = mlp();
  const before = target.apply(x) as Tensor;
  await expect(target.loadWeights(source)).rejects.toThrow(message);
  expectSameBits(before, target.apply(x) as Tensor);
}

describe('TensorFlow.js folders', () => {
  test('bad JSON', async () => {
    const { where } = await saved();
    fs.writeFileSync(path.join(where, 'model.json'), '{"modelTopology": ');
    await expect(loadModel(where)).rejects.toThrow(/model\.json is not valid JSON/);
    await expectRefusedUnchanged(where, /not valid JSON/);
  });

  test('a weights file of the wrong size (truncated)', async () => {
    const { where, json } = await saved();
    const bin = path.join(where, json.weightsManifest[0].paths[0]);
    fs.writeFileSync(bin, fs.readFileSync(bin).subarray(0, 20));
    await expect(loadModel(where)).rejects.toThrow(/hold 20 bytes, but the manifest's 4 weights need 92; the files are truncated or belong to another model/);
    await expectRefusedUnchanged(where, /truncated/);
  });

  test('a missing weights file', async () => {
    const { where, json } = await saved();
    const name = json.weightsManifest[0].paths[0];
    fs.rmSync(path.join(where, name));
    await expect(loadModel(where)).rejects.toThrow(new RegExp(`lists the weights file '${name}', which is missing`));
  });

  test('wrong shapes: the error names the layer, the weight and both shapes; nothing changes', async () => {
    const where = fresh();
    await mlp(5).save(where);
    await expectRefusedUnchanged(where, /weight 'hidden\/kernel' of layer 'hidden' has shape \[4, 3\], but .* has \[4, 5\]/);
  });

  test('a missing weight, and an extra one', async () => {
    const { where, json } = await saved();
    const short = { ...json, weightsManifest: [{ ...json.weightsManifest[0], weights: json.weightsManifest[0].weights.slice(0, 3) }] };
    fs.writeFileSync(path.join(where, 'model.json'), JSON.stringify(short));
    // The bytes no longer add up either; the size check names the mismatch first.
    await expect(loadModel(where)).rejects.toThrow(/hold 92 bytes, but the manifest's 3 weights need 84/);
    const other = fresh();
    await sequential({
      layers: [layers.dense({ units: 3, inputShape: [4], name: 'hidden' }), layers.dense({ units: 2, name: 'out' }), layers.dense({ units: 2, name: 'extra' })],
    }).save(other);
    await expectRefusedUnchanged(other, /has weights that the model does not: extra\/kernel \[2, 2\], extra\/bias \[2\]/);
  });

  test('an unknown layer class names it and says how to register it', async () => {
    const { where, json } = await saved();
    json.modelTopology.config.layers[1].class_name = 'FancyDense';
    fs.writeFileSync(path.join(where, 'model.json'), JSON.stringify(json));
    await expect(loadModel(where)).rejects.toThrow(/unknown layer class 'FancyDense' \(layer 'out'\).*registerLayer\(FancyDense\)/);
  });

  test('not a model.json', async () => {
    const file = fresh('.json');
    fs.writeFileSync(file, '{"hello": 1}');
    await expect(loadModel(file)).rejects.toThrow(/has no modelTopology: it is not a TensorFlow.js Layers model.json/);
  });
});

describe('.keras and .h5 files', () => {
  test('not a zip', async () => {
    const file = fresh('.keras');
    fs.writeFileSync(file, 'this is not a zip archive');
    await expect(loadModel(file)).rejects.toThrow(/is not a zip archive \(a \.keras file is one\)/);
  });

  test('a zip without config.json', async () => {
    const file = fresh('.keras');
    const { zipSync } = await import('fflate');
    fs.writeFileSync(file, zipSync({ 'hello.txt': new Uint8Array([1]) }));
    await expect(loadModel(file)).rejects.toThrow(/has no config\.json: it is not a Keras 3 \.keras file/);
  });

  test('a .weights.h5 of another model is refused and changes nothing', async () => {
    const file = fresh('.weights.h5');
    await mlp(5).saveWeights(file);
    await expectRefusedUnchanged(file, /has \[4, 5\]/);
  });

  test('not an HDF5 file', async () => {
    const file = fresh('.weights.h5');
    fs.writeFileSync(file, 'plain text');
    // Not HDF5 by its first bytes, so it is read as a weights manifest, which it is not either.
    await expectRefusedUnchanged(file, /not valid JSON/);
  });

  test('an HDF5 name must end in .weights.h5', async () => {
    await expect(mlp().saveWeights(fresh('.h5'))).rejects.toThrow(/must end in \.weights\.h5/);
  });
});

describe('saving', () => {
  test('a lambda layer cannot be saved: the error names it', async () => {
    const m = sequential({ layers: [layers.dense({ units: 2, inputShape: [2] }), layers.lambda({ function: (t: Tensor) => t, name: 'my_lambda' })] });
    await expect(m.save(fresh())).rejects.toThrow(/Layer my_lambda \(Lambda\) cannot be serialized/);
    await expect(m.save(fresh('.keras'))).rejects.toThrow(/my_lambda/);
  });

  test('an unbuilt model has nothing to save yet', async () => {
    const m = sequential({ layers: [layers.dense({ units: 2 })] });
    await expect(m.save(fresh())).rejects.toThrow(/is not built yet/);
    await expect(m.saveWeights(fresh('.weights.h5'))).rejects.toThrow(/is not built yet/);
  });

  test('a failed save leaves the previous folder and file intact', async () => {
    const where = fresh();
    const good = mlp();
    await good.save(where);
    const before = fs.readFileSync(path.join(where, 'model.json'), 'utf8');
    const bad = sequential({ layers: [layers.dense({ units: 2, inputShape: [4] }), layers.lambda({ function: (t: Tensor) => t })] });
    await expect(bad.save(where)).rejects.toThrow(/cannot be serialized/);
    expect(fs.readFileSync(path.join(where, 'model.json'), 'utf8')).toBe(before);
    const file = fresh('.keras');
    await good.save(file);
    const bytes = fs.readFileSync(file);
    await expect(bad.save(file)).rejects.toThrow(/cannot be serialized/);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    // No temporary files are left behind.
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  test('a folder holding other files is not replaced', async () => {
    const where = fresh();
    fs.mkdirSync(where);
    fs.writeFileSync(path.join(where, 'notes.txt'), 'mine');
    await expect(mlp().save(where)).rejects.toThrow(/holds other files \(notes\.txt\); save into a new or empty folder/);
    expect(fs.readFileSync(path.join(where, 'notes.txt'), 'utf8')).toBe('mine');
  });

  test('saving over a previous save replaces it', async () => {
    const where = fresh();
    await mlp().save(where);
    const m = mlp();
    await m.save(where);
    expectSameBits(m.apply(x) as Tensor, (await loadModel(where)).apply(x) as Tensor);
  });
});
