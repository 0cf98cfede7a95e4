// ts.node: tfjs-node's tf.node functions on Tessera's codecs. decodeImage keeps a file's
// own channels (0) or converts as loadImage does; encodePng / encodeJpeg round-trip; the
// options tfjs-node has and Tessera does not are refused unless at their defaults.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';

const files = join(__dirname, '..', 'fixtures', 'image', 'files');
const bytes = (name: string) => readFileSync(join(files, name));
const reference = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'image', 'decoded.json'), 'utf8')) as {
  files: Record<string, { mode: string; shape: number[]; pixels: number[] }>;
};

describe('node.decodeImage', () => {
  it.each([
    ['rgb.png', 3],
    ['rgba.png', 4],
    ['grey.png', 1],
    ['grey_alpha.png', 2],
    ['grey16.png', 1],
    ['bits1.png', 1],
    ['palette.png', 3],
    ['interlaced.png', 3],
    ['rgb.bmp', 3],
    ['first_frame.gif', 3],
    ['rgb.jpg', 3],
    ['grey.jpg', 1],
  ])('%s: int32 values of the file, its own %d channels, and as loadImage converts them', (name, channels) => {
    const image = ts.node.decodeImage(bytes(name));
    expect(image.dtype).toBe('int32');
    expect(image.shape[2]).toBe(channels);
    for (const c of [1, 3, 4] as const) {
      const ours = ts.node.decodeImage(bytes(name), c);
      const mode = c === 1 ? 'grayscale' : c === 3 ? 'rgb' : 'rgba';
      expect(Array.from(ours.dataSync())).toEqual(Array.from(ts.data.loadImage(join(files, name), { colorMode: mode }).dataSync()));
    }
  });

  it('gives the reference pixels of a PNG (PIL)', () => {
    const ref = reference.files['rgb.png'];
    const image = ts.node.decodeImage(bytes('rgb.png'), 3);
    expect(image.shape).toEqual([...ref.shape, 3]);
    expect(Array.from(image.dataSync())).toEqual(ref.pixels);
  });

  it('decodePng, decodeJpeg and decodeBmp read their own format only', () => {
    expect(ts.node.decodePng(bytes('rgb.png')).shape).toEqual([5, 7, 3]);
    expect(ts.node.decodeJpeg(bytes('rgb.jpg')).shape[2]).toBe(3);
    expect(ts.node.decodeBmp(bytes('rgb.bmp'), 4).shape[2]).toBe(4);
    expect(() => ts.node.decodePng(bytes('rgb.jpg'))).toThrow(/^node.decodePng: expected PNG bytes, got a JPEG file/);
    expect(() => ts.node.decodeJpeg(bytes('rgb.jpg'), 3, 2)).toThrow(/^node.decodeJpeg: ratio other than its default \(1\) is not supported, got 2/);
  });

  it('refuses what it cannot honour', () => {
    expect(() => ts.node.decodeImage(new Uint8Array([1, 2, 3]))).toThrow(
      /^node.decodeImage: expected PNG, JPEG, BMP, GIF bytes, got bytes of no known image format/,
    );
    expect(() => ts.node.decodeImage('cat.jpg' as never)).toThrow(/^node.decodeImage: expected the file's bytes as a Uint8Array/);
    expect(() => ts.node.decodeImage(bytes('rgb.png'), 2 as never)).toThrow(/expected channels 0 \(as in the file\), 1, 3 or 4, got 2/);
    expect(() => ts.node.decodeImage(bytes('rgb.png'), 3, 'float32')).toThrow(/expected dtype 'int32'/);
    expect(() => ts.node.decodeImage(bytes('first_frame.gif'), 3, 'int32', true)).toThrow(/expandAnimations is not supported/);
  });
});

describe('node.encodePng and node.encodeJpeg', () => {
  it('encodePng round-trips exactly at every compression level, smaller at 9 than at 0', async () => {
    const image = ts.tensor3d(
      Array.from({ length: 32 * 32 * 4 }, (_, i) => (i >> 3) % 256),
      [32, 32, 4],
      'int32',
    );
    const stored = await ts.node.encodePng(image, 0);
    const packed = await ts.node.encodePng(image, 9);
    expect(packed.length).toBeLessThan(stored.length);
    for (const png of [stored, packed, await ts.node.encodePng(image)])
      expect(Array.from(ts.node.decodePng(png).dataSync())).toEqual(Array.from(image.dataSync()));
  });

  it('encodeJpeg at quality 100 comes back within a few levels', async () => {
    const image = ts.node.decodeImage(bytes('rgb.png'));
    const back = ts.node.decodeJpeg(await ts.node.encodeJpeg(image, 'rgb', 100));
    const [a, b] = [image.dataSync(), back.dataSync()];
    expect(back.shape).toEqual(image.shape);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    expect(worst).toBeLessThanOrEqual(40); // 4:2:0 chroma on a 5x7 random image
  });

  it('refuse values an 8-bit file cannot hold and options they cannot honour', async () => {
    await expect(ts.node.encodePng(ts.tensor3d([[[256]]], undefined, 'int32'))).rejects.toThrow(
      /^node.encodePng: expected whole values 0-255, got 256 at index 0/,
    );
    await expect(ts.node.encodePng(ts.tensor3d([[[0.5]]]))).rejects.toThrow(/expected whole values 0-255, got 0.5/);
    await expect(ts.node.encodePng(ts.zeros([2, 2, 2], 'int32'))).rejects.toThrow(/with 1, 3, 4 channels/);
    await expect(ts.node.encodeJpeg(ts.zeros([2, 2, 4], 'int32'))).rejects.toThrow(/with 3 channels/);
    await expect(ts.node.encodeJpeg(ts.zeros([2, 2, 1], 'int32'))).rejects.toThrow(/^node.encodeJpeg: a greyscale JPEG is not written here/);
    await expect(ts.node.encodeJpeg(ts.zeros([2, 2, 3], 'int32'), '', 95, true)).rejects.toThrow(
      /progressive other than its default \(false\) is not supported/,
    );
    await expect(ts.node.encodeJpeg(ts.zeros([2, 2, 3], 'int32'), 'grayscale')).rejects.toThrow(/a greyscale JPEG is not written here/);
  });
});

it('node.tensorBoard is the TensorBoard callback on a folder', () => {
  const cb = ts.node.tensorBoard('/tmp/tessera-node-tb', { updateFreq: 'batch' });
  expect(cb).toBeInstanceOf(ts.callbacks.TensorBoard);
  expect(() => ts.node.tensorBoard('/tmp/x', { histogramFreq: 1 })).toThrow(/^node.tensorBoard: histograms are not written/);
  expect(() => ts.node.tensorBoard('/tmp/x', { updateFreqs: 'batch' } as never)).toThrow(/unknown option 'updateFreqs'/);
});
