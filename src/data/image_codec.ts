// Image file decoding and PNG encoding, as one self-contained function: the decoding
// workers of imageDatasetFromDirectory run its source text (imageCodec.toString()), so it
// reaches its libraries by require() inside its own body and calls nothing outside it.
//   PNG: our own reader and writer on node:zlib (native inflate; fast-png is an ES module
//        that CommonJS code cannot require). All colour types, bit depths 1 to 16, Adam7.
//   JPEG: jpeg-js. GIF: omggif, the first frame. BMP: bmp-js.
// Decoded pixels are 8-bit, channels 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA).

/** Pixels of a decoded image, row-major, `channels` bytes per pixel. */
export interface DecodedImage {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** height * width * channels bytes, row by row, the channels of a pixel together. */
  data: Uint8Array;
}

/** The file formats imageCodec reads, by their first bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'bmp';

/** What imageCodec() returns. */
export interface ImageCodec {
  /** The format of a file from its first bytes, or null when it is none of the four. */
  sniff(bytes: Uint8Array): ImageFormat | null;
  /** Decodes a file's bytes; throws naming `name` when they are not a readable image. */
  decode(bytes: Uint8Array, name: string): DecodedImage;
  /** The image with `channels` channels, converted as Keras's colorMode does. */
  toChannels(image: DecodedImage, channels: 1 | 3 | 4): DecodedImage;
  /** An 8-bit PNG file of the image; `level` is zlib's compression level (-1 to 9, its default when omitted). */
  encodePng(image: DecodedImage, level?: number): Uint8Array;
}

