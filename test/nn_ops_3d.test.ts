// The 3-D window ops (conv3d, conv3dTranspose, maxPool3d, avgPool3d) against PyTorch
// fixtures (test/fixtures/nn, scripts/fixtures/make_conv3d_fixtures.py), their argument
// forms and their errors.
import * as ts from '../src';
import { type Tensor } from '../src';
import { fromFixture, loadFixture, type FixtureCase, type FixtureTensor } from './helpers/fixtures';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

const r = (shape: number[], seed = 1) => randomTensor(shape, seed, 'float64', -1, 1);
const close = (t: Tensor, want: FixtureTensor) => {
  expect(t.shape).toEqual(want.shape);
  // The fixtures round to 8 digits after computing, so allow an absolute 1e-7.
  expectClose(Array.from(t.dataSync()), want.data, 1e-6, 1e-7);
};

// Checks y and the gradients of sum(y * upstream) for the named inputs.
function checkCase(c: FixtureCase, inputs: string[], f: (...xs: Tensor[]) => Tensor) {
  const xs = inputs.map((k) => fromFixture(c.inputs[k]));
  close(f(...xs), c.outputs.y);
  const upstream = fromFixture(c.upstream.y);
  const grads = ts.grads((...args: Tensor[]) => ts.sum(ts.mul(f(...args), upstream)))(xs);
  inputs.forEach((k, i) => close(grads[i], c.grads[k]));
}

type Triple = [number, number, number];

describe('conv3d (PyTorch fixtures)', () => {
  for (const c of loadFixture('conv3d')) {
    it(c.name, () => {
      const a = c.attrs as { strides: Triple; dilationRate: Triple; padding: 'same' | 'valid'; groups: number };
      checkCase(c, ['x', 'filter'], (x, w) => ts.conv3d(x, w, { strides: a.strides, dilations: a.dilationRate, padding: a.padding, groups: a.groups }));
    });
  }
  it("takes TensorFlow.js's positional arguments", () => {
    const x = r([1, 4, 4, 3, 2]);
    const w = r([2, 2, 2, 2, 3], 2);
    const want = ts.conv3d(x, w, { strides: [2, 1, 1], padding: 'same', dilations: 1 });
    expectClose(ts.conv3d(x, w, [2, 1, 1], 'same', 'NDHWC', 1).dataSync(), want.dataSync(), 0);
    expect(() => ts.conv3d(x, w, 1, 'same', 'NCDHW' as never)).toThrow(/conv3d: only channels-last data .* got 'NCDHW'/);
  });
  it('explains bad arguments', () => {
    expect(() => ts.conv3d(r([1, 4, 4, 4, 3]), r([2, 2, 2, 2, 4]))).toThrow(
      /conv3d: the filter expects 2 input channels \(2 per group x 1 groups\), but x has 3/,
    );
    expect(() => ts.conv3d(r([4, 4, 4, 3]), r([2, 2, 2, 3, 4]))).toThrow(/conv3d: expected x of rank 5 \(NDHWC\), got shape \[4, 4, 4, 3\]/);
    expect(() => ts.conv3d(r([1, 4, 4, 4, 3]), r([2, 2, 3, 4]))).toThrow(/conv3d: expected filter of rank 5/);
    expect(() => ts.conv3d(r([1, 2, 4, 4, 1]), r([3, 3, 3, 1, 1]))).toThrow(/conv3d: the window \(3 with dilation\) is larger than the input \(2\)/);
    expect(() => ts.conv3d(r([1, 4, 4, 4, 1]), r([3, 3, 3, 1, 1]), { strides: [1, 2] as never })).toThrow(
      /conv3d: expected strides to be a positive integer or an array of 3 of them/,
    );
    expect(() => ts.conv3d(r([1, 4, 4, 4, 1]), r([3, 3, 3, 1, 1]), { padding: 'causal' as never })).toThrow(
      /conv3d: expected padding 'valid' or 'same', got 'causal'/,
    );
    expect(() => ts.conv3d(r([1, 4, 4, 4, 1]), r([3, 3, 3, 1, 1]), { stride: 2 } as never)).toThrow(/conv3d.*stride/);
  });
});

