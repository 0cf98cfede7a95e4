// ts.node: tfjs-node's tf.node namespace, for the code of its users (decodeImage of a file's
// bytes, encodePng / encodeJpeg, the tensorBoard callback), on Tessera's own codecs: PNG
// on node:zlib, JPEG by jpeg-js, BMP by bmp-js, GIF's first frame by omggif.
import { TensorBoard } from '../callbacks/tensorboard';
import { sharedCodec } from '../data/image';
import type { DecodedImage, ImageFormat } from '../data/image_codec';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { fromTypedArray } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

type Channels = 0 | 1 | 3 | 4;

function checkBytes(op: string, contents: unknown): Uint8Array {
  if (!(contents instanceof Uint8Array)) throw new Error(`${op}: expected the file's bytes as a Uint8Array (a Buffer is one), got ${describe(contents)}`);
  return contents;
}

function checkChannels(op: string, channels: unknown): Channels {
  if (channels !== 0 && channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`${op}: expected channels 0 (as in the file), 1, 3 or 4, got ${describe(channels)}`);
  }
  return channels;
}

// The number of colour components a JPEG stores (1: greyscale), from its start-of-frame
// segment: jpeg-js always gives RGB, where TensorFlow gives a greyscale JPEG one channel.
function jpegComponents(bytes: Uint8Array): number {
  let pos = 2;
  while (pos + 9 < bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1];
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    const startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame) return bytes[pos + 9];
    pos += 2 + length;
  }
  return 3;
}

function decodeAs(op: string, contents: unknown, channels: unknown, dtype: unknown, formats: readonly ImageFormat[]): Tensor {
  const bytes = checkBytes(op, contents);
  const wanted = checkChannels(op, channels);
  if (dtype !== 'int32') throw new Error(`${op}: expected dtype 'int32' (the only one tfjs-node supports too), got ${describe(dtype)}`);
  const codec = sharedCodec();
  const format = codec.sniff(bytes);
  if (format === null || !formats.includes(format)) {
    throw new Error(
      `${op}: expected ${formats.map((f) => f.toUpperCase()).join(', ')} bytes, got ${format === null ? 'bytes of no known image format' : `a ${format.toUpperCase()} file`}`,
    );
  }
  let image: DecodedImage = codec.decode(bytes, op);
  if (format === 'jpeg' && wanted === 0 && jpegComponents(bytes) === 1) image = codec.toChannels(image, 1);
  if (wanted !== 0) image = codec.toChannels(image, wanted);
  return fromTypedArray(Int32Array.from(image.data), [image.height, image.width, image.channels], 'int32');
}

/**
 * A PNG, JPEG, BMP or GIF file's bytes as an int32 [height, width, channels] tensor of
 * 0-255 values (a GIF's first frame). channels 0 keeps the file's; 1, 3 and 4 convert as
 * Keras's colorMode does.
 * @example const image = ts.node.decodeImage(fs.readFileSync('cat.jpg'), 3);
 */
export function decodeImage(contents: Uint8Array, channels: Channels = 0, dtype = 'int32', expandAnimations = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('node.decodeImage', 4, arguments.length);
  if (expandAnimations !== false) {
    throw new Error(`node.decodeImage: expandAnimations is not supported (a GIF is read as its first frame), got ${describe(expandAnimations)}`);
  }
  return decodeAs('node.decodeImage', contents, channels, dtype, ['png', 'jpeg', 'bmp', 'gif']);
}

/** A PNG file's bytes as an int32 [height, width, channels] tensor (decodeImage for PNG only). */
export function decodePng(contents: Uint8Array, channels: Channels = 0, dtype = 'int32'): Tensor {
  if (arguments.length > 3) throw tooManyArguments('node.decodePng', 3, arguments.length);
  return decodeAs('node.decodePng', contents, channels, dtype, ['png']);
}

/** A BMP file's bytes as an int32 [height, width, channels] tensor (decodeImage for BMP only). */
export function decodeBmp(contents: Uint8Array, channels: Channels = 0): Tensor {
  if (arguments.length > 2) throw tooManyArguments('node.decodeBmp', 2, arguments.length);
  return decodeAs('node.decodeBmp', contents, channels, 'int32', ['bmp']);
}

/**
 * A JPEG file's bytes as an int32 [height, width, channels] tensor. tfjs-node's decoder
 * options after channels (ratio, fancyUpscaling, ...) are accepted only at their defaults.
 */
export function decodeJpeg(
  contents: Uint8Array,
  channels: Channels = 0,
  ratio = 1,
  fancyUpscaling = true,
  tryRecoverTruncated = false,
  acceptableFraction = 1,
  dctMethod = '',
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('node.decodeJpeg', 7, arguments.length);
  const op = 'node.decodeJpeg';
  const defaults: Array<[string, unknown, unknown]> = [
    ['ratio', ratio, 1],
    ['fancyUpscaling', fancyUpscaling, true],
    ['tryRecoverTruncated', tryRecoverTruncated, false],
    ['acceptableFraction', acceptableFraction, 1],
    ['dctMethod', dctMethod, ''],
  ];
  for (const [name, value, fixed] of defaults) {
    if (value !== fixed) throw new Error(`${op}: ${name} other than its default (${describe(fixed)}) is not supported, got ${describe(value)}`);
  }
  return decodeAs(op, contents, channels, 'int32', ['jpeg']);
}

