// ts.image.elasticTransform, scaleAndTranslate, sobelEdges, ssim and extractPatches3d against
// Keras 3.15's keras.ops.image on the JAX backend (test/fixtures/image/image_ops_3_15.json, made
// by scripts/fixtures/make_image_ops_3_15_fixtures.py): values, gradients w.r.t. the first input
// (jax.vjp), finite differences in float64, and hostile inputs refused naming the op.
import * as ts from '../../src';
import type { Tensor } from '../../src';
import { elasticTransformWithNoise } from '../../src/ops/image_elastic';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose, randomTensor } from '../helpers/reference';

type Attrs = Record<string, any>;
const cases = loadFixture('image_ops_3_15', 'image') as (FixtureCase & { op: string })[];

// The op of case `c` on `x` (its first input).
function run(c: FixtureCase & { op: string }, x: Tensor): Tensor {
  const a = c.attrs as Attrs;
  const i = c.inputs;
  switch (c.op) {
    case 'elasticTransform': {
      const { alpha = 20, sigma = 5, ...options } = a;
      return elasticTransformWithNoise(x, fromFixture(i.noiseX, 'float32'), fromFixture(i.noiseY, 'float32'), alpha, sigma, options);
    }
    case 'scaleAndTranslate':
      return ts.image.scaleAndTranslate(
        x,
        a.outputShape,
        fromFixture(i.scale, 'float32'),
        Array.from(i.translation.data),
        a.spatialDims,
        a.method,
        a.antialias,
      );
    case 'sobelEdges':
      return ts.image.sobelEdges(x, a);
    case 'ssim': {
      const { maxVal = 1, ...options } = a;
      return ts.image.ssim(x, fromFixture(i.image2, 'float32'), maxVal, options);
    }
    default: {
      const { size, ...options } = a;
      return ts.image.extractPatches3d(x, size, options);
    }
  }
}

describe('keras.ops.image of Keras 3.15 (JAX fixtures)', () => {
  for (const c of cases.filter((k) => k.op !== 'clahe')) {
    it(c.name, () => {
      const first = c.inputs.images ?? c.inputs.image1;
      const int = c.name.includes('int32');
      const x = fromFixture(first, int ? 'int32' : 'float32');
      const y = run(c, x);
      expect(y.shape).toEqual(c.outputs.y.shape);
      if (int) expect(y.dtype).toBe(c.op === 'sobelEdges' ? 'int32' : 'float32');
      expectClose(y.dataSync(), c.outputs.y.data, 1e-4, c.op === 'scaleAndTranslate' ? 2e-5 : 1e-5);
      if (c.grads) {
        const up = fromFixture(c.upstream.y, 'float32');
        const [dx] = ts.grads((t: Tensor) => ts.sum(ts.mul(run(c, t), up)))([x]);
        expectClose(dx.dataSync(), (c.grads.images ?? c.grads.image1).data, 1e-3, 1e-4);
      }
    });
  }
});

describe('gradients against finite differences (float64)', () => {
  it('scaleAndTranslate, sobelEdges, extractPatches3d w.r.t. the images', () => {
    const img = randomTensor([1, 5, 6, 2], 3, 'float64');
    gradcheck((x) => ts.image.scaleAndTranslate(x, [1, 3, 8, 2], [0.7, 1.3], [0.2, -0.4], [1, 2], 'lanczos3'), [img]);
    gradcheck((x) => ts.image.sobelEdges(x, { dataFormat: 'channelsFirst' }), [img]);
    gradcheck((x) => ts.image.extractPatches3d(x, [2, 2, 1], { strides: 1, padding: 'same' }), [randomTensor([1, 3, 4, 2, 2], 4, 'float64')]);
  });
  it('ssim w.r.t. both images; elasticTransform w.r.t. the images (fixed seed)', () => {
    const a = randomTensor([2, 7, 8, 2], 5, 'float64', 0, 1);
    const b = randomTensor([2, 7, 8, 2], 6, 'float64', 0, 1);
    gradcheck((x, y) => ts.image.ssim(x, y, 1, { filterSize: 5 }), [a, b]);
    gradcheck((x) => ts.image.elasticTransform(x, 3, 1, { seed: 4 }), [randomTensor([1, 6, 5, 2], 7, 'float64')]);
  });
});

