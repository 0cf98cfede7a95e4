// ts.image.resize against keras.ops.image.resize (Keras 3, JAX backend; 'area' from
// jax.image.resize, TensorFlow's ResizeArea): values and gradients, test/fixtures/image/
// keras_image_ops.json (scripts/fixtures/make_image_resize_fixtures.py), and its errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../src';
import { type Tensor } from '../src';
import { fromFixture, type FixtureTensor } from './helpers/fixtures';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

interface ResizeCase {
  name: string;
  size: [number, number];
  options: Record<string, unknown>;
  x: FixtureTensor;
  y: FixtureTensor;
  upstream: FixtureTensor;
  dx: FixtureTensor;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'image', 'keras_image_ops.json'), 'utf8'));
const camel = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v === 'channels_first' ? 'channelsFirst' : v]));

describe('image.resize (Keras fixtures)', () => {
  for (const c of fixture.resize as ResizeCase[]) {
    it(c.name, () => {
      const upstream = fromFixture(c.upstream, 'float32');
      const f = (x: Tensor) => ts.image.resize(x, c.size, camel(c.options));
      const x = fromFixture(c.x, 'float32');
      const y = f(x);
      expect(y.shape).toEqual(c.y.shape);
      expectClose(y.dataSync(), c.y.data, 1e-4, 1e-5);
      const [dx] = ts.grads((t: Tensor) => ts.sum(ts.mul(f(t), upstream)))([x]);
      expectClose(dx.dataSync(), c.dx.data, 1e-4, 1e-5);
    });
  }
});

describe('image.resize', () => {
  it('has finite-difference gradients (float64) for bilinear, nearest and antialiased bicubic', () => {
    const x = randomTensor([1, 5, 4, 2], 3, 'float64');
    gradcheck((t) => ts.image.resize(t, [3, 7]), [x]);
    gradcheck((t) => ts.image.resize(t, [3, 7], { interpolation: 'nearest' }), [x]);
    gradcheck((t) => ts.image.resize(t, [3, 3], { interpolation: 'bicubic', antialias: true, dataFormat: 'channelsFirst' }), [x]);
  });

  it("takes Keras's snake_case option names and data formats", () => {
    const x = randomTensor([2, 6, 5], 4);
    const a = ts.image.resize(x, [4, 4], { crop_to_aspect_ratio: true, data_format: 'channels_first' } as never);
    const b = ts.image.resize(x, [4, 4], { cropToAspectRatio: true, dataFormat: 'channelsFirst' });
    expect(a.shape).toEqual([2, 4, 4]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
  });

  it('resamples int32 images in float32, and nearest keeps int32 (as JAX)', () => {
    const ints = ts.tensor([0, 10, 20, 30, 40, 50], [1, 2, 3, 1], 'int32');
    const bilinear = ts.image.resize(ints, [2, 2]);
    expect(bilinear.dtype).toBe('float32');
    expectClose(bilinear.dataSync(), ts.image.resize(ts.cast(ints, 'float32'), [2, 2]).dataSync());
    const nearest = ts.image.resize(ints, [1, 2], { interpolation: 'nearest' });
    expect(nearest.dtype).toBe('int32');
    // Rows: floor(0.5 * 2) = 1; columns: floor((j + 0.5) * 1.5) = 0, 2.
    expect(Array.from(nearest.dataSync())).toEqual([30, 50]);
  });

  it('refuses bad arguments with errors naming the op', () => {
    const x = randomTensor([1, 4, 4, 1], 5);
    expect(() => ts.image.resize(x, [2, 2], { interpolation: 'cubic' as never })).toThrow(/image\.resize: expected interpolation one of 'bilinear'/);
    expect(() => ts.image.resize(x, [2, 2], { cropToAspectRatio: true, padToAspectRatio: true })).toThrow(/only one of padToAspectRatio/);
    expect(() => ts.image.resize(x, [2, 2], { fillMode: 'reflect' as never })).toThrow(/fillMode 'constant'/);
    expect(() => ts.image.resize(x, [2, 2], { antialias: 1 as never })).toThrow(/antialias to be a boolean/);
    expect(() => ts.image.resize(x, [2, 2], { dataFormat: 'NCHW' as never })).toThrow(/dataFormat 'channelsLast' or 'channelsFirst'/);
    expect(() => ts.image.resize(x, [2, 2], { interpolaton: 'nearest' } as never)).toThrow(/unknown option 'interpolaton'/);
    expect(() => ts.image.resize(x, [2] as never)).toThrow(/size to be \[height, width\]/);
    expect(() => ts.image.resize(x, [0, 2])).toThrow(/two integers > 0/);
    expect(() => ts.image.resize(randomTensor([4, 4], 1), [2, 2])).toThrow(/rank 3 \(one image\) or 4/);
    expect(() => ts.image.resize(ts.ones([1, 4, 4, 1], 'bool'), [2, 2])).toThrow(/image\.resize/);
    expect(() => (ts.image.resize as (...a: unknown[]) => Tensor)(x, [2, 2], {}, 1)).toThrow(/at most 3 arguments/);
  });

  it('refuses huge sizes before allocating', () => {
    const x = randomTensor([1, 4, 4, 1], 5);
    expect(() => ts.image.resize(x, [1e300, 2])).toThrow(/image\.resize: output shape .* more than 2\^53 - 1/);
    expect(() => ts.image.resize(x, [2 ** 32, 2 ** 32])).toThrow(/image\.resize: output shape/);
    // More than memory holds is refused before any weights are built; weights beyond 2^24 entries, even when the result fits.
    expect(() => ts.image.resize(x, [2 ** 32, 2], { interpolation: 'lanczos3' })).toThrow(/image\.resize: the result would hold 8589934592 float32 values/);
    expect(() => ts.image.resize(x, [2 ** 23, 2], { interpolation: 'lanczos3' })).toThrow(/image\.resize: resizing 4 to 8388608 pixels .* weight matrix/);
  });
});

it('image.resize returns a new tensor when no axis changes size', () => {
  const x = randomTensor([1, 3, 4, 1], 9);
  const y = ts.image.resize(x, [3, 4], { interpolation: 'lanczos5' });
  expect(y).not.toBe(x);
  y.dispose();
  expect(Array.from(x.dataSync())).toHaveLength(12);
});
