// Window functions: TensorFlow.js's hannWindow and hammingWindow (periodic for an even
// length, symmetric for an odd one, as tf.signal's cosineWindow makes them), and the
// periodic windows that Keras 3's stft takes by name (scipy.signal.get_window's).
import { tooManyArguments } from '../options/arity';
import { checkInteger } from '../options/check_args';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** The windows Keras 3's stft names. */
export type WindowName = 'hann' | 'hamming';

const COEFFICIENTS: Record<WindowName, [number, number]> = { hann: [0.5, 0.5], hamming: [0.54, 0.46] };

// a - b cos(2 pi i / period) for i in [0, length).
function cosineWindow(op: string, length: number, [a, b]: [number, number], period: number, dtype: 'float32' | 'float64'): Tensor {
  const values = allocTypedArray(dtype, length, op);
  for (let i = 0; i < length; i++) values[i] = a - b * Math.cos((2 * Math.PI * i) / period);
  return fromTypedArray(values, [length], dtype);
}

// TensorFlow.js's period: the length for an even length, one less for an odd one.
const tfjsPeriod = (length: number): number => (length % 2 === 0 ? length : length - 1);

/** A Hann window of `windowLength` samples (TensorFlow.js's tf.signal.hannWindow). */
export function hannWindow(windowLength: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('signal.hannWindow', 1, arguments.length);
  const n = checkInteger('signal.hannWindow', 'windowLength', windowLength, 1);
  return cosineWindow('signal.hannWindow', n, COEFFICIENTS.hann, tfjsPeriod(n), 'float32');
}

/** A Hamming window of `windowLength` samples (TensorFlow.js's tf.signal.hammingWindow). */
export function hammingWindow(windowLength: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('signal.hammingWindow', 1, arguments.length);
  const n = checkInteger('signal.hammingWindow', 'windowLength', windowLength, 1);
  return cosineWindow('signal.hammingWindow', n, COEFFICIENTS.hamming, tfjsPeriod(n), 'float32');
}

/**
 * @internal The window `name` of `length` samples as scipy.signal.get_window makes it for
 * Keras 3: periodic (period = length, Keras's stft) or symmetric (period = length - 1).
 */
export function namedWindow(op: string, name: unknown, length: number, periodic: boolean, dtype: 'float32' | 'float64'): Tensor {
  if (name !== 'hann' && name !== 'hamming') throw new Error(`${op}: expected window 'hann', 'hamming', a tensor or null, got ${quoted(name)}`);
  // A symmetric window of one sample is [1], as scipy gives it.
  if (!periodic && length === 1) return fromTypedArray(dtype === 'float32' ? new Float32Array([1]) : new Float64Array([1]), [1], dtype);
  return cosineWindow(op, length, COEFFICIENTS[name], periodic ? length : length - 1, dtype);
}
