// ts.image.resizeBilinear / resizeNearestNeighbor: values and gradients against PyTorch's
// F.interpolate and PIL (test/fixtures/image/make_resize_fixtures.py), gradients by
// finite differences, TF.js's own aligned-corner numbers, and bad input.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { image, grads, mul, reshape, slice, sum, tensor, tidy, type Tensor } from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { expectClose, randomTensor } from '../helpers/reference';
import type { FixtureCase } from '../helpers/fixtures';
import { fromFixture } from '../helpers/fixtures';
import { expectNoLeaks } from '../helpers/memory';

const cases: FixtureCase[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'image', 'resize.json'), 'utf8')).cases;

function run(c: FixtureCase, x: Tensor): Tensor {
  const { mode, size, alignCorners, halfPixelCenters } = c.attrs as { mode: string; size: [number, number]; alignCorners: boolean; halfPixelCenters: boolean };
  const options = { alignCorners, halfPixelCenters };
  return mode === 'bilinear' ? image.resizeBilinear(x, size, options) : image.resizeNearestNeighbor(x, size, options);
}

describe('image resize against PyTorch and PIL', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    tidy(() => {
      for (const dtype of ['float64', 'float32'] as const) {
        const x = fromFixture(c.inputs.x, dtype);
        const y = run(c, x);
        expect(y.shape).toEqual(c.outputs.y.shape);
        expectClose(y.dataSync(), c.outputs.y.data, dtype === 'float32' ? 1e-5 : 1e-6, 1e-6);
        if (c.grads.x) {
          const up = fromFixture(c.upstream.y, dtype);
          const [dx] = grads((t: Tensor) => sum(mul(run(c, t), up)))([x]);
          expectClose(dx.dataSync(), c.grads.x.data, 1e-5, 1e-5);
        }
      }
    });
  });
});

describe('image resize', () => {
  it('matches TF.js on aligned corners and on the legacy scale', () => {
    // tf.image.resizeBilinear(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]), [3, 3], true) in TF.js.
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(Array.from(image.resizeBilinear(x, [3, 3], true).dataSync())).toEqual([1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4]);
    // Legacy (neither flag): src = o * in / out, so 2 -> 4 reads rows 0, 0.5, 1, 1.5 (clamped).
    expect(Array.from(image.resizeBilinear(tensor([0, 2], [1, 1, 2, 1]), [1, 4]).dataSync())).toEqual([0, 1, 2, 2]);
    expect(Array.from(image.resizeNearestNeighbor(tensor([0, 1, 2], [1, 1, 3, 1]), [1, 5], true).dataSync())).toEqual([0, 1, 1, 2, 2]); // src 0, 0.5, 1, 1.5, 2 rounded half away from zero
  });

  it('takes one image of rank 3 and keeps its rank', () => {
    const y = image.resizeBilinear(tensor([1, 2, 3, 4], [2, 2, 1]), [4, 4], { halfPixelCenters: true });
    expect(y.shape).toEqual([4, 4, 1]);
    expect(y.dataSync()[0]).toBe(1);
  });

  it.each([
    ['bilinear half-pixel', (x: Tensor) => image.resizeBilinear(x, [5, 3], { halfPixelCenters: true })],
    ['bilinear aligned', (x: Tensor) => image.resizeBilinear(x, [2, 7], { alignCorners: true })],
    ['bilinear legacy', (x: Tensor) => image.resizeBilinear(x, [3, 3])],
    ['nearest half-pixel', (x: Tensor) => image.resizeNearestNeighbor(x, [7, 2], { halfPixelCenters: true })],
    ['nearest aligned', (x: Tensor) => image.resizeNearestNeighbor(x, [2, 5], true)],
    ['rank 3', (x: Tensor) => image.resizeBilinear(reshape(x, [4, 3, 2]), [6, 5], { halfPixelCenters: true })],
  ])('gradient by finite differences: %s', (_name, f) => {
    gradcheck(f, [reshape(randomTensor([2, 4, 3, 1], 3, 'float64'), [1, 4, 3, 2])]);
  });

  it('resizing to the same size is the identity with half-pixel centres', () => {
    const x = randomTensor([2, 5, 4, 3], 5);
    expectClose(image.resizeBilinear(x, [5, 4], { halfPixelCenters: true }).dataSync(), x.dataSync(), 0, 0);
    expectClose(image.resizeNearestNeighbor(x, [5, 4], { halfPixelCenters: true }).dataSync(), x.dataSync(), 0, 0);
  });

  it('runs a large image on several threads the same as row by row', () => {
    const x = randomTensor([3, 64, 48, 5], 9);
    const whole = image.resizeBilinear(x, [31, 77], { halfPixelCenters: true }).dataSync();
    for (let n = 0; n < 3; n++) {
      const one = image.resizeBilinear(slice(x, [n, 0, 0, 0], [1, 64, 48, 5]), [31, 77], { halfPixelCenters: true }).dataSync();
      expectClose(whole.subarray(n * one.length, (n + 1) * one.length), one, 0, 0);
    }
  });

  it('leaks nothing, forward and backward', () => {
    const x = randomTensor([1, 4, 4, 2], 2, 'float64');
    expectNoLeaks(() => {
      tidy(() => {
        grads((t: Tensor) => sum(image.resizeBilinear(reshape(t, [4, 4, 2]), [3, 5])))([x]);
      });
    });
  });

  it('rejects bad input with the op name', () => {
    const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
    expect(() => image.resizeBilinear(x, [2, 2], { alignCorners: true, halfPixelCenters: true })).toThrow(
      /image.resizeBilinear: alignCorners and halfPixelCenters cannot both be true/,
    );
    expect(() => image.resizeBilinear(x, [2] as never)).toThrow(/image.resizeBilinear: expected size to be \[newHeight, newWidth\]/);
    expect(() => image.resizeBilinear(x, [2, 1.5])).toThrow(/two integers >= 0, got/);
    expect(() => image.resizeNearestNeighbor(tensor([1, 2], [2]), [2, 2])).toThrow(/image.resizeNearestNeighbor: expected images of rank 3/);
    expect(() => image.resizeBilinear(tensor([1, 2], [1, 1, 2, 1], 'int32'), [2, 2])).toThrow(/image.resizeBilinear/);
    expect(() => image.resizeBilinear(x, [2, 2], { alignCorner: true } as never)).toThrow(/unknown option 'alignCorner'; did you mean 'alignCorners'/);
    expect(() => image.resizeBilinear(x, [2, 2], 'yes' as never)).toThrow(/expected alignCorners to be a boolean/);
    expect(() => image.resizeBilinear(tensor([], [1, 0, 2, 1]), [2, 2])).toThrow(/cannot resize an empty image/);
    expect(image.resizeBilinear(x, [0, 3]).shape).toEqual([1, 0, 3, 1]);
  });
});
