// TensorFlow.js's complex, real and imag: Tessera has no complex dtype (as Keras 3's ops,
// it writes a complex tensor as a [real, imag] pair of float tensors, which fft, ifft,
// rfft and irfft take and return), so these refuse with that convention instead of
// returning something that is not what a TF.js program expects.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';

const PAIRS = 'Tessera has no complex dtype: a complex tensor is a [real, imag] pair of float tensors, as fft, ifft, rfft and irfft take and return';

/** Refused: there is no complex dtype; the pair [real, imag] is the complex tensor (fft([real, imag])). */
export function complex(_real: TensorLike, _imag: TensorLike): Tensor {
  if (arguments.length > 2) throw tooManyArguments('complex', 2, arguments.length);
  throw new Error(`complex: ${PAIRS}; use the pair [real, imag] itself`);
}

/** Refused: there is no complex dtype; of a pair [re, im], the real part is re. */
export function real(_input: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('real', 1, arguments.length);
  throw new Error(`real: ${PAIRS}; the real part of [re, im] is re`);
}

/** Refused: there is no complex dtype; of a pair [re, im], the imaginary part is im. */
export function imag(_input: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('imag', 1, arguments.length);
  throw new Error(`imag: ${PAIRS}; the imaginary part of [re, im] is im`);
}
