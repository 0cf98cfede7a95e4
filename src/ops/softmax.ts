// softmax, logSoftmax and logSumExp over an axis, computed stably (shifted by the max).
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { normalizeAxes, normalizeAxis, reducedShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { compositeOp } from './composite';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { max, sum } from './reduce';
import { reshape } from './reshape';
import { where } from './compare';
import { exp, isFinite, log } from './unary';

function floatInput(op: string, x: TensorLike): Tensor {
  const t = toTensor(op, 'logits', x);
  checkInputDType(op, 'logits', t, FLOAT_DTYPES);
  if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank 1 or more, got a scalar`);
  return t;
}

/**
 * e^x / sum(e^x) along `axis` (default the last).
 * @example softmax(tensor([1, 2, 3]))
 */
export function softmax(logits: TensorLike, axis = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('softmax', 2, arguments.length);
  const op = 'softmax';
  const x = floatInput(op, logits);
  const a = normalizeAxis(op, axis, x.rank);
  if (a === x.rank - 1) {
    return runKernel1(
      op,
      'softmax',
      [x],
      [],
      { shape: x.shape, dtype: x.dtype },
      {
        saveOutputs: true,
        grad: ([dy], [y]) => [softmaxGrad(op, y, dy)],
      },
    );
  }
  return compositeOp(
    op,
    [x],
    () => {
      const e = exp(sub(x, max(x, a, true)));
      return div(e, sum(e, a, true));
    },
    () => ({
      saveOutputs: true,
      // dx = y * (dy - sum(dy * y))
      grad: ([dy], [y]) => [mul(y, sub(dy, sum(mul(dy, y), a, true)))],
    }),
  );
}

// y * (dy - sum(y * dy)) over the last axis, one kernel. Under an outer tape the kernel is
// itself differentiated: d/d(dy) is the same map (symmetric), and
// d/dy = g * (dy - sum(y * dy)) - dy * sum(g * y).
function softmaxGrad(op: string, y: Tensor, dy: Tensor): Tensor {
  const rule: GradRule | undefined = isRecording()
    ? {
        save: [y, dy],
        grad: ([g], [ys, d], needs) => [
          needs[0] ? sub(mul(g, sub(d, sum(mul(ys, d), -1, true))), mul(d, sum(mul(g, ys), -1, true))) : null,
          needs[1] ? softmaxGrad(op, ys, g) : null,
        ],
      }
    : undefined;
  return runKernel1(op, 'softmax_backward', [y, dy], [], { shape: y.shape, dtype: y.dtype }, rule);
}

// dy - e^y * sum(dy) over the last axis (y = logSoftmax(x)), one kernel. Under an outer tape:
// d/d(dy) = g - sum(g * e^y), d/dy = -g * e^y * sum(dy).
function logSoftmaxGrad(op: string, y: Tensor, dy: Tensor): Tensor {
  const rule: GradRule | undefined = isRecording()
    ? {
        save: [y, dy],
        grad: ([g], [ys, d], needs) => {
          const gp = mul(g, exp(ys));
          return [needs[0] ? mul(gp, mul(sum(d, -1, true), -1)) : null, needs[1] ? sub(g, sum(gp, -1, true)) : null];
        },
      }
    : undefined;
  return runKernel1(op, 'log_softmax_backward', [y, dy], [], { shape: y.shape, dtype: y.dtype }, rule);
}

/** log(softmax(x)) along `axis`, without the overflow of computing softmax first. */
export function logSoftmax(logits: TensorLike, axis = -1): Tensor {
  if (arguments.length > 2) throw tooManyArguments('logSoftmax', 2, arguments.length);
  const op = 'logSoftmax';
  const x = floatInput(op, logits);
  const a = normalizeAxis(op, axis, x.rank);
  if (a === x.rank - 1) {
    return runKernel1(
      op,
      'log_softmax',
      [x],
      [],
      { shape: x.shape, dtype: x.dtype },
      {
        saveOutputs: true,
        grad: ([dy], [y]) => [logSoftmaxGrad(op, y, dy)],
      },
    );
  }
  // Other axes: composed from reductions (the fused kernels run over the last axis).
  return compositeOp(
    op,
    [x],
    () => {
      const shifted = sub(x, max(x, a, true));
      return sub(shifted, log(sum(exp(shifted), a, true)));
    },
    () => ({
      saveOutputs: true,
      // dx = dy - softmax * sum(dy)
      grad: ([dy], [y]) => [sub(dy, mul(exp(y), sum(dy, a, true)))],
    }),
  );
}

/** log(sum(e^x)) over `axis` (all axes when omitted), stably. */
export function logSumExp(x: TensorLike, axis?: number | number[], keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('logSumExp', 3, arguments.length);
  const op = 'logSumExp';
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  const axes = normalizeAxes(op, axis, t.rank);
  const kept = reducedShape(t.shape, axes, true);
  const out = reducedShape(t.shape, axes, keepDims);
  // The shift: the max where it is finite, else 0 (as TensorFlow), so that all -Inf gives
  // -Inf and an Inf gives Inf instead of Inf - Inf = NaN.
  const shift = (v: Tensor): Tensor => {
    const m = max(v, axes, true);
    return where(isFinite(m), m, 0);
  };
  return compositeOp(
    op,
    [t],
    () => {
      const m = shift(t);
      return reshape(add(log(sum(exp(sub(t, m)), axes, true)), m), out);
    },
    () => ({
      save: [t],
      // dx = dy * softmax(x), computed from x - max: e^(x - y) loses the float32 rounding of y
      // (0.4999855 instead of 0.5 at [1000, 1000]).
      grad: ([dy], [xs]) => {
        const e = exp(sub(xs, shift(xs)));
        return [mul(reshape(dy, kept), div(e, sum(e, axes, true)))];
      },
    }),
  );
}
