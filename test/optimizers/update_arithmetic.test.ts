// Each float32 update kernel (cpu/optimizers.cpp), every slot configuration and weight
// decay, ONE step at odd sizes (vector tails; 40001 spans several thread-pool chunks)
// against the same step in float64 from the same float32 inputs. Every slot is checked
// against its own formula, and the parameter against the formula applied to the slots the
// kernel wrote (so that one slot's rounding is not charged twice). Bounds, in units of
// 2^-24 (half an ulp) of the magnitudes each result is built from: each float32 operation
// rounds once, an FMA once for two; the kernels add no approximation of their own.
import { tensor, variable, type Tensor, type Variable } from '../../src';
import { adagradUpdate, adamUpdate, rmspropUpdate, sgdUpdate } from '../../src/ops/optimizer_updates';
import { randomData } from '../helpers/reference';

const SIZES = [1, 7, 37, 1023, 40001];
const U = 2 ** -24;

function f32(data: ArrayLike<number>): Float32Array {
  return Float32Array.from(data);
}

// n values in [lo, hi) from a seed, rounded to float32 (the inputs the kernel reads).
function inputs(n: number, seed: number, lo: number, hi: number): Float32Array {
  return f32(randomData(n, seed, lo, hi));
}

function expectWithin(name: string, got: Float32Array, want: ArrayLike<number>, bound: (i: number) => number): void {
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < got.length; i++) {
    const excess = Math.abs(got[i] - want[i]) / bound(i);
    if (!(excess <= 1) && (worst < 0 || !(excess <= worstExcess))) [worst, worstExcess] = [i, excess];
  }
  if (worst >= 0) throw new Error(`${name}[${worst}]: got ${got[worst]}, want ${want[worst]} within ${bound(worst)} (${worstExcess}x the bound)`);
}

// Runs `step` on float32 variables holding `values` and returns what they hold after it.
function runStep(values: Float32Array[], grad: Float32Array, step: (vars: Variable[], g: Tensor) => void): Float32Array[] {
  const vars = values.map((v) => variable(tensor(v, [v.length], 'float32')));
  const g = tensor(grad, [grad.length], 'float32');
  step(vars, g);
  const out = vars.map((v) => v.dataSync().slice() as Float32Array);
  [...vars, g].forEach((t) => t.dispose());
  return out;
}

// p after decoupled weight decay, in float64: the kernel rounds it once (p - p * decay).
const decayed = (p: number, decay: number) => p - p * decay;

