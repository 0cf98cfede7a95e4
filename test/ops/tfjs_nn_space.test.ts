// TensorFlow.js's nn and space ops that Tessera lacked: depthToSpace (and TensorFlow's
// spaceToDepth), spaceToBatchND, batchToSpaceND, batchNorm and its ranked forms,
// localResponseNormalization and prelu, each against TensorFlow.js itself (the
// devDependency, cpu backend) on odd shapes, with gradients by finite differences.
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { randomData } from '../helpers/reference';

tf.setBackend('cpu');

const close = (ours: ts.Tensor, theirs: tf.Tensor, tol = 2e-5) => {
  expect(ours.shape).toEqual(theirs.shape);
  const [a, b] = [Array.from(ours.dataSync(), Number), Array.from(theirs.dataSync(), Number)];
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b[i]))));
};
const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);
// The same random values for both libraries.
const pair = (shape: number[], seed = 1, lo = -1, hi = 1): [ts.Tensor, tf.Tensor] => {
  const v = randomData(size(shape), seed, lo, hi);
  return [ts.tensor(v, shape), tf.tensor(v, shape)];
};
const f64 = (shape: number[], seed = 1, lo = -1, hi = 1) => ts.tensor(randomData(size(shape), seed, lo, hi), shape, 'float64');

describe('depthToSpace and spaceToDepth', () => {
  it.each([
    [[2, 3, 2, 8], 2],
    [[1, 1, 3, 18], 3],
    [[3, 2, 1, 4], 2],
  ])('depthToSpace of %j with blockSize %d as TensorFlow.js (NHWC)', (shape, bs) => {
    const [a, b] = pair(shape as number[]);
    close(ts.depthToSpace(a, bs as number), tf.depthToSpace(b as tf.Tensor4D, bs as number));
  });

  it('NCHW is NHWC between transposes, and spaceToDepth inverts depthToSpace in both formats', () => {
    const [a] = pair([2, 3, 2, 12]);
    const nchw = ts.transpose(a, [0, 3, 1, 2]);
    const viaNchw = ts.transpose(ts.depthToSpace(nchw, 2, 'NCHW'), [0, 2, 3, 1]);
    expect(Array.from(viaNchw.dataSync())).toEqual(Array.from(ts.depthToSpace(a, 2).dataSync()));
    expect(Array.from(ts.spaceToDepth(ts.depthToSpace(a, 2), 2).dataSync())).toEqual(Array.from(a.dataSync()));
    expect(Array.from(ts.spaceToDepth(ts.depthToSpace(nchw, 2, 'NCHW'), 2, 'NCHW').dataSync())).toEqual(Array.from(nchw.dataSync()));
  });

  it('spaceToDepth matches TensorFlow (space_to_depth of [[[[1],[2]],[[3],[4]]]] is [[[[1,2,3,4]]]])', () => {
    const x = ts.tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(ts.spaceToDepth(x, 2).shape).toEqual([1, 1, 1, 4]);
    expect(Array.from(ts.spaceToDepth(x, 2).dataSync())).toEqual([1, 2, 3, 4]);
  });

  it('gradients by finite differences', () => {
    gradcheck((x) => ts.depthToSpace(x, 2), [f64([1, 2, 3, 8])]);
    gradcheck((x) => ts.spaceToDepth(x, 2, 'NCHW'), [f64([1, 2, 4, 2])]);
  });

  it('refuses bad arguments, naming the op', () => {
    const x = ts.ones([1, 2, 2, 6]);
    expect(() => ts.depthToSpace(x, 2)).toThrow(/^depthToSpace: expected the depth \(6\) to be a multiple of blockSize² = 4/);
    expect(() => ts.depthToSpace(x, 1)).toThrow(/^depthToSpace: expected blockSize to be an integer > 1, got 1/);
    expect(() => ts.depthToSpace(ts.ones([2, 4]), 2)).toThrow(/^depthToSpace: expected x of rank 4, got shape \[2, 4\]/);
    expect(() => ts.depthToSpace(x, 2, 'NWHC' as never)).toThrow(/^depthToSpace: expected dataFormat 'NHWC' or 'NCHW', got 'NWHC'/);
    expect(() => ts.spaceToDepth(ts.ones([1, 3, 2, 1]), 2)).toThrow(/^spaceToDepth: expected height \(3\) and width \(2\) to be multiples of blockSize 2/);
  });
});

