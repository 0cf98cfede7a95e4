// matMulBias with gelu in the GEMM's epilogue (issue #18): values against matMul + bias +
// gelu, on 1 and 2 threads, outside and inside a tape (where the kernel also writes the
// pre-activation for the backward); gradients by finite differences and equal to the
// composite's; Dense 'gelu' runs it (no separate gelu kernel forward). The epilogue on every
// ISA and thread count: native/tests/gemm_test.cpp.
import { add, gelu, getNumThreads, grads, layers, matMul, matMulBias, mul, relu, setNumThreads, sum, tensor, variableGrads, type Tensor } from '../src';
import { kernelsOf } from './helpers/kernels_of';
import { gradcheck } from './helpers/gradcheck';
import { expectTensor, randomTensor } from './helpers/reference';

const tolOf = (dtype: 'float32' | 'float64') => (dtype === 'float32' ? 2e-5 : 1e-12);

describe('matMulBias with gelu', () => {
  const saved = getNumThreads();
  afterAll(() => setNumThreads(saved));

  // [300, 70] x [70, 129]: several row panels and a partial last tile; [5, 3000] x [3000, 7]:
  // a long K summed in two parts (the activation after the parts' sum), transposed (N = 7).
  it('equals gelu(matMul + bias) in float32 and float64, odd sizes, 1 and 2 threads, with and without a tape', () => {
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [m, k, n] of [
        [1, 1, 1],
        [7, 17, 3],
        [33, 64, 31],
        [300, 70, 129],
        [5, 3000, 7],
        [5, 0, 4],
      ]) {
        for (const dtype of ['float32', 'float64'] as const) {
          const x = randomTensor([m, k], m + k, dtype, -2, 2);
          const w = randomTensor([k, n], n, dtype);
          const b = randomTensor([n], 3, dtype);
          const want = gelu(add(matMul(x, w), b)).dataSync();
          const tol = tolOf(dtype) * Math.max(1, Math.sqrt(k));
          expectTensor(matMulBias(x, w, b, 'gelu'), [m, n], want, tol, tol);
          // Under a tape the kernel writes the pre-activation too; the output is the same.
          let taped: Tensor | null = null;
          grads((bs: Tensor) => sum((taped = matMulBias(x, w, bs, 'gelu'))))([b]);
          expectTensor(taped!, [m, n], want, tol, tol);
        }
      }
    }
  });

  it("takes 'linear' and 'relu' by name, as false and true", () => {
    const x = randomTensor([6, 5], 1);
    const w = randomTensor([5, 4], 2);
    const b = randomTensor([4], 3);
    const linear = add(matMul(x, w), b).dataSync();
    expectTensor(matMulBias(x, w, b, 'linear'), [6, 4], linear);
    expectTensor(matMulBias(x, w, b, false), [6, 4], linear);
    expectTensor(matMulBias(x, w, b, 'relu'), [6, 4], relu(tensor(Array.from(linear), [6, 4])).dataSync());
    expectTensor(matMulBias(x, w, b, true), [6, 4], matMulBias(x, w, b, 'relu').dataSync(), 0, 0);
  });

  it('has the gradients of matMul, add and gelu (finite differences)', () => {
    const x = randomTensor([4, 5], 1, 'float64', -2, 2);
    const w = randomTensor([5, 3], 2, 'float64');
    const b = randomTensor([3], 3, 'float64');
    gradcheck((xs, ws, bs) => matMulBias(xs, ws, bs, 'gelu'), [x, w, b]);
  });

  it('the same gradients as the composite, with and without the bias, and second order', () => {
    const x = randomTensor([6, 5], 4, 'float64', -2, 2);
    const w = randomTensor([5, 7], 5, 'float64');
    const b = randomTensor([7], 6, 'float64');
    const composite = (xs: Tensor, ws: Tensor, bs: Tensor) => gelu(add(matMul(xs, ws), bs));
    const weigh = (y: Tensor) => sum(mul(y, randomTensor(y.shape, 7, 'float64')));
    const fusedAll = grads((xs, ws, bs) => weigh(matMulBias(xs, ws, bs, 'gelu')))([x, w, b]);
    const wantAll = grads((xs, ws, bs) => weigh(composite(xs, ws, bs)))([x, w, b]);
    fusedAll.forEach((g, i) => expectTensor(g, wantAll[i].shape, wantAll[i].dataSync(), 1e-12, 1e-12));
    const fusedXW = grads((xs, ws) => weigh(matMulBias(xs, ws, b, 'gelu')))([x, w]);
    fusedXW.forEach((g, i) => expectTensor(g, wantAll[i].shape, wantAll[i].dataSync(), 1e-12, 1e-12));
    // x's gradient through the fused kernel, as a function of w and of b (gelu'' != 0).
    const r = randomTensor([6, 5], 8, 'float64');
    gradcheck((ws, bs) => sum(mul(grads((x2, w2, b2) => weigh(matMulBias(x2, w2, b2, 'gelu')))([x, ws, bs])[0], r)), [w, b]);
  });

  it('float32 gradients equal the composite', () => {
    const x = randomTensor([37, 19], 9, 'float32', -2, 2);
    const w = randomTensor([19, 23], 10);
    const b = randomTensor([23], 11);
    const weigh = (y: Tensor) => sum(mul(y, randomTensor(y.shape, 12)));
    const fused = grads((xs, ws, bs) => weigh(matMulBias(xs, ws, bs, 'gelu')))([x, w, b]);
    const want = grads((xs, ws, bs) => weigh(gelu(add(matMul(xs, ws), bs))))([x, w, b]);
    fused.forEach((g, i) => expectTensor(g, want[i].shape, want[i].dataSync(), 1e-4, 1e-5));
  });

  it('explains an unknown activation', () => {
    const one = tensor([[1]]);
    expect(() => matMulBias(one, one, tensor([1]), 'tanh' as 'gelu')).toThrow(
      /matMulBias: expected activation 'linear', 'relu', 'gelu' or a boolean, got 'tanh'/,
    );
    expect(() => matMulBias(one, one, tensor([1]), 1 as unknown as boolean)).toThrow(/matMulBias: expected activation .* got 1/);
  });
});

