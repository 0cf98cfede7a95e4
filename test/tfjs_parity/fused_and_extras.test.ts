// tf.fused.matMul / conv2d / depthwiseConv2d against TensorFlow.js's cpu backend, and the
// small TensorFlow.js names: upcastType, Rank, Tensor.bytes and Tensor.throwIfDisposed.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';

tf.setBackend('cpu');

const values = (n: number, k = 0.37) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.1) * 2);
const both = (shape: number[], k?: number) => {
  const v = values(
    shape.reduce((a, b) => a * b, 1),
    k,
  );
  return [ts.tensor(v, shape), tf.tensor(v, shape)] as const;
};
const close = (ours: ts.Tensor, theirs: tf.Tensor) => {
  expect(ours.shape).toEqual(theirs.shape);
  const b = theirs.dataSync();
  Array.from(ours.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));
};

describe('fused', () => {
  it.each(['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const)('matMul with bias and %s, as TensorFlow.js', (activation) => {
    const [a, ta] = both([3, 4]);
    const [b, tb] = both([5, 4], 0.7);
    const [bias, tbias] = both([5], 1.3);
    const [alpha, talpha] = both([5], 0.2);
    const extra = activation === 'prelu' ? { preluActivationWeights: alpha } : activation === 'leakyrelu' ? { leakyreluAlpha: 0.1 } : {};
    const textra = activation === 'prelu' ? { preluActivationWeights: talpha } : activation === 'leakyrelu' ? { leakyreluAlpha: 0.1 } : {};
    close(
      ts.fused.matMul({ a, b, transposeB: true, bias, activation, ...extra }),
      tf.fused.matMul({ a: ta as tf.Tensor2D, b: tb as tf.Tensor2D, transposeB: true, bias: tbias, activation, ...textra }),
    );
  });

  it('conv2d and depthwiseConv2d with bias and relu, as TensorFlow.js', () => {
    const [x, tx] = both([1, 7, 7, 2]);
    const [f, tfl] = both([3, 3, 2, 3], 0.9);
    const [bias, tbias] = both([3], 1.1);
    close(
      ts.fused.conv2d({ x, filter: f, strides: 2, pad: 1, bias, activation: 'relu', dimRoundingMode: 'ceil' }),
      tf.fused.conv2d({ x: tx as tf.Tensor4D, filter: tfl as tf.Tensor4D, strides: 2, pad: 1, bias: tbias, activation: 'relu', dimRoundingMode: 'ceil' }),
    );
    const [d, td] = both([3, 3, 2, 2], 0.5);
    const [db, tdb] = both([4], 0.3);
    close(
      ts.fused.depthwiseConv2d({ x, filter: d, strides: 1, pad: 'same', bias: db, activation: 'relu6' }),
      tf.fused.depthwiseConv2d({ x: tx as tf.Tensor4D, filter: td as tf.Tensor4D, strides: 1, pad: 'same', bias: tdb, activation: 'relu6' }),
    );
  });

  it('gradients flow through the composition', () => {
    const [a] = both([2, 3]);
    const [b] = both([3, 2], 0.4);
    const g = ts.grad((t: ts.Tensor) => ts.fused.matMul({ a: t, b, activation: 'relu' }).sum())(a);
    expect(g.shape).toEqual([2, 3]);
  });

  it('misspelled keys, unknown activations and a missing prelu weight are errors naming the op', () => {
    const a = ts.ones([2, 2]);
    expect(() => ts.fused.matMul({ a, b: a, activaton: 'relu' } as never)).toThrow(/^fused\.matMul: unknown option 'activaton'; did you mean 'activation'/);
    expect(() => ts.fused.matMul({ a, b: a, activation: 'gelu' as never })).toThrow(/^fused\.matMul: expected activation to be one of linear, relu/);
    expect(() => ts.fused.matMul({ a, b: a, activation: 'prelu' })).toThrow(/^fused\.matMul: activation 'prelu' needs preluActivationWeights/);
    expect(() => ts.fused.matMul({ a, b: a, leakyreluAlpha: 0.3 })).toThrow(/^fused\.matMul: leakyreluAlpha is for activation 'leakyrelu'/);
    expect(() => ts.fused.matMul({ a, b: ts.ones([3, 2]) })).toThrow(/^fused\.matMul: /);
    expect(() => ts.fused.conv2d({ x: ts.ones([1, 4, 4, 1]), filter: ts.ones([2, 2, 2, 1]), strides: 1, pad: 'valid' })).toThrow(/^fused\.conv2d: /);
    expect(() => ts.fused.conv2d({ x: ts.ones([1, 4, 4, 1]), filter: ts.ones([2, 2, 1, 1]), strides: 1, pad: 'same', dimRoundingMode: 'ceil' })).toThrow(
      /^fused\.conv2d: dimRoundingMode 'ceil' takes a numeric or explicit pad/,
    );
  });
});

describe('upcastType, Rank, Tensor.bytes and Tensor.throwIfDisposed', () => {
  it('upcastType as TensorFlow.js', () => {
    const pairs = [
      ['bool', 'int32'],
      ['int32', 'float32'],
      ['bool', 'float32'],
      ['float32', 'float32'],
      ['int32', 'bool'],
    ] as const;
    for (const [x, y] of pairs) expect(ts.upcastType(x, y)).toBe(tf.upcastType(x, y));
    expect(ts.upcastType('float64', 'float32')).toBe('float64');
    expect(() => ts.upcastType('string' as never, 'float32')).toThrow(/^upcastType: expected dtype to be one of/);
  });

  it('Rank holds the names TensorFlow.js has', () => {
    expect({ ...ts.Rank }).toEqual({ ...tf.Rank });
  });

  it('bytes gives the data as bytes, as TensorFlow.js', async () => {
    for (const [v, dtype] of [
      [[1.5, -2, 3], 'float32'],
      [[7, -1], 'int32'],
      [[1, 0, 1], 'bool'],
    ] as const) {
      expect(Array.from(await ts.tensor([...v], undefined, dtype).bytes())).toEqual(
        Array.from((await tf.tensor([...v], undefined, dtype).bytes()) as Uint8Array),
      );
    }
    expect(() => (ts.ones([1]).bytes as (...a: unknown[]) => unknown)(1)).toThrow(/^Tensor\.bytes: expected at most 0 arguments/);
  });

  it('throwIfDisposed throws only for a disposed tensor', () => {
    const x = ts.ones([2]);
    expect(() => x.throwIfDisposed()).not.toThrow();
    x.dispose();
    expect(() => x.throwIfDisposed()).toThrow(/^Tensor\.throwIfDisposed: tensor \d+ of shape \[2\] is disposed/);
  });
});
