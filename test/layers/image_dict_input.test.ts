// Keras 3's image preprocessing layers take {images, labels, bounding_boxes,
// segmentation_masks}. Those of Tessera's that do not move boxes and masks yet refuse such
// an object naming the layer (it crashed with "Cannot read properties of undefined" before),
// eagerly and symbolically; those that do (augmentation_boxes.test.ts) take it eagerly and
// refuse it symbolically, by name.
import * as ts from '../../src';

type Factory = (o?: object) => ts.layers.Layer;
const L = ts.layers as unknown as Record<string, Factory>;
const taking: [string, object][] = [
  ['randomFlip', {}],
  ['randomRotation', { factor: 0.1 }],
  ['randomZoom', { heightFactor: 0.1 }],
  ['randomTranslation', { heightFactor: 0.1, widthFactor: 0.1 }],
  ['randomCrop', { height: 4, width: 4 }],
  ['randomContrast', { factor: 0.1 }],
  ['randomBrightness', { factor: 0.1 }],
  ['randomGrayscale', {}],
  ['randomInvert', {}],
  ['solarization', {}],
  ['randomPosterization', { factor: [1, 8] }],
  ['randomColorDegeneration', { factor: 0.5 }],
  ['randomSharpness', { factor: 0.5 }],
  ['randomSaturation', { factor: 0.5 }],
  ['randomHue', { factor: 0.5 }],
  ['randomColorJitter', {}],
  ['equalization', {}],
  ['autoContrast', {}],
  ['randomGaussianBlur', {}],
  ['randomErasing', {}],
  ['resizing', { height: 4, width: 4 }],
  ['centerCrop', { height: 4, width: 4 }],
  ['randomShear', { xFactor: 0.2 }],
  ['randomPerspective', {}],
];
const cases: [string, object][] = [
  ['randomElasticTransform', {}],
  ['randAugment', {}],
  ['augMix', {}],
  ['mixUp', {}],
  ['cutMix', {}],
  ['contrastLimitedAdaptiveHistogramEqualization', {}],
  ['rescaling', { scale: 1 }],
];

describe.each(cases)('layers.%s', (name, options) => {
  it("refuses Keras's dict input by name, eager and symbolic", () => {
    const layer = L[name](options);
    const refused = new RegExp(
      `${layer.name}: expected a tensor of images, got an object with keys \\[images, (labels|bounding_boxes)\\]; Keras 3's \\{images, labels, bounding_boxes, segmentation_masks\\} input is not supported`,
    );
    const images = ts.ones([2, 8, 8, 3]);
    expect(() => layer.apply({ images, labels: ts.ones([2, 3]) }, { training: true })).toThrow(refused);
    expect(() => layer.apply({ images, bounding_boxes: { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 3]) } } as never, { training: true })).toThrow(refused);
    expect(() => layer.apply({ images: ts.input({ shape: [8, 8, 3] }), labels: ts.input({ shape: [3] }) })).toThrow(refused);
    // Images alone still work.
    expect((layer.apply(images, { training: true }) as ts.Tensor).rank).toBe(4);
  });
});

describe.each(taking)('layers.%s', (name, options) => {
  it("takes Keras's dict input eagerly; refuses it symbolically and boxes without boundingBoxFormat, by name", () => {
    const layer = L[name](options);
    const images = ts.ones([2, 8, 8, 3]);
    const labels = ts.ones([2, 3]);
    const out = layer.apply({ images, labels }, { training: true }) as unknown as { images: ts.Tensor; labels: ts.Tensor };
    expect(Object.keys(out).sort()).toEqual(['images', 'labels']);
    expect(out.labels).toBe(labels);
    expect(out.images.rank).toBe(4);
    const boxes = { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 3]) };
    expect(() => layer.apply({ images, bounding_boxes: boxes } as never, { training: true })).toThrow(
      new RegExp(`${layer.name}: the input has 'bounding_boxes' but the layer has no boundingBoxFormat`),
    );
    expect(() => layer.apply({ images: ts.input({ shape: [8, 8, 3] }), labels: ts.input({ shape: [3] }) })).toThrow(
      new RegExp(`${layer.name}: .*not in a functional model`),
    );
    expect((layer.apply(images, { training: true }) as ts.Tensor).rank).toBe(4);
  });
});