describe("Dense with activation 'gelu'", () => {
  it('runs gelu in the GEMM forward and gelu_backward backward, with the composite values and gradients', () => {
    const x = randomTensor([2, 3, 6], 13, 'float64', -2, 2);
    // By name and as the registered function (called with one argument: the exact form).
    for (const activation of ['gelu', gelu] as const) {
      const dense = layers.dense({ units: 5, activation, dtype: 'float64' });
      dense.apply(x);
      const [kernel, bias] = [dense.kernel!, dense.bias!];
      const weights = randomTensor([2, 3, 5], 14, 'float64');
      const composite = () => sum(mul(gelu(add(matMul(x, kernel), bias)), weights));
      let y: Tensor | null = null;
      expect(kernelsOf(() => (y = dense.apply(x) as Tensor))).toEqual(['matmul_bias']);
      expectTensor(y!, [2, 3, 5], gelu(add(matMul(x, kernel), bias)).dataSync(), 1e-12, 1e-12);
      let got: Record<string, Tensor> = {};
      const kernels = kernelsOf(() => (got = variableGrads(() => sum(mul(dense.apply(x) as Tensor, weights)), [kernel, bias]).grads));
      expect(kernels).toContain('gelu_backward');
      expect(kernels).not.toContain('gelu');
      const want = variableGrads(composite, [kernel, bias]).grads;
      for (const v of [kernel, bias]) expectTensor(got[v.name], v.shape, want[v.name].dataSync(), 1e-12, 1e-12);
    }
  });

  it("keeps other activations (gelu's tanh form, softmax) outside the kernel", () => {
    const x = randomTensor([4, 6], 15, 'float64');
    const approximate = (t: Tensor) => gelu(t, true);
    const dense = layers.dense({ units: 3, activation: approximate, dtype: 'float64' });
    dense.apply(x);
    expect(kernelsOf(() => dense.apply(x))).toEqual(['matmul_bias', 'gelu_tanh']);
    expectTensor(dense.apply(x) as Tensor, [4, 3], gelu(add(matMul(x, dense.kernel!), dense.bias!), true).dataSync(), 1e-12, 1e-12);
  });
});
