// Arithmetic on two operands with NumPy broadcasting, and each one's gradient rule.
// Numbers adopt the tensor operand's dtype; two tensors of different dtypes are computed
// in the wider one (bool < int32 < float32 < float64), as TensorFlow.js does.
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { upcastDType, type DType } from '../tensor/dtype';
import { isRecording, runKernel1, type GradRule, type OutSpec } from '../tensor/run';
import { broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { OpName } from '../native/op_ids';
import { cast } from './cast';
import { greaterEqual, lessEqual, where } from './compare';
import { NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { sumTo } from './reduce';
import { log, neg, square } from './unary';

/** @internal Both operands as tensors of one dtype; temporaries go into `created`. */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike, created: Tensor[]): [Tensor, Tensor] {
  const hint = (v: TensorLike): DType | undefined => (v instanceof Tensor ? v.dtype : undefined);
  let x = toTensor(op, 'a', a, hint(b), created);
  let y = toTensor(op, 'b', b, hint(a), created);
  if (x.dtype !== y.dtype) {
    const dtype = upcastDType(x.dtype, y.dtype);
    if (x.dtype !== dtype) created.push((x = cast(x, dtype)));
    if (y.dtype !== dtype) created.push((y = cast(y, dtype)));
  }
  return [x, y];
}

/** @internal Runs a broadcasting binary kernel, then releases converted operands. */
export function runBinary(
  op: string,
  kernel: OpName,
  a: TensorLike,
  b: TensorLike,
  outDType: ((dtype: DType) => DType) | null,
  rule: ((x: Tensor, y: Tensor) => GradRule) | null,
  allowed: readonly DType[] = NUMERIC_DTYPES,
): Tensor {
  const created: Tensor[] = [];
  try {
    const [x, y] = binaryOperands(op, a, b, created);
    checkInputDType(op, 'a', x, allowed);
    const out: OutSpec = { shape: broadcastShapes(op, x.shape, y.shape), dtype: outDType ? outDType(x.dtype) : x.dtype };
    return runKernel1(op, kernel, [x, y], [], out, rule && isRecording() ? rule(x, y) : undefined);
  } finally {
    for (const t of created) t.dispose();
  }
}

/** a + b, elementwise with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('add', 'add', a, b, null, (x, y) => ({
    grad: ([dy]) => [sumTo(dy, x.shape), sumTo(dy, y.shape)],
  }));
}

/** a - b, elementwise with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('sub', 'sub', a, b, null, (x, y) => ({
    grad: ([dy]) => [sumTo(dy, x.shape), sumTo(neg(dy), y.shape)],
  }));
}

/** a * b, elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('mul', 'mul', a, b, null, (x, y) => ({
    save: [x, y],
    grad: ([dy], [xs, ys]) => [sumTo(mul(dy, ys), xs.shape), sumTo(mul(dy, xs), ys.shape)],
  }));
}

/** a / b, elementwise with broadcasting (integers: floor division, x/0 = 0). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('div', 'div', a, b, null, (x, y) => ({
    save: [x, y],
    grad: ([dy], [xs, ys]) => [sumTo(div(dy, ys), xs.shape), sumTo(neg(div(mul(dy, xs), square(ys))), ys.shape)],
  }));
}

/** a ** b, elementwise with broadcasting. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('pow', 'pow', a, b, null, (x, y) => ({
    save: [x, y],
    saveOutputs: true,
    grad: ([dy], [xs, ys, out]) => {
      const dx = mul(dy, mul(ys, pow(xs, sub(ys, 1))));
      // d/db a^b = a^b log a, defined where a > 0 (TensorFlow's convention).
      const positive = greaterEqual(xs, 0);
      const safeLog = where(positive, log(where(positive, xs, 1)), 0);
      return [sumTo(dx, xs.shape), sumTo(mul(dy, mul(out, safeLog)), ys.shape)];
    },
  }));
}

/** The larger of a and b; on ties the gradient goes to a, as in TensorFlow. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('maximum', 'maximum', a, b, null, (x, y) => ({
    save: [x, y],
    grad: ([dy], [xs, ys]) => {
      const toX = greaterEqual(xs, ys);
      return [sumTo(where(toX, dy, 0), xs.shape), sumTo(where(toX, 0, dy), ys.shape)];
    },
  }));
}

/** The smaller of a and b; on ties the gradient goes to a, as in TensorFlow. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return runBinary('minimum', 'minimum', a, b, null, (x, y) => ({
    save: [x, y],
    grad: ([dy], [xs, ys]) => {
      const toX = lessEqual(xs, ys);
      return [sumTo(where(toX, dy, 0), xs.shape), sumTo(where(toX, 0, dy), ys.shape)];
    },
  }));
}

/** (a - b)^2, elementwise with broadcasting. */
export function squaredDifference(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => square(sub(a, b)));
}
