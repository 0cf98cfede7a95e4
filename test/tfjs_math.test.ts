// TensorFlow.js's math that Tessera lacked (`not a function`): the trigonometric and
// hyperbolic functions and atan2 (native kernels), and logSigmoid, isInf, divNoNan,
// euclideanNorm, dot, step and print (compositions), each against TensorFlow.js itself
// (the devDependency, cpu backend), with their gradients where they have one.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../src';
import { howItEnded, runTsBody } from './helpers/child';
import { gradcheck } from './helpers/gradcheck';
import { liveTensors } from './helpers/memory';

tf.setBackend('cpu');

const close = (ours: ts.Tensor, theirs: tf.Tensor, tol = 2e-6) => {
  expect(ours.shape).toEqual(theirs.shape);
  const [a, b] = [Array.from(ours.dataSync(), Number), Array.from(theirs.dataSync(), Number)];
  a.forEach((v, i) => {
    if (Number.isNaN(b[i])) expect(v).toBeNaN();
    else if (!Number.isFinite(b[i])) expect(v).toBe(b[i]);
    else expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i])));
  });
};
type Fn = (...a: unknown[]) => unknown;
const ours = (name: string) => (ts as unknown as Record<string, Fn>)[name];
const theirs = (name: string) => (tf as unknown as Record<string, Fn>)[name];

describe('trigonometric and hyperbolic functions', () => {
  // Values inside and outside each domain: NaN where TensorFlow.js gives NaN, infinities where it does.
  const values = [-3, -1, -0.999, -0.5, 0, 0.25, 0.999, 1, 1.5, 7, NaN, Infinity, -Infinity];
  it.each(['tan', 'asin', 'acos', 'atan', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh'])('%s as TensorFlow.js, also as a method', (name) => {
    close(ours(name)(ts.tensor1d(values)) as ts.Tensor, theirs(name)(tf.tensor1d(values)) as tf.Tensor);
    const x = ts.tensor1d([0.5, -0.25]);
    close((x as unknown as Record<string, Fn>)[name]() as ts.Tensor, theirs(name)(tf.tensor1d([0.5, -0.25])) as tf.Tensor);
    expect(() => ours(name)(ts.tensor1d([1], 'int32'))).toThrow(new RegExp(`^${name}: .*int32`));
  });

  it('atan2 broadcasts as TensorFlow.js, the axes and origin included', () => {
    const a = [
      [1, -1, 0, 0, 2.5],
      [-0.5, 0, 3, -3, 0],
    ];
    const b = [1, -1, 0, -2, 0.5];
    close(ts.atan2(ts.tensor2d(a), ts.tensor1d(b)), tf.atan2(tf.tensor2d(a), tf.tensor1d(b)));
    close(ts.atan2(2, ts.tensor1d(b)), tf.atan2(2, tf.tensor1d(b)));
  });
});