export function imageCodec(): ImageCodec {
  /* eslint-disable @typescript-eslint/no-require-imports -- this function's source text also runs in the decode workers, so it loads its own modules */
  const zlib = require('node:zlib');
  const jpeg = require('jpeg-js');
  const { GifReader } = require('omggif');
  const bmp = require('bmp-js');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

  function sniff(b: Uint8Array): ImageFormat | null {
    if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return 'png';
    if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
    if (b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return 'gif';
    if (b.length >= 2 && b[0] === 0x42 && b[1] === 0x4d) return 'bmp';
    return null;
  }

  function decode(bytes: Uint8Array, name: string): DecodedImage {
    const format = sniff(bytes);
    if (format === null) throw new Error(`${name}: not a PNG, JPEG, GIF or BMP file (unknown first bytes)`);
    let image: DecodedImage;
    try {
      if (format === 'png') image = decodePng(bytes);
      else if (format === 'jpeg') {
        const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
        image = { width: d.width, height: d.height, channels: 3, data: d.data };
      } else if (format === 'gif') image = decodeGif(bytes);
      else image = decodeBmp(bytes);
    } catch (e) {
      throw new Error(`${name}: corrupt or unsupported ${format.toUpperCase()} file (${e instanceof Error ? e.message : String(e)})`, { cause: e });
    }
    if (!(image.width > 0 && image.height > 0)) throw new Error(`${name}: ${format.toUpperCase()} file with no pixels (${image.width}x${image.height})`);
    return image;
  }

  function decodeGif(bytes: Uint8Array): DecodedImage {
    const reader = new GifReader(bytes);
    const rgba = new Uint8Array(reader.width * reader.height * 4);
    reader.decodeAndBlitFrameRGBA(0, rgba);
    return toChannels({ width: reader.width, height: reader.height, channels: 4, data: rgba }, 3); // TF reads GIFs as RGB
  }

  function decodeBmp(bytes: Uint8Array): DecodedImage {
    const d = bmp.decode(bmpForBmpJs(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)));
    const n = d.width * d.height;
    if (!d.data || d.data.length < n * 4) throw new Error('truncated pixel data');
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      rgb[3 * i] = d.data[4 * i + 3]; // bmp-js writes ABGR
      rgb[3 * i + 1] = d.data[4 * i + 2];
      rgb[3 * i + 2] = d.data[4 * i + 1];
    }
    return { width: d.width, height: d.height, channels: 3, data: rgb };
  }

  // bmp-js 0.1.0 reads a 40-byte info header with the palette and pixels right after it:
  // it ignores the header size and the pixel offset (bfOffBits), so a V4/V5 header (108,
  // 124 bytes: GIMP's, Windows') or a gap before the pixels decoded as black. The file is
  // rewritten to that form; what bmp-js would decode wrongly (RLE, unusual bit fields) is
  // refused.
  function bmpForBmpJs(b: Buffer): Buffer {
    if (b.length < 14 + 40) throw new Error(`${b.length} bytes, shorter than a BMP's headers`);
    const offBits = b.readUInt32LE(10);
    const headerSize = b.readUInt32LE(14);
    if (headerSize < 40) throw new Error(`a ${headerSize}-byte info header (OS/2 1.x) is not supported; save it as a Windows BMP`);
    if (14 + headerSize > b.length) throw new Error(`a ${headerSize}-byte info header in a file of ${b.length} bytes`);
    const bpp = b.readUInt16LE(28);
    const compression = b.readUInt32LE(30);
    if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new Error(`bit depth ${bpp} (expected 1, 4, 8, 16, 24 or 32)`);
    let compress = compression;
    let masks = Buffer.alloc(0); // what bmp-js reads after the header for 16-bit BI_BITFIELDS
    let tableEnd = 14 + headerSize;
    if (compression === 3 || compression === 6) {
      // BI_BITFIELDS (BI_ALPHABITFIELDS): red, green, blue masks at byte 54, inside a
      // larger header or right after a 40-byte one.
      if (headerSize === 40) tableEnd += compression === 3 ? 12 : 16;
      if (tableEnd > b.length) throw new Error('truncated colour masks');
      const [r, g, bl] = [b.readUInt32LE(54), b.readUInt32LE(58), b.readUInt32LE(62)];
      const hex = (m: number) => '0x' + m.toString(16);
      const is = (mr: number, mg: number, mb: number) => r === mr && g === mg && bl === mb;
      if (bpp === 32 && is(0xff0000, 0xff00, 0xff))
        compress = 0; // BGRA bytes, as BI_RGB
      else if (bpp === 16 && (is(0xf800, 0x7e0, 0x1f) || is(0x7c00, 0x3e0, 0x1f))) {
        masks = Buffer.alloc(16);
        [r, g, bl].forEach((m, i) => masks.writeUInt32LE(m, 4 * i));
      } else throw new Error(`${bpp}-bit colour masks red ${hex(r)}, green ${hex(g)}, blue ${hex(bl)} are not supported`);
    } else if (compression !== 0) {
      const names: Record<number, string> = { 1: 'RLE8', 2: 'RLE4', 4: 'JPEG', 5: 'PNG' };
      throw new Error(`${names[compression] ?? `compression ${compression}`}-compressed pixels are not supported; save it uncompressed`);
    }
    let palette: Uint8Array = new Uint8Array(0);
    if (bpp <= 8) {
      const used = b.readUInt32LE(46);
      const colours = used === 0 ? 1 << bpp : used;
      if (colours > 1 << bpp) throw new Error(`a palette of ${colours} colours for ${bpp}-bit pixels`);
      if (tableEnd + 4 * colours > Math.min(offBits, b.length))
        throw new Error(`the palette of ${colours} colours does not fit before the pixels (at byte ${offBits})`);
      palette = b.subarray(tableEnd, tableEnd + 4 * colours);
      tableEnd += 4 * colours;
    }
    if (offBits < tableEnd || offBits > b.length) throw new Error(`pixel data at byte ${offBits}, outside bytes ${tableEnd} to ${b.length}`);
    const header = Buffer.alloc(54);
    b.copy(header, 0, 0, 54);
    const start = 54 + masks.length + palette.length;
    header.writeUInt32LE(start + b.length - offBits, 2);
    header.writeUInt32LE(start, 10);
    header.writeUInt32LE(40, 14);
    header.writeUInt32LE(compress, 30);
    if (bpp <= 8) header.writeUInt32LE(palette.length / 4, 46);
    return Buffer.concat([header, masks, palette, b.subarray(offBits)]);
  }

  function decodePng(b: Uint8Array): DecodedImage {
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let pos = 8;
    let width = 0,
      height = 0,
      depth = 0,
      colorType = -1,
      interlace = 0;
    let palette: Uint8Array | null = null;
    let transparency: Uint8Array | null = null;
    const idat: Uint8Array[] = [];
    for (;;) {
      if (pos + 8 > b.length) throw new Error('truncated before IEND');
      const length = view.getUint32(pos);
      const type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
      const body = b.subarray(pos + 8, pos + 8 + length);
      if (body.length !== length) throw new Error(`truncated ${type} chunk`);
      pos += 12 + length;
      if (type === 'IHDR') {
        width = view.getUint32(pos - 12 - length + 8);
        height = view.getUint32(pos - 12 - length + 12);
        [depth, colorType] = [body[8], body[9]];
        interlace = body[12];
      } else if (type === 'PLTE') {
        // libpng refuses one that is not whole RGB triples (or more than 256 of them).
        if (length % 3 !== 0 || length === 0 || length > 768)
          throw new Error(`PLTE chunk of ${length} bytes (expected 3 to 768, a multiple of 3: RGB triples)`);
        palette = body;
      } else if (type === 'tRNS') transparency = body;
      else if (type === 'IDAT') idat.push(body);
      else if (type === 'IEND') break;
    }
    const samples = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[colorType];
    if (!samples || ![1, 2, 4, 8, 16].includes(depth)) throw new Error(`colour type ${colorType} with bit depth ${depth}`);
    if (colorType === 3 && !palette) throw new Error('indexed colours without a PLTE chunk');
    const raw: Uint8Array = zlib.inflateSync(Buffer.concat(idat));
    const bitsPerPixel = samples * depth;
    const bpp = Math.max(1, bitsPerPixel >> 3);
    // Sample values (16-bit scaled to 8) of every pixel, by Adam7 passes when interlaced.
    const values = new Uint8Array(width * height * samples);
    const passes = interlace
      ? [
          [0, 0, 8, 8],
          [4, 0, 8, 8],
          [0, 4, 4, 8],
          [2, 0, 4, 4],
          [0, 2, 2, 4],
          [1, 0, 2, 2],
          [0, 1, 1, 2],
        ]
      : [[0, 0, 1, 1]];
    let offset = 0;
    for (const [x0, y0, dx, dy] of passes) {
      const w = Math.ceil((width - x0) / dx),
        h = Math.ceil((height - y0) / dy);
      if (w <= 0 || h <= 0) continue;
      const stride = Math.ceil((w * bitsPerPixel) / 8);
      let prev = new Uint8Array(stride);
      for (let y = 0; y < h; y++) {
        if (offset + 1 + stride > raw.length) throw new Error('image data shorter than the image');
        const filter = raw[offset];
        const line = Uint8Array.from(raw.subarray(offset + 1, offset + 1 + stride));
        offset += 1 + stride;
        unfilter(filter, line, prev, bpp);
        prev = line;
        const row = (y0 + y * dy) * width;
        for (let x = 0; x < w; x++) {
          const at = (row + x0 + x * dx) * samples;
          for (let s = 0; s < samples; s++) {
            const k = x * samples + s;
            let v: number;
            if (depth === 8) v = line[k];
            else if (depth === 16) v = line[2 * k];
            else {
              const bit = k * depth;
              const max = (1 << depth) - 1;
              const code = (line[bit >> 3] >> (8 - depth - (bit & 7))) & max;
              v = colorType === 3 ? code : Math.round((code * 255) / max);
            }
            values[at + s] = v;
          }
        }
      }
    }
    if (colorType !== 3) {
      // tRNS on grey or RGB names one transparent colour; ignored (Keras's decoders drop it too unless asked for alpha).
      return { width, height, channels: samples as 1 | 2 | 3 | 4, data: values };
    }
    const alpha = transparency !== null;
    const out = new Uint8Array(width * height * (alpha ? 4 : 3));
    const colors = palette!.length / 3;
    for (let i = 0; i < width * height; i++) {
      const p = values[i];
      if (p >= colors) throw new Error(`palette index ${p} beyond its ${colors} colours`);
      const o = i * (alpha ? 4 : 3);
      out[o] = palette![3 * p];
      out[o + 1] = palette![3 * p + 1];
      out[o + 2] = palette![3 * p + 2];
      if (alpha) out[o + 3] = p < transparency!.length ? transparency![p] : 255;
    }
    return { width, height, channels: alpha ? 4 : 3, data: out };
  }

  function unfilter(filter: number, line: Uint8Array, prev: Uint8Array, bpp: number): void {
    const n = line.length;
    if (filter === 0) return;
    if (filter === 1) for (let i = bpp; i < n; i++) line[i] = (line[i] + line[i - bpp]) & 255;
    else if (filter === 2) for (let i = 0; i < n; i++) line[i] = (line[i] + prev[i]) & 255;
    else if (filter === 3) for (let i = 0; i < n; i++) line[i] = (line[i] + (((i >= bpp ? line[i - bpp] : 0) + prev[i]) >> 1)) & 255;
    else if (filter === 4) {
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? line[i - bpp] : 0,
          b = prev[i],
          c = i >= bpp ? prev[i - bpp] : 0;
        const p = a + b - c,
          pa = Math.abs(p - a),
          pb = Math.abs(p - b),
          pc = Math.abs(p - c);
        line[i] = (line[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
    } else throw new Error(`unknown row filter ${filter}`);
  }

  // Keras reads through TensorFlow's decoders with channels = 1, 3 or 4: grey is repeated
  // into RGB, RGB becomes grey by ITU-R 601 luma (libjpeg's and PIL's), alpha is dropped
  // or set opaque.
  function toChannels(image: DecodedImage, channels: 1 | 3 | 4): DecodedImage {
    if (image.channels === channels) return image;
    const n = image.width * image.height;
    const src = image.data,
      c = image.channels;
    const out = new Uint8Array(n * channels);
    for (let i = 0; i < n; i++) {
      const grey = c <= 2;
      const r = src[i * c],
        g = grey ? r : src[i * c + 1],
        b = grey ? r : src[i * c + 2];
      const a = c === 2 ? src[i * c + 1] : c === 4 ? src[i * c + 3] : 255;
      if (channels === 1) out[i] = grey ? r : Math.round((r * 299 + g * 587 + b * 114) / 1000);
      else {
        out[i * channels] = r;
        out[i * channels + 1] = g;
        out[i * channels + 2] = b;
        if (channels === 4) out[i * channels + 3] = a;
      }
    }
    return { width: image.width, height: image.height, channels, data: out };
  }

  function crc32(bytes: Uint8Array): number {
    let c = ~0;
    for (let i = 0; i < bytes.length; i++) {
      c ^= bytes[i];
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  }

  function chunk(type: string, body: Uint8Array): Buffer {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    out.set(body, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
    return out;
  }

  function encodePng(image: DecodedImage, level?: number): Uint8Array {
    const { width, height, channels, data } = image;
    const header = Buffer.alloc(13);
    header.writeUInt32BE(width, 0);
    header.writeUInt32BE(height, 4);
    header[8] = 8;
    header[9] = ({ 1: 0, 2: 4, 3: 2, 4: 6 } as Record<number, number>)[channels];
    const stride = width * channels;
    const raw = Buffer.alloc((stride + 1) * height);
    for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
    return Buffer.concat([
      Buffer.from(PNG_SIGNATURE),
      chunk('IHDR', header),
      chunk('IDAT', zlib.deflateSync(raw, level === undefined ? {} : { level })),
      chunk('IEND', new Uint8Array(0)),
    ]);
  }

  return { sniff, decode, toChannels, encodePng };
}
