// Decode speed of each image format the data utilities read (image_codec.ts), on one
// thread: images/s for a 28x28 grey picture (Fashion-MNIST's size) and a 256x256 RGB one.
//   npm run build:ts && node dist/bench/image_decode.js
// (or without a build: node -r ./test/helpers/register-ts.js bench/image_decode.ts)
/* eslint-disable @typescript-eslint/no-require-imports -- the encoders that make the test pictures are CommonJS packages, loaded as the library loads them */
import { imageCodec, type DecodedImage } from '../src/data/image_codec';

const codec = imageCodec();
const jpeg = require('jpeg-js');
const bmp = require('bmp-js');
const { GifWriter } = require('omggif');

// A picture with smooth shapes and some noise, as photographs have.
function picture(size: number, channels: 1 | 3): DecodedImage {
  const data = new Uint8Array(size * size * channels);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < channels; c++) {
        const v = 128 + 100 * Math.sin((x * (c + 1)) / 17) * Math.cos(y / 23) + 20 * Math.sin(x * y * 0.37);
        data[(y * size + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
  return { width: size, height: size, channels, data };
}

function encodings(image: DecodedImage): Record<string, Uint8Array> {
  const rgba = codec.toChannels(image, 4);
  const abgr = Buffer.alloc(rgba.data.length);
  for (let i = 0; i < rgba.data.length; i += 4) [abgr[i], abgr[i + 1], abgr[i + 2], abgr[i + 3]] = [255, rgba.data[i + 2], rgba.data[i + 1], rgba.data[i]];
  const palette = Array.from({ length: 256 }, (_, i) => (i << 16) | (i << 8) | i);
  const grey = codec.toChannels(image, 1).data;
  const gif = Buffer.alloc(image.width * image.height * 2 + 2048);
  const writer = new GifWriter(gif, image.width, image.height, { palette });
  writer.addFrame(0, 0, image.width, image.height, grey);
  return {
    png: codec.encodePng(image),
    jpeg: jpeg.encode({ width: image.width, height: image.height, data: rgba.data }, 90).data,
    bmp: bmp.encode({ width: image.width, height: image.height, data: abgr }).data,
    gif: gif.subarray(0, writer.end()),
  };
}

function rate(bytes: Uint8Array): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    codec.decode(bytes, 'bench');
    n++;
  }
  return n / ((performance.now() - start) / 1000);
}

for (const [label, image] of [
  ['28x28 grey', picture(28, 1)],
  ['256x256 RGB', picture(256, 3)],
] as const) {
  const line = Object.entries(encodings(image)).map(([format, bytes]) => `${format} ${rate(bytes).toFixed(0)}/s`);
  console.log(`${label}: ${line.join(', ')}`);
}
