// Fourier transforms over the innermost axis (or two), TensorFlow.js's tf.spectral names
// with Keras 3's representation: a complex tensor is a [real, imag] pair of float tensors,
// as keras.ops.fft takes and returns one (there is no complex dtype here).
import { tooManyArguments } from '../options/arity';
import { checkInteger } from '../options/check_args';
import { mul } from '../ops/binary';
import { concat } from '../ops/concat';
import { checkInputDType, FLOAT_DTYPES, toTensor } from '../ops/convert';
import { pad } from '../ops/pad';
import { reverse } from '../ops/reverse';
import { slice } from '../ops/slice';
import { transpose } from '../ops/transpose';
import { neg } from '../ops/unary';
import { zerosLike, type TensorLike } from '../tensor/creation';
import { checkAllocation } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { sizeOf } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { checkPair, dftLastAxis, type ComplexPair } from './dft';

/**
 * The discrete Fourier transform over the last axis: X_k = sum_j x_j e^(-2 pi i jk / n).
 * @example const [re, im] = fft([real, imag]);
 */
export function fft(x: ComplexPair): ComplexPair {
  if (arguments.length > 1) throw tooManyArguments('fft', 1, arguments.length);
  checkPair('fft', x);
  return tidy(() => dftLastAxis(x, false));
}

/** The inverse of fft over the last axis (scaled by 1 / n). */
export function ifft(x: ComplexPair): ComplexPair {
  if (arguments.length > 1) throw tooManyArguments('ifft', 1, arguments.length);
  checkPair('ifft', x);
  return tidy(() => scaled(dftLastAxis(x, true), lastDim(x[0])));
}

/** fft over the last two axes. */
export function fft2(x: ComplexPair): ComplexPair {
  if (arguments.length > 1) throw tooManyArguments('fft2', 1, arguments.length);
  checkRank2('fft2', x);
  return tidy(() => overLastTwo(x, false));
}

/** ifft over the last two axes. */
export function ifft2(x: ComplexPair): ComplexPair {
  if (arguments.length > 1) throw tooManyArguments('ifft2', 1, arguments.length);
  checkRank2('ifft2', x);
  const shape = x[0].shape;
  return tidy(() => scaled(overLastTwo(x, true), shape[shape.length - 1] * shape[shape.length - 2]));
}

/**
 * The transform of a real signal over its last axis, cut or zero-padded to `fftLength`
 * (default: the axis's length): its fftLength / 2 + 1 non-negative frequencies, as [real, imag].
 * @example const [re, im] = rfft(signal, 512);
 */
export function rfft(x: TensorLike, fftLength?: number): ComplexPair {
  if (arguments.length > 2) throw tooManyArguments('rfft', 2, arguments.length);
  const op = 'rfft';
  return tidy(() => {
    const t = toTensor(op, 'x', x);
    checkInputDType(op, 'x', t, FLOAT_DTYPES);
    if (t.rank === 0) throw new Error(`${op}: expected a signal of rank >= 1, got a scalar`);
    const n = fftLength === undefined || fftLength === null ? lastDim(t) : checkInteger(op, 'fftLength', fftLength, 1);
    checkAllocation(op, t.dtype, sizeOf([...t.shape.slice(0, -1), n]), 'the padded signal');
    const signal = fitLastAxis(t, n);
    const [re, im] = dftLastAxis([signal, zerosLike(signal)], false);
    const bins = Math.floor(n / 2) + 1;
    return [firstOfLastAxis(re, bins), firstOfLastAxis(im, bins)];
  });
}

/**
 * The real signal of length `fftLength` (default 2 (bins - 1)) whose rfft is `x`: the
 * inverse of rfft. The bins are cut or zero-padded to fftLength / 2 + 1; the imaginary
 * parts of the zero (and, for even lengths, the Nyquist) frequency are ignored, as NumPy does.
 */
export function irfft(x: ComplexPair, fftLength?: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('irfft', 2, arguments.length);
  const op = 'irfft';
  checkPair(op, x);
  const bins = lastDim(x[0]);
  const n = fftLength === undefined || fftLength === null ? 2 * (bins - 1) : checkInteger(op, 'fftLength', fftLength, 1);
  if (n < 1) throw new Error(`${op}: expected at least 2 bins to infer fftLength, got ${bins}; pass fftLength`);
  return tidy(() => {
    const kept = Math.floor(n / 2) + 1;
    const [re, im] = [fitLastAxis(x[0], kept), fitLastAxis(x[1], kept)];
    // X_(n-k) = conj(X_k): the missing upper half, bins n - kept down to 1 mirrored.
    const upper = n - kept;
    const axis = re.rank - 1;
    const mirrored = (t: Tensor): Tensor => reverse(sliceLastAxis(t, 1, upper), axis);
    const full: ComplexPair = upper > 0 ? [concat([re, mirrored(re)], axis), concat([im, neg(mirrored(im))], axis)] : [re, im];
    return mul(dftLastAxis(full, true)[0], 1 / n);
  });
}

function lastDim(t: Tensor): number {
  return t.shape[t.shape.length - 1];
}

function scaled([re, im]: ComplexPair, n: number): ComplexPair {
  return n === 0 ? [re, im] : [mul(re, 1 / n), mul(im, 1 / n)];
}

function checkRank2(op: string, x: ComplexPair): void {
  checkPair(op, x);
  if (x[0].rank < 2) throw new Error(`${op}: expected real and imag of rank >= 2, got shape [${x[0].shape.join(', ')}]`);
}

function overLastTwo(x: ComplexPair, inverse: boolean): ComplexPair {
  const rank = x[0].rank;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  const [ar, ai] = dftLastAxis(x, inverse);
  const [br, bi] = dftLastAxis([transpose(ar, perm), transpose(ai, perm)], inverse);
  return [transpose(br, perm), transpose(bi, perm)];
}

function sliceLastAxis(t: Tensor, start: number, size: number): Tensor {
  const begin = t.shape.map((_, i) => (i === t.rank - 1 ? start : 0));
  return slice(
    t,
    begin,
    t.shape.map((d, i) => (i === t.rank - 1 ? size : d)),
  );
}

function firstOfLastAxis(t: Tensor, size: number): Tensor {
  return sliceLastAxis(t, 0, size);
}

// The last axis cut or zero-padded to n.
function fitLastAxis(t: Tensor, n: number): Tensor {
  const have = lastDim(t);
  if (have === n) return t;
  if (have > n) return firstOfLastAxis(t, n);
  return pad(
    t,
    t.shape.map((_, i) => (i === t.rank - 1 ? [0, n - have] : [0, 0])),
  );
}
