// TensorFlow.js's ops that its users reach for and Tessera lacked (`not a function`):
// floorDiv, mod, reverse, all, any, topk, multinomial, randomStandardNormal and
// math.confusionMatrix, each against TensorFlow.js itself (the devDependency, cpu backend)
// where the result is deterministic.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';

tf.setBackend('cpu');

// Shape and values (as numbers: TensorFlow.js reads bools as 0 / 1, and an empty [2, 0] as []).
const same = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  expect(Array.from(ours.dataSync(), Number)).toEqual(Array.from(theirs.dataSync(), Number));
};

describe('floorDiv and mod', () => {
  const a = [-7, 7, -7.5, 7.5, 0, 5];
  const b = [2, -2, 3, -3, 4, 5];
  it.each(['float32', 'int32'] as const)('as TensorFlow.js in %s', (dtype) => {
    const [x, y] = dtype === 'int32' ? [a.map(Math.trunc), b] : [a, b];
    same(ts.floorDiv(ts.tensor1d(x, dtype), ts.tensor1d(y, dtype)), tf.floorDiv(tf.tensor1d(x, dtype), tf.tensor1d(y, dtype)));
    same(ts.mod(ts.tensor1d(x, dtype), ts.tensor1d(y, dtype)), tf.mod(tf.tensor1d(x, dtype), tf.tensor1d(y, dtype)));
  });
  it.each([
    ['an int32 tensor with a fraction (promoted, as the other binary ops)', tf.tensor1d([7, -7], 'int32'), 2.5],
    ['float32 near-integer quotients', tf.tensor1d([0.7, -0.3, 7.5]), tf.tensor1d([0.1, 0.1, 2])],
    ['infinite divisors', tf.tensor1d([3, -3, 0, 3]), tf.tensor1d([Infinity, Infinity, Infinity, -Infinity])],
    ['integer division by zero', tf.tensor1d([7, -7, 0], 'int32'), tf.tensor1d([0, 0, 0], 'int32')],
  ])('%s as TensorFlow.js', (_, a, b) => {
    const [x, y] = [
      ts.tensor(a.arraySync() as number[], a.shape, a.dtype as ts.DType),
      b instanceof tf.Tensor ? ts.tensor(b.arraySync() as number[], b.shape, b.dtype as ts.DType) : b,
    ];
    const tb = b instanceof tf.Tensor ? b : tf.scalar(b);
    same(ts.mod(x, y), tf.mod(a, tb));
    if (!(b instanceof tf.Tensor) || b.dataSync().every(Number.isFinite)) same(ts.floorDiv(x, y), tf.floorDiv(a, tb));
  });

  it('broadcasts, takes numbers, and passes a gradient (mod: 1 and -floor(a / b))', () => {
    expect(ts.mod(ts.tensor2d([[5, -5]]), 3).arraySync()).toEqual([[2, 1]]);
    const [ga, gb] = ts.grads((x: ts.Tensor, y: ts.Tensor) => ts.sum(ts.mod(x, y)))([ts.tensor1d([7, -7]), ts.tensor1d([2, 2])]);
    expect(ga.arraySync()).toEqual([1, 1]);
    expect(gb.arraySync()).toEqual([-3, 4]);
    // float32 beyond its digits: computed in float64 (TensorFlow.js's floorDiv gives int32 here, overflowing)
    expect(ts.mod(ts.tensor1d([1e10]), 3).arraySync()).toEqual([1]);
    expect(ts.floorDiv(ts.tensor1d([1e10]), 4).arraySync()).toEqual([2.5e9]);
    expect(() => ts.mod('a' as never, 1)).toThrow(/^mod: /);
  });
});

describe('reverse', () => {
  const x = [
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
  ];
  it.each([undefined, 0, 1, 2, -1, [1, 2]])('axis %j as TensorFlow.js', (axis) => {
    same(ts.reverse(ts.tensor(x), axis), tf.reverse(tf.tensor(x), axis));
  });
  it('passes the gradient back reversed', () => {
    const g = ts.grad((t: ts.Tensor) => ts.sum(ts.mul(ts.reverse(t), ts.tensor1d([1, 2, 3]))))(ts.tensor1d([0, 0, 0]));
    expect(g.arraySync()).toEqual([3, 2, 1]);
    expect(() => ts.reverse(ts.tensor1d([1]), 1)).toThrow(/reverse: /);
  });
});

describe('all and any', () => {
  const x = [
    [true, false, true],
    [true, true, true],
  ];
  it.each([undefined, 0, 1, -1])('axis %j as TensorFlow.js (and keepDims)', (axis) => {
    for (const keepDims of [false, true]) {
      same(ts.all(ts.tensor(x, undefined, 'bool'), axis, keepDims), tf.all(tf.tensor(x, undefined, 'bool'), axis, keepDims));
      same(ts.any(ts.tensor(x, undefined, 'bool'), axis, keepDims), tf.any(tf.tensor(x, undefined, 'bool'), axis, keepDims));
    }
  });
  it('over no values: all is true, any is false; other dtypes are refused', () => {
    expect(ts.all(ts.tensor1d([], 'bool')).arraySync()).toBe(true);
    expect(ts.any(ts.tensor1d([], 'bool')).arraySync()).toBe(false);
    expect(ts.any(ts.zeros([2, 0], 'bool'), 1).arraySync()).toEqual([false, false]);
    expect(() => ts.all(ts.tensor1d([1, 0]))).toThrow(/all: expected argument 'x' to have dtype bool, got float32/);
  });
});

