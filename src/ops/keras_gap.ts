// keras.ops names Tessera had under other spellings or not at all: extract_sequences,
// average_pool, var, erfinv, angle, conj / conjugate, and the core helpers is_tensor,
// convert_to_tensor, convert_to_numpy, shape, dtype and get_item. Each checks its own
// arguments so that errors name the Keras spelling.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, zerosLike, type TensorLike } from '../tensor/creation';
import { checkDType, isFloatDType, type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, quoted } from '../tensor/shape';
import { Tensor, type NestedArray } from '../tensor/tensor';
import { atan2, mul, sub } from './binary';
import { cast, clone } from './cast';
import { greaterEqual, logicalAnd, lessEqual, where } from './compare';
import { compositeOp } from './composite';
import { FLOAT_DTYPES, checkInputDType, toIndexTensor, toTensor } from './convert';
import { gather } from './gather';
import { floatOperand } from './numpy_elementwise';
import { variance } from './numpy_stats';
import { asOp } from './op_name';
import { avgPool1d, avgPool2d } from './pooling';
import { avgPool3d } from './pooling3d';
import { reshape } from './reshape';
import { transpose } from './transpose';
import { abs, erf, exp, square } from './unary';
import { frame } from '../signal/frame';
import { everyEntry } from '../options/every_entry';

/**
 * Keras's extract_sequences: windows of sequenceLength samples, sequenceStride apart, from
 * the last axis: [..., n] -> [..., frames, sequenceLength] (signal.frame without padding).
 */
export function extractSequences(x: TensorLike, sequenceLength: number, sequenceStride: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('extractSequences', 3, arguments.length);
  return asOp('extractSequences', () => frame(x, sequenceLength, sequenceStride));
}

/** Keras's spellings of data formats, and Tessera's. */
export type KerasDataFormat = 'channelsLast' | 'channelsFirst' | 'channels_last' | 'channels_first';

/**
 * Keras's average_pool: the mean over windows of a channels-last batch of rank 3, 4 or 5
 * (1-D, 2-D or 3-D pooling; channels first with dataFormat). poolSize and strides (default:
 * poolSize) are an integer or one per spatial axis; 'same' padding divides by the taps inside.
 */
export function averagePool(
  inputs: TensorLike,
  poolSize: number | number[],
  strides: number | number[] | null = null,
  padding: 'valid' | 'same' = 'valid',
  dataFormat: KerasDataFormat | null = null,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('averagePool', 5, arguments.length);
  const op = 'averagePool';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: expected padding 'valid' or 'same', got ${quoted(padding)}`);
  const first = dataFormat === 'channelsFirst' || dataFormat === 'channels_first';
  if (!first && dataFormat !== null && dataFormat !== 'channelsLast' && dataFormat !== 'channels_last') {
    throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst' (or null), got ${quoted(dataFormat)}`);
  }
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'inputs', inputs);
      checkInputDType(op, 'inputs', x, FLOAT_DTYPES);
      const dims = x.rank - 2;
      if (dims < 1 || dims > 3) throw new Error(`${op}: expected inputs of rank 3, 4 or 5 ([batch, ...spatial, channels]), got shape [${x.shape.join(', ')}]`);
      const perSpatial = (name: string, v: unknown): number[] => {
        const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : v;
        if (!Array.isArray(list) || list.length !== dims || !everyEntry(list, (e) => Number.isInteger(e) && e > 0)) {
          throw new Error(`${op}: expected ${name} to be a positive integer or ${dims} of them (one per spatial axis), got ${describe(v)}`);
        }
        return list as number[];
      };
      const size = perSpatial('poolSize', poolSize);
      const steps = strides === null ? size : perSpatial('strides', strides);
      // channels first: move the channels last and back.
      const toLast = [0, ...size.map((_, i) => i + 2), 1];
      const toFirst = [0, dims + 1, ...size.map((_, i) => i + 1)];
      const input = first ? transpose(x, toLast) : x;
      const y =
        dims === 1
          ? avgPool1d(input, size[0], { strides: steps[0], padding })
          : dims === 2
            ? avgPool2d(input, size as [number, number], { strides: steps as [number, number], padding })
            : avgPool3d(input, size as [number, number, number], { strides: steps as [number, number, number], padding });
      return first ? transpose(y, toFirst) : y;
    }),
  );
}

