// Fused batch and layer normalization.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { packAttrs } from '../native/op_attrs';
import { runKernel, runKernel1 } from '../tensor/run';
import { NON_NEGATIVE, UNIT, checkInRange } from '../tensor/ranges';
import { normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, mul, sub } from './binary';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { sum } from './reduce';
import { reshape } from './reshape';
import { rsqrt } from './unary';
import { checkOptions } from '../options/check';
import { unsupportedSecondOrder } from './second_order';

function channelParams(op: string, x: Tensor, axis: number, params: [string, TensorLike][]): Tensor[] {
  const c = x.shape[axis];
  return params.map(([name, p]) => {
    const t = toTensor(op, name, p);
    if (t.rank !== 1 || t.shape[0] !== c) {
      throw new Error(`${op}: expected ${name} of shape [${c}] (the size of axis ${axis} of x [${x.shape.join(', ')}]), got [${t.shape.join(', ')}]`);
    }
    if (t.dtype !== x.dtype) throw new Error(`${op}: expected ${name} of dtype ${x.dtype}, got ${t.dtype}`);
    return t;
  });
}

/** What batchNormTraining returns. */
export interface BatchNormTrainingResult {
  /** The normalized, scaled and shifted input, normalized with this batch's statistics. */
  y: Tensor;
  /** The moving statistics after this batch (Keras's momentum rule), for the layer to assign. */
  movingMean: Tensor;
  /** The moving variance after this batch, for the layer to assign. */
  movingVariance: Tensor;
}

/**
 * Batch normalization with batch statistics over every axis but `axis` (training mode,
 * Keras 3 semantics: biased variance, moving = moving * momentum + batch * (1 - momentum)).
 */
export function batchNormTraining(
  x: TensorLike,
  gamma: TensorLike,
  beta: TensorLike,
  movingMean: TensorLike,
  movingVariance: TensorLike,
  options: { axis?: number; epsilon?: number; momentum?: number } | null = {},
): BatchNormTrainingResult {
  if (arguments.length > 6) throw tooManyArguments('batchNormTraining', 6, arguments.length);
  const op = 'batchNormTraining';
  options = checkOptions(op, options, op);
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  const axis = normalizeAxis(op, options.axis ?? -1, input.rank);
  const epsilon = checkInRange(op, 'epsilon', options.epsilon ?? 1e-3, NON_NEGATIVE);
  const momentum = checkInRange(op, 'momentum', options.momentum ?? 0.99, UNIT);
  const [g, b, mm, mv] = channelParams(op, input, axis, [
    ['gamma', gamma],
    ['beta', beta],
    ['movingMean', movingMean],
    ['movingVariance', movingVariance],
  ]);
  const c = [input.shape[axis]];
  const dtype = input.dtype;
  const [y, batchMean, batchInvStd, newMean, newVar] = runKernel(
    op,
    'batch_norm_train_forward',
    [input, g, b, mm, mv],
    packAttrs.batch_norm_train_forward({ axis, epsilon, momentum }),
    [
      { shape: input.shape, dtype },
      { shape: c, dtype },
      { shape: c, dtype },
      { shape: c, dtype },
      { shape: c, dtype },
    ],
    {
      save: [input, g],
      saveOutputs: true,
      // saved: x, gamma, then the outputs y, batch_mean, batch_inv_std, new stats.
      grad: ([dy], [xs, gs, , batchMean, invStd]) => {
        const [dx, dgamma, dbeta] = runKernel(
          op,
          'batch_norm_backward',
          [xs, dy, gs, batchMean, invStd],
          packAttrs.batch_norm_backward({ axis }),
          [
            { shape: xs.shape, dtype },
            { shape: c, dtype },
            { shape: c, dtype },
          ],
          unsupportedSecondOrder(op, 'batch_norm_backward'),
        );
        return [dx, dgamma, dbeta, null, null];
      },
    },
  );
  // The batch statistics live on only in the tape's saved copies.
  batchMean.dispose();
  batchInvStd.dispose();
  return { y, movingMean: newMean, movingVariance: newVar };
}

