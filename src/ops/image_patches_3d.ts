// keras.ops.image.extract_patches_3d: every [sizeD, sizeH, sizeW] window of a volume (strided,
// dilated, 'valid' or 'same' padded as a 3-D convolution) flattened into the channel axis in
// Keras's order (((depth * sizeH + row) * sizeW + column) * channels + channel), by one gather.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { tensor, zeros, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkElementCount, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { toTensor } from './convert';
import { gather } from './gather';
import { type ImageDataFormat, imageDataFormat } from './image_layout';
import { axisWindows } from './image_patches';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { everyEntry } from '../options/every_entry';

/** Options of image.extractPatches3d. */
export interface ExtractPatches3dOptions {
  /** Step between windows, an integer or [depth, rows, columns]; default the patch size (no overlap). */
  strides?: number | [number, number, number];
  /** Spacing of the voxels within a window, an integer or [depth, rows, columns]; default 1. */
  dilationRate?: number | [number, number, number];
  /** 'valid' (default: whole windows only) or 'same' (zero-padded, ceil(size / stride) windows per axis). */
  padding?: 'valid' | 'same';
  /** 'channelsLast' (default: [..., depth, height, width, channels]) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const OP = 'image.extractPatches3d';
const INT32_MAX = 2 ** 31 - 1;
/** The most voxel reads per volume (a 1 GiB index array), refused before the index is built. */
const MAX_READS = 2 ** 28;

function triple(name: string, v: unknown): [number, number, number] {
  const ok = (d: unknown) => Number.isInteger(d) && (d as number) >= 1 && (d as number) <= INT32_MAX;
  if (ok(v)) return [v as number, v as number, v as number];
  if (Array.isArray(v) && v.length === 3 && everyEntry(v, ok)) return [v[0], v[1], v[2]];
  throw new Error(`${OP}: expected ${name} to be a positive integer or [depth, rows, columns] of them, got ${describe(v)}`);
}

/**
 * Extracts patches of `size` ([depth, rows, columns] or one integer) from volumes of rank 4
 * (one) or 5 (a batch), as keras.ops.image.extract_patches_3d:
 * [..., windowsD, windowsH, windowsW, sizeD * sizeH * sizeW * channels] (channels last) or
 * [..., sizeD * sizeH * sizeW * channels, windowsD, windowsH, windowsW] (channels first).
 * Any dtype; differentiable w.r.t. float volumes.
 * @example ts.image.extractPatches3d(volumes, [2, 4, 4])
 */
export function extractPatches3d(volumes: TensorLike, size: number | [number, number, number], options?: ExtractPatches3dOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments(OP, 3, arguments.length);
  const o = checkOptions(OP, options, OP);
  const format = imageDataFormat(OP, o.dataFormat);
  const p = triple('size', size);
  // As Keras, strides absent are the patch size.
  const s = o.strides === undefined ? p : triple('strides', o.strides);
  const d = o.dilationRate === undefined ? [1, 1, 1] : triple('dilationRate', o.dilationRate);
  const padding = o.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${OP}: expected padding 'valid' or 'same', got ${describe(o.padding)}`);
  const x = toTensor(OP, 'volumes', volumes);
  if (x.rank !== 4 && x.rank !== 5)
    throw new Error(`${OP}: expected volumes of rank 4 (one volume) or 5 (a batch of volumes), got shape [${x.shape.join(', ')}]`);
  const batch = x.rank === 5 ? x.shape[0] : 1;
  const dims = x.shape.slice(x.rank - 4);
  const [c, sizes] = format === 'channelsLast' ? [dims[3], dims.slice(0, 3)] : [dims[0], dims.slice(1)];
  const windows = sizes.map((len, a) => axisWindows(len, p[a], s[a], d[a], padding === 'same'));
  const [od, oh, ow] = windows.map(([count]) => count);
  checkElementCount(OP, [batch, od, oh, ow, p[0], p[1], p[2], c], 'output shape');
  const count = od * oh * ow * p[0] * p[1] * p[2];
  if (count > MAX_READS) throw new Error(`${OP}: ${od} x ${oh} x ${ow} windows of ${p.join(' x ')} voxels are ${count} voxel reads per volume, more than 2^28`);
  const [vd, vh, vw] = sizes;
  const outside = vd * vh * vw;
  // Source voxel of each (window, patch offset); `outside` is the zero voxel.
  const index = new Int32Array(count);
  let k = 0;
  for (let z = 0; z < od; z++)
    for (let y = 0; y < oh; y++)
      for (let xw = 0; xw < ow; xw++)
        for (let i = 0; i < p[0]; i++)
          for (let j = 0; j < p[1]; j++)
            for (let l = 0; l < p[2]; l++) {
              const at = [z * s[0] + i * d[0] - windows[0][1], y * s[1] + j * d[1] - windows[1][1], xw * s[2] + l * d[2] - windows[2][1]];
              const inside = at.every((v, a) => v >= 0 && v < sizes[a]);
              index[k++] = inside ? (at[0] * vh + at[1]) * vw + at[2] : outside;
            }
  return tidy(() => {
    const flatIn = format === 'channelsLast' ? reshape(x, [batch, outside, c]) : transpose(reshape(x, [batch, c, outside]), [0, 2, 1]);
    const flat = concat([flatIn, zeros([batch, 1, c], x.dtype)], 1);
    let y = reshape(gather(flat, tensor(index, [count], 'int32'), 1), [batch, od, oh, ow, p[0] * p[1] * p[2] * c]);
    if (format === 'channelsFirst') y = transpose(y, [0, 4, 1, 2, 3]);
    return x.rank === 4 ? reshape(y, y.shape.slice(1)) : y;
  });
}
