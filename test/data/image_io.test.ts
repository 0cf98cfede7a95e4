// data.loadImage / saveImage and the codec: every format and colour layout against PIL's
// decoding (test/fixtures/image/make_image_fixtures.py), colorMode conversions, resizing,
// round trips, and bad files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { data, node, tensor } from '../../src';
import { imageCodec } from '../../src/data/image_codec';

const FILES = join(__dirname, '..', 'fixtures', 'image', 'files');
const decoded: Record<string, { mode: string; shape: [number, number]; pixels: number[] }> = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'image', 'decoded.json'), 'utf8'),
).files;
const MODE = { RGB: 'rgb', RGBA: 'rgba', L: 'grayscale' } as const;
const tmp = mkdtempSync(join(tmpdir(), 'tessera-image-io-'));

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('loadImage against PIL', () => {
  it.each(Object.keys(decoded))('%s', (name) => {
    const want = decoded[name];
    const t = data.loadImage(join(FILES, name), { colorMode: MODE[want.mode as keyof typeof MODE] });
    expect(t.dtype).toBe('float32');
    expect(t.shape).toEqual([...want.shape, want.mode === 'L' ? 1 : want.mode.length]);
    // JPEG decoders differ in their IDCT by a few levels; the lossless formats match exactly.
    expect(maxDifference(t.dataSync(), want.pixels)).toBeLessThanOrEqual(name.endsWith('.jpg') ? 3 : 0);
  });
});

describe('colorMode conversions (Keras: grey repeated, RGB to grey by 601 luma, alpha dropped or opaque)', () => {
  it('grey to RGB and RGBA, RGB to grey and RGBA, RGBA to RGB', () => {
    const grey = data.loadImage(join(FILES, 'grey.png'), { colorMode: 'grayscale' }).dataSync();
    const asRgb = data.loadImage(join(FILES, 'grey.png')).dataSync();
    expect(Array.from(asRgb.filter((_, i) => i % 3 === 1))).toEqual(Array.from(grey));
    const asRgba = data.loadImage(join(FILES, 'grey.png'), { colorMode: 'rgba' }).dataSync();
    expect(Array.from(asRgba.filter((_, i) => i % 4 === 3)).every((v) => v === 255)).toBe(true);
    const rgb = data.loadImage(join(FILES, 'rgb.png')).dataSync();
    const luma = data.loadImage(join(FILES, 'rgb.png'), { colorMode: 'grayscale' }).dataSync();
    expect(luma[0]).toBe(Math.round((rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114) / 1000));
    const rgba = data.loadImage(join(FILES, 'rgba.png'), { colorMode: 'rgba' }).dataSync();
    const dropped = data.loadImage(join(FILES, 'rgba.png')).dataSync();
    expect(Array.from(dropped)).toEqual(Array.from(rgba.filter((_, i) => i % 4 !== 3)));
  });

  it('resizes to targetSize (nearest by default, as load_img) and crops to the aspect ratio when asked', () => {
    const t = data.loadImage(join(FILES, 'rgb.png'), { targetSize: [10, 14] });
    expect(t.shape).toEqual([10, 14, 3]);
    const full = data.loadImage(join(FILES, 'rgb.png')).dataSync();
    expect(Array.from(t.dataSync().subarray(0, 3))).toEqual(Array.from(full.subarray(0, 3)));
    expect(data.loadImage(join(FILES, 'rgb.png'), { targetSize: [5, 5], keepAspectRatio: true, interpolation: 'bilinear' }).shape).toEqual([5, 5, 3]);
  });
});

describe('saveImage', () => {
  it('round-trips PNG exactly and JPEG closely, in 1, 3 and 4 channels', () => {
    for (const c of [1, 3, 4]) {
      const values = Array.from({ length: 6 * 4 * c }, (_, i) => (i * 37) % 256);
      const t = tensor(values, [6, 4, c]);
      const png = join(tmp, `out${c}.png`);
      data.saveImage(png, t, { scale: false });
      const mode = c === 1 ? 'grayscale' : c === 3 ? 'rgb' : 'rgba';
      expect(Array.from(data.loadImage(png, { colorMode: mode }).dataSync())).toEqual(values);
    }
    const smooth = tensor(
      Array.from({ length: 16 * 16 * 3 }, (_, i) => Math.floor(i / 3) % 256),
      [16, 16, 3],
    );
    data.saveImage(join(tmp, 'out.jpg'), smooth, { scale: false, quality: 95 });
    expect(maxDifference(data.loadImage(join(tmp, 'out.jpg')).dataSync(), smooth.dataSync())).toBeLessThan(12);
  });

  it("stretches the range to 0-255 by default, as Keras's save_img", () => {
    data.saveImage(join(tmp, 'scaled.png'), tensor([0, 0.5, 1, 1], [2, 2, 1]));
    expect(Array.from(data.loadImage(join(tmp, 'scaled.png'), { colorMode: 'grayscale' }).dataSync())).toEqual([0, 128, 255, 255]);
  });

  it('rejects bad tensors, paths and values', () => {
    expect(() => data.saveImage(join(tmp, 'x.png'), tensor([1, 2], [1, 1, 2]))).toThrow(
      /data.saveImage: expected a tensor \[height, width, channels\] with 1, 3 or 4 channels/,
    );
    expect(() => data.saveImage(join(tmp, 'x.gif'), tensor([1], [1, 1, 1]))).toThrow(/expected a path ending in .png, .jpg or .jpeg/);
    expect(() => data.saveImage(join(tmp, 'x.png'), tensor([300], [1, 1, 1]), { scale: false })).toThrow(
      /with scale false, expected values in 0-255, got 300 at index 0/,
    );
    expect(() => data.saveImage(join(tmp, 'x.jpg'), tensor([3], [1, 1, 1]), { quality: 0 })).toThrow(/quality to be an integer 1-100/);
  });
});

