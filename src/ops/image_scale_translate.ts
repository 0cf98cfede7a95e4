// keras.ops.image.scale_and_translate, i.e. jax.image.scale_and_translate: each spatial axis
// is resampled by a weight matrix whose output sample o reads the input at
// (o + 0.5 - translation) / scale - 0.5, with the resize kernels of image_resize_weights.ts
// (widened by 1 / scale when antialiasing a downsample); samples outside the input are zero.
import { tooManyArguments } from '../options/arity';
import { tensor, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkElementCount, describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { cast, clone } from './cast';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { einsum } from './einsum';
import { KERNELS, MAX_WEIGHTS } from './image_resize_weights';
import { everyEntry } from '../options/every_entry';

/** keras.ops.image.scale_and_translate's methods (Keras's JAX backend's list). */
export type ScaleAndTranslateMethod = 'linear' | 'bilinear' | 'trilinear' | 'cubic' | 'bicubic' | 'tricubic' | 'lanczos3' | 'lanczos5';

const OP = 'image.scaleAndTranslate';
const METHODS: Record<ScaleAndTranslateMethod, (x: number) => number> = {
  linear: KERNELS.bilinear,
  bilinear: KERNELS.bilinear,
  trilinear: KERNELS.bilinear,
  cubic: KERNELS.bicubic,
  bicubic: KERNELS.bicubic,
  tricubic: KERNELS.bicubic,
  lanczos3: KERNELS.lanczos3,
  lanczos5: KERNELS.lanczos5,
};
// Letters of the einsum subscripts: input axes lower case, the resampled one upper case.
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** The [outSize, inSize] matrix of one axis, as JAX's compute_weight_mat (without edge padding). */
function weightMatrix(inSize: number, outSize: number, scale: number, translation: number, kernel: (x: number) => number, antialias: boolean): Float64Array {
  const w = new Float64Array(outSize * inSize);
  const inv = 1 / scale;
  const kernelScale = antialias ? Math.max(inv, 1) : 1;
  for (let o = 0; o < outSize; o++) {
    const sample = (o + 0.5) * inv - translation * inv - 0.5;
    // A sample outside [-0.5, inSize - 0.5] reads nothing (zero).
    if (!(sample >= -0.5 && sample <= inSize - 0.5)) continue;
    let total = 0;
    for (let j = 0; j < inSize; j++) total += w[o * inSize + j] = kernel(Math.abs(sample - j) / kernelScale);
    // As JAX: weights that cancel (|sum| tiny) give 0 rather than a division by ~0.
    const keep = Math.abs(total) > 1000 * 2 ** -23;
    for (let j = 0; j < inSize; j++) w[o * inSize + j] = keep ? w[o * inSize + j] / total : 0;
  }
  return w;
}

/** A list of `k` finite numbers from an array or a 1-D tensor, or an error naming `arg`. */
function numbers(arg: string, v: unknown, k: number): number[] {
  let list: unknown[] | null = null;
  if (Array.isArray(v)) list = v;
  else if (v !== null && typeof v === 'object') {
    const t = toTensor(OP, arg, v as TensorLike);
    if (t.rank === 1) list = Array.from(t.dataSync() as ArrayLike<number>);
  }
  if (!list || list.length !== k || !everyEntry(list, (x) => typeof x === 'number' && Number.isFinite(x)))
    throw new Error(`${OP}: expected ${arg} to be ${k} finite numbers (one per spatial dimension), got ${describe(v)}`);
  return list as number[];
}

/**
 * Resamples `images` (any rank, float or int32) to `outputShape` as
 * keras.ops.image.scale_and_translate (jax.image.scale_and_translate): along each axis of
 * `spatialDims`, the output pixel centred at y reads the input at (y - translation) / scale
 * (half-pixel centres), interpolated by `method` ('linear', 'bilinear', 'trilinear': the
 * triangle kernel; 'cubic', 'bicubic', 'tricubic': Keys' cubic; 'lanczos3', 'lanczos5'),
 * the kernel widened by 1 / scale where `antialias` and scale < 1; outputs reading outside the
 * input are 0. Other axes keep their size. int32 images come back float32. Differentiable
 * w.r.t. the images (scale and translation are read as numbers).
 * @example ts.image.scaleAndTranslate(img, [5, 5], [2, 2], [-0.5, -0.5], [0, 1], 'linear')
 */
export function scaleAndTranslate(
  images: TensorLike,
  outputShape: number[],
  scale: TensorLike,
  translation: TensorLike,
  spatialDims: number[],
  method: ScaleAndTranslateMethod,
  antialias = true,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments(OP, 7, arguments.length);
  const x = toTensor(OP, 'images', images);
  checkInputDType(OP, 'images', x, [...FLOAT_DTYPES, 'int32']);
  const rank = x.rank;
  if (!Array.isArray(outputShape) || outputShape.length !== rank || !everyEntry(outputShape, (d) => Number.isInteger(d) && d >= 0))
    throw new Error(
      `${OP}: expected outputShape ${rank} non-negative integers (one per dimension of images [${x.shape.join(', ')}]), got ${describe(outputShape)}`,
    );
  if (!Array.isArray(spatialDims) || !everyEntry(spatialDims, (d) => Number.isInteger(d) && d >= -rank && d < rank))
    throw new Error(`${OP}: expected spatialDims a list of axes in [${-rank}, ${rank}), got ${describe(spatialDims)}`);
  const dims = spatialDims.map((d) => (d < 0 ? d + rank : d));
  if (new Set(dims).size !== dims.length) throw new Error(`${OP}: expected distinct spatialDims, got ${describe(spatialDims)}`);
  if (typeof method !== 'string' || !Object.prototype.hasOwnProperty.call(METHODS, method))
    throw new Error(
      `${OP}: expected method one of ${Object.keys(METHODS)
        .map((m) => `'${m}'`)
        .join(', ')}, got ${describe(method)}`,
    );
  if (typeof antialias !== 'boolean') throw new Error(`${OP}: expected antialias a boolean, got ${describe(antialias)}`);
  const s = numbers('scale', scale, dims.length);
  const t = numbers('translation', translation, dims.length);
  if (s.includes(0)) throw new Error(`${OP}: expected non-zero scales, got ${describe(s)}`);
  for (let d = 0; d < rank; d++)
    if (!dims.includes(d) && outputShape[d] !== x.shape[d])
      throw new Error(`${OP}: outputShape [${outputShape.join(', ')}] changes axis ${d}, which is not in spatialDims (images [${x.shape.join(', ')}])`);
  checkElementCount(OP, outputShape, 'output shape');
  for (const d of dims)
    if (x.shape[d] * outputShape[d] > MAX_WEIGHTS)
      throw new Error(`${OP}: resampling axis ${d} from ${x.shape[d]} to ${outputShape[d]} needs a weight matrix of more than ${MAX_WEIGHTS} entries`);
  const kernel = METHODS[method];
  return tidy(() => {
    let y = x.dtype === 'int32' ? cast(x, 'float32') : x;
    const letters = LETTERS.slice(0, rank);
    dims.forEach((d, i) => {
      const m = weightMatrix(x.shape[d], outputShape[d], s[i], t[i], kernel, antialias);
      const out = letters.slice(0, d) + letters[d].toUpperCase() + letters.slice(d + 1);
      y = einsum(`${letters},${letters[d].toUpperCase()}${letters[d]}->${out}`, y, tensor(m, [outputShape[d], x.shape[d]], y.dtype));
    });
    return y === x ? clone(x) : y;
  });
}
