// keras.ops (NumPy) window functions (hamming, hanning, blackman, bartlett, kaiser: float32,
// computed on the host) and i0, the modified Bessel function of order 0, composed from ops
// with Cephes's Chebyshev series (as NumPy) so that it is differentiable.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { lessEqual, where } from './compare';
import { floatOperand } from './numpy_elementwise';
import { asOp } from './op_name';
import { abs, exp, sqrt } from './unary';

// Cephes's Chebyshev coefficients for exp(-x) i0(x), on [0, 8] (A) and (8, inf) (B).
const I0A = [
  -4.4153416464793395e-18, 3.3307945188222384e-17, -2.431279846547955e-16, 1.715391285555133e-15, -1.1685332877993451e-14, 7.676185498604936e-14,
  -4.856446783111929e-13, 2.95505266312964e-12, -1.726826291441556e-11, 9.675809035373237e-11, -5.189795601635263e-10, 2.6598237246823866e-9,
  -1.300025009986248e-8, 6.046995022541919e-8, -2.670793853940612e-7, 1.1173875391201037e-6, -4.4167383584587505e-6, 1.6448448070728896e-5,
  -5.754195010082104e-5, 0.00018850288509584165, -0.0005763755745385824, 0.0016394756169413357, -0.004324309995050576, 0.010546460394594998,
  -0.02373741480589947, 0.04930528423967071, -0.09490109704804764, 0.17162090152220877, -0.3046826723431984, 0.6767952744094761,
];
const I0B = [
  -7.233180487874754e-18, -4.830504485944182e-18, 4.46562142029676e-17, 3.461222867697461e-17, -2.8276239805165836e-16, -3.425485619677219e-16,
  1.7725601330565263e-15, 3.8116806693526224e-15, -9.554846698828307e-15, -4.150569347287222e-14, 1.54008621752141e-14, 3.8527783827421426e-13,
  7.180124451383666e-13, -1.7941785315068062e-12, -1.3215811840447713e-11, -3.1499165279632416e-11, 1.1889147107846439e-11, 4.94060238822497e-10,
  3.3962320257083865e-9, 2.266668990498178e-8, 2.0489185894690638e-7, 2.8913705208347567e-6, 6.889758346916825e-5, 0.0033691164782556943, 0.8044904110141088,
];

// Clenshaw's recurrence for a Chebyshev series: on a number, and on a tensor (on the tape).
function chbevl(x: number, c: number[]): number {
  let [b0, b1, b2] = [c[0], 0, 0];
  for (let i = 1; i < c.length; i++) [b2, b1, b0] = [b1, b0, x * b0 - b1 + c[i]];
  return 0.5 * (b0 - b2);
}

function chbevlTensor(x: Tensor, c: number[]): Tensor {
  let [b0, b1, b2]: (Tensor | number)[] = [c[0], 0, 0];
  for (let i = 1; i < c.length; i++) [b2, b1, b0] = [b1, b0, add(sub(mul(x, b0), b1), c[i])];
  return mul(sub(b0, b2), 0.5);
}

function i0Number(x: number): number {
  const a = Math.abs(x);
  return a <= 8 ? Math.exp(a) * chbevl(a / 2 - 2, I0A) : (Math.exp(a) * chbevl(32 / a - 2, I0B)) / Math.sqrt(a);
}

/** The modified Bessel function of the first kind of order 0, elementwise (int32 gives float32); differentiable. */
export function i0(x: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('i0', 1, arguments.length);
  return asOp('i0', () =>
    tidy(() => {
      const t = abs(floatOperand('i0', 'x', x));
      const near = lessEqual(t, 8);
      // Each branch sees only its own range (the other gets a harmless stand-in), so no NaN reaches the gradient.
      const small = chbevlTensor(sub(div(where(near, t, 0), 2), 2), I0A);
      const farX = where(near, 9, t);
      const large = div(chbevlTensor(sub(div(32, farX), 2), I0B), sqrt(farX));
      return mul(exp(t), where(near, small, large));
    }),
  );
}

// A window's length: an integer >= 0 (Keras's jnp.hamming(M) takes the same).
function windowOf(op: string, m: unknown, f: (n: number, m: number) => number): Tensor {
  if (typeof m !== 'number' || !Number.isInteger(m) || m < 0)
    throw new Error(`${op}: expected x, the window length, to be an integer >= 0, got ${describe(m)}`);
  const out = allocTypedArray('float32', m, op);
  for (let n = 0; n < m; n++) out[n] = m === 1 ? 1 : f(n, m);
  return fromTypedArray(out, [m], 'float32');
}

const cosine = (n: number, m: number, k: number): number => Math.cos((2 * Math.PI * k * n) / (m - 1));

/** The Hamming window of length x, 0.54 - 0.46 cos(2 pi n / (x - 1)) (float32). */
export function hamming(x: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hamming', 1, arguments.length);
  return windowOf('hamming', x, (n, m) => 0.54 - 0.46 * cosine(n, m, 1));
}

/** The Hann window of length x, 0.5 - 0.5 cos(2 pi n / (x - 1)) (float32). */
export function hanning(x: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('hanning', 1, arguments.length);
  return windowOf('hanning', x, (n, m) => 0.5 - 0.5 * cosine(n, m, 1));
}

/** The Blackman window of length x (float32). */
export function blackman(x: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('blackman', 1, arguments.length);
  return windowOf('blackman', x, (n, m) => 0.42 - 0.5 * cosine(n, m, 1) + 0.08 * cosine(n, m, 2));
}

/** The Bartlett (triangular) window of length x, 0 at both ends (float32). */
export function bartlett(x: number): Tensor {
  if (arguments.length > 1) throw tooManyArguments('bartlett', 1, arguments.length);
  return windowOf('bartlett', x, (n, m) => 1 - Math.abs((2 * n - (m - 1)) / (m - 1)));
}

/** The Kaiser window of length x and shape beta, i0(beta sqrt(1 - (2n / (x - 1) - 1)^2)) / i0(beta) (float32). */
export function kaiser(x: number, beta: number): Tensor {
  if (arguments.length > 2) throw tooManyArguments('kaiser', 2, arguments.length);
  if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new Error(`kaiser: expected beta to be a finite number, got ${describe(beta)}`);
  const norm = i0Number(beta);
  return windowOf('kaiser', x, (n, m) => {
    const r = (2 * n) / (m - 1) - 1;
    return i0Number(beta * Math.sqrt(Math.max(0, 1 - r * r))) / norm;
  });
}
