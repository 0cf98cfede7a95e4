// The discrete Fourier transform over the last axis, on (real, imaginary) pairs of real
// tensors (there is no complex dtype). Built from matrix products so that the GEMM does
// the arithmetic and autograd gives the gradients:
// - a short axis (or one with no useful factors) multiplies by the DFT matrix;
// - a long one factors as n = n1 * n2 (the "four-step" FFT: n2 transforms of length n1,
//   twiddle factors, n1 transforms of length n2), recursively: O(n (n1 + n2)) work;
// - a long prime length goes through Bluestein's chirp-z transform, a convolution done
//   by power-of-two transforms.
// The constant matrices are made once per length and dtype, and kept.
import { add, mul, sub } from '../ops/binary';
import { matMul } from '../ops/matmul';
import { pad } from '../ops/pad';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { transpose } from '../ops/transpose';
import { fromTypedArray } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { keep, tidy } from '../tensor/memory';
import { noGrad } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { everyEntry } from '../options/every_entry';

/** A complex tensor as Keras 3 passes one: its real and imaginary parts, of one shape. */
export type ComplexPair = [Tensor, Tensor];

// Lengths up to this use the DFT matrix directly (m^2 per transform, on the GEMM).
const DIRECT_MAX = 64;
// A prime length up to this still uses the matrix; beyond, Bluestein.
const PRIME_DIRECT_MAX = 256;

type FloatDType = 'float32' | 'float64';
const constants = new Map<string, Tensor>();

// A kept tensor made once per key (outside any tape: constants have no gradient).
function keptOnce(key: string, make: () => Tensor): Tensor {
  let t = constants.get(key);
  if (t === undefined) {
    t = keep(noGrad(() => tidy(make)));
    constants.set(key, t);
  }
  return t;
}

// A kept pair made once per key: both parts come from one computation (the filter's transform).
function keptPairOnce(key: string, make: () => ComplexPair): ComplexPair {
  const [re, im] = [constants.get(`${key}/re`), constants.get(`${key}/im`)];
  if (re !== undefined && im !== undefined) return [re, im];
  const pair = noGrad(() => tidy(make)).map((t) => keep(t)) as ComplexPair;
  constants.set(`${key}/re`, pair[0]);
  constants.set(`${key}/im`, pair[1]);
  return pair;
}

// A kept constant: `values(i, j)` over [rows, cols], computed in float64.
function constant(key: string, dtype: FloatDType, rows: number, cols: number, values: (i: number, j: number) => number): Tensor {
  return keptOnce(`${key}/${dtype}`, () => {
    const data = dtype === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = values(i, j);
    return fromTypedArray(data, [rows, cols], dtype);
  });
}

// The angle 2 pi (j k mod n) / n: reduced first, so large products keep their precision.
const angle = (jk: number, n: number): number => (2 * Math.PI * (jk % n)) / n;
const cosMatrix = (n: number, dtype: FloatDType): Tensor => constant(`cos${n}`, dtype, n, n, (j, k) => Math.cos(angle(j * k, n)));
const sinMatrix = (n: number, dtype: FloatDType): Tensor => constant(`sin${n}`, dtype, n, n, (j, k) => Math.sin(angle(j * k, n)));

