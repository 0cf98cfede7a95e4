// keras.ops.stft and istft with Keras's positional arguments (window, center, length after
// fftLength), where signal.stft / signal.istft take them as an options object.
import { tooManyArguments } from '../options/arity';
import { asOp } from '../ops/op_name';
import type { ComplexPair } from '../signal/dft';
import { istft as signalIstft } from '../signal/istft';
import { stft as signalStft } from '../signal/stft';
import type { WindowName } from '../signal/windows';
import type { TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';

/** Keras's stft: [real, imaginary] of frames of fftLength, sequenceStride apart, windowed (default a periodic 'hann'), centered unless center is false. */
export function stft(
  x: TensorLike,
  sequenceLength: number,
  sequenceStride: number,
  fftLength: number,
  window: WindowName | Tensor | null = 'hann',
  center = true,
): ComplexPair {
  if (arguments.length > 6) throw tooManyArguments('stft', 6, arguments.length);
  return asOp('stft', () => signalStft(x, sequenceLength, sequenceStride, fftLength, { window, center }));
}

/** Keras's istft: the signal of a [real, imaginary] STFT (length null: all of it), inverting stft's window and centering. */
export function istft(
  x: ComplexPair,
  sequenceLength: number,
  sequenceStride: number,
  fftLength: number,
  length: number | null = null,
  window: WindowName | Tensor | null = 'hann',
  center = true,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('istft', 7, arguments.length);
  return asOp('istft', () => signalIstft(x, sequenceLength, sequenceStride, fftLength, { length, window, center }));
}
