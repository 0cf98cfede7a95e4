// Keras 3's nn ops psnr, rms_normalization and multi_hot, composed from existing ops
// (formulas of keras/src/ops/nn.py).
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { type DType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe, normalizeAxes, shapesEqual } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { add, mul, sub } from './binary';
import { cast } from './cast';
import { FLOAT_DTYPES, checkInputDType, toIndexTensor, toTensor } from './convert';
import { oneHot } from './gather';
import { asOp } from './op_name';
import { max, mean } from './reduce';
import { reshape } from './reshape';
import { log, rsqrt, square } from './unary';
import { epsilon as backendEpsilon } from '../config/settings';

/**
 * Peak signal-to-noise ratio of x2 against x1 (same shapes): 20 log10(maxVal) - 10 log10(mse),
 * a scalar over all entries, as keras.ops.psnr.
 */
export function psnr(x1: TensorLike, x2: TensorLike, maxVal: number): Tensor {
  if (arguments.length > 3) throw tooManyArguments('psnr', 3, arguments.length);
  const op = 'psnr';
  const a = toTensor(op, 'x1', x1);
  const b = toTensor(op, 'x2', x2, a.dtype);
  checkInputDType(op, 'x1', a, FLOAT_DTYPES);
  checkInputDType(op, 'x2', b, FLOAT_DTYPES);
  if (a.dtype !== b.dtype) throw new Error(`${op}: expected x1 and x2 of one dtype, got ${a.dtype} and ${b.dtype}`);
  if (!shapesEqual(a.shape, b.shape)) throw new Error(`${op}: expected x1 and x2 of the same shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  if (typeof maxVal !== 'number' || !Number.isFinite(maxVal) || !(maxVal > 0))
    throw new Error(`${op}: expected maxVal to be a positive number, got ${describe(maxVal)}`);
  return asOp(op, () =>
    tidy(() => {
      const mse = mean(square(sub(a, b)));
      return sub(20 * Math.log10(maxVal), mul(log(mse), 10 / Math.LN10));
    }),
  );
}

/**
 * RMS normalization: x / sqrt(mean(x^2 over `axis`) + epsilon) * scale, as
 * keras.ops.rms_normalization (epsilon defaults to config.epsilon(), Keras's backend epsilon).
 */
export function rmsNormalization(x: TensorLike, scale: TensorLike = 1, axis: number | number[] = -1, epsilon = backendEpsilon()): Tensor {
  if (arguments.length > 4) throw tooManyArguments('rmsNormalization', 4, arguments.length);
  const op = 'rmsNormalization';
  let t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0)
    throw new Error(`${op}: expected epsilon to be a number >= 0, got ${describe(epsilon)}`);
  return asOp(op, () =>
    tidy(() => {
      // Inside tidy: a scale given as a number becomes a tensor disposed with the intermediates.
      const s = toTensor(op, 'scale', scale, t.dtype);
      checkInputDType(op, 'scale', s, [t.dtype]);
      // Keras treats a scalar as a vector of one.
      if (t.rank === 0) t = reshape(t, [1]);
      const axes = normalizeAxes(op, axis, t.rank);
      return mul(mul(t, rsqrt(add(mean(square(t), axes, true), epsilon))), s);
    }),
  );
}

/**
 * Multi-hot encoding of integer class ids: one-hot over `numClasses`, then the maximum over
 * axis 1 (axis 0 for a vector), so [batch, k] ids give [batch, numClasses]. As
 * keras.ops.multi_hot; only the class axis -1 is supported.
 */
export function multiHot(inputs: TensorLike, numClasses: number, axis = -1, dtype: DType = 'float32'): Tensor {
  if (arguments.length > 4) throw tooManyArguments('multiHot', 4, arguments.length);
  const op = 'multiHot';
  const idx = toIndexTensor(op, 'inputs', inputs);
  checkInputDType(op, 'inputs', idx, ['int32']);
  if (axis !== -1) throw new Error(`${op}: only axis -1 (classes last) is supported, got ${describe(axis)}`);
  if (idx.rank === 0) throw new Error(`${op}: expected inputs of rank >= 1, got a scalar`);
  return asOp(op, () =>
    tidy(() => {
      const hot = oneHot(idx, numClasses, 1, 0, dtype === 'bool' ? 'int32' : dtype);
      const out = max(hot, idx.rank > 1 ? 1 : 0);
      return dtype === 'bool' ? cast(out, 'bool') : out;
    }),
  );
}
