// Second-order gradients through the fused backward kernels: under an outer tape each kernel
// is differentiated (a rule of its own) or, where it has no gradient, throws. Hessian-vector
// products by nested tapes against central differences of the first derivative, in float64.
import { GradientTape, add, mul, sum, tensor, type Tensor } from '../src';
import {
  avgPool,
  batchNormTraining,
  dropout,
  fusedAttention,
  gruCell,
  layerNorm,
  logSoftmax,
  lstmCell,
  maxPool,
  relu6,
  sigmoidCrossEntropyWithLogits,
  simpleRnnCell,
  softmax,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
} from '../src/ops';
import { biasRelu } from '../src/ops/bias_relu';
import { resizeBilinear, resizeNearestNeighbor, transform } from '../src/image';

// Deterministic values in (-1.5, 1.5), away from relu6's kinks at 0 and 6 for small steps.
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return (s / 2147483648) * 3 - 1.5;
  });
}
const f64 = (shape: number[], seed: number): Tensor =>
  tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
    'float64',
  );

// The first derivatives of f at xs, by one tape.
function grads(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): Float64Array[] {
  const tape = new GradientTape();
  xs.forEach((x) => tape.watch(x));
  const y = f(...xs);
  return tape.gradient(y, xs).map((g) => Float64Array.from(g!.dataSync()));
}

// The Hessian times vs, by nested tapes: outer.gradient(sum_i sum(grad_i * v_i), xs).
function hvp(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], vs: Tensor[]): Float64Array[] {
  const outer = new GradientTape();
  xs.forEach((x) => outer.watch(x));
  const inner = new GradientTape();
  xs.forEach((x) => inner.watch(x));
  const y = f(...xs);
  const gs = inner.gradient(y, xs);
  let s = sum(mul(gs[0]!, vs[0]));
  for (let i = 1; i < xs.length; i++) s = add(s, sum(mul(gs[i]!, vs[i])));
  return outer.gradient(s, xs).map((g) => Float64Array.from(g!.dataSync()));
}

// Central differences of the first derivative along vs.
function hvpByDifferences(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], vs: Tensor[], eps = 1e-5): Float64Array[] {
  const shifted = (sign: number) =>
    xs.map((x, i) => {
      const a = x.dataSync();
      const v = vs[i].dataSync();
      return tensor(
        Array.from(a, (e, k) => e + sign * eps * v[k]),
        x.shape,
        'float64',
      );
    });
  const plus = grads(f, shifted(1));
  const minus = grads(f, shifted(-1));
  return plus.map((p, i) => p.map((e, k) => (e - minus[i][k]) / (2 * eps)));
}

function expectHvp(f: (...xs: Tensor[]) => Tensor, shapes: number[][]): void {
  const xs = shapes.map((s, i) => f64(s, 11 + i));
  const vs = shapes.map((s, i) => f64(s, 101 + i));
  const got = hvp(f, xs, vs);
  const want = hvpByDifferences(f, xs, vs);
  let scale = 0;
  want.forEach((w) => w.forEach((e) => (scale = Math.max(scale, Math.abs(e)))));
  expect(scale).toBeGreaterThan(1e-3); // the check is not vacuous
  got.forEach((g, i) => {
    expect(g.length).toBe(want[i].length);
    g.forEach((e, k) => expect(Math.abs(e - want[i][k])).toBeLessThan(1e-6 * Math.max(1, scale)));
  });
}

const square = (t: Tensor): Tensor => mul(t, t);
const weights = (shape: number[]): Tensor => f64(shape, 7);