describe('behaviours beyond the fixtures', () => {
  it("ssim of an image with itself is 1; Keras's docstring shapes", () => {
    const x = randomTensor([32, 32, 3], 2, 'float32', 0, 1);
    expect(ts.image.ssim(x, x).shape).toEqual([]);
    expect(ts.image.ssim(x, x).dataSync()[0]).toBeCloseTo(1, 5);
    expect(ts.image.ssim(randomTensor([2, 32, 32, 3], 1, 'float32', 0, 1), randomTensor([2, 32, 32, 3], 3, 'float32', 0, 1)).shape).toEqual([2]);
  });
  it("elasticTransform: Keras's docstring shapes; a seed repeats the draw; alpha 0 is the identity", () => {
    const x = randomTensor([2, 12, 10, 3], 1, 'float32', 0, 1);
    expect(ts.image.elasticTransform(x).shape).toEqual([2, 12, 10, 3]);
    expect(ts.image.elasticTransform(ts.reshape(x, [12, 10, 6])).shape).toEqual([12, 10, 6]);
    expect(ts.image.elasticTransform(x, 20, 5, { dataFormat: 'channelsFirst' }).shape).toEqual([2, 12, 10, 3]);
    const a = ts.image.elasticTransform(x, 5, 2, { seed: 3 }).dataSync();
    expect(Array.from(ts.image.elasticTransform(x, 5, 2, { seed: 3 }).dataSync())).toEqual(Array.from(a));
    expect(Array.from(ts.image.elasticTransform(x, 5, 2, { seed: 4 }).dataSync())).not.toEqual(Array.from(a));
    expectClose(ts.image.elasticTransform(x, 0, 2, { seed: 3 }).dataSync(), x.dataSync(), 1e-6, 1e-6);
  });
  it("the RandomElasticTransform layer's warp is the op's (one seed stream, unchanged)", () => {
    const layer = ts.layers.randomElasticTransform({ factor: 1, scale: 1, valueRange: [0, 1], seed: 9 });
    const x = randomTensor([1, 9, 8, 2], 8, 'float32', 0, 1);
    const y = layer.apply(x, { training: true }) as Tensor;
    expect(y.shape).toEqual([1, 9, 8, 2]);
    expect(Array.from(y.dataSync())).not.toEqual(Array.from(x.dataSync()));
  });
  it('scaleAndTranslate: identity for scale 1, translation 0; zero outside the input', () => {
    const x = randomTensor([4, 5], 1);
    expectClose(ts.image.scaleAndTranslate(x, [4, 5], [1, 1], [0, 0], [0, 1], 'cubic').dataSync(), x.dataSync(), 1e-6, 1e-6);
    const shifted = ts.image.scaleAndTranslate(x, [4, 5], [1], [10], [1], 'linear');
    expect(Array.from(shifted.dataSync()).every((v) => v === 0)).toBe(true);
  });
  it("sobelEdges: Keras's docstring example (a vertical edge: dx only, dy 0 away from the borders)", () => {
    const img = ts.mul(ts.greaterEqual(ts.reshape(ts.tile(ts.range(0, 8), [8]), [1, 8, 8, 1]), 4), 1);
    const e = ts.image.sobelEdges(ts.cast(img, 'float32'));
    expect(e.shape).toEqual([1, 8, 8, 1, 2]);
    const v = e.arraySync() as number[][][][][];
    expect([v[0][3][3][0], v[0][3][4][0], v[0][3][1][0]]).toEqual([
      [0, 4],
      [0, 4],
      [0, 0],
    ]);
  });
  it('extractPatches3d: docstring shapes; int32 volumes keep their dtype', () => {
    expect(ts.image.extractPatches3d(ts.zeros([2, 10, 10, 10, 3]), [3, 3, 3]).shape).toEqual([2, 3, 3, 3, 81]);
    const v = ts.zeros([10, 10, 10, 3], 'int32');
    const p = ts.image.extractPatches3d(v, 3);
    expect([p.shape, p.dtype]).toEqual([[3, 3, 3, 81], 'int32']);
  });
});

