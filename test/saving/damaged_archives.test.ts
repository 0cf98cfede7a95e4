// Damaged .keras archives and HDF5 files: every zip entry read is CRC-checked and
// inflated only when the loader reads it, within a size limit; HDF5's own error output
// becomes one error naming the file instead of dozens of lines on stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateSync, zipSync } from 'fflate';
import { layers, loadModel, sequential, tensor, type Tensor } from '../../src';
import { crc32, readZip } from '../../src/saving/zip';
import { expectSameBits, tempDir } from './helpers';

const dir = tempDir();
let n = 0;
const fresh = (suffix: string) => path.join(dir, `d${n++}${suffix}`);
const mlp = () => sequential({ layers: [layers.dense({ units: 3, inputShape: [4], name: 'hidden' }), layers.dense({ units: 2, name: 'out' })] });
const x = tensor([[1, 2, 3, 4]]);

async function savedKeras(): Promise<{ file: string; bytes: Uint8Array; model: ReturnType<typeof mlp> }> {
  const model = mlp();
  const file = fresh('.keras');
  await model.save(file);
  return { file, bytes: new Uint8Array(fs.readFileSync(file)), model };
}

// The offset in the central directory of entry `name`'s record.
function centralRecord(zip: Uint8Array, name: string): number {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let p = 0; p + 46 < zip.length; p++) {
    if (view.getUint32(p, true) !== 0x02014b50) continue;
    const len = view.getUint16(p + 28, true);
    if (new TextDecoder().decode(zip.subarray(p + 46, p + 46 + len)) === name) return p;
  }
  throw new Error(`no entry ${name}`);
}

/** Captures what is written on stderr while `f` runs. */
async function stderrOf(f: () => Promise<unknown>): Promise<string> {
  let out = '';
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await f();
  } finally {
    spy.mockRestore();
  }
  return out;
}

test("crc32 is zip's CRC-32", () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array(0))).toBe(0);
});

