// stft: the short-time Fourier transform of a real signal's last axis, as [real, imag] of
// shape [..., frames, fftLength / 2 + 1]. Two conventions, told apart by the fifth argument:
// - TensorFlow.js's tf.signal.stft (a window function, or nothing): frames of frameLength
//   from the signal's start, times the window, transformed at fftLength (default: the
//   power of two at or above frameLength);
// - Keras 3's keras.ops.stft (an options object {window, center}): frames of fftLength,
//   the window (periodic 'hann' by default) centered in them, and with center (default
//   true) the signal first padded by fftLength / 2 on each side with its reflection.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { checkBoolean, checkInteger } from '../options/check_args';
import { mul } from '../ops/binary';
import { checkInputDType, FLOAT_DTYPES, toTensor } from '../ops/convert';
import { mirrorPad } from '../ops/mirror_pad';
import { asOp } from '../ops/op_name';
import { pad } from '../ops/pad';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { ComplexPair } from './dft';
import { frame } from './frame';
import { rfft } from './spectral';
import { hannWindow, namedWindow, type WindowName } from './windows';

/** Keras 3's stft options. */
export interface StftOptions {
  /** 'hann' (default) or 'hamming' (periodic), a tensor of frameLength samples, or null for none. */
  window?: WindowName | Tensor | null;
  /** Pad the signal by fftLength / 2 on each side with its reflection first (default true). */
  center?: boolean;
}

/**
 * The short-time Fourier transform over the last axis, as [real, imag].
 * @example const [re, im] = signal.stft(x, 400, 160, 512);                        // TensorFlow.js
 * @example const [re, im] = signal.stft(x, 400, 160, 512, { window: 'hann', center: true }); // Keras 3
 */
export function stft(
  signal: TensorLike,
  frameLength: number,
  frameStep: number,
  fftLength?: number,
  windowFn?: ((length: number) => Tensor) | StftOptions,
): ComplexPair {
  if (arguments.length > 5) throw tooManyArguments('signal.stft', 5, arguments.length);
  const op = 'signal.stft';
  const length = checkInteger(op, 'frameLength', frameLength, 1);
  const step = checkInteger(op, 'frameStep', frameStep, 1);
  const keras = windowFn !== undefined && typeof windowFn !== 'function';
  if (keras && (fftLength === undefined || fftLength === null)) throw new Error(`${op}: Keras's stft (options as the fifth argument) needs fftLength`);
  const n = fftLength === undefined || fftLength === null ? powerOfTwoAtLeast(length) : checkInteger(op, 'fftLength', fftLength, 1);
  // Errors of the ops it is made of (frame, pad, rfft, the window) name stft.
  return asOp(op, () =>
    tidy(() => {
      const x = toTensor(op, 'signal', signal);
      checkInputDType(op, 'signal', x, FLOAT_DTYPES);
      if (x.rank === 0) throw new Error(`${op}: expected a signal of rank >= 1, got a scalar`);
      if (!keras) {
        const window = (windowFn ?? hannWindow)(length);
        if (!(window instanceof Tensor) || window.rank !== 1 || window.shape[0] !== length) {
          throw new Error(`${op}: expected the window function to return a tensor of shape [${length}], got ${describe(window)}`);
        }
        return rfft(mul(frame(x, length, step), window), n);
      }
      const { window, center } = checkOptions(op, windowFn, ['window', 'center']);
      if (length > n) throw new Error(`${op}: expected frameLength <= fftLength, got ${length} and ${n}`);
      let padded = x;
      if (center === undefined || checkBoolean(op, 'center', center)) {
        const half = Math.floor(n / 2);
        const samples = x.shape[x.rank - 1];
        if (samples <= half) throw new Error(`${op}: center pads by reflection, which needs more than fftLength / 2 = ${half} samples, got ${samples}`);
        padded = mirrorPad(
          x,
          x.shape.map((_, i) => (i === x.rank - 1 ? [half, half] : [0, 0])),
          'reflect',
        );
      }
      const frames = frame(padded, n, step);
      if (window === null) return rfft(frames, n);
      const w = window instanceof Tensor ? window : namedWindow(op, window ?? 'hann', length, true, x.dtype as 'float32' | 'float64');
      if (w.rank !== 1 || w.shape[0] !== length)
        throw new Error(`${op}: expected window of shape [${length}] (frameLength), got shape [${w.shape.join(', ')}]`);
      const left = Math.floor((n - length) / 2);
      return rfft(mul(frames, pad(w, [[left, n - length - left]])), n);
    }),
  );
}

function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