describe('hostile inputs are refused naming the op', () => {
  const img = () => ts.zeros([1, 6, 7, 2]);
  it.each([
    ['image.elasticTransform', () => ts.image.elasticTransform(ts.zeros([6, 7])), /rank 3.*or 4/],
    ['image.elasticTransform', () => ts.image.elasticTransform(ts.zeros([1, 6, 7, 2], 'int32')), /float/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), NaN), /alpha/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, -1), /sigma/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, Infinity), /sigma/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, 1, { fillMode: 'edge' as any }), /fillMode/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, 1, { interpolation: 'bicubic' as any }), /interpolation/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, 1, { seed: -1 }), /seed/],
    ['image.elasticTransform', () => ts.image.elasticTransform(img(), 1, 1, { fillVal: 1 } as any), /unknown option 'fillVal'/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3], [1, 1], [0, 0], [1, 2], 'linear'), /outputShape/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, 1], [0, 0], [1, 2], 'nearest' as any), /method/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, NaN], [0, 0], [1, 2], 'linear'), /scale/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, 0], [0, 0], [1, 2], 'linear'), /non-zero/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, 1], [0], [1, 2], 'linear'), /translation/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, 1], [0, 0], [1, 1], 'linear'), /distinct/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, 3, 2], [1, 1], [0, 0], [1, 4], 'linear'), /spatialDims/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [1, 3, -3, 2], [1, 1], [0, 0], [1, 2], 'linear'), /outputShape/],
    ['image.scaleAndTranslate', () => ts.image.scaleAndTranslate(img(), [2, 3, 3, 2], [1, 1], [0, 0], [1, 2], 'linear'), /axis 0/],
    ['image.sobelEdges', () => ts.image.sobelEdges(ts.zeros([6, 7, 2])), /rank 4/],
    ['image.sobelEdges', () => ts.image.sobelEdges(img(), { dataFormat: 'nhwc' as any }), /dataFormat/],
    ['image.ssim', () => ts.image.ssim(img(), ts.zeros([1, 6, 7, 3]), 1, { filterSize: 3 }), /one shape/],
    ['image.ssim', () => ts.image.ssim(img(), img()), /smaller than the 11 x 11 window/],
    ['image.ssim', () => ts.image.ssim(ts.zeros([1, 6, 7, 2], 'int32'), ts.zeros([1, 6, 7, 2], 'int32'), 1, { filterSize: 3 }), /float/],
    ['image.ssim', () => ts.image.ssim(img(), img(), 0, { filterSize: 3 }), /maxVal/],
    ['image.ssim', () => ts.image.ssim(img(), img(), 1, { filterSize: 2.5 }), /filterSize/],
    ['image.ssim', () => ts.image.ssim(img(), img(), 1, { filterSize: 3, filterSigma: NaN }), /filterSigma/],
    ['image.ssim', () => ts.image.ssim(img(), img(), 1, { filterSize: 3, k2: -1 }), /k2/],
    ['image.ssim', () => ts.image.ssim(ts.zeros([6, 7]), ts.zeros([6, 7]), 1, { filterSize: 3 }), /rank 3/],
    ['image.extractPatches3d', () => ts.image.extractPatches3d(img(), [2, 2] as any), /size/],
    ['image.extractPatches3d', () => ts.image.extractPatches3d(ts.zeros([4, 4, 4]), 2), /rank 4/],
    ['image.extractPatches3d', () => ts.image.extractPatches3d(img(), [2, -2, 1]), /size/],
    ['image.extractPatches3d', () => ts.image.extractPatches3d(img(), 2, { strides: 0 }), /strides/],
    ['image.extractPatches3d', () => ts.image.extractPatches3d(img(), 2, { padding: 'full' as any }), /padding/],
  ])('%s #%#', (op, f, message) => {
    expect(f).toThrow(new RegExp(op.replace('.', '\\.')));
    expect(f).toThrow(message);
  });
  it('extra arguments are refused', () => {
    expect(() => (ts.image.ssim as any)(img(), img(), 1, {}, 5)).toThrow(/image\.ssim.*argument/);
    expect(() => (ts.image.sobelEdges as any)(img(), {}, 5)).toThrow(/image\.sobelEdges/);
  });
});