describe('empty inputs', () => {
  it('an empty batch of a huge depth gives an empty output at once (no list of its depth windows)', () => {
    const y = ts.conv3d(ts.zeros([0, 2 ** 31, 4, 4, 2], 'float64'), r([2, 3, 3, 2, 3]), { padding: 'same' });
    expect(y.shape).toEqual([0, 2 ** 31, 4, 4, 3]);
    const t = ts.conv3dTranspose(ts.zeros([0, 2 ** 31, 2, 2, 2], 'float64'), r([2, 2, 2, 3, 2]), { strides: 2, padding: 'same' });
    expect(t.shape).toEqual([0, 2 ** 32, 4, 4, 3]);
    const [dw] = ts.grads((w: Tensor) => ts.sum(ts.conv3d(ts.zeros([0, 3, 3, 3, 2], 'float64'), w)))([r([2, 2, 2, 2, 1])]);
    expectClose(dw.dataSync(), new Array(16).fill(0), 0);
  });
});

describe('conv3dTranspose (PyTorch fixtures)', () => {
  for (const c of loadFixture('conv3d_transpose')) {
    it(c.name, () => {
      const a = c.attrs as { strides: Triple; dilationRate: Triple; padding: 'same' | 'valid'; outputShape: Triple };
      checkCase(c, ['x', 'filter'], (x, w) =>
        ts.conv3dTranspose(x, w, { strides: a.strides, dilations: a.dilationRate, padding: a.padding, outputShape: a.outputShape }),
      );
    });
  }
  it('is the adjoint of conv3d', () => {
    // <conv3d(z, w), y> == <z, conv3dTranspose(y, w)>, w read as [k..., out of the transpose, in].
    const z = r([1, 5, 4, 5, 2], 1);
    const w = r([3, 2, 3, 2, 3], 2);
    const y = r([1, 3, 2, 3, 3], 3);
    const lhs = ts.sum(ts.mul(ts.conv3d(z, w, { strides: 2, padding: 'same' }), y)).dataSync()[0];
    const rhs = ts.sum(ts.mul(z, ts.conv3dTranspose(y, w, { strides: 2, padding: 'same', outputShape: [5, 4, 5] }))).dataSync()[0];
    expect(rhs).toBeCloseTo(lhs, 9);
  });
  it("takes TensorFlow.js's positional arguments (outputShape with channels, batch optional)", () => {
    const x = r([2, 2, 3, 2, 3]);
    const w = r([2, 2, 2, 4, 3], 2);
    const want = ts.conv3dTranspose(x, w, { strides: 2, padding: 'same' });
    expect(want.shape).toEqual([2, 4, 6, 4, 4]);
    expectClose(ts.conv3dTranspose(x, w, [2, 4, 6, 4, 4], 2, 'same').dataSync(), want.dataSync(), 0);
    expectClose(ts.conv3dTranspose(x, w, [4, 6, 4, 4], [2, 2, 2], 'same').dataSync(), want.dataSync(), 0);
  });
  it('explains bad arguments', () => {
    const x = r([1, 2, 2, 2, 3]);
    expect(() => ts.conv3dTranspose(x, r([2, 2, 2, 4, 2]))).toThrow(/conv3dTranspose: the filter expects 2 input channels, but x has 3/);
    expect(() => ts.conv3dTranspose(x, r([2, 2, 2, 4, 3]), { strides: 2, padding: 'same', outputShape: [6, 4, 4] })).toThrow(
      /conv3dTranspose: output size \[6, 4, 4\] is inconsistent with input \[2, 2, 2\], strides and padding 'same'/,
    );
    expect(() => ts.conv3dTranspose(x, r([2, 2, 2, 4, 3]), { outputShape: [4, 4] as never })).toThrow(
      /conv3dTranspose: expected outputShape to be the output's \[depth, height, width\], got \[4, 4\]/,
    );
    expect(() => ts.conv3dTranspose(x, r([2, 2, 2, 4, 3]), [4, 4], 2, 'same')).toThrow(
      /conv3dTranspose: expected outputShape \[batch, depth, height, width, channels\]/,
    );
  });
});

