// A JS number next to an int32 or bool tensor keeps its value: fractions make the op
// float (as TensorFlow.js and NumPy), integers keep int32, comparisons compare exactly.
import * as ts from '../../src';

type Binary = (a: ts.TensorLike, b: ts.TensorLike) => ts.Tensor;
const ARITHMETIC: [string, Binary, (a: number, b: number) => number][] = [
  ['add', ts.add, (a, b) => a + b],
  ['sub', ts.sub, (a, b) => a - b],
  ['mul', ts.mul, (a, b) => a * b],
  ['div', ts.div, (a, b) => a / b],
  ['pow', ts.pow, (a, b) => a ** b],
  ['maximum', ts.maximum, Math.max],
  ['minimum', ts.minimum, Math.min],
  ['squaredDifference', ts.squaredDifference, (a, b) => (a - b) ** 2],
];
const COMPARISONS: [string, Binary, (a: number, b: number) => boolean][] = [
  ['equal', ts.equal, (a, b) => a === b],
  ['notEqual', ts.notEqual, (a, b) => a !== b],
  ['less', ts.less, (a, b) => a < b],
  ['lessEqual', ts.lessEqual, (a, b) => a <= b],
  ['greater', ts.greater, (a, b) => a > b],
  ['greaterEqual', ts.greaterEqual, (a, b) => a >= b],
];
const VALUES = [3, 4, 1];

describe('a fractional JS number with an int32 tensor', () => {
  it.each(ARITHMETIC)('%s promotes to float32 on either side', (_, op, ref) => {
    const x = ts.tensor(VALUES, undefined, 'int32');
    for (const [y, expected] of [
      [op(x, 0.5), VALUES.map((v) => ref(v, 0.5))],
      [op(0.5, x), VALUES.map((v) => ref(0.5, v))],
      [op(x, [0.5, 1.5, 2]), VALUES.map((v, i) => ref(v, [0.5, 1.5, 2][i]))],
    ] as [ts.Tensor, number[]][]) {
      expect(y.dtype).toBe('float32');
      Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 4));
    }
  });

  it.each(COMPARISONS)('%s compares exactly on either side', (_, op, ref) => {
    const x = ts.tensor([0, 1, 2, 16777217], undefined, 'int32');
    const values = [0, 1, 2, 16777217];
    for (const b of [0.5, 1.5, 16777216.5, -0.25]) {
      expect(op(x, b).arraySync()).toEqual(values.map((v) => ref(v, b)));
      expect(op(b, x).arraySync()).toEqual(values.map((v) => ref(b, v)));
    }
  });
});

describe('an integer JS number with an int32 tensor', () => {
  it.each(ARITHMETIC.filter(([name]) => name !== 'div' && name !== 'pow'))('%s keeps int32', (_, op, ref) => {
    const y = op(ts.tensor(VALUES, undefined, 'int32'), 2);
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual(VALUES.map((v) => ref(v, 2)));
  });

  it('an integer beyond int32 promotes instead of wrapping', () => {
    const y = ts.add(ts.tensor([1], undefined, 'int32'), 3e9);
    expect(y.dtype).toBe('float32');
    expect(y.dataSync()[0]).toBeCloseTo(3e9, -3);
    expect(ts.less(ts.tensor([1], undefined, 'int32'), 3e9).arraySync()).toEqual([true]);
  });
});

describe('a JS number with a bool tensor', () => {
  it('is a number, not a truth value', () => {
    const b = ts.tensor([true, false]);
    expect(ts.equal(b, 2).arraySync()).toEqual([false, false]);
    expect(ts.equal(b, 1).arraySync()).toEqual([true, false]);
    expect(ts.less(b, 0.5).arraySync()).toEqual([false, true]);
    expect(ts.logicalAnd(b, true).arraySync()).toEqual([true, false]);
    const sum = ts.add(b, 0.5);
    expect(sum.dtype).toBe('float32');
    expect(Array.from(sum.dataSync())).toEqual([1.5, 0.5]);
  });
});

it('float tensors keep their dtype with any JS number', () => {
  expect(ts.mul(ts.tensor([3, 4]), 0.5).dtype).toBe('float32');
  expect(ts.mul(ts.tensor([3, 4], undefined, 'float64'), 0.5).dtype).toBe('float64');
  expect(ts.less(ts.tensor([0.25]), 0.5).arraySync()).toEqual([true]);
});
