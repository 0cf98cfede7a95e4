// gelu's gradient as one kernel (gelu_backward) against the composite it replaced
// (dy (Φ(x) + x φ(x)) from erf, exp, mul and add), against finite differences, and at
// the tails, NaN and empty tensors.
import { add, erf, exp, gelu, grads, mul, sum, tensor, type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

// The unfused gradient the gelu rule used before the kernel.
function compositeGeluGrad(dy: Tensor, v: Tensor): Tensor {
  const cdf = mul(add(erf(mul(v, Math.SQRT1_2)), 1), 0.5);
  const pdf = mul(exp(mul(mul(v, v), -0.5)), 1 / Math.sqrt(2 * Math.PI));
  return mul(dy, add(cdf, mul(v, pdf)));
}

const fusedGrad = (x: Tensor, dy: Tensor) => grads((v: Tensor) => sum(mul(gelu(v), dy)))([x])[0];

describe('gelu backward in one kernel', () => {
  it('equals the composite in float32 and float64 at odd sizes (several parallel parts)', () => {
    for (const shape of [[7], [3, 1025], [64, 1024 + 3]]) {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = randomTensor(shape, shape.length, dtype, -6, 6);
        const dy = randomTensor(shape, shape.length + 10, dtype);
        const got = fusedGrad(x, dy);
        expect(got.dtype).toBe(dtype);
        expect(got.shape).toEqual(shape);
        const [rtol, atol] = dtype === 'float64' ? [1e-12, 1e-14] : [2e-6, 1e-6];
        expectClose(got.dataSync(), compositeGeluGrad(dy, x).dataSync(), rtol, atol);
      }
    }
  });

  it('matches finite differences', () => {
    gradcheck((v) => gelu(v), [randomTensor([3, 5], 1, 'float64', -4, 4)]);
  });

  it('is 0 at the far negative tail, dy at the far positive one, dy/2 at 0, NaN through; empty stays empty', () => {
    const x = tensor([-40, -10, 0, 10, 40, NaN], undefined, 'float64');
    const dy = tensor([2, 2, 2, 2, 2, 2], undefined, 'float64');
    const got = Array.from(fusedGrad(x, dy).dataSync());
    expectClose(got.slice(0, 5), [0, 0, 1, 2, 2], 0, 1e-15);
    expect(got[5]).toBeNaN();
    const x32 = tensor([-40, 0, 40]);
    expectClose(fusedGrad(x32, tensor([1, 1, 1])).dataSync(), [0, 0.5, 1], 0, 1e-7);
    expect(fusedGrad(tensor([], [0, 3]), tensor([], [0, 3])).shape).toEqual([0, 3]);
  });
});
