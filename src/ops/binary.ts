// Arithmetic on two operands with NumPy broadcasting, and each one's gradient rule.
// Numbers adopt the tensor operand's dtype when that keeps their value (see literalDType);
// two tensors of different dtypes are computed in the wider one (bool < int32 < float32 <
// float64), as TensorFlow.js does.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { upcastDType, type DType } from '../tensor/dtype';
import { isRecording, runKernel1, type GradRule, type OutSpec } from '../tensor/run';
import { broadcastShapes, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { OpName } from '../native/op_ids';
import { cast } from './cast';
import { greaterEqual, lessEqual, where } from './compare';
import { FLOAT_DTYPES, NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { sumTo } from './reduce';
import { asOp } from './op_name';
import { log, neg, square } from './unary';

/**
 * The dtype a JS literal (number, boolean or nested array) takes next to a tensor of
 * `other`: the tensor's dtype, unless that would change the literal's values. As NumPy
 * and TensorFlow.js: a fraction (or an integer beyond int32) next to an int32 or bool
 * tensor makes the op float (float64 for comparisons, so they compare exactly), and a
 * number next to a bool tensor is a number, not a truth value.
 */
function literalDType(v: TensorLike, other: DType, exact: boolean): DType {
  if (other !== 'int32' && other !== 'bool') return other;
  let numbers = false;
  let integers = true;
  const visit = (x: unknown): void => {
    if (Array.isArray(x) || ArrayBuffer.isView(x)) for (const e of x as ArrayLike<unknown> & Iterable<unknown>) visit(e);
    else if (typeof x === 'number') {
      numbers = true;
      if (!Number.isInteger(x) || x < -2147483648 || x > 2147483647) integers = false;
    }
  };
  visit(v);
  if (!integers) return exact ? 'float64' : 'float32';
  return numbers ? 'int32' : other;
}

/**
 * @internal Both operands as tensors of one dtype; temporaries go into `created`.
 * `exact` (comparisons) promotes an int tensor met by a fraction to float64, not float32.
 */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike, created: Tensor[], exact = false): [Tensor, Tensor] {
  const hint = (v: TensorLike, other: TensorLike): DType | undefined =>
    other instanceof Tensor && !(v instanceof Tensor) ? literalDType(v, other.dtype, exact) : undefined;
  let x = toTensor(op, 'a', a, hint(a, b), created);
  let y = toTensor(op, 'b', b, hint(b, a), created);
  if (x.dtype !== y.dtype) {
    const dtype = upcastDType(x.dtype, y.dtype);
    if (x.dtype !== dtype) created.push((x = cast(x, dtype)));
    if (y.dtype !== dtype) created.push((y = cast(y, dtype)));
  }
  return [x, y];
}

/** The operand dtypes an op takes: a list, or a check of its own that throws the op's message. */
type OperandDTypes = readonly DType[] | ((op: string, x: Tensor) => void);

/** @internal Runs a broadcasting binary kernel, then releases converted operands. */
export function runBinary(
  op: string,
  kernel: OpName,
  a: TensorLike,
  b: TensorLike,
  outDType: ((dtype: DType) => DType) | null,
  rule: ((x: Tensor, y: Tensor) => GradRule) | null,
  allowed: OperandDTypes = NUMERIC_DTYPES,
): Tensor {
  // Two live tensors of one dtype (most calls) need no conversion, so nothing to release:
  // no array and no try/finally on the way. Anything else, disposed tensors included
  // (toTensor names them), goes the general way.
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && a.handle !== null && b.handle !== null) {
    return runBinaryKernel(op, kernel, a, b, outDType, rule, allowed);
  }
  const created: Tensor[] = [];
  try {
    // Ops with a bool result compare: their operands are promoted so that they compare exactly.
    const [x, y] = binaryOperands(op, a, b, created, outDType !== null);
    return runBinaryKernel(op, kernel, x, y, outDType, rule, allowed);
  } finally {
    for (const t of created) t.dispose();
  }
}

// Integers divided: TensorFlow.js floors (7 / 2 = 3, -7 / 2 = -4) and Keras 3 divides
// truly (3.5), so the call is refused with both spellings rather than given either answer.
function checkDivOperands(op: string, x: Tensor): void {
  checkInputDType(op, 'a', x, NUMERIC_DTYPES);
  if (x.dtype !== 'int32') return;
  throw new Error(
    `${op}: both operands are int32, where TensorFlow.js's div floors (7 / 2 = 3) and Keras's divide gives a float (3.5); ` +
      "say which: floorDiv(a, b) for the first, or div(cast(a, 'float32'), b) for the second",
  );
}