describe('float32 update kernels against float64, one step, odd sizes', () => {
  for (const n of SIZES) {
    for (const weightDecay of [0, 0.004])
      for (const amsgrad of [false, true])
        test(`adam n=${n} weightDecay=${weightDecay} amsgrad=${amsgrad}`, () => {
          const lr = 0.01,
            beta1 = 0.9,
            beta2 = 0.999,
            epsilon = 1e-7,
            step = 3;
          const p = inputs(n, 1, -1, 1),
            g = inputs(n, 2, -0.1, 0.1),
            m = inputs(n, 3, -0.05, 0.05);
          const v = inputs(n, 4, 0, 0.01),
            vHat = inputs(n, 5, 0, 0.01);
          const [p1, m1, v1, vHat1] = runStep(amsgrad ? [p, m, v, vHat] : [p, m, v], g, (t, grad) =>
            adamUpdate(t[0], grad, t[1], t[2], amsgrad ? t[3] : null, { lr, beta1, beta2, epsilon, amsgrad, step, weightDecay }),
          );
          const c1 = Math.fround(1 - beta1),
            c2 = Math.fround(1 - beta2);
          const alpha = Math.fround((lr * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step));
          const eps = Math.fround(epsilon),
            decay = Math.fround(weightDecay * lr);
          // m + (g - m) c1: three roundings (two with an FMA) of at most |m'| + |(g - m) c1| each.
          expectWithin(
            'm',
            m1,
            Array.from(m, (x, i) => x + (g[i] - x) * c1),
            (i) => 3 * U * (Math.abs(m1[i]) + Math.abs((g[i] - m[i]) * c1)) + 1e-45,
          );
          // v + (g^2 - v) c2: four roundings.
          expectWithin(
            'v',
            v1,
            Array.from(v, (x, i) => x + (g[i] * g[i] - x) * c2),
            (i) => 4 * U * (Math.abs(v1[i]) + (g[i] * g[i] + v[i]) * c2) + 1e-45,
          );
          const second = amsgrad ? Array.from(vHat, (x, i) => Math.max(x, v1[i])) : Array.from(v1);
          if (amsgrad) expect(Array.from(vHat1)).toEqual(second); // a max of floats: exact
          // p - m' alpha / (sqrt(second) + eps) from the kernel's m' and second: m' alpha,
          // the root, the sum and the quotient round (4 U of the update), then the
          // subtraction and the decay (2 U of p).
          const update = Array.from(m1, (x, i) => (x * alpha) / (Math.sqrt(second[i]) + eps));
          const want = Array.from(p, (x, i) => decayed(x, decay) - update[i]);
          expectWithin('param', p1, want, (i) => 2 * U * (Math.abs(want[i]) + Math.abs(p[i] * decay)) + 4 * U * Math.abs(update[i]) + 1e-45);
        });

    for (const centered of [false, true])
      for (const momentum of [0, 0.5])
        test(`rmsprop n=${n} centered=${centered} momentum=${momentum} weightDecay=0.004`, () => {
          const lr = 0.01,
            rho = 0.9,
            epsilon = 1e-7,
            weightDecay = 0.004;
          const p = inputs(n, 11, -1, 1),
            g = inputs(n, 12, -0.1, 0.1),
            vel = inputs(n, 13, 0.005, 0.01);
          const mom = inputs(n, 14, -0.01, 0.01),
            avg = inputs(n, 15, -0.02, 0.02);
          const values = [p, vel, ...(momentum > 0 ? [mom] : []), ...(centered ? [avg] : [])];
          const out = runStep(values, g, (t, grad) =>
            rmspropUpdate(t[0], grad, t[1], momentum > 0 ? t[2] : null, centered ? t[values.length - 1] : null, {
              lr,
              rho,
              momentum,
              epsilon,
              centered,
              weightDecay,
            }),
          );
          const [p1, vel1] = out;
          const r = Math.fround(rho),
            rest = Math.fround(1 - rho),
            rate = Math.fround(lr),
            eps = Math.fround(epsilon);
          const decay = Math.fround(weightDecay * lr),
            mu = Math.fround(momentum);
          expectWithin(
            'velocity',
            vel1,
            Array.from(vel, (x, i) => r * x + rest * g[i] * g[i]),
            (i) => 4 * U * (r * vel[i] + rest * g[i] * g[i]) + 1e-45,
          );
          const avg1 = centered ? out[values.length - 1] : null;
          if (avg1)
            expectWithin(
              'average_grad',
              avg1,
              Array.from(avg, (x, i) => r * x + rest * g[i]),
              (i) => 3 * U * (Math.abs(r * avg[i]) + Math.abs(rest * g[i])) + 1e-45,
            );
          // The denominator from the kernel's slots: velocity - average^2 + eps rounds three
          // times relative to velocity + average^2 + eps; its root halves that, then the
          // numerator, root and quotient round (4 U of the increment).
          const increment = Array.from(g, (x, i) => {
            const den = avg1 ? vel1[i] - avg1[i] * avg1[i] + eps : vel1[i] + eps;
            return (rate * x) / Math.sqrt(den);
          });
          const relative = (i: number) => {
            const den = avg1 ? vel1[i] - avg1[i] * avg1[i] + eps : vel1[i] + eps;
            return 4 * U + (1.5 * U * (vel1[i] + (avg1 ? avg1[i] * avg1[i] : 0) + eps)) / den;
          };
          if (momentum > 0) {
            const m1 = out[2];
            expectWithin(
              'momentum',
              m1,
              Array.from(mom, (x, i) => mu * x + increment[i]),
              (i) => 2 * U * Math.abs(m1[i]) + 2 * U * Math.abs(mu * mom[i]) + relative(i) * Math.abs(increment[i]) + 1e-45,
            );
            const want = Array.from(p, (x, i) => decayed(x, decay) - m1[i]);
            expectWithin('param', p1, want, (i) => 2 * U * (Math.abs(want[i]) + Math.abs(p[i] * decay) + Math.abs(m1[i])) + 1e-45);
          } else {
            const want = Array.from(p, (x, i) => decayed(x, decay) - increment[i]);
            expectWithin('param', p1, want, (i) => 2 * U * (Math.abs(want[i]) + Math.abs(p[i] * decay)) + relative(i) * Math.abs(increment[i]) + 1e-45);
          }
        });

    test(`adagrad n=${n} weightDecay=0.004`, () => {
      const lr = 0.05,
        epsilon = 1e-7,
        weightDecay = 0.004;
      const p = inputs(n, 21, -1, 1),
        g = inputs(n, 22, -0.1, 0.1),
        acc = inputs(n, 23, 0.1, 0.2);
      const [p1, acc1] = runStep([p, acc], g, (t, grad) => adagradUpdate(t[0], grad, t[1], { lr, epsilon, weightDecay }));
      const rate = Math.fround(lr),
        eps = Math.fround(epsilon),
        decay = Math.fround(weightDecay * lr);
      expectWithin(
        'accumulator',
        acc1,
        Array.from(acc, (x, i) => x + g[i] * g[i]),
        (i) => 2 * U * (acc1[i] + g[i] * g[i]) + 1e-45,
      );
      const increment = Array.from(g, (x, i) => (rate * x) / Math.sqrt(acc1[i] + eps));
      const want = Array.from(p, (x, i) => decayed(x, decay) - increment[i]);
      expectWithin('param', p1, want, (i) => 2 * U * (Math.abs(want[i]) + Math.abs(p[i] * decay)) + 4 * U * Math.abs(increment[i]) + 1e-45);
    });

    for (const nesterov of [false, true])
      test(`sgd n=${n} momentum=0.9 nesterov=${nesterov} weightDecay=0.004`, () => {
        const lr = 0.1,
          momentum = 0.9,
          weightDecay = 0.004;
        const p = inputs(n, 31, -1, 1),
          g = inputs(n, 32, -0.1, 0.1),
          m = inputs(n, 33, -0.05, 0.05);
        const [p1, m1] = runStep([p, m], g, (t, grad) => sgdUpdate(t[0], grad, t[1], { lr, momentum, nesterov, weightDecay }));
        const rate = Math.fround(lr),
          mu = Math.fround(momentum),
          decay = Math.fround(weightDecay * lr);
        // m' = mu m - lr g: two or three roundings.
        expectWithin(
          'momentum',
          m1,
          Array.from(m, (x, i) => mu * x - rate * g[i]),
          (i) => 3 * U * (Math.abs(mu * m[i]) + Math.abs(rate * g[i])) + 1e-45,
        );
        const want = Array.from(p, (x, i) => decayed(x, decay) + (nesterov ? mu * m1[i] - rate * g[i] : m1[i]));
        const step = (i: number) => (nesterov ? Math.abs(mu * m1[i]) + Math.abs(rate * g[i]) : Math.abs(m1[i]));
        expectWithin('param', p1, want, (i) => 2 * U * (Math.abs(want[i]) + Math.abs(p[i] * decay)) + 3 * U * step(i) + 1e-45);
      });
  }
});