/** Keras's and NumPy's var (the biased variance over axis, all axes when null); the same as variance. */
function kerasVar(x: TensorLike, axis: number | number[] | null = null, keepdims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('var', 3, arguments.length);
  return asOp('var', () => variance(x, axis, keepdims));
}
export { kerasVar as var };

// Giles (2010)'s single-precision erfinv, the start of erfinv's Newton steps.
function gilesErfinv(x: number): number {
  if (Number.isNaN(x) || Math.abs(x) > 1) return NaN;
  if (Math.abs(x) === 1) return x * Infinity;
  let w = -Math.log((1 - x) * (1 + x));
  let p: number;
  if (w < 5) {
    w -= 2.5;
    p = 2.81022636e-8;
    for (const c of [3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941]) p = c + p * w;
  } else {
    w = Math.sqrt(w) - 3;
    p = -0.000200214257;
    for (const c of [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682]) p = c + p * w;
  }
  return p * x;
}

const HALF_SQRT_PI = Math.sqrt(Math.PI) / 2;

/**
 * Keras's erfinv: the inverse error function, elementwise (NaN outside [-1, 1], +-Infinity at
 * +-1); int32 and bool input give float32. Computed in float64: Giles's approximation, then
 * Newton steps on erf. Its gradient is sqrt(pi) / 2 * exp(erfinv(x)^2), to any order.
 */
export function erfinv(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('erfinv', 1, arguments.length);
  const op = 'erfinv';
  const t = asOp(op, () => toTensor(op, 'x', x));
  // int32 and bool: the float32 result of their cast (no gradient flows to integers).
  if (!isFloatDType(t.dtype)) return tidy(() => erfinv(asOp(op, () => floatOperand(op, 'x', t))));
  return compositeOp(
    op,
    [t],
    () => {
      const values = Float64Array.from(t.dataSync() as ArrayLike<number>, (v) => gilesErfinv(Number(v)));
      const target = cast(t, 'float64');
      let y = fromTypedArray(values, [...t.shape], 'float64');
      // Newton on erf(y) = x, where the start is finite (erf's slope vanishes at +-inf).
      const inside = logicalAnd(greaterEqual(target, -1), lessEqual(abs(y), 1e300));
      for (let i = 0; i < 3; i++) {
        const step = mul(mul(sub(erf(y), target), HALF_SQRT_PI), exp(square(y)));
        y = where(inside, sub(y, step), y);
      }
      return cast(y, t.dtype);
    },
    () => ({ save: [t], grad: ([dy], [xs]) => [mul(dy, mul(exp(square(erfinv(xs))), HALF_SQRT_PI))] }),
  );
}

/** Keras's angle of a real tensor: NumPy's arctan2(0, x), pi where x < 0 (and -0), else 0; int32 and bool give float32. */
export function angle(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('angle', 1, arguments.length);
  const op = 'angle';
  // Tessera has no complex dtype: a complex number is a [real, imag] pair, whose angle is atan2(imag, real).
  return asOp(op, () =>
    tidy(() => {
      const t = floatOperand(op, 'x', x);
      return atan2(zerosLike(t), t);
    }),
  );
}

/** Keras's conj of a real tensor: a copy of x (Tessera has no complex dtype; of a [re, im] pair the conjugate is [re, neg(im)]). */
export function conj(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('conj', 1, arguments.length);
  return asOp('conj', () => clone(realOperand('conj', x)));
}

/** Keras's conjugate, the same as conj: a copy of a real tensor. */
export function conjugate(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('conjugate', 1, arguments.length);
  return asOp('conjugate', () => clone(realOperand('conjugate', x)));
}

function realOperand(op: string, x: TensorLike): Tensor {
  if (Array.isArray(x) && x.length === 2 && everyEntry(x, (e) => e instanceof Tensor)) {
    throw new Error(`${op}: got a [real, imag] pair; Tessera has no complex dtype, and the conjugate of [re, im] is [re, neg(im)]`);
  }
  return toTensor(op, 'x', x);
}

/** Keras's is_tensor: whether x is a Tensor (a Variable is one). */
export function isTensor(x: unknown): boolean {
  if (arguments.length > 1) throw tooManyArguments('isTensor', 1, arguments.length);
  return x instanceof Tensor;
}

