// Reductions over any axes (keepDims as Keras), argMax / argMin, cumsum, and sumTo, the
// reduction every broadcasting gradient ends with.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { runKernel1 } from '../tensor/run';
import { tidy } from '../tensor/memory';
import { normalizeAxes, normalizeAxis, reducedShape, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { packAttrs } from '../native/op_attrs';
import { div, mul } from './binary';
import { cast } from './cast';
import { equal } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { reshape } from './reshape';
import { broadcastTo } from './tile';
import { checkBoolean } from '../options/check_args';

type Axes = number | number[];

function reduce(
  op: string,
  kernel: 'reduce_sum' | 'reduce_mean' | 'reduce_max' | 'reduce_min' | 'reduce_prod',
  x: TensorLike,
  axis: Axes | undefined,
  keepDims: boolean,
  grad: 'sum' | 'mean' | 'extreme' | 'prod',
): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, NUMERIC_DTYPES);
  const axes = normalizeAxes(op, axis, t.rank);
  const shape = reducedShape(t.shape, axes, keepDims);
  const kept = reducedShape(t.shape, axes, true);
  const count = axes.reduce((n, a) => n * t.shape[a], 1);
  return runKernel1(
    op,
    kernel,
    [t],
    packAttrs[kernel]({ axes }),
    { shape, dtype: t.dtype },
    {
      save: grad === 'extreme' || grad === 'prod' ? [t] : [],
      saveOutputs: grad === 'extreme' || grad === 'prod',
      // dy is scaled at its reduced shape and broadcast once (by the kernel that consumes
      // it where there is one), never materialized at x's shape and then scaled.
      grad: ([dy], [xs, y]) => {
        const dyKept = reshape(dy, kept);
        if (grad === 'sum') return [broadcastTo(dyKept, t.shape)];
        if (grad === 'mean') return [broadcastTo(div(dyKept, count), t.shape)];
        const yb = reshape(y, kept);
        if (grad === 'prod') return [div(mul(dyKept, yb), xs)]; // defined where x != 0
        // Ties share the gradient equally, as TensorFlow's max/min gradient does.
        const hits = cast(equal(xs, yb), xs.dtype);
        return [mul(hits, div(dyKept, sum(hits, axes, true)))];
      },
    },
  );
}

/** Sum over `axis` (all axes when omitted). */
export function sum(x: TensorLike, axis?: Axes, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('sum', 3, arguments.length);
  return reduce('sum', 'reduce_sum', x, axis, keepDims, 'sum');
}
/** Mean over `axis` (all axes when omitted). */
export function mean(x: TensorLike, axis?: Axes, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('mean', 3, arguments.length);
  // The mean of integers is a float in TensorFlow.js and Keras alike (the int32 kernel truncates).
  if (x instanceof Tensor && x.dtype === 'int32') return tidy(() => reduce('mean', 'reduce_mean', cast(x, 'float32'), axis, keepDims, 'mean'));
  return reduce('mean', 'reduce_mean', x, axis, keepDims, 'mean');
}
/** Maximum over `axis`; NaN propagates. */
export function max(x: TensorLike, axis?: Axes, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('max', 3, arguments.length);
  return reduce('max', 'reduce_max', x, axis, keepDims, 'extreme');
}
/** Minimum over `axis`; NaN propagates. */
export function min(x: TensorLike, axis?: Axes, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('min', 3, arguments.length);
  return reduce('min', 'reduce_min', x, axis, keepDims, 'extreme');
}
/** Product over `axis`. */
export function prod(x: TensorLike, axis?: Axes, keepDims = false): Tensor {
  if (arguments.length > 3) throw tooManyArguments('prod', 3, arguments.length);
  return reduce('prod', 'reduce_prod', x, axis, keepDims, 'prod');
}

// An omitted axis is 0 in TensorFlow.js and "all, flattened" in Keras: the same call would
// give either answer without a word, so a tensor of rank 2 or more must name its axis.
function defaultAxis(op: string, axis: number | undefined, rank: number): number {
  if (axis !== undefined) return axis;
  if (rank <= 1) return 0;
  throw new Error(
    `${op}: give the axis for a tensor of rank ${rank}: an omitted axis is 0 in TensorFlow.js and the flattened tensor in Keras; ` +
      `${op}(x, -1) for the last axis (the class axis of logits), ${op}(x, 0) for TensorFlow.js's default`,
  );
}

function argReduce(op: string, kernel: 'argmax' | 'argmin', x: TensorLike, axis: number | undefined): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, NUMERIC_DTYPES);
  if (t.rank === 0) throw new Error(`${op}: expected a tensor of rank 1 or more, got a scalar`);
  const a = normalizeAxis(op, defaultAxis(op, axis, t.rank), t.rank);
  if (t.shape[a] === 0) throw new Error(`${op}: cannot reduce axis ${a} of size 0 (shape [${t.shape.join(', ')}])`);
  return runKernel1(op, kernel, [t], packAttrs[kernel]({ axis: a }), { shape: t.shape.filter((_, d) => d !== a), dtype: 'int32' });
}

/** Index of the largest value along `axis` (int32; the first on ties); a tensor of rank 2 or more names its axis. */
export function argMax(x: TensorLike, axis?: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('argMax', 2, arguments.length);
  return argReduce('argMax', 'argmax', x, axis);
}
/** Index of the smallest value along `axis` (int32; the first on ties); a tensor of rank 2 or more names its axis. */
export function argMin(x: TensorLike, axis?: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('argMin', 2, arguments.length);
  return argReduce('argMin', 'argmin', x, axis);
}

/**
 * Cumulative sum along `axis` (a tensor of rank 2 or more names it); `exclusive` starts at
 * 0, `reverse` runs from the end.
 */
export function cumsum(x: TensorLike, axis?: number, exclusive = false, reverse = false): Tensor {
  if (arguments.length > 4) throw tooManyArguments('cumsum', 4, arguments.length);
  const op = 'cumsum';
  checkBoolean(op, 'exclusive', exclusive);
  checkBoolean(op, 'reverse', reverse);
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, NUMERIC_DTYPES);
  const a = normalizeAxis(op, defaultAxis(op, axis, t.rank), t.rank);
  return runKernel1(
    op,
    'cumsum',
    [t],
    packAttrs.cumsum({ axis: a, exclusive, reverse }),
    { shape: [...t.shape], dtype: t.dtype },
    {
      grad: ([dy]) => [cumsum(dy, a, exclusive, !reverse)],
    },
  );
}

/** @internal dy summed down to `shape`: the gradient of broadcasting to dy's shape. */
export function sumTo(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let d = 0; d < dy.rank; d++) if (d < lead || (shape[d - lead] === 1 && dy.shape[d] !== 1)) axes.push(d);
  // Summing the leading axes away gives the shape itself (a bias's gradient): one kernel,
  // no reshape (a second handle and Tensor per gradient).
  if (shapesEqual(reducedShape(dy.shape, axes, false), shape)) return sum(dy, axes, false);
  const summed = sum(dy, axes, true);
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, [...shape]);
}
