// ts.image.affineTransform, perspectiveTransform, mapCoordinates and gaussianBlur against
// Keras 3's keras.ops.image on the JAX backend (test/fixtures/image/image_warp.json, made by
// scripts/fixtures/make_image_warp_fixtures.py), values and gradients w.r.t. the images.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectClose } from '../helpers/reference';

type Attrs = Record<string, unknown>;
const run = (c: FixtureCase, x: Tensor): Tensor => {
  const a = c.attrs as Attrs;
  const i = c.inputs;
  switch ((c as unknown as { op: string }).op) {
    case 'affineTransform':
      return ts.image.affineTransform(x, fromFixture(i.transform, 'float32'), a);
    case 'perspectiveTransform':
      return ts.image.perspectiveTransform(x, fromFixture(i.startPoints, 'float32'), fromFixture(i.endPoints, 'float32'), a);
    case 'mapCoordinates':
      return ts.image.mapCoordinates(x, fromFixture(i.coordinates, 'float32'), a.order as number, a.fillMode as ts.image.MapFillMode, a.fillValue as number);
    default: {
      const { kernelSize, sigma, ...options } = a;
      return ts.image.gaussianBlur(x, kernelSize as [number, number] | undefined, sigma as [number, number] | undefined, options);
    }
  }
};

describe('keras.ops.image geometry (Keras 3 JAX fixtures)', () => {
  for (const c of loadFixture('image_warp', 'image')) {
    it(c.name, () => {
      const x = fromFixture(c.inputs.images ?? c.inputs.inputs, 'float32');
      const y = run(c, x);
      expect(y.shape).toEqual(c.outputs.y.shape);
      expectClose(y.dataSync(), c.outputs.y.data, 1e-4, 1e-5);
      if (c.grads) {
        const up = fromFixture(c.upstream.y, 'float32');
        const [dx] = ts.grads((t: Tensor) => ts.sum(ts.mul(run(c, t), up)))([x]);
        const want = c.grads.images ?? c.grads.inputs;
        expectClose(dx.dataSync(), want.data, 1e-4, 1e-4);
      }
    });
  }
});

describe('image.mapCoordinates', () => {
  const grid = () => ts.tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [3, 4]);
  it("JAX's docstring example; nearest rounds halves away from zero", () => {
    expect(
      Array.from(
        ts.image
          .mapCoordinates(
            grid(),
            [
              [0.5, 1.5],
              [1.5, 2.5],
            ],
            1,
          )
          .dataSync(),
      ),
    ).toEqual([3.5, 8.5]);
    // Row 0.5 rounds to 1, column -0.5 to -1 (outside: the fill value).
    expect(
      Array.from(
        ts.image
          .mapCoordinates(
            grid(),
            [
              [0.5, 0.5],
              [-0.5, 1.5],
            ],
            0,
            'constant',
            -1,
          )
          .dataSync(),
      ),
    ).toEqual([-1, 6]);
  });
  it('each fill mode extends a row as documented', () => {
    const row = ts.tensor([1, 2, 3]);
    const at = [[-3, -2, -1, 3, 4, 5]];
    const read = (mode: ts.image.MapFillMode) => Array.from(ts.image.mapCoordinates(row, at, 0, mode, 9).dataSync());
    expect(read('constant')).toEqual([9, 9, 9, 9, 9, 9]);
    expect(read('nearest')).toEqual([1, 1, 1, 3, 3, 3]);
    expect(read('wrap')).toEqual([1, 2, 3, 1, 2, 3]);
    expect(read('mirror')).toEqual([2, 3, 2, 2, 1, 2]);
    expect(read('reflect')).toEqual([3, 2, 1, 3, 2, 1]);
    // One element mirrors onto itself (JAX: [5, 5, 5]).
    expect(Array.from(ts.image.mapCoordinates(ts.tensor([5]), [[-1, 0.5, 2.3]], 1, 'mirror').dataSync())).toEqual([5, 5, 5]);
  });
  it('refuses bad arguments, naming the op', () => {
    expect(() => ts.image.mapCoordinates(grid(), [[0], [0], [0]], 1)).toThrow(/image.mapCoordinates: expected coordinates of shape \[2, \.\.\.points\]/);
    expect(() => ts.image.mapCoordinates(grid(), [[0], [0]], 3)).toThrow(/expected order 0 \(nearest\) or 1/);
    expect(() => ts.image.mapCoordinates(grid(), [[0], [0]], 1, 'grid-wrap' as 'wrap')).toThrow(/expected fillMode one of/);
    expect(() => ts.image.mapCoordinates(ts.tensor([1, 2], [2], 'int32'), [[0]], 1)).toThrow(/image.mapCoordinates/);
    expect(() => (ts.image.mapCoordinates as (...a: unknown[]) => unknown)(grid(), [[0], [0]], 1, 'constant', 0, 1)).toThrow(/at most 5/);
  });
});

