// keras.ops.image.affine_transform and perspective_transform: output pixels read the input at
// points given by a transform (output to input), sampled as jax.scipy.ndimage.map_coordinates.
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { checkNumber } from '../tensor/ranges';
import type { Tensor } from '../tensor/tensor';
import { add, div, mul } from './binary';
import { cast } from './cast';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { type ImageDataFormat, toBatchNhwc } from './image_layout';
import { MAP_FILL_MODES, type MapFillMode, positionsAlong, sampleAt } from './image_sample';
import { transform as projective, choiceCode, type TransformInterpolation } from './image_transform';
import { reshape } from './reshape';
import { slice } from './slice';

/** Options of image.affineTransform. */
export interface AffineTransformOptions {
  /** 'bilinear' (default, as Keras) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** Points outside the image: 'constant' (default: fillValue), 'nearest', 'wrap', 'mirror' or 'reflect' (as image.mapCoordinates). */
  fillMode?: MapFillMode;
  /** The value of points outside the image under fillMode 'constant' (default 0). */
  fillValue?: number;
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

/** Options of image.perspectiveTransform. */
export interface PerspectiveTransformOptions {
  /** 'bilinear' (default, as Keras) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** The value of points outside the image (default 0). */
  fillValue?: number;
  /** 'channelsLast' (default) or 'channelsFirst'. */
  dataFormat?: ImageDataFormat;
}

const INTERPOLATIONS: readonly TransformInterpolation[] = ['nearest', 'bilinear'];
// TensorFlow's transform maps the real coordinate into the image and then reads taps (one tap
// past the edge reads fillValue under 'wrap'); JAX fixes each tap's index. The two agree for
// these modes, where the native kernel serves.
const NATIVE_MODES: readonly MapFillMode[] = ['constant', 'nearest', 'reflect'];

/**
 * Applies an affine (or projective) transform to each image: a row [a0, a1, a2, b0, b1, b2, c0, c1]
 * of `transform` ([8] for all images, or [batch or 1, 8]) makes output pixel (x, y) read the
 * input at ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, as Keras 3
 * documents (and its TensorFlow backend does; its JAX backend ignores k, so agrees only for
 * c0 = c1 = 0). Images of rank 3 or 4, float. Differentiable w.r.t. the images.
 * @example ts.image.affineTransform(images, [1, 0, -2, 0, 1, 0, 0, 0]) // shifted 2 pixels right
 */
export function affineTransform(images: TensorLike, transform: TensorLike, options?: AffineTransformOptions | null): Tensor {
  if (arguments.length > 3) throw tooManyArguments('image.affineTransform', 3, arguments.length);
  const op = 'image.affineTransform';
  const o = checkOptions(op, options, op);
  const x = toTensor(op, 'images', images);
  checkInputDType(op, 'images', x, FLOAT_DTYPES);
  const interpolation = INTERPOLATIONS[choiceCode(op, 'interpolation', o.interpolation ?? 'bilinear', INTERPOLATIONS)];
  const fillMode = MAP_FILL_MODES[choiceCode(op, 'fillMode', o.fillMode ?? 'constant', MAP_FILL_MODES)];
  const fillValue = checkNumber(op, 'fillValue', o.fillValue ?? 0);
  const m = toTensor(op, 'transform', transform);
  checkInputDType(op, 'transform', m, ['float32', 'float64', 'int32']);
  return tidy(() => {
    const { nhwc, restore } = toBatchNhwc(op, x, o.dataFormat);
    const [n, h, w, c] = nhwc.shape;
    const rows = m.rank === 1 ? reshape(m, [1, ...m.shape]) : m;
    if (m.rank > 2 || rows.shape[1] !== 8 || (rows.shape[0] !== n && rows.shape[0] !== 1))
      throw new Error(`${op}: expected transform of shape [8] or [${n === 1 ? '1' : `${n} or 1`}, 8], got [${m.shape.join(', ')}]`);
    const t = rows.dtype === x.dtype ? rows : cast(rows, x.dtype);
    // No pixels to move (and none of the grids below to build, however long the other sides).
    if (nhwc.size === 0) return restore(mul(nhwc, 1));
    if (NATIVE_MODES.includes(fillMode)) return restore(projective(nhwc, t, { interpolation, fillMode: fillMode as 'constant', fillValue }));
    // entry(i): coefficient i per image, shaped [batch or 1, 1, 1, 1] against the pixel grid.
    const entry = (i: number) => reshape(slice(t, [0, i], [t.shape[0], 1]), [t.shape[0], 1, 1, 1]);
    const xs = positionsAlong(w, 2, 4, nhwc);
    const ys = positionsAlong(h, 1, 4, nhwc);
    const line = (a: number) => add(add(mul(entry(a), xs), mul(entry(a + 1), ys)), entry(a + 2));
    const k = add(add(mul(entry(6), xs), mul(entry(7), ys)), 1);
    const out = sampleAt(
      nhwc,
      [
        { positions: positionsAlong(n, 0, 4, nhwc) },
        { coordinates: div(line(3), k) },
        { coordinates: div(line(0), k) },
        { positions: positionsAlong(c, 3, 4, nhwc) },
      ],
      interpolation === 'nearest' ? 0 : 1,
      fillMode,
      fillValue,
    );
    return restore(out);
  });
}

/** Solves the 8x8 system a z = b in place (Gaussian elimination, partial pivoting); null when singular. */
function solve8(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (!(Math.abs(a[pivot][col]) > 1e-12)) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    [b[col], b[pivot]] = [b[pivot], b[col]];
    for (let r = col + 1; r < n; r++) {
      const f = a[r][col] / a[col][col];
      for (let j = col; j < n; j++) a[r][j] -= f * a[col][j];
      b[r] -= f * b[col];
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < n; j++) s -= a[r][j] * z[j];
    z[r] = s / a[r][r];
  }
  return z;
}

