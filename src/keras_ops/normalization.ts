// keras.ops's normalization ops: batchNormalization with given statistics,
// layerNormalization over `axis`, and normalize (x over its norm, floored at epsilon).
import { epsilon as backendEpsilon } from '../config/settings';
import { norm } from '../linalg/norm';
import { tooManyArguments } from '../options/arity';
import { add, div, maximum, mul, sub } from '../ops/binary';
import { cast } from '../ops/cast';
import { toTensor } from '../ops/convert';
import { moments } from '../ops/moments';
import { asOp } from '../ops/op_name';
import { reshape } from '../ops/reshape';
import { rsqrt } from '../ops/unary';
import type { TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

// x as floats: integers become float32, as Keras computes these in at least float32.
function floats(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'x', x);
  return isFloatDType(t.dtype) ? t : cast(t, 'float32');
}

// A per-channel vector placed on `axes` of a rank-`rank` input (a full-rank one as is).
function onAxes(op: string, what: string, v: TensorLike, axes: number[], shape: number[]): Tensor {
  const t = toTensor(op, what, v);
  if (t.rank === shape.length || t.rank === 0) return t;
  return reshape(
    t,
    shape.map((d, i) => (axes.includes(i) ? d : 1)),
  );
}

/**
 * Keras's batch_normalization: (x - mean) / sqrt(variance + epsilon) * scale + offset, the
 * statistics being vectors along `axis` (the channels).
 */
export function batchNormalization(
  x: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  axis: number,
  offset: TensorLike | null = null,
  scale: TensorLike | null = null,
  epsilon = 1e-3,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('batchNormalization', 7, arguments.length);
  const op = 'batchNormalization';
  return asOp(op, () =>
    tidy(() => {
      const t = floats(op, x);
      const axes = [normalizeAxis(op, axis, t.rank)];
      const on = (what: string, v: TensorLike) => onAxes(op, what, v, axes, t.shape);
      let inv = rsqrt(add(on('variance', variance), epsilon));
      if (scale !== null) inv = mul(inv, on('scale', scale));
      const y = mul(sub(t, on('mean', mean)), inv);
      return offset === null ? y : add(y, on('offset', offset));
    }),
  );
}

/** Keras's layer_normalization: x normalized over `axis`, times gamma plus beta (epsilon null: config.epsilon()). */
export function layerNormalization(
  x: TensorLike,
  gamma: TensorLike | null = null,
  beta: TensorLike | null = null,
  axis: number | number[] = -1,
  epsilon: number | null = null,
): Tensor {
  if (arguments.length > 5) throw tooManyArguments('layerNormalization', 5, arguments.length);
  const op = 'layerNormalization';
  return asOp(op, () =>
    tidy(() => {
      const t = floats(op, x);
      const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(op, a, t.rank));
      const { mean, variance } = moments(t, axes, true);
      let inv = rsqrt(add(variance, epsilon ?? backendEpsilon()));
      if (gamma !== null) inv = mul(inv, onAxes(op, 'gamma', gamma, axes, t.shape));
      const y = mul(sub(t, mean), inv);
      return beta === null ? y : add(y, onAxes(op, 'beta', beta, axes, t.shape));
    }),
  );
}

/** Keras's normalize: x / max(norm of x along `axis`, epsilon) (epsilon null: config.epsilon()). */
export function normalize(x: TensorLike, axis = -1, order: number | 'fro' = 2, epsilon: number | null = null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('normalize', 4, arguments.length);
  const op = 'normalize';
  return asOp(op, () =>
    tidy(() => {
      const t = floats(op, x);
      return div(t, maximum(norm(t, order, normalizeAxis(op, axis, t.rank), true), epsilon ?? backendEpsilon()));
    }),
  );
}
