// keras.ops.image's data formats: images of rank 3 (one image) or 4 (a batch), channels
// last or first, brought to batched NHWC for the work and back to the caller's layout.
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { imageDataFormat as globalDataFormat } from '../config/settings';

/** Keras's image data formats, in Tessera's spelling (Keras's snake_case is accepted too). */
export type ImageDataFormat = 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first';

/** @internal `v` as 'channelsLast' or 'channelsFirst' (none: config.imageDataFormat()), or an error naming `op`. */
export function imageDataFormat(op: string, v: unknown): 'channelsLast' | 'channelsFirst' {
  if (v === undefined) return globalDataFormat();
  if (v === 'channelsLast' || v === 'channels_last') return 'channelsLast';
  if (v === 'channelsFirst' || v === 'channels_first') return 'channelsFirst';
  throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(v)}`);
}

/** @internal Throws unless `t` has rank 3 or 4, as keras.ops.image's ops take. */
export function checkImageRank(op: string, arg: string, t: Tensor): void {
  if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected ${arg} of rank 3 (one image) or 4 (a batch of images), got shape [${t.shape.join(', ')}]`);
}

/** @internal [height, width] of images of rank 3 or 4 in `format`. */
export function imageHW(t: Tensor, format: 'channelsLast' | 'channelsFirst'): [number, number] {
  const s = t.shape;
  return format === 'channelsLast' ? [s[s.length - 3], s[s.length - 2]] : [s[s.length - 2], s[s.length - 1]];
}

/** @internal `t` (rank 3 or 4, `format`) as a batch of NHWC images; the caller disposes a new tensor. */
export function toNhwc(t: Tensor, format: 'channelsLast' | 'channelsFirst'): Tensor {
  const batch = t.rank === 3 ? reshape(t, [1, ...t.shape]) : t;
  if (format === 'channelsLast') return batch;
  const out = transpose(batch, [0, 2, 3, 1]);
  if (batch !== t) batch.dispose();
  return out;
}

/** @internal The inverse of toNhwc for an input of rank `rank`; disposes `y` when it makes a new tensor. */
export function fromNhwc(y: Tensor, format: 'channelsLast' | 'channelsFirst', rank: number): Tensor {
  let out = y;
  if (format === 'channelsFirst') out = transpose(y, [0, 3, 1, 2]);
  if (rank === 3) {
    const squeezed = reshape(out, out.shape.slice(1));
    if (out !== y) out.dispose();
    out = squeezed;
  }
  if (out !== y) y.dispose();
  return out;
}

/** `images` (rank 3 or 4, either layout) as [batch, height, width, channels], and the way back. */
export function toBatchNhwc(op: string, images: Tensor, dataFormat: unknown): { nhwc: Tensor; restore: (out: Tensor) => Tensor } {
  const format = imageDataFormat(op, dataFormat ?? undefined);
  checkImageRank(op, 'images', images);
  const batch = images.rank === 3 ? reshape(images, [1, ...images.shape]) : images;
  const nhwc = format === 'channelsLast' ? batch : transpose(batch, [0, 2, 3, 1]);
  const restore = (out: Tensor) => {
    const back = format === 'channelsLast' ? out : transpose(out, [0, 3, 1, 2]);
    return images.rank === 3 ? reshape(back, back.shape.slice(1)) : back;
  };
  return { nhwc, restore };
}