// The binary kernels take no attributes: one empty list for every call (a literal is a new array each time).
const NO_ATTRIBUTES: readonly [] = [];

function runBinaryKernel(
  op: string,
  kernel: OpName,
  x: Tensor,
  y: Tensor,
  outDType: ((dtype: DType) => DType) | null,
  rule: ((x: Tensor, y: Tensor) => GradRule) | null,
  allowed: OperandDTypes,
): Tensor {
  if (typeof allowed === 'function') allowed(op, x);
  else checkInputDType(op, 'a', x, allowed);
  // Operands of one shape (most calls) skip the broadcast computation; the output still
  // gets its own array (a shared one would let a change to one tensor's shape reach another).
  const shape = shapesEqual(x.shape, y.shape) ? x.shape.slice() : broadcastShapes(op, x.shape, y.shape);
  const out: OutSpec = { shape, dtype: outDType ? outDType(x.dtype) : x.dtype };
  return runKernel1(op, kernel, [x, y], NO_ATTRIBUTES, out, rule && isRecording() ? rule(x, y) : undefined);
}

// The rules of the four arithmetic ops, made once rather than as a closure per call.
const addRule = (x: Tensor, y: Tensor): GradRule => ({
  grad: ([dy], _, needs) => [needs[0] ? sumTo(dy, x.shape) : null, needs[1] ? sumTo(dy, y.shape) : null],
});
const subRule = (x: Tensor, y: Tensor): GradRule => ({
  grad: ([dy], _, needs) => [needs[0] ? sumTo(dy, x.shape) : null, needs[1] ? sumTo(neg(dy), y.shape) : null],
});
const mulRule = (x: Tensor, y: Tensor): GradRule => ({
  save: [x, y],
  grad: ([dy], [xs, ys], needs) => [needs[0] ? sumTo(mul(dy, ys), xs.shape) : null, needs[1] ? sumTo(mul(dy, xs), ys.shape) : null],
});
const divRule = (x: Tensor, y: Tensor): GradRule => ({
  save: [x, y],
  grad: ([dy], [xs, ys], needs) => [needs[0] ? sumTo(div(dy, ys), xs.shape) : null, needs[1] ? sumTo(neg(div(mul(dy, xs), square(ys))), ys.shape) : null],
});

/** a + b, elementwise with broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('add', 2, arguments.length);
  return runBinary('add', 'add', a, b, null, addRule);
}

/** a - b, elementwise with broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('sub', 2, arguments.length);
  return runBinary('sub', 'sub', a, b, null, subRule);
}

/** a * b, elementwise with broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('mul', 2, arguments.length);
  return runBinary('mul', 'mul', a, b, null, mulRule);
}

/** a / b, elementwise with broadcasting; two int32 operands are refused (floorDiv, or cast first). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('div', 2, arguments.length);
  return runBinary('div', 'div', a, b, null, divRule, checkDivOperands);
}

/** @internal Integers divided rounding toward -infinity, as the div kernel does them: floorDiv's and mod's. */
export function intFloorDiv(a: Tensor, b: Tensor): Tensor {
  return runBinary('floorDiv', 'div', a, b, null, null);
}

/** a ** b, elementwise with broadcasting. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('pow', 2, arguments.length);
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

/** The angle of the point (b, a) from the x axis, in [-pi, pi]: atan(a / b) in the right quadrant. */
export function atan2(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('atan2', 2, arguments.length);
  return runBinary(
    'atan2',
    'atan2',
    a,
    b,
    null,
    (x, y) => ({
      save: [x, y],
      grad: ([dy], [xs, ys]) => {
        // d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2)
        const scaled = div(dy, add(mul(xs, xs), mul(ys, ys)));
        return [sumTo(mul(scaled, ys), xs.shape), sumTo(neg(mul(scaled, xs)), ys.shape)];
      },
    }),
    FLOAT_DTYPES,
  );
}

/** The larger of a and b; on ties the gradient goes to a, as in TensorFlow. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('maximum', 2, arguments.length);
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
  if (arguments.length > 2) throw tooManyArguments('minimum', 2, arguments.length);
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
  if (arguments.length > 2) throw tooManyArguments('squaredDifference', 2, arguments.length);
  return asOp('squaredDifference', () => tidy(() => square(sub(a, b))));
}
