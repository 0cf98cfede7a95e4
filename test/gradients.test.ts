// Every differentiable op against central differences (float64), at two or more shapes.
import * as ts from '../src';
import { tensor, type Tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { randomTensor } from './helpers/reference';

const r = (shape: number[], seed = 1, lo = -1, hi = 1) => randomTensor(shape, seed, 'float64', lo, hi);
const ints = (values: number[], shape?: number[]) => tensor(values, shape, 'int32');
type Op = (...xs: Tensor[]) => Tensor;
const call = (name: string) => (ts as unknown as Record<string, Op>)[name];

// [name, domain] for the unary ops; the domain keeps away from kinks and poles.
const UNARY: [string, number, number][] = [
  ['neg', -2, 2],
  ['abs', 0.2, 2],
  ['exp', -2, 2],
  ['log', 0.2, 3],
  ['sqrt', 0.2, 3],
  ['rsqrt', 0.2, 3],
  ['square', -2, 2],
  ['reciprocal', 0.5, 3],
  ['relu', 0.1, 2],
  ['sigmoid', -3, 3],
  ['tanh', -2, 2],
  ['log1p', -0.5, 2],
  ['expm1', -2, 2],
  ['sin', -3, 3],
  ['cos', -3, 3],
  ['tan', -1.2, 1.2],
  ['asin', -0.9, 0.9],
  ['acos', -0.9, 0.9],
  ['atan', -3, 3],
  ['sinh', -2, 2],
  ['cosh', -2, 2],
  ['asinh', -3, 3],
  ['acosh', 1.2, 3],
  ['atanh', -0.9, 0.9],
  ['erf', -2, 2],
  ['softplus', -3, 3],
  ['selu', -2, 2],
  ['relu6', 0.1, 5],
  ['silu', -3, 3],
  ['mish', -3, 3],
  ['hardSigmoid', -2.5, 2.5],
  ['softsign', -2, 2],
];

describe('gradcheck: unary ops', () => {
  for (const [name, lo, hi] of UNARY) {
    it(name, () => {
      for (const shape of [[5], [2, 3]]) gradcheck(call(name), [r(shape, shape.length, lo, hi)]);
    });
  }
  it('relu and abs on both sides of 0', () => {
    gradcheck(ts.relu, [tensor([-1.5, -0.3, 0.4, 2], undefined, 'float64')]);
    gradcheck(ts.abs, [tensor([-1.5, -0.3, 0.4, 2], undefined, 'float64')]);
  });
  it('parametric activations', () => {
    const x = tensor([-1.5, -0.3, 0.4, 2], undefined, 'float64');
    gradcheck((v) => ts.elu(v, 0.7), [x]);
    gradcheck((v) => ts.leakyRelu(v, 0.1), [x]);
    gradcheck((v) => ts.gelu(v), [x]);
    gradcheck((v) => ts.gelu(v, true), [x]);
  });
});

const BROADCAST_PAIRS: [number[], number[]][] = [
  [
    [2, 3],
    [2, 3],
  ],
  [[2, 3], [3]],
  [
    [3, 1],
    [1, 4],
  ],
  [[2, 3], []],
];

describe('gradcheck: binary ops with broadcasting', () => {
  for (const name of ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference']) {
    it(name, () => {
      for (const [sa, sb] of BROADCAST_PAIRS) gradcheck(call(name), [r(sa, 1, 0.5, 2), r(sb, 2, -2, -0.5)]);
    });
  }
  it('pow', () => {
    for (const [sa, sb] of BROADCAST_PAIRS) gradcheck(ts.pow, [r(sa, 1, 0.5, 2), r(sb, 2, -1.5, 1.5)]);
  });
  it('atan2, in all four quadrants', () => {
    for (const [sa, sb] of BROADCAST_PAIRS) gradcheck(ts.atan2, [r(sa, 1, -2, 2), r(sb, 2, -2, 2)]);
  });
  it('maximum and minimum send ties to the first operand', () => {
    const a = tensor([1, 2, 3], undefined, 'float64');
    const g = ts.grads((x, y) => ts.sum(ts.maximum(x, y)))([a, tensor([1, 0, 3], undefined, 'float64')]);
    expect(g[0].arraySync()).toEqual([1, 1, 1]);
    expect(g[1].arraySync()).toEqual([0, 0, 0]);
  });
  it('where routes the gradient to the chosen branch', () => {
    const c = tensor([[true, false, true]]);
    gradcheck((a, b) => ts.where(c, a, b), [r([2, 3], 1), r([3], 2)]);
  });
});

describe('gradcheck: reductions', () => {
  for (const name of ['sum', 'mean', 'max', 'min', 'prod']) {
    it(name, () => {
      const x = r([3, 4, 2], 5, 0.5, 2);
      const f = call(name) as unknown as (x: Tensor, axis?: number | number[], keep?: boolean) => Tensor;
      gradcheck((v) => f(v), [x]);
      gradcheck((v) => f(v, 1), [x]);
      gradcheck((v) => f(v, [0, 2], true), [x]);
      // The last axis: its gradient broadcasts along rows (tile's fill path).
      gradcheck((v) => f(v, 2), [x]);
      gradcheck((v) => f(v, [0, 1]), [x]);
    });
  }
  it('max shares the gradient between ties, as TensorFlow', () => {
    const g = ts.grad((v) => ts.max(v))(tensor([1, 3, 3], undefined, 'float64'));
    expect(g.arraySync()).toEqual([0, 0.5, 0.5]);
  });
  it('cumsum', () => {
    const x = r([3, 4], 2);
    gradcheck((v) => ts.cumsum(v, 1), [x]);
    gradcheck((v) => ts.cumsum(v, 0, true, true), [x]);
  });
});

describe('gradcheck: matMul', () => {
  for (const [ta, tb] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ]) {
    it(`transposeA=${ta} transposeB=${tb}`, () => {
      gradcheck((a, b) => ts.matMul(a, b, ta, tb), [r(ta ? [4, 3] : [3, 4], 1), r(tb ? [2, 4] : [4, 2], 2)]);
    });
  }
  it('with one operand a constant (its product is skipped)', () => {
    for (const [ta, tb] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ]) {
      const a = r(ta ? [4, 3] : [3, 4], 1);
      const b = r(tb ? [2, 4] : [4, 2], 2);
      gradcheck((v) => ts.matMul(a, v, ta, tb), [b]);
      gradcheck((v) => ts.matMul(v, b, ta, tb), [a]);
    }
  });
  it('with broadcast batch dimensions', () => {
    gradcheck((a, b) => ts.matMul(a, b), [r([2, 3, 4], 1), r([4, 2], 2)]);
    gradcheck((a, b) => ts.matMul(a, b), [r([1, 3, 4], 1), r([2, 4, 2], 2)]);
  });
});