describe('second-order gradients through fused backward kernels', () => {
  it('softmax (both kernel inputs depend on x)', () => {
    expectHvp((x) => sum(square(softmax(x))), [[3, 5]]);
    expectHvp((x) => sum(mul(softmax(x), weights([3, 5]))), [[3, 5]]);
  });

  it('logSoftmax', () => {
    expectHvp((x) => sum(square(logSoftmax(x))), [[3, 5]]);
    expectHvp((x) => sum(mul(logSoftmax(x), weights([3, 5]))), [[3, 5]]);
  });

  it('sparseSoftmaxCrossEntropyWithLogits (through the probabilities and through dloss)', () => {
    const labels = tensor([4, 0, 2], [3], 'int32');
    expectHvp((z) => sum(mul(sparseSoftmaxCrossEntropyWithLogits(labels, z), weights([3]))), [[3, 5]]);
    expectHvp((z) => sum(square(sparseSoftmaxCrossEntropyWithLogits(labels, z))), [[3, 5]]);
  });

  it('softmaxCrossEntropyWithLogits with unnormalized labels', () => {
    const labels = tensor([0.2, 0.5, 0, 0.1, 0.4, 1, 0, 0, 0, 0, 0.3, 0.3, 0.3, 0.3, 0.3], [3, 5], 'float64');
    expectHvp((z) => sum(square(softmaxCrossEntropyWithLogits(labels, z))), [[3, 5]]);
  });

  it('sigmoidCrossEntropyWithLogits', () => {
    const labels = tensor([0, 1, 0.3, 0.7, 1, 0, 0.5], [7], 'float64');
    expectHvp((z) => sum(mul(sigmoidCrossEntropyWithLogits(labels, z), weights([7]))), [[7]]);
    expectHvp((z) => sum(square(sigmoidCrossEntropyWithLogits(labels, z))), [[7]]);
  });

  it('dropout (the same seeded mask each call) and relu6 (its mask through the same kernel)', () => {
    expectHvp((x) => sum(square(dropout(x, 0.3, undefined, 42))), [[5, 7]]);
    expectHvp((x) => sum(mul(square(relu6(mul(x, 4))), weights([5, 7]))), [[5, 7]]);
  });

  it('biasRelu, w.r.t. x and bias', () => {
    expectHvp((x, b) => sum(mul(square(biasRelu(x, b)), weights([3, 5]))), [[3, 5], [5]]);
  });

  it('maxPool (its gradient kernel differentiated by a gather at the window maxima), with padding and overlap', () => {
    expectHvp((x) => sum(mul(square(maxPool(x, 3, { strides: 2, padding: 'same' })), weights([2, 3, 3, 3]))), [[2, 5, 5, 3]]);
    expectHvp((x) => sum(mul(square(maxPool(x, [2, 3], { strides: 1, padding: 'valid' })), weights([1, 4, 3, 2]))), [[1, 5, 5, 2]]);
  });

  it('maxPool ties: the first maximum of a window takes the gradient, as in the kernel', () => {
    // Every window of a constant image ties; the kernel's first tap (row-major) wins.
    const x = tensor(new Array(9).fill(1), [1, 3, 3, 1], 'float64');
    const v = f64([1, 3, 3, 1], 3);
    const outer = new GradientTape();
    outer.watch(x);
    const inner = new GradientTape();
    inner.watch(x);
    const [g] = inner.gradient(sum(square(maxPool(x, 2, { strides: 1, padding: 'valid' }))), [x]);
    const [h] = outer.gradient(sum(mul(g!, v)), [x]);
    // The first derivative sends 2 m = 2 to each window's top-left tap; the Hessian-vector
    // product sends 2 v[top-left] there too.
    const vs = v.dataSync();
    const want = new Array(9).fill(0);
    for (const [r, s] of [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ])
      want[r * 3 + s] += 2 * vs[r * 3 + s];
    Array.from(h!.dataSync()).forEach((e, k) => expect(e).toBeCloseTo(want[k], 12));
  });

  it('avgPool (its gradient kernel differentiated by the pooling kernel)', () => {
    expectHvp((x) => sum(mul(square(avgPool(x, 3, { strides: 2, padding: 'same' })), weights([1, 3, 3, 3]))), [[1, 5, 5, 3]]);
    expectHvp((x) => sum(mul(square(avgPool(x, [2, 3], { strides: 1, padding: 'valid' })), weights([2, 4, 3, 1]))), [[2, 5, 5, 1]]);
  });
});

describe('second-order gradients through kernels without a gradient of their own throw', () => {
  // The inner gradient is recorded by the outer tape; asking the outer for it must throw.
  function secondOrder(f: (...xs: Tensor[]) => Tensor, xs: Tensor[]): () => void {
    return () => {
      const outer = new GradientTape();
      xs.forEach((x) => outer.watch(x));
      const inner = new GradientTape();
      xs.forEach((x) => inner.watch(x));
      const gs = inner.gradient(f(...xs), xs);
      outer.gradient(sum(square(gs[0]!)), xs);
    };
  }
  const message = (op: string, kernel: string) =>
    `${op}: second-order gradients through ${op} are not supported (its gradient kernel ${kernel} has no gradient of its own)`;

  it('normalization and image ops', () => {
    const gamma = tensor([1.2, 0.7], [2], 'float64');
    const beta = tensor([0.1, -0.2], [2], 'float64');
    expect(
      secondOrder((x) => sum(square(batchNormTraining(x, gamma, beta, tensor([0, 0], [2], 'float64'), tensor([1, 1], [2], 'float64')).y)), [f64([5, 2], 2)]),
    ).toThrow(message('batchNormTraining', 'batch_norm_backward'));
    expect(secondOrder((x) => sum(square(layerNorm(x, gamma, beta))), [f64([5, 2], 3)])).toThrow(message('layerNorm', 'layer_norm_backward'));
    const img = f64([1, 3, 3, 1], 4);
    expect(secondOrder((x) => sum(square(resizeBilinear(x, [5, 5]))), [img])).toThrow(message('image.resizeBilinear', 'resize_bilinear_backward'));
    expect(secondOrder((x) => sum(square(resizeNearestNeighbor(x, [5, 5]))), [img])).toThrow(message('image.resizeNearestNeighbor', 'resize_nearest_backward'));
    const m = tensor([[1, 0.1, 0, 0, 1, 0, 0, 0]], [1, 8], 'float64');
    expect(secondOrder((x) => sum(square(transform(x, m))), [img])).toThrow(message('image.transform', 'image_transform_backward'));
  });

  it('recurrent cells and fused attention', () => {
    const h = f64([2, 3], 5);
    const c = f64([2, 3], 6);
    expect(secondOrder((xw) => sum(square(simpleRnnCell(xw, h, f64([3, 3], 7)))), [f64([2, 3], 8)])).toThrow(
      message('simpleRnnCell', 'simple_rnn_cell_backward'),
    );
    expect(secondOrder((xw) => sum(square(lstmCell(xw, h, c, f64([3, 12], 7))[0])), [f64([2, 12], 8)])).toThrow(message('lstmCell', 'lstm_cell_backward'));
    expect(secondOrder((xw) => sum(square(gruCell(xw, h, f64([3, 9], 7), f64([9], 9)))), [f64([2, 9], 8)])).toThrow(message('gruCell', 'gru_cell_backward'));
    const k = f64([1, 3, 4], 10);
    const v = f64([1, 3, 4], 11);
    expect(secondOrder((q) => sum(square(fusedAttention(q, k, v))), [f64([1, 3, 4], 12)])).toThrow(message('fusedAttention', 'attention_fused_backward'));
  });
});
