// ts.image.cropImages, padImages and extractPatches against keras.ops.image (Keras 3, JAX
// backend: test/fixtures/image/keras_image_ops.json from scripts/fixtures/make_image_resize_fixtures.py)
// and Keras's errors for inconsistent arguments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../src';
import { type Tensor } from '../src';
import { fromFixture, type FixtureTensor } from './helpers/fixtures';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, randomTensor } from './helpers/reference';

interface Case {
  name: string;
  size?: number | [number, number];
  options: Record<string, unknown>;
  x: FixtureTensor;
  y: FixtureTensor;
  upstream?: FixtureTensor;
  dx?: FixtureTensor;
}

const fixture = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'image', 'keras_image_ops.json'), 'utf8'));
const camel = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v === 'channels_first' ? 'channelsFirst' : v]));

describe('image.cropImages and padImages (Keras fixtures)', () => {
  for (const [key, fn] of [
    ['crop', ts.image.cropImages],
    ['pad', ts.image.padImages],
  ] as const) {
    for (const c of fixture[key] as Case[]) {
      it(`${key}: ${c.name}`, () => {
        const y = (fn as (x: Tensor, o: object) => Tensor)(fromFixture(c.x, 'float32'), camel(c.options));
        expect(y.shape).toEqual(c.y.shape);
        expectClose(y.dataSync(), c.y.data, 1e-6, 1e-7);
      });
    }
  }
});

describe('image.extractPatches (Keras fixtures)', () => {
  for (const c of fixture.patches as Case[]) {
    it(c.name, () => {
      const x = fromFixture(c.x, 'float32');
      const upstream = fromFixture(c.upstream!, 'float32');
      const f = (t: Tensor) => ts.image.extractPatches(t, c.size!, camel(c.options));
      const y = f(x);
      expect(y.shape).toEqual(c.y.shape);
      expectClose(y.dataSync(), c.y.data, 1e-6, 1e-7);
      const [dx] = ts.grads((t: Tensor) => ts.sum(ts.mul(f(t), upstream)))([x]);
      expectClose(dx.dataSync(), c.dx!.data, 1e-5, 1e-6);
    });
  }
});

describe('image.cropImages / padImages / extractPatches', () => {
  const x = () => randomTensor([1, 5, 6, 2], 7);

  it('are differentiable (finite differences, float64)', () => {
    const t = randomTensor([1, 5, 6, 2], 8, 'float64');
    gradcheck((v) => ts.image.cropImages(v, { topCropping: 1, bottomCropping: 1, leftCropping: 2, targetWidth: 3 }), [t]);
    gradcheck((v) => ts.image.padImages(v, { topPadding: 1, bottomPadding: 0, leftPadding: 2, targetWidth: 9 }), [t]);
    gradcheck((v) => ts.image.extractPatches(v, [2, 3], { strides: [2, 1], padding: 'same' }), [t]);
  });

  it("raise Keras's errors for inconsistent arguments", () => {
    expect(() => ts.image.cropImages(x(), { topCropping: 1, targetWidth: 2, leftCropping: 0 })).toThrow(
      /image\.cropImages: must specify exactly two of topCropping, bottomCropping, targetHeight/,
    );
    expect(() => ts.image.cropImages(x(), { topCropping: 1, bottomCropping: 1, targetHeight: 1, leftCropping: 0, targetWidth: 2 })).toThrow(/exactly two of/);
    expect(() => ts.image.cropImages(x(), { bottomCropping: 2, targetHeight: 4, leftCropping: 0, targetWidth: 2 })).toThrow(/topCropping must be >= 0, got -1/);
    expect(() => ts.image.cropImages(x(), { topCropping: 3, targetHeight: 4, leftCropping: 0, targetWidth: 2 })).toThrow(
      /rows 3 to 7 do not fit in images of height 5/,
    );
    expect(() => ts.image.padImages(x(), { topPadding: 1, targetHeight: 4, leftPadding: 0, rightPadding: 0 })).toThrow(/bottomPadding must be >= 0, got -2/);
    expect(() => ts.image.padImages(x(), { topPadding: 1, bottomPadding: 1, leftPadding: 0 })).toThrow(/exactly two of leftPadding, rightPadding, targetWidth/);
    expect(() => ts.image.padImages(x(), { topPadding: 1.5, bottomPadding: 1, leftPadding: 0, rightPadding: 0 })).toThrow(/topPadding to be an integer/);
    expect(() => ts.image.padImages(x(), { topPadding: 2 ** 32, bottomPadding: 1, leftPadding: 0, rightPadding: 0 })).toThrow(
      /image\.padImages: expected topPadding/,
    );
    expect(() => ts.image.padImages(x(), { topPadding: 1, bottomPadding: 1, leftPadding: 0, rightPadding: 0, dataFormat: 'NHWC' as never })).toThrow(
      /image\.padImages: expected dataFormat/,
    );
    expect(() => ts.image.cropImages(randomTensor([5, 6], 1), { topCropping: 1, bottomCropping: 1, leftCropping: 0, rightCropping: 0 })).toThrow(/rank 3/);
  });

  it('extractPatches refuses bad sizes, strides and padding', () => {
    expect(() => ts.image.extractPatches(x(), 0)).toThrow(/image\.extractPatches: expected size to be a positive integer/);
    expect(() => ts.image.extractPatches(x(), [2, 2, 2] as never)).toThrow(/3-D patches/);
    expect(() => ts.image.extractPatches(x(), 2, { padding: 'causal' as never })).toThrow(/padding 'valid' or 'same'/);
    expect(() => ts.image.extractPatches(x(), 2, { strides: 1.5 })).toThrow(/strides to be a positive integer/);
    expect(() => ts.image.extractPatches(x(), 2 ** 32)).toThrow(/image\.extractPatches: expected size/);
    expect(() => ts.image.extractPatches(x(), 2 ** 31 - 1, { padding: 'same' })).toThrow(/image\.extractPatches: output shape .* more than 2\^53 - 1/);
    expect(() => ts.image.extractPatches(x(), [20000, 20000], { padding: 'same', strides: 20000 })).toThrow(/pixel reads per image, more than 2\^28/);
    expect(ts.image.extractPatches(x(), 7).shape).toEqual([1, 0, 0, 98]);
  });
});