describe('bad files', () => {
  it('names the file and what is wrong', () => {
    writeFileSync(join(tmp, 'text.png'), 'not an image');
    expect(() => data.loadImage(join(tmp, 'text.png'))).toThrow(/text.png: not a PNG, JPEG, GIF or BMP file/);
    const png = readFileSync(join(FILES, 'rgb.png'));
    writeFileSync(join(tmp, 'cut.png'), png.subarray(0, 60));
    expect(() => data.loadImage(join(tmp, 'cut.png'))).toThrow(/cut.png: corrupt or unsupported PNG file/);
    const jpg = readFileSync(join(FILES, 'rgb.jpg'));
    writeFileSync(join(tmp, 'cut.jpg'), jpg.subarray(0, 200));
    expect(() => data.loadImage(join(tmp, 'cut.jpg'))).toThrow(/cut.jpg: corrupt or unsupported JPEG file/);
    expect(() => data.loadImage(join(tmp, 'missing.png'))).toThrow(/data.loadImage: cannot read .*missing.png/);
    expect(() => data.loadImage(join(FILES, 'rgb.png'), { colorMode: 'bgr' as never })).toThrow(/expected colorMode 'grayscale', 'rgb' or 'rgba', got 'bgr'/);
    expect(() => data.loadImage(join(FILES, 'rgb.png'), { interpolation: 'bicubic' as never })).toThrow(
      /expected interpolation 'bilinear' or 'nearest', got 'bicubic' .*Keras interpolation Tessera does not implement/,
    );
    expect(() => data.loadImage(join(FILES, 'rgb.png'), { targetSize: [0, 3] })).toThrow(/targetSize to be \[height, width\], two integers > 0/);
  });

  it('the codec sniffs formats by their first bytes', () => {
    const codec = imageCodec();
    expect(codec.sniff(readFileSync(join(FILES, 'rgb.bmp')))).toBe('bmp');
    expect(codec.sniff(readFileSync(join(FILES, 'first_frame.gif')))).toBe('gif');
    expect(codec.sniff(new Uint8Array([1, 2, 3]))).toBeNull();
  });
});

// A BMP of `rows` (bottom row first, each padded to 4 bytes by the caller) with an info
// header of `headerSize` bytes, `table` (masks, palette) after it and `gap` bytes before the pixels.
function bmpFile(o: {
  headerSize: number;
  bpp: number;
  compression?: number;
  width: number;
  height: number;
  table?: number[];
  gap?: number;
  rows: number[];
  colours?: number;
}): Buffer {
  const table = o.table ?? [];
  const off = 14 + o.headerSize + table.length + (o.gap ?? 0);
  const b = Buffer.alloc(off + o.rows.length);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(off, 10);
  b.writeUInt32LE(o.headerSize, 14);
  if (o.headerSize >= 40) {
    b.writeInt32LE(o.width, 18);
    b.writeInt32LE(o.height, 22);
    b.writeUInt16LE(1, 26);
    b.writeUInt16LE(o.bpp, 28);
    b.writeUInt32LE(o.compression ?? 0, 30);
    b.writeUInt32LE(o.colours ?? 0, 46);
  }
  Buffer.from(table).copy(b, 14 + o.headerSize);
  Buffer.from(o.rows).copy(b, off);
  return b;
}
const u32 = (...v: number[]) => v.flatMap((x) => [x & 255, (x >> 8) & 255, (x >> 16) & 255, (x >>> 24) & 255]);