/** The largest divisor of n that is at most sqrt(n) (1 for a prime). */
function balancedFactor(n: number): number {
  for (let d = Math.floor(Math.sqrt(n)); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

// (a + ib)(c + id) for pairs.
function complexMul([a, b]: ComplexPair, [c, d]: ComplexPair): ComplexPair {
  return tidy(() => [sub(mul(a, c), mul(b, d)), add(mul(a, d), mul(b, c))]);
}

/**
 * The unnormalized DFT over the last axis of [rows, n] pairs: X_k = sum_j x_j e^(-+2 pi i jk/n),
 * minus for the forward transform, plus for the inverse.
 */
export function dftRows(x: ComplexPair, inverse: boolean): ComplexPair {
  const [re, im] = x;
  const n = re.shape[1];
  const dtype = re.dtype as FloatDType;
  if (n <= 1) return [re, im];
  const factor = balancedFactor(n);
  // Each transform frees its intermediates on return, so that the next reuses their memory:
  // a first call held them all at once, and faulting in that much fresh memory took seconds
  // (rfft of [4, 100003]: 600 MB, 8 s, where later calls reuse it and take 0.3 s).
  return tidy(() => {
    if (n <= DIRECT_MAX || (factor === 1 && n <= PRIME_DIRECT_MAX)) return direct(re, im, n, dtype, inverse);
    if (factor === 1) return bluestein(x, n, dtype, inverse);
    return fourStep(x, factor, n / factor, dtype, inverse);
  });
}

function direct(re: Tensor, im: Tensor, n: number, dtype: FloatDType, inverse: boolean): ComplexPair {
  const c = cosMatrix(n, dtype);
  const s = sinMatrix(n, dtype);
  // Forward: e^(-i t) = cos t - i sin t; the inverse flips the sine's sign.
  const rc = matMul(re, c);
  const rs = matMul(re, s);
  const ic = matMul(im, c);
  const is = matMul(im, s);
  return inverse ? [sub(rc, is), add(ic, rs)] : [add(rc, is), sub(ic, rs)];
}

// n = n1 * n2; input index j = n2 j1 + j2, output index k = k1 + n1 k2.
function fourStep([re, im]: ComplexPair, n1: number, n2: number, dtype: FloatDType, inverse: boolean): ComplexPair {
  const rows = re.shape[0];
  const n = n1 * n2;
  // [rows, n1, n2] -> [rows, n2, n1]: length-n1 transforms over j1.
  const columns = (t: Tensor): Tensor => reshape(transpose(reshape(t, [rows, n1, n2]), [0, 2, 1]), [rows * n2, n1]);
  // Twiddle e^(-+2 pi i j2 k1 / n), laid out as [n2, n1] to match.
  const sign = inverse ? 1 : -1;
  const twiddle: ComplexPair = [
    constant(`twc${n1}x${n2}`, dtype, n2, n1, (j2, k1) => Math.cos(angle(j2 * k1, n))),
    constant(`tws${n1}x${n2}${sign}`, dtype, n2, n1, (j2, k1) => sign * Math.sin(angle(j2 * k1, n))),
  ];
  // In stages, each freeing its intermediates before the next allocates (see dftRows).
  const [tr, ti] = tidy(() => {
    const [yr, yi] = dftRows([columns(re), columns(im)], inverse);
    return complexMul([reshape(yr, [rows, n2, n1]), reshape(yi, [rows, n2, n1])], twiddle);
  });
  // [rows, n2, n1] -> [rows, n1, n2]: length-n2 transforms over j2, giving [rows, k1, k2].
  const across = (t: Tensor): Tensor => reshape(transpose(t, [0, 2, 1]), [rows * n1, n2]);
  const [zr, zi] = tidy(() => dftRows([across(tr), across(ti)], inverse));
  // Output index k1 + n1 k2: [rows, k1, k2] -> [rows, k2, k1].
  const out = (t: Tensor): Tensor => reshape(transpose(reshape(t, [rows, n1, n2]), [0, 2, 1]), [rows, n]);
  return [out(zr), out(zi)];
}

// X_k = w_k sum_j (x_j w_j) conj(w_{k-j}) with w_j = e^(-+i pi j^2 / n): a convolution of
// length >= 2n - 1, done by power-of-two transforms.
function bluestein(x: ComplexPair, n: number, dtype: FloatDType, inverse: boolean): ComplexPair {
  const rows = x[0].shape[0];
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const sign = inverse ? 1 : -1;
  // pi j^2 / n, with j^2 reduced mod 2n first.
  const chirpAngle = (j: number): number => (Math.PI * ((j * j) % (2 * n))) / n;
  const chirp: ComplexPair = [
    constant(`bc${n}`, dtype, 1, n, (_, j) => Math.cos(chirpAngle(j))),
    constant(`bs${n}${sign}`, dtype, 1, n, (_, j) => sign * Math.sin(chirpAngle(j))),
  ];
  // The filter conj(w) laid out circularly over m: b_j at j and at m - j.
  const at = (j: number): number => (j < n ? j : j > m - n ? m - j : -1);
  const filter = keptPairOnce(`bF${n}x${m}${sign}/${dtype}`, () =>
    dftRows(
      [
        constant(`bfc${n}x${m}`, dtype, 1, m, (_, j) => (at(j) < 0 ? 0 : Math.cos(chirpAngle(at(j))))),
        constant(`bfs${n}x${m}${sign}`, dtype, 1, m, (_, j) => (at(j) < 0 ? 0 : -sign * Math.sin(chirpAngle(at(j))))),
      ],
      false,
    ),
  );
  // In stages, each freeing its intermediates before the next allocates (see dftRows).
  const spectrum = tidy(() => {
    const toM = (t: Tensor): Tensor =>
      pad(t, [
        [0, 0],
        [0, m - n],
      ]);
    const [ar, ai] = complexMul(x, chirp);
    return dftRows([toM(ar), toM(ai)], false);
  });
  const [cr, ci] = tidy(() => dftRows(complexMul(spectrum, filter), true));
  const scale = 1 / m;
  const head = (t: Tensor): Tensor => mul(slice(t, [0, 0], [rows, n]), scale);
  return complexMul([head(cr), head(ci)], chirp);
}

/** The pair's dtype when both parts are float32 or float64 of one shape; an error naming `op` otherwise. */
export function checkPair(op: string, x: unknown): FloatDType {
  if (!Array.isArray(x) || x.length !== 2 || !everyEntry(x, (t) => t instanceof Tensor)) {
    throw new Error(`${op}: expected [real, imag], a pair of tensors (there is no complex dtype: Keras 3's pairs stand for one), got ${describeArg(x)}`);
  }
  const [re, im] = x as ComplexPair;
  if (re.dtype !== im.dtype || (re.dtype !== 'float32' && re.dtype !== 'float64')) {
    throw new Error(`${op}: expected real and imag of one float dtype, got ${re.dtype} and ${im.dtype}`);
  }
  if (re.shape.length === 0 || re.shape.length !== im.shape.length || re.shape.some((d, i) => d !== im.shape[i])) {
    throw new Error(`${op}: expected real and imag of one shape, of rank >= 1, got [${re.shape.join(', ')}] and [${im.shape.join(', ')}]`);
  }
  return re.dtype;
}

function describeArg(x: unknown): string {
  if (x instanceof Tensor) return `one ${x.dtype} tensor (for a real signal use rfft)`;
  return Array.isArray(x) ? `an array of ${x.length}` : describe(x);
}

/** The DFT over the last axis of a pair of any rank >= 1: rows flattened, transformed, reshaped back. */
export function dftLastAxis(x: ComplexPair, inverse: boolean): ComplexPair {
  const shape = x[0].shape;
  const n = shape[shape.length - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / Math.max(n, 1);
  if (n === 0 || rows === 0) return [mul(x[0], 1), mul(x[1], 1)];
  const [re, im] = dftRows([reshape(x[0], [rows, n]), reshape(x[1], [rows, n])], inverse);
  return [reshape(re, shape.slice()), reshape(im, shape.slice())];
}

/** @internal The kept constant matrices' count (tests check that they are made once). */
export function dftConstantCount(): number {
  return constants.size;
}