/** Batch normalization with given (moving) statistics: inference mode. */
export function batchNormInference(
  x: TensorLike,
  gamma: TensorLike,
  beta: TensorLike,
  mean: TensorLike,
  variance: TensorLike,
  options: { axis?: number; epsilon?: number } | null = {},
): Tensor {
  if (arguments.length > 6) throw tooManyArguments('batchNormInference', 6, arguments.length);
  const op = 'batchNormInference';
  options = checkOptions(op, options, op);
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  const axis = normalizeAxis(op, options.axis ?? -1, input.rank);
  const epsilon = checkInRange(op, 'epsilon', options.epsilon ?? 1e-3, NON_NEGATIVE);
  const [g, b, m, v] = channelParams(op, input, axis, [
    ['gamma', gamma],
    ['beta', beta],
    ['mean', mean],
    ['variance', variance],
  ]);
  // The per-channel vectors broadcast against x through this shape.
  const bshape = input.shape.map((d, i) => (i === axis ? d : 1));
  const others = input.shape.map((_, i) => i).filter((i) => i !== axis);
  return runKernel1(
    op,
    'batch_norm_inference',
    [input, g, b, m, v],
    packAttrs.batch_norm_inference({ axis, epsilon }),
    { shape: input.shape, dtype: input.dtype },
    {
      save: [input, g, m, v],
      grad: ([dy], [xs, gs, ms, vs]) => {
        const inv = reshape(rsqrt(add(vs, epsilon)), bshape);
        const xhat = mul(sub(xs, reshape(ms, bshape)), inv);
        return [mul(dy, mul(reshape(gs, bshape), inv)), sum(mul(dy, xhat), others), sum(dy, others), null, null];
      },
    },
  );
}

/** Layer normalization over the trailing axes that gamma and beta cover (Keras 3 math). */
export function layerNorm(x: TensorLike, gamma: TensorLike, beta: TensorLike, epsilon = 1e-3): Tensor {
  if (arguments.length > 4) throw tooManyArguments('layerNorm', 4, arguments.length);
  const op = 'layerNorm';
  checkInRange(op, 'epsilon', epsilon, NON_NEGATIVE);
  const input = toTensor(op, 'x', x);
  checkInputDType(op, 'x', input, FLOAT_DTYPES);
  const g = toTensor(op, 'gamma', gamma);
  const b = toTensor(op, 'beta', beta);
  const d = g.size;
  if (b.size !== d || d === 0 || input.size % d !== 0 || input.shape.slice(input.rank - g.rank).join() !== g.shape.join()) {
    throw new Error(`${op}: gamma [${g.shape.join(', ')}] and beta [${b.shape.join(', ')}] must match the trailing axes of x [${input.shape.join(', ')}]`);
  }
  const rows = [input.size / d];
  const dtype = input.dtype;
  const [y, rowMean, rowRstd] = runKernel(
    op,
    'layer_norm_forward',
    [input, g, b],
    packAttrs.layer_norm_forward({ epsilon }),
    [
      { shape: input.shape, dtype },
      { shape: rows, dtype },
      { shape: rows, dtype },
    ],
    {
      save: [input, g],
      saveOutputs: true,
      grad: ([dy], [xs, gs, , mean, rstd]) => {
        const [dx, dgamma, dbeta] = runKernel(
          op,
          'layer_norm_backward',
          [xs, dy, gs, mean, rstd],
          [],
          [
            { shape: xs.shape, dtype },
            { shape: gs.shape, dtype },
            { shape: gs.shape, dtype },
          ],
          unsupportedSecondOrder(op, 'layer_norm_backward'),
        );
        return [dx, dgamma, dbeta];
      },
    },
  );
  rowMean.dispose();
  rowRstd.dispose();
  return y;
}
