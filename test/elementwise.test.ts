import * as ts from '../src';
import { add, tensor, type Tensor } from '../src';
import { expectClose, expectTensor, randomData, refBroadcast, sizeOf } from './helpers/reference';

const SIZES = [1, 7, 17, 129];

// [op, reference, domain]
const UNARY: [string, (v: number) => number, [number, number]][] = [
  ['neg', (v) => -v, [-3, 3]],
  ['abs', Math.abs, [-3, 3]],
  ['exp', Math.exp, [-3, 3]],
  ['log', Math.log, [0.1, 5]],
  ['sqrt', Math.sqrt, [0, 5]],
  ['rsqrt', (v) => 1 / Math.sqrt(v), [0.1, 5]],
  ['square', (v) => v * v, [-3, 3]],
  ['reciprocal', (v) => 1 / v, [0.5, 3]],
  ['sign', Math.sign, [-3, 3]],
  ['floor', Math.floor, [-3, 3]],
  ['ceil', Math.ceil, [-3, 3]],
  ['relu', (v) => Math.max(v, 0), [-3, 3]],
  ['sigmoid', (v) => 1 / (1 + Math.exp(-v)), [-8, 8]],
  ['tanh', Math.tanh, [-3, 3]],
  ['log1p', Math.log1p, [-0.5, 3]],
  ['expm1', Math.expm1, [-3, 3]],
  ['sin', Math.sin, [-3, 3]],
  ['cos', Math.cos, [-3, 3]],
  ['tan', Math.tan, [-1.4, 1.4]],
  ['asin', Math.asin, [-0.99, 0.99]],
  ['acos', Math.acos, [-0.99, 0.99]],
  ['atan', Math.atan, [-10, 10]],
  ['sinh', Math.sinh, [-4, 4]],
  ['cosh', Math.cosh, [-4, 4]],
  ['asinh', Math.asinh, [-10, 10]],
  ['acosh', Math.acosh, [1.01, 10]],
  ['atanh', Math.atanh, [-0.99, 0.99]],
  ['softplus', (v) => Math.log1p(Math.exp(v)), [-5, 5]],
  ['selu', (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * Math.expm1(v)), [-3, 3]],
  ['relu6', (v) => Math.min(Math.max(v, 0), 6), [-3, 9]],
  ['silu', (v) => v / (1 + Math.exp(-v)), [-5, 5]],
  ['mish', (v) => v * Math.tanh(Math.log1p(Math.exp(v))), [-5, 5]],
  ['hardSigmoid', (v) => Math.min(Math.max((v + 3) / 6, 0), 1), [-5, 5]],
  ['softsign', (v) => v / (1 + Math.abs(v)), [-5, 5]],
];

