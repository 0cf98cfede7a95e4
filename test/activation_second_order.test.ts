// relu and gelu take their gradients from one fused kernel each; under an outer tape those
// kernels must be differentiated too, or a second derivative (a gradient penalty, a
// Hessian-vector product) comes out silently wrong. Checked against closed forms in float64.
import { GradientTape, gelu, mul, relu, sum, tensor, type Tensor } from '../src';

const xs = [-2.5, -1.2, -0.3, 0.4, 1.1, 2.7, 0.05];
const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const geluAt = (x: number) => x * Phi(x);
const gelu1 = (x: number) => Phi(x) + x * phi(x);
const gelu2 = (x: number) => phi(x) * (2 - x * x);

// erf by its Maclaurin series (exact to double rounding for the |x| < 2 used here).
function erf(x: number): number {
  const t = Math.abs(x);
  let sumTerm = t;
  let term = t;
  for (let n = 1; n < 200; n++) {
    term *= (-t * t) / n;
    const next = term / (2 * n + 1);
    sumTerm += next;
    if (Math.abs(next) < 1e-17) break;
  }
  const v = (2 / Math.sqrt(Math.PI)) * sumTerm;
  return x < 0 ? -v : v;
}

/** The diagonal of f's Hessian (f a sum of elementwise terms), by a nested tape. */
function secondDerivative(f: (x: Tensor) => Tensor): number[] {
  const x = tensor(xs, [xs.length], 'float64');
  const outer = new GradientTape();
  outer.watch(x);
  const inner = new GradientTape();
  inner.watch(x);
  const y = f(x);
  const dy = inner.gradient(y, x)!;
  const d2 = outer.gradient(sum(dy), x)!;
  return Array.from(d2.dataSync());
}

function expectClose(got: number[], want: number[]): void {
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 9));
}

describe('second derivatives through the fused activation gradients', () => {
  it('relu: sum(relu(x)^2) has 2 where x > 0 (the kernel is linear in dy)', () => {
    expectClose(
      secondDerivative((x) => sum(mul(relu(x), relu(x)))),
      xs.map((x) => (x > 0 ? 2 : 0)),
    );
  });

  it('gelu: sum(gelu(x)) has phi(x) (2 - x^2)', () => {
    expectClose(
      secondDerivative((x) => sum(gelu(x))),
      xs.map(gelu2),
    );
  });

  it("gelu: sum(gelu(x)^2) has 2 gelu'(x)^2 + 2 gelu(x) gelu''(x) (both kernel inputs depend on x)", () => {
    expectClose(
      secondDerivative((x) => sum(mul(gelu(x), gelu(x)))),
      xs.map((x) => 2 * gelu1(x) ** 2 + 2 * geluAt(x) * gelu2(x)),
    );
  });
});
