// Hostile or careless model files are refused before they cost anything: a config that
// declares layers larger than its weights, configs nested without end, manifest paths
// that leave the model's folder, dtypes that would reinterpret the bytes; float16
// weights (as TensorFlow.js writes them) are decoded, not read as float32.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { layers, loadModel, sequential, tensor, type Tensor } from '../../src';
import { MAX_CONFIG_DEPTH } from '../../src/saving/build_model';
import { readZip } from '../../src/saving/zip';
import { tempDir } from './helpers';

const dir = tempDir();
let n = 0;
const fresh = (suffix = '') => path.join(dir, `h${n++}${suffix}`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function savedFolder(model = sequential({ layers: [layers.dense({ units: 16, inputShape: [288], name: 'dense' })] })) {
  const where = fresh();
  await model.save(where);
  const jsonFile = path.join(where, 'model.json');
  return { where, jsonFile, json: JSON.parse(fs.readFileSync(jsonFile, 'utf8')) };
}

describe('a config that declares layers larger than its weights', () => {
  test.each([1e6, 5e6])('units %d on a Dense whose weights file holds [288, 16] is refused at once, without allocating', async (units) => {
    const { where, jsonFile, json } = await savedFolder();
    json.modelTopology.config.layers[0].config.units = units;
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    const rss = process.memoryUsage().rss;
    await expect(loadModel(where)).rejects.toThrow(
      new RegExp(
        `${escape(jsonFile)}: layer 'dense' declares weight 'kernel' of shape \\[288, ${units}\\], but the file's 'dense/kernel' has shape \\[288, 16\\]`,
      ),
    );
    // The kernel alone would be 288 * units * 4 bytes (1.15 GB for units 1e6).
    expect(process.memoryUsage().rss - rss).toBeLessThan(100e6);
  });

  test('a layer the file has no weight of that size for is refused (names that do not match, as in a .keras)', async () => {
    const model = sequential({ layers: [layers.dense({ units: 16, inputShape: [288], name: 'dense' })] });
    const file = fresh('.keras');
    await model.save(file);
    const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
    const dense = config.config.layers.find((l: { class_name: string }) => l.class_name === 'Dense');
    dense.config.units = 1e6;
    fs.writeFileSync(
      file,
      zipSync(
        {
          'metadata.json': entries.get('metadata.json')!,
          'config.json': new TextEncoder().encode(JSON.stringify(config)),
          'model.weights.h5': entries.get('model.weights.h5')!,
        },
        { level: 0 },
      ),
    );
    const rss = process.memoryUsage().rss;
    await expect(loadModel(file)).rejects.toThrow(
      /layer 'dense' declares weight 'kernel' of shape \[288, 1000000\] \(288000000 values\), larger than any weight in the file \(the largest is 'layers\/dense\/vars\/0' \[288, 16\]\)/,
    );
    // Refused before allocating: the kernel alone would be 1.15 GB.
    expect(process.memoryUsage().rss - rss).toBeLessThan(100e6);
  });
});

test('a config nested deeper than the limit is refused with a clear error (it overflowed the stack)', async () => {
  const { where, jsonFile, json } = await savedFolder();
  // Written as text: JSON.stringify itself overflows the stack on it.
  const levels = 20000;
  const open = '{"class_name": "Sequential", "config": {"name": "s", "layers": ['.repeat(levels);
  fs.writeFileSync(
    jsonFile,
    `{"modelTopology": ${open}${JSON.stringify(json.modelTopology)}${']}}'.repeat(levels)}, "weightsManifest": ${JSON.stringify(json.weightsManifest)}}`,
  );
  await expect(loadModel(where)).rejects.toThrow(new RegExp(`${escape(jsonFile)}: the model's config nests more than ${MAX_CONFIG_DEPTH} levels deep`));
});

describe('manifests', () => {
  test.each(['../../outside.bin', '/etc/hostname', 'sub/../../outside.bin'])('a weights path outside the folder (%s) is refused, not read', async (p) => {
    const { where, jsonFile, json } = await savedFolder();
    fs.writeFileSync(path.join(dir, 'outside.bin'), new Uint8Array(288 * 16 * 4 + 64));
    json.weightsManifest[0].paths = [p];
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    await expect(loadModel(where)).rejects.toThrow(new RegExp(`lists the weights file '${escape(p)}', which is outside its folder`));
  });

  test('a dtype that would reinterpret the bytes (int32 for a float32 kernel) is refused', async () => {
    const { where, jsonFile, json } = await savedFolder();
    json.weightsManifest[0].weights[0].dtype = 'int32';
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    // Saved by Tessera, the versioned name's hash also covers the manifest; a manifest written by hand has none.
    const bytes = fs.readFileSync(path.join(where, json.weightsManifest[0].paths[0]));
    fs.writeFileSync(path.join(where, 'weights.bin'), bytes);
    json.weightsManifest[0].paths = ['weights.bin'];
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    await expect(loadModel(where)).rejects.toThrow(/weight 'dense\/kernel' is float32, but .* has int32 values for it/);
  });

  test('an unknown dtype, or quantization of a dtype that cannot be quantized, is refused', async () => {
    const { where, jsonFile, json } = await savedFolder();
    json.weightsManifest[0].weights[0].dtype = 'complex64';
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    await expect(loadModel(where)).rejects.toThrow(/weight 'dense\/kernel' has dtype "complex64"; supported/);
    json.weightsManifest[0].weights[0] = { ...json.weightsManifest[0].weights[0], dtype: 'bool', quantization: { dtype: 'uint8', min: 0, scale: 1 } };
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    await expect(loadModel(where)).rejects.toThrow(/has dtype "bool" \(quantized as "uint8"\); supported/);
  });

  test("a dtype named after an object's own properties ('toString', 'constructor') is refused as unknown (it passed as one)", async () => {
    const { where, jsonFile, json } = await savedFolder();
    for (const dtype of ['toString', 'constructor', '__proto__']) {
      json.weightsManifest[0].weights[0].dtype = dtype;
      fs.writeFileSync(jsonFile, JSON.stringify(json));
      await expect(loadModel(where)).rejects.toThrow(`weight 'dense/kernel' has dtype "${dtype}"; supported`);
    }
  });

  test('uint8 / uint16 quantization needs numeric scale and min that give finite values (a bad scale loaded NaN weights)', async () => {
    const model = sequential({ layers: [layers.dense({ units: 3, inputShape: [1], name: 'd' })] });
    const { where, jsonFile, json } = await savedFolder(model);
    fs.writeFileSync(path.join(where, 'weights.bin'), new Uint8Array([1, 2, 3, 0, 0, 0]));
    const write = (quantization: unknown) => {
      json.weightsManifest = [
        {
          paths: ['weights.bin'],
          weights: [
            { name: 'd/kernel', shape: [1, 3], dtype: 'float32', quantization },
            { name: 'd/bias', shape: [3], dtype: 'float32', quantization },
          ],
        },
      ];
      fs.writeFileSync(jsonFile, JSON.stringify(json));
    };
    for (const [scale, min] of [
      ['x', 0],
      [0.5, null],
      [1e308, 0],
      [undefined, 0],
    ]) {
      write({ dtype: 'uint8', scale, min });
      await expect(loadModel(where)).rejects.toThrow(
        /weight 'd\/kernel' is quantized as uint8 with scale .* and min .*; both must be numbers that give finite values/,
      );
    }
    write({ dtype: 'uint8', scale: 0.5, min: -1 });
    expect(Array.from((await loadModel(where)).weights[0].dataSync())).toEqual([-0.5, 0, 0.5]);
  });

  test('float16 weights without quantization are decoded (they were read as float32)', async () => {
    const model = sequential({ layers: [layers.dense({ units: 3, inputShape: [1], name: 'd' })] });
    const { where, jsonFile, json } = await savedFolder(model);
    // 1, -2, 0.5 | 65504 (largest half), 2^-24 (smallest subnormal), -0
    const halves = new Uint16Array([0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001, 0x8000]);
    fs.writeFileSync(path.join(where, 'weights.bin'), new Uint8Array(halves.buffer));
    json.weightsManifest = [
      {
        paths: ['weights.bin'],
        weights: [
          { name: 'd/kernel', shape: [1, 3], dtype: 'float16' },
          { name: 'd/bias', shape: [3], dtype: 'float16' },
        ],
      },
    ];
    fs.writeFileSync(jsonFile, JSON.stringify(json));
    const loaded = await loadModel(where);
    expect(Array.from(loaded.weights[0].dataSync())).toEqual([1, -2, 0.5]);
    expect(Array.from(loaded.weights[1].dataSync())).toEqual([65504, 2 ** -24, -0]);
    expect(Array.from((loaded.apply(tensor([[2]])) as Tensor).dataSync())).toEqual([65506, Math.fround(-4 + 2 ** -24), 1]);
  });
});

describe('compile settings a file cannot be compiled with', () => {
  test("a trainingConfig's unknown optimizer or loss names the model.json ('__proto__' was a TypeError)", async () => {
    const { where, jsonFile, json } = await savedFolder();
    for (const [optimizer, loss, message] of [
      ['__proto__', 'mse', "trainingConfig's optimizer: optimizers.get: unknown optimizer '__proto__'"],
      ['Adam', 'nope', 'cannot compile the model as its trainingConfig says: losses.get: unknown loss'],
    ]) {
      json.trainingConfig = { loss, optimizer_config: { class_name: optimizer, config: {} } };
      fs.writeFileSync(jsonFile, JSON.stringify(json));
      await expect(loadModel(where)).rejects.toThrow(`${jsonFile}: ${message}`);
    }
  });

  test("a .keras compile_config's unknown loss names the file", async () => {
    const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], name: 'd' })] });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const file = fresh('.keras');
    await model.save(file);
    const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
    const config = JSON.parse(new TextDecoder().decode(entries.get('config.json')));
    config.compile_config.loss = 'nope';
    const names = [...entries.keys()];
    const bytes = zipSync(Object.fromEntries(names.map((k) => [k, k === 'config.json' ? new TextEncoder().encode(JSON.stringify(config)) : entries.get(k)!])));
    fs.writeFileSync(file, bytes);
    await expect(loadModel(file)).rejects.toThrow(`${file}: cannot compile the model as its compile_config says: losses.get: unknown loss 'nope'`);
  });
});