describe('3-D pooling (PyTorch fixtures)', () => {
  for (const c of loadFixture('pooling3d')) {
    it(c.name, () => {
      const a = c.attrs as { kind: 'max' | 'avg'; poolSize: Triple; strides: Triple; padding: 'same' | 'valid' };
      const op = a.kind === 'max' ? ts.maxPool3d : ts.avgPool3d;
      checkCase(c, ['x'], (x) => op(x, a.poolSize, { strides: a.strides, padding: a.padding }));
    });
  }
  it("takes TensorFlow.js's positional arguments; strides default to the pool size", () => {
    const x = r([1, 4, 5, 4, 2]);
    for (const op of [ts.maxPool3d, ts.avgPool3d]) {
      const want = op(x, [2, 2, 2], { strides: 2, padding: 'same' });
      expect(want.shape).toEqual([1, 2, 3, 2, 2]);
      expectClose(op(x, 2, 2, 'same', undefined, 'NDHWC').dataSync(), want.dataSync(), 0);
      expectClose(op(x, 2, { padding: 'same' }).dataSync(), want.dataSync(), 0);
    }
  });
  it('average pooling: gradients by finite differences, also of its gradients (second order)', () => {
    const avg = (x: Tensor) => ts.avgPool3d(x, [2, 3, 2], { strides: 1, padding: 'same' });
    gradcheck(avg, [r([1, 3, 3, 2, 1])]);
    gradcheck(
      ts.grad((x) => ts.sum(ts.square(avg(x)))),
      [r([1, 3, 3, 2, 1])],
    );
  });
  it("a 'same' window far larger than the volume pools all of it, at once (the kernels visit every tap)", () => {
    const x = r([1, 3, 4, 2, 2]);
    const y = ts.avgPool3d(x, 2 ** 31, 2, 'same');
    expect(y.shape).toEqual([1, 2, 2, 1, 2]);
    expectClose(y.dataSync(), ts.broadcastTo(ts.mean(x, [1, 2, 3], true), y.shape).dataSync(), 1e-12);
    expectClose(ts.maxPool3d(x, [2 ** 31, 2 ** 40, 2 ** 31], { padding: 'same' }).dataSync(), ts.max(x, [1, 2, 3]).dataSync(), 0);
    // One size past the bound where every window covers the axis, the 2-D op agrees with the huge window.
    const img = r([1, 5, 1, 1]);
    expectClose(
      ts.avgPool2d(img, [2 ** 31, 1], { strides: 2, padding: 'same' }).dataSync(),
      ts.avgPool2d(img, [10, 1], { strides: 2, padding: 'same' }).dataSync(),
      1e-12,
    );
  });
  it('explains bad arguments', () => {
    expect(() => ts.maxPool3d(r([1, 4, 4, 1]), 2)).toThrow(/maxPool3d: expected x of rank 5 \(NDHWC\), got shape \[1, 4, 4, 1\]/);
    expect(() => ts.avgPool3d(r([1, 1, 4, 4, 1]), 2)).toThrow(/avgPool3d: the window \(2 with dilation\) is larger than the input \(1\)/);
    expect(() => ts.maxPool3d(r([1, 4, 4, 4, 1]), [2, 2] as never)).toThrow(/maxPool3d: expected poolSize to be a positive integer or an array of 3 of them/);
    expect(() => ts.maxPool3d(r([1, 4, 4, 4, 1]), 2, 2, 'same', 'round')).toThrow(/maxPool3d: dimRoundingMode is not supported/);
    expect(() => ts.avgPool3d(r([1, 4, 4, 4, 1]), 2, { padding: 'full' as never })).toThrow(/avgPool3d: expected padding 'valid' or 'same', got 'full'/);
  });
});