describe('unary ops', () => {
  for (const [name, ref, [lo, hi]] of UNARY) {
    it(`${name} matches the reference at odd sizes, float32 and float64`, () => {
      for (const n of SIZES) {
        const data = randomData(n, n, lo, hi);
        for (const dtype of ['float32', 'float64'] as const) {
          const y = (ts as unknown as Record<string, (x: Tensor) => Tensor>)[name](tensor(data, [n], dtype));
          expect(y.dtype).toBe(dtype);
          expectClose(Array.from(y.dataSync()), data.map(ref), dtype === 'float32' ? 2e-6 : 1e-12, 1e-6);
        }
      }
    });
  }

  it('parametric activations take their parameter', () => {
    const x = tensor([-2, -0.5, 0, 1.5]);
    expectTensor(
      ts.elu(x, 0.5),
      [4],
      [-2, -0.5, 0, 1.5].map((v) => (v > 0 ? v : 0.5 * Math.expm1(v))),
    );
    expectTensor(ts.leakyRelu(x, 0.1), [4], [-0.2, -0.05, 0, 1.5]);
    const erf = (v: number) => {
      // Abramowitz-Stegun 7.1.26 is too coarse; integrate numerically instead.
      let s = 0;
      const steps = 2000;
      for (let i = 0; i < steps; i++) {
        const t = ((i + 0.5) / steps) * v;
        s += Math.exp(-t * t);
      }
      return (2 / Math.sqrt(Math.PI)) * s * (v / steps);
    };
    expectTensor(
      ts.gelu(x),
      [4],
      [-2, -0.5, 0, 1.5].map((v) => 0.5 * v * (1 + erf(v / Math.SQRT2))),
      1e-5,
      1e-6,
    );
    const c = Math.sqrt(2 / Math.PI);
    expectTensor(
      ts.gelu(x, true),
      [4],
      [-2, -0.5, 0, 1.5].map((v) => 0.5 * v * (1 + Math.tanh(c * (v + 0.044715 * v ** 3)))),
    );
  });

  it('rounds half to even and handles integers exactly', () => {
    expect(ts.round(tensor([0.5, 1.5, 2.5, -0.5])).arraySync()).toEqual([0, 2, 2, -0]);
    expect(ts.abs(tensor([-3, 4], undefined, 'int32')).arraySync()).toEqual([3, 4]);
    expect(ts.isNaN(tensor([NaN, 1])).arraySync()).toEqual([true, false]);
    expect(ts.isFinite(tensor([Infinity, 1])).arraySync()).toEqual([false, true]);
    expect(() => ts.exp(tensor([1], undefined, 'int32'))).toThrow(/exp: expected argument 'x' to have dtype float32 or float64, got int32/);
  });
});

// [op, reference]
const BINARY: [string, (a: number, b: number) => number][] = [
  ['add', (a, b) => a + b],
  ['sub', (a, b) => a - b],
  ['mul', (a, b) => a * b],
  ['div', (a, b) => a / b],
  ['maximum', Math.max],
  ['minimum', Math.min],
  ['squaredDifference', (a, b) => (a - b) ** 2],
  ['atan2', Math.atan2],
];

const BROADCASTS: [number[], number[]][] = [
  [[7], [7]],
  [[17, 3], [3]],
  [
    [3, 1],
    [1, 5],
  ],
  [
    [2, 1, 4],
    [3, 1],
  ],
  [[129], []],
  [[], [5, 2]],
  [
    [2, 3, 1, 5],
    [1, 3, 4, 1],
  ],
  [
    [1, 129],
    [7, 1],
  ],
];