test('a build_config input shape too large to build on is refused before its zeros are allocated (2 GB were, when memory allowed)', async () => {
  const { where, jsonFile, json } = await savedFolder();
  // A model without an input shape is built from build_config: here 5e8 values, 2 GB of zeros.
  delete json.modelTopology.config.layers[0].config.batch_input_shape;
  json.modelTopology.build_config = { input_shape: [1953125, 256] };
  fs.writeFileSync(jsonFile, JSON.stringify(json));
  await expect(loadModel(where)).rejects.toThrow(`${jsonFile}: cannot build sequential`);
  await expect(loadModel(where)).rejects.toThrow(
    /its saved input shape \[1953125,256\]: zeros of that shape would hold 500000000 values, more than the 268435456 a model is built on/,
  );
});

describe('weights files that are links', () => {
  // A folder from elsewhere (an unpacked archive) can hold links: one out of the folder
  // loaded any file of the right size as weights (a key, for whoever gets the model back).
  const linked = async (target: (where: string) => string, jsonLinked = false) => {
    const { where, jsonFile, json } = await savedFolder();
    const [bin] = json.weightsManifest[0].paths as string[];
    const real = target(where);
    fs.mkdirSync(path.dirname(real), { recursive: true });
    fs.renameSync(path.join(where, bin), real);
    fs.symlinkSync(real, path.join(where, bin));
    if (jsonLinked) {
      const realJson = path.join(path.dirname(real), 'model.json');
      fs.renameSync(jsonFile, realJson);
      fs.symlinkSync(realJson, jsonFile);
    }
    return { where, bin, real };
  };

  test('a link out of the folder is refused, naming where it leads', async () => {
    const { where, bin, real } = await linked(() => fresh('.secret'));
    await expect(loadModel(where)).rejects.toThrow(`lists the weights file '${bin}', a link to ${fs.realpathSync(real)}, which is outside the model's folder`);
  });

  test("links into the folder model.json itself links to are read (Hugging Face's cache)", async () => {
    const { where } = await linked((w) => path.join(w, '..', `${path.basename(w)}-blobs`, 'blob1'), true);
    expect((await loadModel(where)).weights.length).toBe(2);
  });
});

test("a config key named after an object's own properties ('__proto__', 'constructor') is an unknown option like any other", async () => {
  const { where, jsonFile, json } = await savedFolder();
  const text = JSON.stringify(json);
  // Assigned, '__proto__' replaced the config's prototype and the error named '[object Object]'.
  fs.writeFileSync(jsonFile, text.replace('"units":16', '"__proto__":{"units":1e12},"units":16'));
  await expect(loadModel(where)).rejects.toThrow(`${jsonFile}: Dense: unknown option 'Proto__'`);
  fs.writeFileSync(jsonFile, text.replace('"units":16', '"constructor":1,"units":16'));
  await expect(loadModel(where)).rejects.toThrow(`${jsonFile}: Dense: unknown option 'constructor'`);
});

test('a weights file name holding a NUL character names the model.json (it was a TypeError from fs)', async () => {
  const { where, jsonFile, json } = await savedFolder();
  json.weightsManifest[0].paths = ['weights.bin\u0000.txt'];
  fs.writeFileSync(jsonFile, JSON.stringify(json));
  await expect(loadModel(where)).rejects.toThrow(`${jsonFile} lists the weights file "weights.bin\\u0000.txt", whose name holds a NUL character`);
});
