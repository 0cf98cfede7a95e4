// The resize that Keras's image utilities apply (tf.image.resize: half-pixel centres, no
// antialiasing), with Keras's smart_resize crop for cropToAspectRatio; shared by
// loadImage, imageDatasetFromDirectory and the Resizing layer.
import { resizeBilinear, resizeNearestNeighbor } from '../ops/image';
import { slice } from '../ops/slice';
import type { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** Interpolations Tessera implements, by Keras's names. */
export type Interpolation = 'bilinear' | 'nearest';
const SUPPORTED: readonly string[] = ['bilinear', 'nearest'];
const KERAS_ONLY = ['area', 'bicubic', 'lanczos3', 'lanczos5', 'gaussian', 'mitchellcubic', 'lanczos', 'box', 'hamming'];

/** `v` as an interpolation name, or an error naming `owner` and what is supported. */
export function checkInterpolation(owner: string, v: unknown): Interpolation {
  if (typeof v === 'string' && SUPPORTED.includes(v)) return v as Interpolation;
  const why = typeof v === 'string' && KERAS_ONLY.includes(v) ? ` ('${v}' is a Keras interpolation Tessera does not implement)` : '';
  throw new Error(`${owner}: expected interpolation 'bilinear' or 'nearest', got ${describe(v)}${why}`);
}

/** `size` as [height, width] of positive integers, or an error naming owner and option. */
export function checkSize(owner: string, name: string, size: unknown): [number, number] {
  if (!Array.isArray(size) || size.length !== 2 || !everyEntry(size, (s) => Number.isInteger(s) && s > 0)) {
    throw new Error(`${owner}: expected ${name} to be [height, width], two integers > 0, got ${describe(size)}`);
  }
  return size as [number, number];
}

/** Keras's smart_resize window: the largest centred [top, left, height, width] of the target's aspect ratio. */
export function aspectCropBox(height: number, width: number, size: [number, number]): [number, number, number, number] {
  const cropHeight = Math.min(height, Math.trunc((width * size[0]) / size[1]));
  const cropWidth = Math.min(width, Math.trunc((height * size[1]) / size[0]));
  return [Math.trunc((height - cropHeight) / 2), Math.trunc((width - cropWidth) / 2), cropHeight, cropWidth];
}

/** Resizes [h, w, c] or [n, h, w, c] images to `size`, after the aspect-ratio crop when asked. */
export function resizeImages(images: Tensor, size: [number, number], interpolation: Interpolation, cropToAspectRatio = false): Tensor {
  const rank4 = images.rank === 4;
  const [h, w] = rank4 ? images.shape.slice(1, 3) : images.shape.slice(0, 2);
  let source = images;
  if (cropToAspectRatio) {
    const [top, left, ch, cw] = aspectCropBox(h, w, size);
    if (ch !== h || cw !== w) source = rank4 ? slice(images, [0, top, left, 0], [-1, ch, cw, -1]) : slice(images, [top, left, 0], [ch, cw, -1]);
  }
  const resize = interpolation === 'bilinear' ? resizeBilinear : resizeNearestNeighbor;
  const out = resize(source, size, { halfPixelCenters: true });
  if (source !== images) source.dispose();
  return out;
}