describe('BMP headers and layouts', () => {
  // Top row blue, white; bottom row red, green.
  const want = [0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 0];
  const rows24 = [0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 255, 255, 255, 0, 0];
  const decode = (b: Buffer) => Array.from(node.decodeBmp(b).dataSync());

  it.each([
    [40, 0],
    [108, 0],
    [124, 0],
    [40, 8],
  ])('reads the pixels from the file offset: a %d-byte info header, %d bytes of gap', (headerSize, gap) => {
    expect(decode(bmpFile({ headerSize, bpp: 24, width: 2, height: 2, gap, rows: rows24 }))).toEqual(want);
  });

  it('reads a V5 header with 32-bit BGRA bit fields, a palette after a V5 header, and 16-bit 565 masks after a 40-byte one', () => {
    const rows32 = [0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255, 255, 255, 255, 255]; // BGRA
    const masks = u32(0xff0000, 0xff00, 0xff, 0xff000000);
    const v5 = bmpFile({ headerSize: 124, bpp: 32, compression: 3, width: 2, height: 2, rows: rows32 });
    Buffer.from(masks).copy(v5, 54);
    expect(decode(v5)).toEqual(want);
    // 8-bit: palette blue, white, red, green (BGRA entries); indices padded to 4 bytes.
    const palette = [255, 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 0, 0, 255, 0, 0];
    expect(decode(bmpFile({ headerSize: 124, bpp: 8, width: 2, height: 2, table: palette, colours: 4, rows: [2, 3, 0, 0, 0, 1, 0, 0] }))).toEqual(want);
    // 16-bit 565: red 0xf800, green 0x07e0, blue 0x001f, white 0xffff.
    const rows16 = [0x00, 0xf8, 0xe0, 0x07, 0x1f, 0x00, 0xff, 0xff];
    const px = decode(bmpFile({ headerSize: 40, bpp: 16, compression: 3, width: 2, height: 2, table: u32(0xf800, 0x7e0, 0x1f), rows: rows16 }));
    expect(px.map((v) => (v > 200 ? 255 : v))).toEqual(want);
  });

  it('refuses what it cannot decode rightly: RLE, unusual masks, OS/2 headers, a palette past the pixels', () => {
    const bad = (b: Buffer) => () => node.decodeBmp(b);
    expect(bad(bmpFile({ headerSize: 40, bpp: 8, compression: 1, width: 2, height: 2, table: new Array(16).fill(0), colours: 4, rows: [2, 0, 0, 1] }))).toThrow(
      /^node.decodeBmp: corrupt or unsupported BMP file \(RLE8-compressed pixels are not supported; save it uncompressed\)/,
    );
    expect(bad(bmpFile({ headerSize: 40, bpp: 32, compression: 3, width: 1, height: 1, table: u32(0xff, 0xff00, 0xff0000), rows: [1, 2, 3, 4] }))).toThrow(
      /32-bit colour masks red 0xff, green 0xff00, blue 0xff0000 are not supported/,
    );
    const os2 = bmpFile({ headerSize: 12, bpp: 24, width: 1, height: 1, rows: new Array(48).fill(0) });
    expect(bad(os2)).toThrow(/a 12-byte info header \(OS\/2 1.x\) is not supported/);
    const shortPalette = bmpFile({ headerSize: 40, bpp: 8, width: 1, height: 1, table: [0, 0, 0, 0], colours: 4, rows: [0, 0, 0, 0] });
    shortPalette.writeUInt32LE(14 + 40 + 4, 10);
    expect(bad(shortPalette)).toThrow(/the palette of 4 colours does not fit before the pixels \(at byte 58\)/);
  });
});

describe('PNG palettes', () => {
  const chunk = (type: string, body: number[] | Buffer) => {
    const b = Buffer.alloc(12 + body.length); // CRCs are not checked
    b.writeUInt32BE(body.length, 0);
    b.write(type, 4, 'latin1');
    Buffer.from(body).copy(b, 8);
    return b;
  };
  const png = (plte: number[]) =>
    Buffer.concat([
      Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
      chunk('IHDR', [0, 0, 0, 1, 0, 0, 0, 1, 8, 3, 0, 0, 0]),
      chunk('PLTE', plte),
      chunk('IDAT', deflateSync(Buffer.from([0, 1]))),
      chunk('IEND', []),
    ]);

  it('refuses a PLTE chunk that is not whole RGB triples, as libpng does', () => {
    expect(Array.from(node.decodePng(png([1, 2, 3, 4, 5, 6])).dataSync())).toEqual([4, 5, 6]);
    expect(() => node.decodePng(png([1, 2, 3, 4]))).toThrow(
      /^node.decodePng: corrupt or unsupported PNG file \(PLTE chunk of 4 bytes \(expected 3 to 768, a multiple of 3: RGB triples\)\)/,
    );
  });
});

describe('ts.utils names', () => {
  it("are Keras's keras.utils names for the ts.data functions", () => {
    const { utils } = jest.requireActual('../../src') as typeof import('../../src');
    expect(utils.loadImg).toBe(data.loadImage);
    expect(utils.saveImg).toBe(data.saveImage);
    expect(utils.imageDatasetFromDirectory).toBe(data.imageDatasetFromDirectory);
    expect(utils.timeseriesDatasetFromArray).toBe(data.timeseriesDatasetFromArray);
  });
});