/**
 * The homography [h0..h7] that maps each of the 4 end points onto its start point, as Keras's
 * compute_homography_matrix: output (x, y) reads ((h0 x + h1 y + h2) / k, (h3 x + h4 y + h5) / k),
 * k = h6 x + h7 y + 1. Solved here in float64 (Keras: float32).
 */
/** @internal */
export function homography(op: string, start: ArrayLike<number>, end: ArrayLike<number>, at: number): number[] {
  const a: number[][] = [];
  const b: number[] = [];
  for (let i = 0; i < 4; i++) {
    const [sx, ex, ey] = [start[at + 2 * i], end[at + 2 * i], end[at + 2 * i + 1]];
    a.push([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey]);
    b.push(sx);
  }
  for (let i = 0; i < 4; i++) {
    const [sy, ex, ey] = [start[at + 2 * i + 1], end[at + 2 * i], end[at + 2 * i + 1]];
    a.push([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey]);
    b.push(sy);
  }
  const z = solve8(a, b);
  if (z === null || !z.every(Number.isFinite))
    throw new Error(
      `${op}: the points of image ${at / 8} give no perspective transform (three of the start or end points lie on a line, or a point is not finite)`,
    );
  return z;
}

/**
 * Warps each image so that its 4 `startPoints` ([4, 2] for all images or [batch, 4, 2];
 * (x, y) in pixels) move to the `endPoints`, as keras.ops.image.perspective_transform: the
 * output reads the input through the homography taking end points to start points; points
 * outside read fillValue. Differentiable w.r.t. the images (the points are read on the host).
 * @example ts.image.perspectiveTransform(images, [[0, 0], [9, 0], [0, 9], [9, 9]], [[1, 1], [8, 0], [0, 9], [9, 8]])
 */
export function perspectiveTransform(images: TensorLike, startPoints: TensorLike, endPoints: TensorLike, options?: PerspectiveTransformOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('image.perspectiveTransform', 4, arguments.length);
  const op = 'image.perspectiveTransform';
  const o = checkOptions(op, options, op);
  const x = toTensor(op, 'images', images);
  checkInputDType(op, 'images', x, FLOAT_DTYPES);
  const interpolation = INTERPOLATIONS[choiceCode(op, 'interpolation', o.interpolation ?? 'bilinear', INTERPOLATIONS)];
  const fillValue = checkNumber(op, 'fillValue', o.fillValue ?? 0);
  const start = toTensor(op, 'startPoints', startPoints);
  const end = toTensor(op, 'endPoints', endPoints);
  for (const [name, p] of [
    ['startPoints', start],
    ['endPoints', end],
  ] as const) {
    checkInputDType(op, name, p, ['float32', 'float64', 'int32']);
    if ((p.rank !== 2 && p.rank !== 3) || p.shape[p.rank - 2] !== 4 || p.shape[p.rank - 1] !== 2)
      throw new Error(`${op}: expected ${name} of shape [4, 2] or [batch, 4, 2], got [${p.shape.join(', ')}]`);
  }
  if (start.shape.join() !== end.shape.join())
    throw new Error(`${op}: expected startPoints and endPoints of one shape, got [${start.shape.join(', ')}] and [${end.shape.join(', ')}]`);
  return tidy(() => {
    const { nhwc, restore } = toBatchNhwc(op, x, o.dataFormat);
    const count = start.rank === 3 ? start.shape[0] : 1;
    if (count !== nhwc.shape[0] && count !== 1) throw new Error(`${op}: expected points for ${nhwc.shape[0]} images (or one set for all), got ${count} sets`);
    const [s, e] = [start.dataSync(), end.dataSync()];
    const rows: number[] = [];
    for (let i = 0; i < count; i++) rows.push(...homography(op, s, e, 8 * i));
    const m = fromTypedArray(Float64Array.from(rows), [count, 8], 'float64', x.device);
    return restore(projective(nhwc, cast(m, x.dtype), { interpolation, fillMode: 'constant', fillValue }));
  });
}
