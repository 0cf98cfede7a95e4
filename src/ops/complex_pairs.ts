// Keras 3's polar, view_as_complex and view_as_real in Tessera's convention for complex
// values (there is no complex dtype): a complex tensor is a [real, imag] pair of float
// tensors, as fft, ifft, rfft and irfft take and return.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { binaryOperands, mul } from './binary';
import { cast } from './cast';
import { checkInputDType, FLOAT_DTYPES, NUMERIC_DTYPES, toTensor } from './convert';
import { asOp } from './op_name';
import { squeeze } from './reshape';
import { slice } from './slice';
import { stack } from './concat';
import { cos, sin } from './unary';
import { everyEntry } from '../options/every_entry';

/**
 * Keras's polar: the complex numbers abs * (cos(angle) + i sin(angle)) as a [real, imag]
 * pair (abs and angle broadcast together; int32 and bool computed in float32). Differentiable.
 * @example const [re, im] = polar(ones([3]), angles);
 */
export function polar(abs: TensorLike, angle: TensorLike): [Tensor, Tensor] {
  if (arguments.length > 2) throw tooManyArguments('polar', 2, arguments.length);
  const op = 'polar';
  return asOp(op, () =>
    tidy(() => {
      let [r, a] = binaryOperands(op, abs, angle, []);
      checkInputDType(op, 'abs', r, [...NUMERIC_DTYPES, 'bool']);
      checkInputDType(op, 'angle', a, [...NUMERIC_DTYPES, 'bool']);
      // int32 and bool: computed in float32, as Keras's.
      if (!isFloatDType(r.dtype)) [r, a] = [cast(r, 'float32'), cast(a, 'float32')];
      return [mul(r, cos(a)), mul(r, sin(a))] as [Tensor, Tensor];
    }),
  );
}

/** Keras's view_as_complex: x [..., 2] (real and imaginary parts last) as the pair [x[..., 0], x[..., 1]]. */
export function viewAsComplex(x: TensorLike): [Tensor, Tensor] {
  if (arguments.length > 1) throw tooManyArguments('viewAsComplex', 1, arguments.length);
  const op = 'viewAsComplex';
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'x', x);
      checkInputDType(op, 'x', t, FLOAT_DTYPES);
      if (t.rank < 1 || t.shape[t.rank - 1] !== 2)
        throw new Error(`${op}: expected x's last dimension to be 2 (real and imaginary parts), got shape [${t.shape.join(', ')}]`);
      const part = (k: number) =>
        squeeze(
          slice(
            t,
            t.shape.map((_, i) => (i === t.rank - 1 ? k : 0)),
            t.shape.map((d, i) => (i === t.rank - 1 ? 1 : d)),
          ),
          [t.rank - 1],
        );
      return [part(0), part(1)] as [Tensor, Tensor];
    }),
  );
}

/** Keras's view_as_real: a [real, imag] pair as one tensor [..., 2], the parts last. */
export function viewAsReal(x: [Tensor, Tensor]): Tensor {
  if (arguments.length > 1) throw tooManyArguments('viewAsReal', 1, arguments.length);
  const op = 'viewAsReal';
  if (!Array.isArray(x) || x.length !== 2 || !everyEntry(x, (t) => t instanceof Tensor)) {
    throw new Error(`${op}: expected [real, imag], a pair of tensors (Tessera has no complex dtype: the pair stands for one), got ${describe(x)}`);
  }
  const [re, im] = x;
  if (re.dtype !== im.dtype || re.rank !== im.rank || re.shape.some((d, i) => d !== im.shape[i])) {
    throw new Error(`${op}: expected real and imag of one shape and dtype, got ${describe(re)} and ${describe(im)}`);
  }
  return asOp(op, () => {
    checkInputDType(op, 'real', re, FLOAT_DTYPES);
    return stack([re, im], -1);
  });
}