describe('binary ops with broadcasting', () => {
  for (const [name, ref] of BINARY) {
    it(`${name} broadcasts like NumPy`, () => {
      BROADCASTS.forEach(([sa, sb], k) => {
        const da = randomData(sizeOf(sa), k + 1, 0.5, 2);
        const db = randomData(sizeOf(sb), k + 100, 0.5, 2);
        const want = refBroadcast([sa, sb], [da, db], ref);
        const y = (ts as unknown as Record<string, (a: Tensor, b: Tensor) => Tensor>)[name](tensor(da, sa), tensor(db, sb));
        expectTensor(y, want.shape, want.data, 1e-6);
      });
    });
  }

  it('atan2 in every quadrant, on the axes and at the origin (as Math.atan2), and float only', () => {
    const ys = [1, 1, -1, -1, 0, 0, 1, -1, 0, -0];
    const xs = [1, -1, -1, 1, 1, -1, 0, 0, 0, -1];
    expectTensor(
      ts.atan2(tensor(ys, undefined, 'float64'), tensor(xs, undefined, 'float64')),
      [10],
      ys.map((y, i) => Math.atan2(y, xs[i])),
      1e-15,
    );
    expect(() => ts.atan2(tensor([1], undefined, 'int32'), tensor([1], undefined, 'int32'))).toThrow(/^atan2: .*int32/);
    expectTensor(tensor([0.5]).atan2(tensor([-2])), [1], [Math.atan2(0.5, -2)]);
  });

  it('pow of floats and integers', () => {
    expectTensor(ts.pow(tensor([2, 3, 4]), tensor([3, 0.5, -1])), [3], [8, Math.sqrt(3), 0.25]);
    expect(ts.pow(tensor([2, -3], undefined, 'int32'), 3).arraySync()).toEqual([8, -27]);
  });

  it('divides integers (the div kernel, as floorDiv reaches it) with floor semantics and no crash on zero', () => {
    const a = tensor([7, -7, 7, 5], undefined, 'int32');
    const b = tensor([2, 2, -2, 0], undefined, 'int32');
    expect(ts.floorDiv(a, b).arraySync()).toEqual([3, -4, -4, 0]);
  });

  it('accepts numbers and upcasts mixed dtypes', () => {
    expect(add(tensor([1, 2]), 1).arraySync()).toEqual([2, 3]);
    expect(ts.mul(2, tensor([1, 2], undefined, 'int32')).dtype).toBe('int32');
    const mixed = add(tensor([1, 2], undefined, 'int32'), tensor([0.5, 0.5]));
    expect(mixed.dtype).toBe('float32');
    expect(mixed.arraySync()).toEqual([1.5, 2.5]);
  });

  it('propagates NaN through maximum and minimum', () => {
    expect(
      ts
        .maximum(tensor([NaN, 1]), tensor([0, NaN]))
        .dataSync()
        .every((v) => Number.isNaN(v)),
    ).toBe(true);
    expect(
      ts
        .minimum(tensor([NaN, 1]), tensor([0, NaN]))
        .dataSync()
        .every((v) => Number.isNaN(v)),
    ).toBe(true);
  });

  it('rejects incompatible shapes naming the op', () => {
    expect(() => add(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(/add: shapes \[3\] and \[2\] cannot be broadcast together/);
    expect(() =>
      ts.mul(
        tensor([[1, 2, 3]]),
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(/mul: shapes \[1, 3\] and \[2, 2\] cannot be broadcast together \(dimension 1: 3 vs 2\)/);
  });
});

describe('comparisons, logic and where', () => {
  const a = tensor([1, 2, 3, 4]);
  const b = tensor([4, 2, 1, 4]);
  it('compares elementwise to bool', () => {
    expect(ts.equal(a, b).arraySync()).toEqual([false, true, false, true]);
    expect(ts.notEqual(a, b).arraySync()).toEqual([true, false, true, false]);
    expect(ts.less(a, b).arraySync()).toEqual([true, false, false, false]);
    expect(ts.lessEqual(a, b).arraySync()).toEqual([true, true, false, true]);
    expect(ts.greater(a, b).arraySync()).toEqual([false, false, true, false]);
    expect(ts.greaterEqual(a, 3).arraySync()).toEqual([false, false, true, true]);
  });

  it('combines bools', () => {
    const p = tensor([true, true, false, false]);
    const q = tensor([true, false, true, false]);
    expect(ts.logicalAnd(p, q).arraySync()).toEqual([true, false, false, false]);
    expect(ts.logicalOr(p, q).arraySync()).toEqual([true, true, true, false]);
    expect(ts.logicalXor(p, q).arraySync()).toEqual([false, true, true, false]);
    expect(ts.logicalNot(p).arraySync()).toEqual([false, false, true, true]);
    expect(() => ts.logicalAnd(a, b)).toThrow(/logicalAnd: expected argument 'a' to have dtype bool, got float32/);
  });

  it('where broadcasts all three operands', () => {
    const c = tensor([[true], [false]]);
    const x = tensor([1, 2, 3]);
    const y = tensor([[10], [20]]);
    expect(ts.where(c, x, y).arraySync()).toEqual([
      [1, 2, 3],
      [20, 20, 20],
    ]);
    expect(() => ts.where(tensor([1, 0]), x, y)).toThrow(/where: expected argument 'condition' to have dtype bool/);
  });

  it('casts between dtypes', () => {
    expect(ts.cast(tensor([1.7, -1.7, 0]), 'int32').arraySync()).toEqual([1, -1, 0]);
    expect(ts.cast(tensor([2, 0, -1]), 'bool').arraySync()).toEqual([true, false, true]);
    expect(ts.cast(tensor([true, false]), 'float32').arraySync()).toEqual([1, 0]);
    expect(ts.cast(tensor([1.5]), 'float64').dtype).toBe('float64');
  });
});