// An encodable [height, width, channels] tensor of 0-255 values, as pixels.
function pixelsOf(op: string, image: unknown, allowed: readonly number[]): DecodedImage {
  if (!(image instanceof Tensor)) throw new Error(`${op}: expected a [height, width, channels] tensor, got ${describe(image)}`);
  const [h, w, c] = image.shape;
  if (image.rank !== 3 || !allowed.includes(c) || h === 0 || w === 0) {
    throw new Error(
      `${op}: expected a [height, width, channels] tensor with ${allowed.join(', ')} channels and some pixels, got shape [${image.shape.join(', ')}]`,
    );
  }
  const values = image.dataSync() as ArrayLike<number>;
  const data = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) throw new Error(`${op}: expected whole values 0-255, got ${v} at index ${i}`);
    data[i] = v;
  }
  return { width: w, height: h, channels: c as 1 | 3 | 4, data };
}

/** A PNG file of an int32 [height, width, channels] tensor (channels 1, 3 or 4; values 0-255); compression is zlib's level, -1 to 9. */
export async function encodePng(image: Tensor, compression = 1): Promise<Uint8Array> {
  if (arguments.length > 2) throw tooManyArguments('node.encodePng', 2, arguments.length);
  const op = 'node.encodePng';
  if (!Number.isInteger(compression) || compression < -1 || compression > 9)
    throw new Error(`${op}: expected compression -1 to 9, got ${describe(compression)}`);
  return sharedCodec().encodePng(pixelsOf(op, image, [1, 3, 4]), compression);
}

/**
 * A JPEG file of an int32 [height, width, 3] tensor (values 0-255) at `quality` 1-100.
 * tfjs-node's options after quality are accepted only at their defaults, and greyscale
 * (which its encoder cannot write) is refused.
 */
export async function encodeJpeg(
  image: Tensor,
  format: '' | 'grayscale' | 'rgb' = '',
  quality = 95,
  progressive = false,
  optimizeSize = false,
  chromaDownsampling = true,
): Promise<Uint8Array> {
  if (arguments.length > 6) throw tooManyArguments('node.encodeJpeg', 6, arguments.length);
  const op = 'node.encodeJpeg';
  if (!['', 'grayscale', 'rgb'].includes(format)) throw new Error(`${op}: expected format '', 'grayscale' or 'rgb', got ${describe(format)}`);
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new Error(`${op}: expected quality an integer 1-100, got ${describe(quality)}`);
  for (const [name, value, fixed] of [
    ['progressive', progressive, false],
    ['optimizeSize', optimizeSize, false],
    ['chromaDownsampling', chromaDownsampling, true],
  ] as const) {
    if (value !== fixed) throw new Error(`${op}: ${name} other than its default (${fixed}) is not supported, got ${describe(value)}`);
  }
  const oneChannel = format === 'grayscale' || (image instanceof Tensor && image.rank === 3 && image.shape[2] === 1);
  if (oneChannel) {
    throw new Error(
      `${op}: a greyscale JPEG is not written here: its encoder (jpeg-js) stores three components, so it would decode with 3 channels where tfjs-node's has 1; ` +
        'encode a PNG, or tile the channel to 3 and use format rgb',
    );
  }
  const pixels = sharedCodec().toChannels(pixelsOf(op, image, [3]), 4);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- jpeg-js loads only when a JPEG is written
  const jpeg = require('jpeg-js');
  return new Uint8Array(jpeg.encode({ width: pixels.width, height: pixels.height, data: pixels.data }, quality).data);
}

/** tfjs-node's tensorBoard(logdir, args): the TensorBoard callback writing to `logdir`. */
export function tensorBoard(logdir = './logs', args: { updateFreq?: 'batch' | 'epoch'; histogramFreq?: number } = {}): TensorBoard {
  if (arguments.length > 2) throw tooManyArguments('node.tensorBoard', 2, arguments.length);
  const op = 'node.tensorBoard';
  if (typeof logdir !== 'string') throw new Error(`${op}: expected logdir to be a folder path, got ${describe(logdir)}`);
  const { updateFreq, histogramFreq } = checkOptions(op, args, op);
  if (histogramFreq !== undefined && histogramFreq !== 0)
    throw new Error(`${op}: histograms are not written (scalars only); expected histogramFreq 0, got ${describe(histogramFreq)}`);
  return new TensorBoard({ logDir: logdir, ...(updateFreq !== undefined ? { updateFreq } : {}) });
}