describe('spaceToBatchND and batchToSpaceND', () => {
  const cases: [number[], number[], number[][]][] = [
    [
      [1, 4, 4, 1],
      [2, 2],
      [
        [0, 0],
        [0, 0],
      ],
    ],
    [
      [2, 3, 5, 3],
      [2, 3],
      [
        [1, 0],
        [0, 1],
      ],
    ],
    [[2, 5, 2], [3], [[1, 3]]],
    [
      [1, 2, 3, 2, 2],
      [2, 1],
      [
        [0, 2],
        [1, 1],
      ],
    ],
  ];
  it.each(cases)('spaceToBatchND of %j, blockShape %j, paddings %j as TensorFlow.js', (shape, block, paddings) => {
    const [a, b] = pair(shape);
    close(ts.spaceToBatchND(a, block, paddings), tf.spaceToBatchND(b, block, paddings));
  });

  it.each(cases)('batchToSpaceND undoes it (%j), as TensorFlow.js does', (shape, block, crops) => {
    const [a] = pair(shape);
    const moved = ts.spaceToBatchND(a, block, crops);
    const back = ts.batchToSpaceND(moved, block, crops);
    expect(back.shape).toEqual(shape);
    expect(Array.from(back.dataSync())).toEqual(Array.from(a.dataSync()));
    const [c, d] = pair(moved.shape, 3);
    close(ts.batchToSpaceND(c, block, crops), tf.batchToSpaceND(d, block, crops));
  });

  it('gradients by finite differences', () => {
    gradcheck(
      (x) =>
        ts.spaceToBatchND(
          x,
          [2, 3],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      [f64([1, 3, 5, 2])],
    );
    gradcheck(
      (x) =>
        ts.batchToSpaceND(
          x,
          [2, 2],
          [
            [1, 0],
            [0, 1],
          ],
        ),
      [f64([4, 2, 2, 1])],
    );
  });

  it('refuses bad arguments, naming the op', () => {
    const x = ts.ones([1, 3, 4, 1]);
    expect(() =>
      ts.spaceToBatchND(
        x,
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/^spaceToBatchND: expected padded dimension 1 \(3\) to be a multiple of blockShape\[0\] = 2/);
    expect(() =>
      ts.spaceToBatchND(
        x,
        [2, 0],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/^spaceToBatchND: expected blockShape to be a non-empty array of positive integers/);
    expect(() => ts.spaceToBatchND(x, [2, 2], [[1, 0]])).toThrow(/^spaceToBatchND: expected paddings to be 2 \[before, after\] pairs/);
    expect(() =>
      ts.spaceToBatchND(
        x,
        [1, 1, 1, 1],
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/^spaceToBatchND: expected x of rank at least 5/);
    expect(() =>
      ts.batchToSpaceND(
        x,
        [2, 2],
        [
          [0, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/^batchToSpaceND: expected the batch \(1\) to be a multiple of prod\(blockShape\) = 4/);
    expect(() =>
      ts.batchToSpaceND(
        ts.ones([4, 1, 1, 1]),
        [2, 2],
        [
          [2, 1],
          [0, 0],
        ],
      ),
    ).toThrow(/^batchToSpaceND: expected crops\[0\] to total at most 2/);
    expect(() =>
      ts.batchToSpaceND(
        ts.ones([4, 1, 1, 1]),
        [2, 2],
        [
          [-1, 0],
          [0, 0],
        ],
      ),
    ).toThrow(/^batchToSpaceND: expected crops\[0\] to be \[before, after\] non-negative integers/);
  });
});

describe('batchNorm and its ranked forms', () => {
  it.each([
    [[2, 3], [3]],
    [[3, 1, 5], [5]],
    [[2, 3, 2, 5], [5]],
    [
      [2, 3, 2, 5],
      [1, 1, 2, 5],
    ],
  ])('batchNorm of x %j with statistics %j as TensorFlow.js, with and without offset and scale', (xs, ss) => {
    const [x, tx] = pair(xs, 1);
    const [m, tm] = pair(ss, 2);
    const [v, tv] = pair(ss, 3, 0.1, 2);
    const [o, to] = pair(ss, 4);
    const [s, tsc] = pair(ss, 5, 0.5, 2);
    close(ts.batchNorm(x, m, v, o, s, 0.01), tf.batchNorm(tx, tm, tv, to, tsc, 0.01));
    close(ts.batchNorm(x, m, v), tf.batchNorm(tx, tm, tv));
    close(ts.batchNorm(x, m, v, null, s), tf.batchNorm(tx, tm, tv, undefined, tsc));
    const ranked = { 2: ts.batchNorm2d, 3: ts.batchNorm3d, 4: ts.batchNorm4d }[xs.length]!;
    if (ss.length === 1 || ss.length === xs.length) close(ranked(x, m, v, o, s), tf.batchNorm(tx, tm, tv, to, tsc));
  });

  it('gradients by finite differences, for x and every statistic', () => {
    gradcheck((x, m, v, o, s) => ts.batchNorm(x, m, v, o, s, 1e-3), [f64([2, 3, 4]), f64([4], 2), f64([4], 3, 0.5, 2), f64([4], 4), f64([4], 5)]);
  });

  it('refuses bad arguments, naming the op', () => {
    const x = ts.ones([2, 3]);
    const c = ts.ones([3]);
    expect(() => ts.batchNorm(x, c, ts.ones([1, 3]))).toThrow(/^batchNorm: expected variance of the same rank as mean \(1\), got shape \[1, 3\]/);
    expect(() => ts.batchNorm(x, c, c, c, c, -1)).toThrow(/^batchNorm: expected varianceEpsilon to be a finite number >= 0, got -1/);
    expect(() => ts.batchNorm(x, ts.ones([4]), c)).toThrow(/^batchNorm: /);
    expect(() => ts.batchNorm(ts.ones([2], 'int32'), c, c)).toThrow(/^batchNorm: .*int32/);
    expect(() => ts.batchNorm4d(x, c, c)).toThrow(/^batchNorm4d: expected x of rank 4, got shape \[2, 3\]/);
    expect(() => ts.batchNorm3d(ts.ones([1, 2, 3]), ts.ones([2, 3]), ts.ones([2, 3]))).toThrow(
      /^batchNorm3d: expected mean of rank 3 or 1, got shape \[2, 3\]/,
    );
  });
});

describe('localResponseNormalization', () => {
  it.each([
    [[1, 2, 3, 7], 2, 1, 1, 0.5],
    [[2, 3, 1, 5], 5, 2, 0.3, 0.75],
    [[3, 2, 11], 1, 0.5, 2, 1.5],
    [[1, 1, 2, 4], 0, 1, 1, 0.5],
    [[1, 1, 1, 3], 10, 1, 1e-4, 0.75],
  ])('of %j (depthRadius %d, bias %d, alpha %d, beta %d) as TensorFlow.js', (shape, r, bias, alpha, beta) => {
    const [a, b] = pair(shape as number[], 7, -2, 2);
    close(
      ts.localResponseNormalization(a, r as number, bias as number, alpha as number, beta as number),
      tf.localResponseNormalization(b as tf.Tensor4D, r as number, bias as number, alpha as number, beta as number),
    );
  });

  it('defaults as TensorFlow.js (depthRadius 5, bias 1, alpha 1, beta 0.5)', () => {
    const [a, b] = pair([1, 2, 2, 9]);
    close(ts.localResponseNormalization(a), tf.localResponseNormalization(b as tf.Tensor4D));
  });

  it('gradients by finite differences', () => {
    gradcheck((x) => ts.localResponseNormalization(x, 2, 1.5, 0.7, 0.75), [f64([1, 2, 2, 6], 3, -2, 2)]);
  });

  it('refuses bad arguments, naming the op', () => {
    expect(() => ts.localResponseNormalization(ts.ones([2, 3]))).toThrow(/^localResponseNormalization: expected x of rank 3 or 4, got shape \[2, 3\]/);
    expect(() => ts.localResponseNormalization(ts.ones([1, 2, 3]), 1.5)).toThrow(
      /^localResponseNormalization: expected depthRadius to be a non-negative integer, got 1.5/,
    );
    expect(() => ts.localResponseNormalization(ts.ones([1, 2, 3]), 1, NaN)).toThrow(
      /^localResponseNormalization: expected bias to be a finite number, got NaN/,
    );
  });
});

describe('prelu', () => {
  it.each([
    [[2, 5], [5]],
    [
      [3, 2, 4],
      [1, 4],
    ],
    [[7], []],
  ])('of x %j with alpha %j as TensorFlow.js', (xs, as) => {
    const [x, tx] = pair(xs, 2);
    const [a, ta] = pair(as, 9, 0, 0.5);
    close(ts.prelu(x, a), tf.prelu(tx, ta));
  });

  it('is x where x > 0 and alpha * x elsewhere (0 at 0)', () => {
    expect(Array.from(ts.prelu(ts.tensor1d([-2, 0, 3]), 0.25).dataSync())).toEqual([-0.5, 0, 3]);
  });

  it('gradients by finite differences, for x and alpha (away from 0)', () => {
    const x = ts.tensor(
      randomData(12, 4).map((v) => (Math.abs(v) < 0.05 ? 0.3 : v)),
      [3, 4],
      'float64',
    );
    gradcheck((a, b) => ts.prelu(a, b), [x, f64([4], 5, 0.1, 0.5)]);
  });

  it('refuses an int x and an alpha of another dtype, naming the op', () => {
    expect(() => ts.prelu(ts.ones([2], 'int32'), 0.1)).toThrow(/^prelu: .*int32/);
    expect(() => ts.prelu(ts.ones([2]), ts.ones([2], 'float64'))).toThrow(/^prelu: .*float64/);
  });
});