describe('topk', () => {
  const x = [
    [1, 5, 3, 5, -2],
    [0, -1, 9, 2, 2],
  ];
  it.each([0, 1, 3, 5])('k = %i as TensorFlow.js (ties in index order)', (k) => {
    const ours = ts.topk(ts.tensor(x), k);
    const theirs = tf.topk(tf.tensor(x), k);
    same(ours.values, theirs.values);
    same(ours.indices, theirs.indices);
  });
  it('a larger random case with many ties as TensorFlow.js', () => {
    const v = Array.from({ length: 3 * 200 }, (_, i) => ((i * 7919) % 37) - 18);
    for (const k of [1, 17, 200]) {
      const ours = ts.topk(ts.tensor(v, [3, 200]), k);
      const theirs = tf.topk(tf.tensor(v, [3, 200]), k);
      same(ours.values, theirs.values);
      same(ours.indices, theirs.indices);
    }
  });

  it('keeps infinite values exact, works on int32, and passes gradients to the chosen elements', () => {
    expect(ts.topk(ts.tensor1d([-Infinity, Infinity, 1]), 2).values.arraySync()).toEqual([Infinity, 1]);
    expect(ts.topk(ts.tensor1d([3, 9, 4], 'int32'), 2).values.arraySync()).toEqual([9, 4]);
    const g = ts.grad((t: ts.Tensor) => ts.sum(ts.topk(t, 2).values))(ts.tensor1d([1, 7, 3, 9]));
    expect(g.arraySync()).toEqual([0, 1, 0, 1]);
    expect(() => ts.topk(ts.tensor1d([1, 2]), 3)).toThrow(/topk: expected k to be an integer from 0 to 2 \(the last dimension\), got 3/);
    expect(() => ts.topk(ts.scalar(1))).toThrow(/topk: expected x of rank 1 or more/);
  });
});

describe('multinomial', () => {
  it('draws in proportion to softmax(logits), repeatably with a seed', () => {
    const logits = ts.tensor2d([
      [Math.log(0.2), Math.log(0.8)],
      [0, -Infinity],
    ]);
    const draws = ts.multinomial(logits, 20000, 42);
    expect(draws.shape).toEqual([2, 20000]);
    expect(draws.dtype).toBe('int32');
    const rows = draws.arraySync() as number[][];
    expect(rows[0].filter((c) => c === 1).length / 20000).toBeCloseTo(0.8, 1);
    expect(rows[1].every((c) => c === 0)).toBe(true);
    expect(ts.multinomial(logits, 50, 42).arraySync()).toEqual(ts.multinomial(logits, 50, 42).arraySync());
  });
  it('takes probabilities when normalized, a vector of logits, and says what is wrong', () => {
    const counts = [0, 0, 0];
    for (const c of ts.multinomial(ts.tensor1d([0.5, 0, 0.5]), 4000, 1, true).arraySync() as number[]) counts[c]++;
    expect(counts[1]).toBe(0);
    expect(counts[0] / 4000).toBeCloseTo(0.5, 1);
    expect(() => ts.multinomial(ts.tensor1d([0.5, -0.1]), 1, 1, true)).toThrow(/multinomial: row 0 has a probability that is negative or not finite: -0.1/);
    expect(() => ts.multinomial(ts.tensor1d([1, NaN]), 1)).toThrow(/multinomial: row 0 has a logit that is NaN or infinite/);
    expect(() => ts.multinomial(ts.tensor1d([1, 2]), 0)).toThrow(/multinomial: expected numSamples to be a positive integer, got 0/);
    expect(() => ts.multinomial(ts.zeros([1, 2, 3]), 1)).toThrow(/multinomial: expected logits of rank 1/);
  });
});

it('randomStandardNormal: mean 0, stddev 1, seeded, the dtype asked', () => {
  const x = ts.randomStandardNormal([20000], 'float64', 3);
  expect(x.dtype).toBe('float64');
  const { mean, variance } = ts.moments(x);
  expect(mean.arraySync()).toBeCloseTo(0, 1);
  expect(variance.arraySync()).toBeCloseTo(1, 1);
  expect(ts.randomStandardNormal([4], 'float32', 3).arraySync()).toEqual(ts.randomNormal([4], 0, 1, 'float32', 3).arraySync());
  expect(() => ts.randomStandardNormal([2], 'int32')).toThrow(/randomStandardNormal: expected dtype float32 or float64/);
});

it('math.confusionMatrix as TensorFlow.js', () => {
  const labels = [0, 1, 2, 2, 1, 0, 2];
  const predictions = [0, 2, 2, 1, 1, 0, 0];
  same(ts.math.confusionMatrix(labels, predictions, 3), tf.math.confusionMatrix(tf.tensor1d(labels, 'int32'), tf.tensor1d(predictions, 'int32'), 3));
  expect(() => ts.math.confusionMatrix([0, 3], [0, 1], 3)).toThrow(/math.confusionMatrix: label 3 at index 1 is not a class from 0 to 2/);
  expect(() => ts.math.confusionMatrix([0, 1], [0], 3)).toThrow(/expected labels and predictions to be vectors of one length/);
});
