// TensorFlow.js's ranked aliases (concat1d..4d, pad1d..4d, reverse1d..4d, slice1d..4d)
// against TensorFlow.js itself (cpu backend), their rank checks naming the alias; and
// complex, real and imag, refused with the [real, imag] pair convention.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { randomData } from '../helpers/reference';

tf.setBackend('cpu');

type Fn = (...a: unknown[]) => unknown;
const ours = (name: string) => (ts as unknown as Record<string, Fn>)[name];
const theirs = (name: string) => (tf as unknown as Record<string, Fn>)[name];
const shapes: Record<number, number[]> = { 1: [5], 2: [3, 4], 3: [2, 3, 5], 4: [2, 1, 3, 4] };
const pair = (shape: number[], seed = 1): [ts.Tensor, tf.Tensor] => {
  const v = randomData(
    shape.reduce((p, d) => p * d, 1),
    seed,
  );
  return [ts.tensor(v, shape), tf.tensor(v, shape)];
};
const same = (a: unknown, b: unknown) => {
  const [x, y] = [a as ts.Tensor, b as tf.Tensor];
  expect(x.shape).toEqual(y.shape);
  expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
};

describe.each([1, 2, 3, 4])('rank %d', (r) => {
  const shape = shapes[r];
  const wrong = ts.ones(r === 1 ? [2, 2] : [2]);

  it(`concat${r}d as TensorFlow.js, and refuses another rank`, () => {
    const [a, ta] = pair(shape, 1);
    const [b, tb] = pair(shape, 2);
    const axis = r - 1;
    same(ours(`concat${r}d`)([a, b], ...(r === 1 ? [] : [axis])), theirs(`concat${r}d`)([ta, tb], ...(r === 1 ? [] : [axis])));
    expect(() => ours(`concat${r}d`)([a, wrong], ...(r === 1 ? [] : [0]))).toThrow(new RegExp(`^concat${r}d: expected tensors\\[1\\] of rank ${r}, got shape`));
  });

  it(`pad${r}d as TensorFlow.js, and refuses another rank`, () => {
    const [a, ta] = pair(shape);
    const paddings = r === 1 ? [2, 1] : shape.map((_, i) => [i % 2, 1]);
    same(ours(`pad${r}d`)(a, paddings, 3), theirs(`pad${r}d`)(ta, paddings, 3));
    expect(() => ours(`pad${r}d`)(wrong, paddings)).toThrow(new RegExp(`^pad${r}d: expected x of rank ${r}, got shape`));
  });

  it(`reverse${r}d as TensorFlow.js, and refuses another rank`, () => {
    const [a, ta] = pair(shape);
    same(ours(`reverse${r}d`)(a), theirs(`reverse${r}d`)(ta));
    if (r > 1) same(ours(`reverse${r}d`)(a, [0, r - 1]), theirs(`reverse${r}d`)(ta, [0, r - 1]));
    expect(() => ours(`reverse${r}d`)(wrong)).toThrow(new RegExp(`^reverse${r}d: expected x of rank ${r}, got shape`));
  });

  it(`slice${r}d as TensorFlow.js, and refuses another rank`, () => {
    const [a, ta] = pair(shape);
    const begin = r === 1 ? 1 : shape.map((d) => Math.floor(d / 2));
    const size = r === 1 ? 3 : shape.map((d, i) => (i === 0 ? -1 : d - Math.floor(d / 2)));
    same(ours(`slice${r}d`)(a, begin, size), theirs(`slice${r}d`)(ta, begin, size));
    expect(() => ours(`slice${r}d`)(wrong, begin, size)).toThrow(new RegExp(`^slice${r}d: expected x of rank ${r}, got shape`));
  });
});

describe('errors from the wrapped op name the alias', () => {
  it('an out-of-range slice or axis', () => {
    expect(() => ts.slice2d(ts.ones([2, 3]), [0, 2], [1, 5])).toThrow(/^slice2d: /);
    expect(() => ts.concat2d([ts.ones([2, 3])], 4)).toThrow(/^concat2d: /);
    expect(() => ts.concat1d([])).toThrow(/^concat1d: expected a non-empty array of tensors/);
    expect(() => ts.pad2d(ts.ones([2, 3]), [[1, 1]] as never)).toThrow(/^pad2d: /);
  });
});

describe('complex, real and imag', () => {
  it('refuse, saying a complex tensor is a [real, imag] pair', () => {
    const x = ts.ones([2]);
    expect(() => ts.complex(x, x)).toThrow(/^complex: Tessera has no complex dtype: a complex tensor is a \[real, imag\] pair of float tensors/);
    expect(() => ts.real(x)).toThrow(/^real: Tessera has no complex dtype.*the real part of \[re, im\] is re/);
    expect(() => ts.imag(x)).toThrow(/^imag: Tessera has no complex dtype.*the imaginary part of \[re, im\] is im/);
  });
});