/**
 * Keras's convert_to_tensor: x (a tensor, number, boolean or nested array) as a tensor of
 * `dtype` (default: a tensor's own, else float32 for numbers, bool for booleans); a tensor of
 * another dtype is cast, one of that dtype returned as it is, as Keras does.
 */
export function convertToTensor(x: TensorLike, dtype?: DType | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('convertToTensor', 2, arguments.length);
  const op = 'convertToTensor';
  if (dtype !== undefined && dtype !== null) checkDType(op, dtype);
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${op}: x is a disposed tensor`);
    return dtype === undefined || dtype === null || dtype === x.dtype ? x : cast(x, dtype);
  }
  return toTensor(op, 'x', x, dtype ?? undefined);
}

/**
 * Keras's convert_to_numpy, for JavaScript: x's values as nested arrays of numbers (or
 * booleans) in x's shape, a plain number for a scalar — what TensorFlow.js's arraySync gives.
 * (For a flat typed array use x.dataSync().)
 */
export function convertToNumpy(x: TensorLike): NestedArray | number | boolean {
  if (arguments.length > 1) throw tooManyArguments('convertToNumpy', 1, arguments.length);
  const op = 'convertToNumpy';
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error(`${op}: x is a disposed tensor`);
    return x.arraySync() as NestedArray | number | boolean;
  }
  return tidy(() => toTensor(op, 'x', x).arraySync()) as NestedArray | number | boolean;
}

/** Keras's shape: x's dimensions as a new array (x a tensor or anything convertToTensor takes). */
export function shape(x: TensorLike): number[] {
  if (arguments.length > 1) throw tooManyArguments('shape', 1, arguments.length);
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error('shape: x is a disposed tensor');
    return [...x.shape];
  }
  return tidy(() => [...toTensor('shape', 'x', x).shape]);
}

/** Keras's dtype: x's dtype name ('float32', 'int32'...), x a tensor or anything convertToTensor takes. */
export function dtype(x: TensorLike): DType {
  if (arguments.length > 1) throw tooManyArguments('dtype', 1, arguments.length);
  if (x instanceof Tensor) {
    if (x.isDisposed) throw new Error('dtype: x is a disposed tensor');
    return x.dtype;
  }
  return tidy(() => toTensor('dtype', 'x', x).dtype);
}

/**
 * Keras's get_item, x[key], for the keys JavaScript can write: an integer (negative counts
 * from the end) takes that entry of axis 0; an array of integers indexes the leading axes
 * one by one (x[i][j]); an int32 tensor gathers entries of axis 0 (x[indices]).
 * @example getItem(x, -1) // the last row
 */
export function getItem(x: TensorLike, key: number | number[] | Tensor): Tensor {
  if (arguments.length > 2) throw tooManyArguments('getItem', 2, arguments.length);
  const op = 'getItem';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      if (key instanceof Tensor) {
        if (t.rank === 0) throw new Error(`${op}: cannot index a scalar`);
        return gather(t, toIndexTensor(op, 'key', key), 0);
      }
      const keys = typeof key === 'number' ? [key] : key;
      if (!Array.isArray(keys) || !everyEntry(keys, (k) => Number.isInteger(k))) {
        throw new Error(`${op}: expected key to be an integer, an array of integers or an int32 tensor, got ${describe(key)}`);
      }
      if (keys.length > t.rank) throw new Error(`${op}: ${keys.length} indices for x of rank ${t.rank} (shape [${t.shape.join(', ')}])`);
      const at = keys.map((k, i) => {
        const n = t.shape[i];
        if (k < -n || k >= n) throw new Error(`${op}: index ${k} is out of range for axis ${i} of size ${n}`);
        return k < 0 ? k + n : k;
      });
      const rest = t.shape.slice(keys.length);
      let flatIndex = 0;
      at.forEach((k, i) => (flatIndex = flatIndex * t.shape[i] + k));
      const rows = reshape(t, [t.shape.slice(0, keys.length).reduce((a, b) => a * b, 1), ...rest]);
      return reshape(gather(rows, fromTypedArray(new Int32Array([flatIndex]), [1], 'int32'), 0), rest);
    }),
  );
}
