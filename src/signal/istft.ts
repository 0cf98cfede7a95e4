// istft: Keras 3's keras.ops.istft, the inverse of signal.stft's Keras convention. Each
// frame's irfft is windowed and overlap-added, and divided by the overlap-added squared
// window (as jax.scipy.signal.istft, which Keras's JAX backend calls; where that sum is
// below 1e-10 it divides by 1); with center the fftLength / 2 samples stft's reflection
// added at each end are cut off. Differentiable.
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { checkBoolean, checkInteger } from '../options/check_args';
import { mul } from '../ops/binary';
import { pad } from '../ops/pad';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { frameIndices, scatterAddLast } from '../ops/window_index';
import { fromTypedArray } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkPair, type ComplexPair } from './dft';
import { irfft } from './spectral';
import { namedWindow, type WindowName } from './windows';

/** Keras 3's istft options. */
export interface IstftOptions {
  /** Samples to return (default: all of them, less the centering's padding); a longer length is cut at the end of the signal, as Keras slices. */
  length?: number | null;
  /** 'hann' (default) or 'hamming' (periodic), a tensor of sequenceLength samples, or null for none: stft's window. */
  window?: WindowName | Tensor | null;
  /** Whether stft padded the signal by fftLength / 2 on each side (default true): those samples are cut off. */
  center?: boolean;
}

/**
 * The inverse short-time Fourier transform of [real, imag] frames [..., frames, fftLength / 2 + 1]
 * (signal.stft's Keras convention) as a real signal [..., samples].
 * @example const y = signal.istft(signal.stft(x, 16, 4, 32, {}), 16, 4, 32, { length: x.shape[0] }); // x again
 */
export function istft(x: ComplexPair, sequenceLength: number, sequenceStride: number, fftLength: number, options?: IstftOptions | null): Tensor {
  if (arguments.length > 5) throw tooManyArguments('signal.istft', 5, arguments.length);
  const op = 'signal.istft';
  const dtype = checkPair(op, x);
  const length = checkInteger(op, 'sequenceLength', sequenceLength, 1);
  const step = checkInteger(op, 'sequenceStride', sequenceStride, 1);
  const n = checkInteger(op, 'fftLength', fftLength, 1);
  if (length > n) throw new Error(`${op}: expected sequenceLength <= fftLength, got ${length} and ${n}`);
  const opts = checkOptions(op, options ?? {}, ['length', 'window', 'center']);
  const center = opts.center === undefined ? true : checkBoolean(op, 'center', opts.center);
  const wanted = opts.length === undefined || opts.length === null ? null : checkInteger(op, 'length', opts.length, 0);
  const [re] = x;
  if (re.rank < 2) throw new Error(`${op}: expected x of rank >= 2 ([..., frames, bins]), got shape [${re.shape.join(', ')}]`);
  const frames = re.shape[re.rank - 2];
  const batch = re.shape.slice(0, re.rank - 2);
  const total = n + step * (frames - 1);
  return tidy(() => {
    const left = Math.floor((n - length) / 2);
    let win: Tensor | null = null;
    if (opts.window !== null) {
      const w = opts.window instanceof Tensor ? opts.window : namedWindow(op, opts.window ?? 'hann', length, true, dtype);
      if (w.rank !== 1 || w.shape[0] !== length || w.dtype !== dtype) {
        throw new Error(`${op}: expected window of shape [${length}] (sequenceLength) and x's dtype ${dtype}, got ${describe(w)}`);
      }
      win = pad(w, [[left, n - length - left]]);
    }
    const taps = win ? Array.from(win.dataSync() as ArrayLike<number>, Number) : new Array<number>(n).fill(1);
    // The overlap-added squared window, and Keras's scale: 1 with a window (its sum cancels),
    // fftLength / sequenceStride without (JAX multiplies by the ones' sum, Keras divides by the stride).
    const norm = allocTypedArray('float64', total, op);
    for (let f = 0; f < frames; f++) for (let j = 0; j < n; j++) norm[f * step + j] += taps[j] * taps[j];
    const gain = win ? 1 : n / step;
    const scale = allocTypedArray(dtype, total, op);
    for (let p = 0; p < total; p++) scale[p] = gain / (norm[p] > 1e-10 ? norm[p] : 1);
    let y = irfft(x, n);
    if (win) y = mul(y, win);
    const summed = scatterAddLast(reshape(y, [...batch, frames * n]), frameIndices(op, frames, n, step), total);
    const out = mul(summed, fromTypedArray(scale, [total], dtype));
    const start = center ? Math.floor(n / 2) : 0;
    const end = wanted !== null ? start + wanted : center ? total - Math.floor(n / 2) : total;
    const stop = Math.max(start, Math.min(end, total));
    if (start > total) throw new Error(`${op}: ${frames} frames make ${total} samples, fewer than the ${start} that center cuts off`);
    return slice(
      out,
      out.shape.map((_, i) => (i === out.rank - 1 ? start : 0)),
      out.shape.map((d, i) => (i === out.rank - 1 ? stop - start : d)),
    );
  });
}
