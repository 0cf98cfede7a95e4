import { add, grads, matMul, matMulBias, mul, relu, sum, tensor, type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectTensor, randomData, randomTensor, sizeOf } from './helpers/reference';

// Naive batched product with broadcast batch dims and transpose flags.
function refMatMul(a: number[], as: number[], b: number[], bs: number[], ta: boolean, tb: boolean) {
  const m = ta ? as[as.length - 1] : as[as.length - 2];
  const k = ta ? as[as.length - 2] : as[as.length - 1];
  const n = tb ? bs[bs.length - 2] : bs[bs.length - 1];
  const ab = as.slice(0, -2);
  const bb = bs.slice(0, -2);
  const rank = Math.max(ab.length, bb.length);
  const pa = [...new Array(rank - ab.length).fill(1), ...ab];
  const pb = [...new Array(rank - bb.length).fill(1), ...bb];
  const batch = pa.map((d, i) => Math.max(d, pb[i]));
  const out: number[] = [];
  for (let bi = 0; bi < sizeOf(batch); bi++) {
    let rem = bi;
    let offA = 0;
    let offB = 0;
    let sA = 1;
    let sB = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const idx = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      offA += (pa[d] === 1 ? 0 : idx) * sA;
      offB += (pb[d] === 1 ? 0 : idx) * sB;
      sA *= pa[d];
      sB *= pb[d];
    }
    const A = (i: number, p: number) => a[offA * m * k + (ta ? p * m + i : i * k + p)];
    const B = (p: number, j: number) => b[offB * k * n + (tb ? j * k + p : p * n + j)];
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
        out.push(s);
      }
  }
  return { shape: [...batch, m, n], data: out };
}

describe('matMul', () => {
  it('matches the naive product for every transpose combination at odd sizes', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [7, 17, 3],
      [17, 7, 129],
      [33, 64, 31],
    ]) {
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const as = ta ? [k, m] : [m, k];
          const bs = tb ? [n, k] : [k, n];
          const a = randomData(sizeOf(as), m + k);
          const b = randomData(sizeOf(bs), n + 3);
          const want = refMatMul(a, as, b, bs, ta, tb);
          expectTensor(matMul(tensor(a, as), tensor(b, bs), ta, tb), want.shape, want.data, 1e-4, 1e-5);
          expectTensor(matMul(tensor(a, as, 'float64'), tensor(b, bs, 'float64'), ta, tb), want.shape, want.data, 1e-12, 1e-12);
        }
    }
  });

  it('broadcasts batch dimensions', () => {
    for (const [as, bs] of [
      [
        [3, 4, 5],
        [5, 2],
      ],
      [
        [2, 1, 4, 5],
        [3, 5, 2],
      ],
      [
        [1, 3, 4],
        [2, 1, 4, 2],
      ],
    ]) {
      const a = randomData(sizeOf(as), 1);
      const b = randomData(sizeOf(bs), 2);
      const want = refMatMul(a, as, b, bs, false, false);
      expectTensor(matMul(tensor(a, as), tensor(b, bs)), want.shape, want.data, 1e-5, 1e-6);
    }
  });

  it('explains mismatched shapes', () => {
    expect(() => matMul(tensor([[1, 2]]), tensor([[1, 2]]))).toThrow(/matMul: inner dimensions must match: a is \[1, 2\], b is \[1, 2\]: 2 vs 1/);
    expect(() => matMul(tensor([1, 2]), tensor([[1], [2]]))).toThrow(/matMul: expected a and b of rank 2 or more, got shapes \[2\] and \[2, 1\]/);
    expect(() => matMul(tensor([[1]]), tensor([[1]], undefined, 'float64'))).toThrow(/matMul: expected a and b of one dtype/);
  });
});

describe('matMulBias', () => {
  it('equals relu(matMul + bias) and matMul + bias, in float32 and float64', () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [7, 17, 3],
      [33, 64, 31],
      [5, 0, 4],
    ]) {
      for (const dtype of ['float32', 'float64'] as const) {
        const x = randomTensor([m, k], m + k, dtype);
        const w = randomTensor([k, n], n, dtype);
        const b = randomTensor([n], 3, dtype);
        const linear = add(matMul(x, w), b);
        const tol = dtype === 'float32' ? 1e-5 : 1e-12;
        expectTensor(matMulBias(x, w, b), [m, n], linear.dataSync(), tol, tol);
        expectTensor(matMulBias(x, w, b, true), [m, n], relu(linear).dataSync(), tol, tol);
      }
    }
  });

  it('has the gradients of matMul, add and relu', () => {
    const x = randomTensor([4, 5], 1, 'float64');
    const w = randomTensor([5, 3], 2, 'float64');
    const b = randomTensor([3], 3, 'float64');
    gradcheck((xs, ws, bs) => matMulBias(xs, ws, bs), [x, w, b]);
    gradcheck((xs, ws, bs) => matMulBias(xs, ws, bs, true), [x, w, b]);
  });

  // With relu the mask and the bias's sums are one kernel (bias_relu_backward) when the
  // bias wants a gradient, relu_backward alone when it does not: both against the
  // composite's gradients, and the gradient of the gradient (the fused kernel
  // differentiated under an outer tape).
  it('with relu: the same gradients as the composite, with and without the bias, and second order', () => {
    const x = randomTensor([6, 5], 4, 'float64');
    const w = randomTensor([5, 7], 5, 'float64');
    const b = randomTensor([7], 6, 'float64');
    const composite = (xs: Tensor, ws: Tensor, bs: Tensor) => relu(add(matMul(xs, ws), bs));
    const weigh = (y: Tensor) => sum(mul(y, randomTensor(y.shape, 7, 'float64')));
    const fusedAll = grads((xs, ws, bs) => weigh(matMulBias(xs, ws, bs, true)))([x, w, b]);
    const wantAll = grads((xs, ws, bs) => weigh(composite(xs, ws, bs)))([x, w, b]);
    fusedAll.forEach((g, i) => expectTensor(g, wantAll[i].shape, wantAll[i].dataSync(), 1e-12, 1e-12));
    const fusedXW = grads((xs, ws) => weigh(matMulBias(xs, ws, b, true)))([x, w]);
    fusedXW.forEach((g, i) => expectTensor(g, wantAll[i].shape, wantAll[i].dataSync(), 1e-12, 1e-12));
    // x's gradient, dz w^T, through the fused kernel: a function of w (relu'' = 0 elsewhere).
    const r = randomTensor([6, 5], 8, 'float64');
    gradcheck((ws) => sum(mul(grads((x2, w2, b2) => weigh(matMulBias(x2, w2, b2, true)))([x, ws, b])[0], r)), [w]);
  });

  it('explains bad shapes and dtypes', () => {
    expect(() => matMulBias(tensor([[1, 2]]), tensor([[1], [2]]), tensor([1, 2]))).toThrow(
      /matMulBias: expected a \[m, k\], b \[k, n\] and bias \[n\], got \[1, 2\], \[2, 1\] and \[2\]/,
    );
    expect(() => matMulBias(tensor([[1]]), tensor([[1]]), tensor([1], undefined, 'float64'))).toThrow(
      /matMulBias: expected a, b and bias of one dtype, got float32, float32 and float64/,
    );
  });
});
