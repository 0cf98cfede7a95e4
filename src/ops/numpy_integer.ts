// keras.ops (NumPy) integer arithmetic computed on the host (no gradient): gcd and lcm.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands } from './binary';
import { checkInputDType } from './convert';
import { asOp } from './op_name';
import { broadcastTo } from './tile';

function gcdOf(a: number, b: number): number {
  [a, b] = [Math.abs(a), Math.abs(b)];
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Both int32 operands broadcast, combined elementwise on the host (`names`: the arguments', for errors). */
export function elementwise(op: string, x1: TensorLike, x2: TensorLike, f: (a: number, b: number) => number, names = ['x1', 'x2']): Tensor {
  // A bool tensor beside a number would be promoted to int32 below: refused first, as NumPy and JAX refuse bools.
  [x1, x2].forEach((v, i) => v instanceof Tensor && checkInputDType(op, names[i], v, ['int32']));
  const [a, b] = binaryOperands(op, x1, x2, []);
  checkInputDType(op, names[0], a, ['int32']);
  checkInputDType(op, names[1], b, ['int32']);
  const shape = broadcastShapes(op, a.shape, b.shape);
  const [av, bv] = [broadcastTo(a, shape).dataSync(), broadcastTo(b, shape).dataSync()];
  const out = allocTypedArray('int32', av.length, op);
  for (let i = 0; i < av.length; i++) out[i] = f(av[i], bv[i]);
  return fromTypedArray(out, shape, 'int32', a.device);
}

/** The greatest common divisor of |x1| and |x2| (int32), elementwise with broadcasting; gcd(0, 0) = 0. */
export function gcd(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('gcd', 2, arguments.length);
  // |-2^31| is no int32: NumPy wraps it back to -2^31, and so does the int32 store here.
  return asOp('gcd', () => tidy(() => elementwise('gcd', x1, x2, gcdOf)));
}

/**
 * The least common multiple of |x1| and |x2| (int32), elementwise with broadcasting; 0 when
 * either is 0. A multiple beyond int32 raises rather than wrapping.
 */
export function lcm(x1: TensorLike, x2: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('lcm', 2, arguments.length);
  const op = 'lcm';
  return asOp(op, () =>
    tidy(() =>
      elementwise(op, x1, x2, (a, b) => {
        if (a === 0 || b === 0) return 0;
        const m = Math.abs((a / gcdOf(a, b)) * b);
        if (m > 2 ** 31 - 1) throw new Error(`${op}: the multiple of ${a} and ${b} (${m}) is beyond int32`);
        return m;
      }),
    ),
  );
}
