// Image augmentation and preprocessing layers with dataFormat 'channelsFirst': each must equal
// its channels-last twin (same seed, so the same draws) on the transposed images, for a batch
// and for one image, in training and in inference.
import * as ts from '../../src';

type Factory = (args: never) => ts.layers.Layer;
const L = ts.layers;
// The last field: whether the layer draws (takes a seed).
const CASES: [string, Factory, object, boolean?][] = [
  ['randomFlip', L.randomFlip as Factory, {}],
  ['randomRotation', L.randomRotation as Factory, { factor: 0.2 }],
  ['randomZoom', L.randomZoom as Factory, { heightFactor: 0.3 }],
  ['randomTranslation', L.randomTranslation as Factory, { heightFactor: 0.2, widthFactor: 0.1 }],
  ['randomCrop', L.randomCrop as Factory, { height: 3, width: 4 }],
  ['randomContrast', L.randomContrast as Factory, { factor: 0.5 }],
  ['randomBrightness', L.randomBrightness as Factory, { factor: 0.3 }],
  ['randomHue', L.randomHue as Factory, { factor: 0.3 }],
  ['randomSharpness', L.randomSharpness as Factory, { factor: 0.5 }],
  ['randomErasing', L.randomErasing as Factory, {}],
  ['randomShear', L.randomShear as Factory, { xFactor: 0.3 }],
  ['randAugment', L.randAugment as Factory, { numOps: 2 }],
  ['resizing', L.resizing as Factory, { height: 4, width: 3 }, false],
  ['resizing (lanczos3)', L.resizing as Factory, { height: 7, width: 4, interpolation: 'lanczos3' }, false],
  ['mixUp', L.mixUp as Factory, {}],
  ['cutMix', L.cutMix as Factory, {}],
  ['contrastLimitedAdaptiveHistogramEqualization', L.contrastLimitedAdaptiveHistogramEqualization as Factory, { tileGridSize: [2, 3] }, false],
  ['centerCrop', L.centerCrop as Factory, { height: 3, width: 5 }, false],
];

// [batch, height, width, channels] <-> [batch, channels, height, width]; one image likewise.
const toFirst = (x: ts.Tensor) => ts.transpose(x, x.rank === 4 ? [0, 3, 1, 2] : [2, 0, 1]);
const toLast = (x: ts.Tensor) => ts.transpose(x, x.rank === 4 ? [0, 2, 3, 1] : [1, 2, 0]);

describe.each(CASES)('%s channelsFirst', (_name, factory, options, seeded = true) => {
  test.each([
    ['a batch', [2, 6, 7, 3]],
    ['one image', [6, 7, 3]],
  ])('equals channels-last on the transposed images: %s', (_what, shape) => {
    for (const training of [true, false]) {
      const seed = seeded ? { seed: 11 } : {};
      const first = factory({ ...options, ...seed, dataFormat: 'channelsFirst' } as never);
      const last = factory({ ...options, ...seed } as never);
      const x = ts.mul(ts.randomUniform(shape as number[], 0, 1, 'float32', 5), 255);
      const y = first.apply(toFirst(x), { training }) as ts.Tensor;
      const expected = toFirst(last.apply(x, { training }) as ts.Tensor);
      expect(y.shape).toEqual(expected.shape);
      expect(first.computeOutputShape(toFirst(x).shape)).toEqual(expected.shape);
      expect(ts.max(ts.abs(ts.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-3);
      expect(toLast(y).shape).toEqual(last.computeOutputShape(x.shape));
    }
  });
});