describe('image.affineTransform, perspectiveTransform and gaussianBlur', () => {
  const square = () => ts.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1]);
  const values = (t: Tensor) => Array.from(t.dataSync());
  it('a one-pixel shift under each fill mode', () => {
    const shift = [1, 0, -1, 0, 1, 0, 0, 0];
    const read = (fillMode: ts.image.MapFillMode) => values(ts.image.affineTransform(square(), shift, { fillMode, fillValue: -1 }));
    expect(read('constant')).toEqual([-1, 1, 2, -1, 4, 5, -1, 7, 8]);
    expect(read('wrap')).toEqual([3, 1, 2, 6, 4, 5, 9, 7, 8]);
    expect(read('mirror')).toEqual([2, 1, 2, 5, 4, 5, 8, 7, 8]);
    expect(read('reflect')).toEqual([1, 1, 2, 4, 4, 5, 7, 7, 8]);
  });
  it('wrap blends across the edge (Keras), where TF.js-style transform reads the fill', () => {
    const half = [1, 0, 0.5, 0, 1, 0, 0, 0];
    expect(values(ts.image.affineTransform(square(), half, { fillMode: 'wrap' }))).toEqual([1.5, 2.5, 2, 4.5, 5.5, 5, 7.5, 8.5, 8]);
  });
  it('moving no corner is the identity; a projective transform divides by k', () => {
    const corners = [
      [0, 0],
      [2, 0],
      [0, 2],
      [2, 2],
    ];
    expectClose(values(ts.image.perspectiveTransform(square(), corners, corners)), [1, 2, 3, 4, 5, 6, 7, 8, 9], 1e-5, 1e-5);
    // k = 0.5 x + 1: output (1, 0) reads input x 1 / 1.5.
    const y = ts.image.affineTransform(square(), [1, 0, 0, 0, 1, 0, 0.5, 0], { interpolation: 'bilinear' });
    expect(y.dataSync()[1]).toBeCloseTo(1 + 2 / 3, 5);
  });
  it('a blur of a constant image is that constant away from the zero padding', () => {
    const y = ts.image.gaussianBlur(ts.ones([1, 5, 7, 2]), [3, 5], [1, 2]);
    expect(y.shape).toEqual([1, 5, 7, 2]);
    expect(values(ts.slice(y, [0, 2, 1, 0], [1, 1, 5, 2])).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
  });
  it('refuse bad arguments, naming the op', () => {
    expect(() => ts.image.affineTransform(square(), [1, 0, 0])).toThrow(/image.affineTransform: expected transform of shape \[8\]/);
    expect(() => ts.image.affineTransform(square(), [1, 0, 0, 0, 1, 0, 0, 0], { fillMode: 'edge' as 'wrap' })).toThrow(/expected fillMode one of/);
    expect(() => ts.image.affineTransform(square(), [1, 0, 0, 0, 1, 0, 0, 0], { fillmod: 'wrap' } as object)).toThrow(/unknown option 'fillmod'/);
    expect(() => ts.image.affineTransform(ts.ones([3, 3]), [1, 0, 0, 0, 1, 0, 0, 0])).toThrow(/expected images of rank 3/);
    const line = [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
    ];
    expect(() => ts.image.perspectiveTransform(square(), line, line)).toThrow(
      /image.perspectiveTransform: the points of image 0 give no perspective transform/,
    );
    expect(() => ts.image.perspectiveTransform(square(), [[0, 0]], [[0, 0]])).toThrow(/expected startPoints of shape \[4, 2\]/);
    expect(() => ts.image.gaussianBlur(square(), [2 ** 32, 3])).toThrow(/image.gaussianBlur: expected kernelSize a pair/);
    expect(() => ts.image.gaussianBlur(square(), [3, 3], [0, 1])).toThrow(/expected sigma a pair/);
    expect(() => ts.image.gaussianBlur(square(), [3, 3], [1, 1], { dataFormat: 'NCHW' as 'channelsFirst' })).toThrow(/expected dataFormat/);
  });
});