describe('compositions', () => {
  it('logSigmoid, stable far from 0', () => {
    const v = [-200, -20, -1, 0, 1, 20, 200];
    close(ts.logSigmoid(ts.tensor1d(v)), tf.logSigmoid(tf.tensor1d(v)), 1e-6);
    gradcheck((x) => ts.logSigmoid(x), [ts.tensor1d([-3, -0.5, 0.7, 4], 'float64')]);
  });

  it('isInf', () => {
    const v = [Infinity, -Infinity, NaN, 0, -1e38, 3];
    close(ts.isInf(ts.tensor1d(v)), tf.isInf(tf.tensor1d(v)));
    expect(ts.isInf(ts.tensor1d(v)).dtype).toBe('bool');
  });

  it('divNoNan: 0 where the divisor is 0, with a finite gradient there', () => {
    const a = [1, -2, 0, 3, NaN];
    const b = [0, 4, 0, -1.5, 0];
    close(ts.divNoNan(ts.tensor1d(a), ts.tensor1d(b)), tf.divNoNan(tf.tensor1d(a), tf.tensor1d(b)));
    close(ts.divNoNan(ts.tensor2d([[1, 2]]), 0), tf.divNoNan(tf.tensor2d([[1, 2]]), 0));
    const [da, db] = ts.grads((x, y) => ts.sum(ts.divNoNan(x, y)))([ts.tensor1d([1, 2]), ts.tensor1d([0, 4])]);
    expect(da.arraySync()).toEqual([0, 0.25]);
    expect(db.arraySync()).toEqual([0, -2 / 16]);
    gradcheck((x, y) => ts.divNoNan(x, y), [ts.tensor1d([1, -2, 3], 'float64'), ts.tensor1d([0.5, 2, -1.5], 'float64')]);
  });

  it('euclideanNorm over all axes, one axis and with keepDims', () => {
    const x = [
      [3, 4, 0],
      [-1, 2, 2],
    ];
    close(ts.euclideanNorm(ts.tensor2d(x)), tf.euclideanNorm(tf.tensor2d(x)));
    close(ts.euclideanNorm(ts.tensor2d(x), 1), tf.euclideanNorm(tf.tensor2d(x), 1));
    close(ts.euclideanNorm(ts.tensor2d(x), 0, true), tf.euclideanNorm(tf.tensor2d(x), 0, true));
    close(ts.tensor2d(x).euclideanNorm(-1), tf.euclideanNorm(tf.tensor2d(x), -1));
  });

  it('dot of vectors and matrices in every pairing, and its errors', () => {
    const v = [1, -2, 3];
    const m = [
      [1, 0, 2],
      [0.5, -1, 4],
      [2, 2, -3],
    ];
    const w = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    close(ts.dot(ts.tensor1d(v), ts.tensor1d(v)), tf.dot(tf.tensor1d(v), tf.tensor1d(v)));
    close(ts.dot(ts.tensor1d(v), ts.tensor2d(w)), tf.dot(tf.tensor1d(v), tf.tensor2d(w)));
    close(ts.dot(ts.tensor2d(m), ts.tensor1d(v)), tf.dot(tf.tensor2d(m), tf.tensor1d(v)));
    close(ts.dot(ts.tensor2d(m), ts.tensor2d(w)), tf.dot(tf.tensor2d(m), tf.tensor2d(w)));
    close(ts.tensor2d(m).dot(ts.tensor1d(v)), tf.dot(tf.tensor2d(m), tf.tensor1d(v)));
    expect(() => ts.dot(ts.tensor1d([1, 2]), ts.tensor1d(v))).toThrow(/^dot: the inner dimensions differ: t1 \[2\] and t2 \[3\]/);
    expect(() => ts.dot(ts.zeros([2, 2, 2]), ts.tensor1d([1, 2]))).toThrow(/^dot: expected t1 of rank 1 or 2, got shape \[2, 2, 2\]/);
    gradcheck((a, b) => ts.dot(a, b), [ts.tensor1d([1, -2, 0.5], 'float64'), ts.tensor2d(w, undefined, 'float64')]);
  });

  it('step with and without alpha, NaN kept, in the input dtype, with a zero gradient', () => {
    const v = [-2, 0, 0.5, NaN, -Infinity, Infinity];
    close(ts.step(ts.tensor1d(v)), tf.step(tf.tensor1d(v)));
    close(ts.step(ts.tensor1d(v), 0.3), tf.step(tf.tensor1d(v), 0.3));
    expect(ts.step(ts.tensor1d([1, -1], 'float64')).dtype).toBe('float64');
    expect(
      ts
        .grad((x) => ts.sum(ts.step(x)))(ts.tensor1d([1, -1]))
        .arraySync(),
    ).toEqual([0, 0]);
    expect(() => ts.step(ts.tensor1d([1]), '0.5' as never)).toThrow(/^step: expected alpha to be a number, got '0.5'/);
  });

  it('print(x, verbose), as x.print', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    try {
      ts.print(ts.tensor1d([1, 2]));
      ts.print(ts.tensor1d([1, 2]), true);
      expect(log.mock.calls[0][0]).toBe(ts.tensor1d([1, 2]).toString());
      expect(log.mock.calls[1][0]).toMatch(/dtype: float32\n {2}rank: 1\n {2}shape: \[2\]/);
      expect(() => ts.print([1, 2] as never)).toThrow(/^print: expected a Tensor, got/);
    } finally {
      log.mockRestore();
    }
  });

  it('an empty tensor prints as [], its shape in the header, whatever its outer dimensions', () => {
    expect(ts.zeros([2, 0]).toString()).toBe('Tensor\n    []');
    expect(ts.zeros([0]).toString(true)).toMatch(/shape: \[0\]\n.*\n {2}values:\n {4}\[\]$/);
    // In a child: walking the outer indices exhausted the heap ([3e8, 0]) or never ended.
    const r = runTsBody(
      `console.log(JSON.stringify(ts.zeros([3e8, 0]).toString()));
       const log = console.log; let printed; console.log = (t) => { printed = t; };
       ts.print(ts.zeros([2 ** 20, 2 ** 20, 0]), true);
       console.log = log; console.log(JSON.stringify(printed));`,
      [],
      20_000,
    );
    expect(howItEnded(r)).toBe('exit 0');
    const [a, b] = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(a).toBe('Tensor\n    []');
    expect(b).toMatch(/shape: \[1048576, 1048576, 0\]\n.*\n {2}values:\n {4}\[\]$/);
  });

  it('leave no tensors behind', () => {
    const before = liveTensors();
    const x = ts.tensor1d([1, -2, 3]);
    for (const y of [
      ts.logSigmoid(x),
      ts.isInf(x),
      ts.divNoNan(x, [0, 1, 2]),
      ts.euclideanNorm(x),
      ts.dot([1, 2, 3], x),
      ts.step(x),
      ts.atan2(x, 1),
      ts.tan(x),
    ])
      y.dispose();
    x.dispose();
    expect(liveTensors()).toBe(before);
  });
});