describe('.keras archives', () => {
  test('a byte changed inside the weights entry fails its CRC check (it loaded with other weights before)', async () => {
    const { file, bytes } = await savedKeras();
    const entries = readZip(file, bytes);
    const h5 = entries.get('model.weights.h5')!;
    // The last bytes of the HDF5 entry are weight values (stored, uncompressed).
    const at = Buffer.from(bytes).indexOf(Buffer.from(h5.subarray(h5.length - 16)));
    bytes[at + 8] ^= 0x40;
    fs.writeFileSync(file, bytes);
    await expect(loadModel(file)).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a damaged zip archive: entry 'model.weights.h5' fails its CRC-32 check`),
    );
  });

  test('an entry the loader does not read is never inflated, however large it says it is', async () => {
    const { file, model } = await savedKeras();
    const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
    const junk = deflateSync(new Uint8Array(1 << 20));
    const zip = zipSync(
      { ...Object.fromEntries([...entries.keys()].map((k) => [k, entries.get(k)!])), 'junk.bin': [new Uint8Array(16), { level: 0 }] },
      { level: 0 },
    );
    // junk.bin claims 4 GiB - 1 of deflated data; inflating it would fail (and exhaust memory if it were real).
    const rec = centralRecord(zip, 'junk.bin');
    const view = new DataView(zip.buffer);
    view.setUint16(rec + 10, 8, true);
    view.setUint32(rec + 24, 0xffffffff - 1, true);
    expect(junk.length).toBeGreaterThan(0);
    fs.writeFileSync(file, zip);
    const loaded = (await loadModel(file)) as typeof model;
    expectSameBits(model.apply(x) as Tensor, loaded.apply(x) as Tensor);
  });

  test('an entry the loader reads is refused before inflating when it declares more than the limit', () => {
    const zip = zipSync({ 'config.json': new TextEncoder().encode('{}') }, { level: 9 });
    new DataView(zip.buffer).setUint32(centralRecord(zip, 'config.json') + 24, 0xfffffff0, true);
    expect(() => readZip('bomb.keras', zip).get('config.json')).toThrow(
      /bomb\.keras: entry 'config\.json' declares 4294967280 bytes, more than the 2147483647 bytes/,
    );
  });

  test('an entry that declares more than deflate can make of its compressed bytes is refused before allocating it', () => {
    // A few bytes that declare 2 GiB: under the limit, so the 2 GiB were allocated first.
    const zip = zipSync({ 'config.json': new TextEncoder().encode('{}') }, { level: 9 });
    new DataView(zip.buffer).setUint32(centralRecord(zip, 'config.json') + 24, 2 ** 31 - 1, true);
    expect(() => readZip('bomb.keras', zip).get('config.json')).toThrow(
      /bomb\.keras is a damaged zip archive: entry 'config\.json' declares 2147483647 bytes from \d+ compressed bytes, more than deflate can produce/,
    );
  });

  test('an entry that inflates to more than it declares is refused', () => {
    const zip = zipSync({ 'config.json': new Uint8Array(1 << 20) }, { level: 9 });
    new DataView(zip.buffer).setUint32(centralRecord(zip, 'config.json') + 24, 100, true);
    expect(() => readZip('lie.keras', zip).get('config.json')).toThrow(
      /lie\.keras is a damaged zip archive: entry 'config\.json' inflates to more than the 100 bytes it declares/,
    );
  });

  test('a truncated archive names what is missing', async () => {
    const { file, bytes } = await savedKeras();
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 30));
    await expect(loadModel(file)).rejects.toThrow(/is a damaged zip archive: its central directory .* is missing/);
  });
});

describe('damaged HDF5 files', () => {
  const cases: [string, (b: Uint8Array) => Uint8Array][] = [
    ['truncated', (b) => b.subarray(0, 800)],
    ['a byte flipped in the superblock', (b) => b.map((v, i) => (i === 47 ? v ^ 1 : v))],
  ];
  test.each(cases)("%s .weights.h5: one error naming the file and HDF5's reason, nothing on stderr", async (_, damage) => {
    const model = mlp();
    const file = fresh('.weights.h5');
    await model.saveWeights(file);
    fs.writeFileSync(file, damage(new Uint8Array(fs.readFileSync(file))));
    const target = mlp();
    const before = target.apply(x) as Tensor;
    let message = '';
    const stderr = await stderrOf(() => target.loadWeights(file).catch((e: Error) => (message = e.message)));
    expect(message).toMatch(/is a damaged HDF5 file \(HDF5: .+\)/);
    expect(message.startsWith(file)).toBe(true);
    expect(message).not.toMatch(/name not defined/);
    expect(stderr).toBe('');
    expectSameBits(before, target.apply(x) as Tensor);
  });

  test('a changed weight value in a .weights.h5 that Tessera saved fails its checksum (HDF5 keeps none)', async () => {
    const model = mlp();
    const file = fresh('.weights.h5');
    await model.saveWeights(file);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const kernel = model.weights[0].dataSync() as Float32Array;
    const at = Buffer.from(bytes).indexOf(Buffer.from(kernel.buffer, kernel.byteOffset, kernel.byteLength));
    expect(at).toBeGreaterThan(0);
    bytes[at + 1] ^= 0x01;
    fs.writeFileSync(file, bytes);
    await expect(mlp().loadWeights(file)).rejects.toThrow(/is damaged: its weight values do not match the checksum Tessera recorded/);
  });

  test('the weights inside a .keras, damaged, are named as such', async () => {
    const { file, bytes } = await savedKeras();
    const entries = readZip(file, bytes);
    const h5 = entries.get('model.weights.h5')!.slice(0, 600);
    fs.writeFileSync(
      file,
      zipSync({ 'metadata.json': entries.get('metadata.json')!, 'config.json': entries.get('config.json')!, 'model.weights.h5': h5 }, { level: 0 }),
    );
    let message = '';
    const stderr = await stderrOf(() => loadModel(file).catch((e: Error) => (message = e.message)));
    expect(message).toMatch(/\(model\.weights\.h5\) is a damaged HDF5 file \(HDF5: .+\)/);
    expect(stderr).toBe('');
  });
});