describe('gradcheck: layout ops', () => {
  const x = r([3, 4], 9);
  it('reshape, expandDims, squeeze, flatten', () => {
    gradcheck((v) => ts.reshape(v, [2, 6]), [x]);
    gradcheck((v) => ts.squeeze(ts.expandDims(v, 1)), [x]);
    gradcheck((v) => ts.flatten(v), [x]);
  });
  it('transpose', () => {
    gradcheck((v) => ts.transpose(v), [x]);
    gradcheck((v) => ts.transpose(v, [2, 0, 1]), [r([2, 3, 4], 3)]);
  });
  it('slice, split, unstack', () => {
    gradcheck((v) => ts.slice(v, [1, 1], [2, 2]), [x]);
    gradcheck((v) => ts.split(v, [1, 3], 1)[1], [x]);
    gradcheck((v) => ts.unstack(v, 1)[2], [x]);
    // Every part used, each differently: split's gradient is one concat of the parts'.
    gradcheck(
      (v) => {
        const [a, b, c] = ts.split(v, [1, 2, 1], 1);
        return ts.concat([ts.mul(a, 2), ts.square(b), ts.neg(c)], 1);
      },
      [x],
    );
  });
  it('concat and stack', () => {
    gradcheck((a, b) => ts.concat([a, b, a], 1), [x, r([3, 2], 4)]);
    gradcheck((a, b) => ts.stack([a, b], 1), [x, r([3, 4], 5)]);
  });
  it('gather, unsortedSegmentSum', () => {
    gradcheck((v) => ts.gather(v, ints([2, 0, 2])), [x]);
    gradcheck((v) => ts.gather(v, ints([3, 1], [2, 1]), 1), [x]);
    gradcheck((v) => ts.unsortedSegmentSum(v, ints([1, 0, 1, 7]), 3), [r([4, 2], 6)]);
  });
  it('pad, tile, broadcastTo, cast', () => {
    gradcheck(
      (v) =>
        ts.pad(v, [
          [1, 0],
          [2, 1],
        ]),
      [x],
    );
    gradcheck((v) => ts.tile(v, [2, 3]), [x]);
    gradcheck((v) => ts.broadcastTo(v, [2, 3, 4]), [x]);
    // A scalar (a fill) and a size-1 last dimension (a fill per row).
    gradcheck((v) => ts.broadcastTo(v, [2, 3, 4]), [r([], 6)]);
    gradcheck((v) => ts.broadcastTo(v, [2, 3, 4]), [r([3, 1], 7)]);
    gradcheck((v) => ts.cast(ts.cast(v, 'float32'), 'float64'), [x], { rtol: 1e-3, atol: 1e-5, eps: 1e-3 });
  });
});
