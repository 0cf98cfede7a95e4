// TensorFlow.js's normalization and activation ops that take their statistics or slopes
// as tensors: batchNorm (and its ranked forms), localResponseNormalization and prelu.
// Compositions of differentiable ops, so their gradients are the compositions'.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { addN } from './add_n';
import { add, mul, pow, sub } from './binary';
import { greater, where } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { pad } from './pad';
import { slice } from './slice';
import { rsqrt, square } from './unary';

function checkNumber(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new Error(`${op}: expected ${name} to be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${describe(v)}`);
  }
  return v;
}

function batchNormOf(
  op: string,
  xs: TensorLike,
  means: TensorLike,
  variances: TensorLike,
  offsets: TensorLike | null | undefined,
  scales: TensorLike | null | undefined,
  epsilon: number | null | undefined,
  rank?: number,
): Tensor {
  const eps = checkNumber(op, 'varianceEpsilon', epsilon ?? 0.001, 0);
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'x', xs);
      checkInputDType(op, 'x', x, FLOAT_DTYPES);
      if (rank !== undefined && x.rank !== rank) throw new Error(`${op}: expected x of rank ${rank}, got shape [${x.shape.join(', ')}]`);
      const mean = toTensor(op, 'mean', means);
      const named: [string, Tensor][] = [
        ['variance', toTensor(op, 'variance', variances)],
        ...(offsets == null ? [] : [['offset', toTensor(op, 'offset', offsets)] as [string, Tensor]]),
        ...(scales == null ? [] : [['scale', toTensor(op, 'scale', scales)] as [string, Tensor]]),
      ];
      for (const [name, t] of [['mean', mean] as [string, Tensor], ...named]) {
        if (rank !== undefined && t.rank !== rank && t.rank !== 1) {
          throw new Error(`${op}: expected ${name} of rank ${rank} or 1, got shape [${t.shape.join(', ')}]`);
        }
        if (t.rank !== mean.rank) throw new Error(`${op}: expected ${name} of the same rank as mean (${mean.rank}), got shape [${t.shape.join(', ')}]`);
      }
      const [variance, ...rest] = named.map(([, t]) => t);
      const offset = offsets == null ? null : rest.shift()!;
      const scale = scales == null ? null : rest.shift()!;
      let y = mul(sub(x, mean), rsqrt(add(variance, eps)));
      if (scale) y = mul(y, scale);
      if (offset) y = add(y, offset);
      return y;
    }),
  );
}

/**
 * (x - mean) / sqrt(variance + varianceEpsilon) * scale + offset, each broadcast against x
 * (TensorFlow.js's batchNorm: mean, variance, offset and scale of one rank; offset and
 * scale may be omitted).
 * @example batchNorm(x, mean, variance, beta, gamma, 1e-3)
 */
export function batchNorm(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon?: number | null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('batchNorm', 6, arguments.length);
  return batchNormOf('batchNorm', x, mean, variance, offset, scale, varianceEpsilon);
}

/** batchNorm for a rank-2 x, the statistics of rank 2 or 1. */
export function batchNorm2d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon?: number | null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('batchNorm2d', 6, arguments.length);
  return batchNormOf('batchNorm2d', x, mean, variance, offset, scale, varianceEpsilon, 2);
}

/** batchNorm for a rank-3 x, the statistics of rank 3 or 1. */
export function batchNorm3d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon?: number | null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('batchNorm3d', 6, arguments.length);
  return batchNormOf('batchNorm3d', x, mean, variance, offset, scale, varianceEpsilon, 3);
}

/** batchNorm for a rank-4 x, the statistics of rank 4 or 1. */
export function batchNorm4d(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  offset?: TensorLike | null,
  scale?: TensorLike | null,
  varianceEpsilon?: number | null,
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('batchNorm4d', 6, arguments.length);
  return batchNormOf('batchNorm4d', x, mean, variance, offset, scale, varianceEpsilon, 4);
}

/**
 * Local response normalization over the last axis (channels) of a rank-3 or rank-4 x:
 * x / (bias + alpha * sum of x² over the channels within depthRadius) ** beta, as
 * TensorFlow.js's localResponseNormalization (and AlexNet's LRN).
 * @example localResponseNormalization(x, 2, 1, 1e-4, 0.75)
 */
export function localResponseNormalization(x: TensorLike, depthRadius = 5, bias = 1, alpha = 1, beta = 0.5): Tensor {
  if (arguments.length > 5) throw tooManyArguments('localResponseNormalization', 5, arguments.length);
  const op = 'localResponseNormalization';
  if (typeof depthRadius !== 'number' || !Number.isInteger(depthRadius) || depthRadius < 0) {
    throw new Error(`${op}: expected depthRadius to be a non-negative integer, got ${describe(depthRadius)}`);
  }
  checkNumber(op, 'bias', bias);
  checkNumber(op, 'alpha', alpha);
  checkNumber(op, 'beta', beta);
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected x of rank 3 or 4, got shape [${t.shape.join(', ')}]`);
      const c = t.shape[t.rank - 1];
      // A window past the channels adds only zeros: a radius beyond c - 1 is c - 1.
      const r = Math.max(0, Math.min(depthRadius, c - 1));
      const lead = t.shape.slice(0, -1);
      const padded = pad(square(t), [...lead.map((): [number, number] => [0, 0]), [r, r]]);
      const windows = Array.from({ length: 2 * r + 1 }, (_, k) => slice(padded, [...lead.map(() => 0), k], [...lead, c]));
      const sums = windows.length === 1 ? windows[0] : addN(windows);
      return mul(t, pow(add(mul(sums, alpha), bias), -beta));
    }),
  );
}

/**
 * Parametric ReLU: x where x > 0, alpha * x elsewhere, alpha broadcast against x (a
 * learned slope per channel, usually).
 * @example prelu(x, tensor1d([0.1, 0.2]))
 */
export function prelu(x: TensorLike, alpha: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('prelu', 2, arguments.length);
  const op = 'prelu';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      const a = toTensor(op, 'alpha', alpha, t.dtype);
      checkInputDType(op, 'alpha', a, [t.dtype]);
      return where(greater(t, 0), t, mul(t, a));
    }),
  );
}
