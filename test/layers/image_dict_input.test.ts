// Keras 3's image preprocessing layers take {images, labels, bounding_boxes,
// segmentation_masks}. Tessera's take it eagerly (augmentation_boxes.test.ts,
// augmentation_dict_more.test.ts) and refuse it symbolically, by name; a layer that takes no
// such object (a Dense in a pipeline) is named.
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
  ['randomElasticTransform', {}],
  ['randAugment', {}],
  ['augMix', {}],
  ['mixUp', {}],
  ['cutMix', {}],
];
// Layers whose boxes pass untouched: no boundingBoxFormat needed.
const formatless: [string, object][] = [
  ['contrastLimitedAdaptiveHistogramEqualization', {}],
  ['rescaling', { scale: 1 }],
];
const mixesLabels = ['mixUp', 'cutMix'];

it('a layer that takes no image dict is named when a pipeline gives it one', () => {
  const pipe = ts.layers.pipeline([ts.layers.rescaling({ scale: 1 }), ts.layers.dense({ units: 2, name: 'head' })]);
  expect(() => pipe.apply({ images: ts.ones([2, 8, 8, 3]), labels: ts.ones([2, 3]) } as never)).toThrow(
    /head: expected a tensor of images, got an object with keys \[images, labels\]; Keras 3's \{images, labels, bounding_boxes, segmentation_masks\} input is not supported/,
  );
});

describe.each(formatless)('layers.%s', (name, options) => {
  it("takes Keras's dict input eagerly, boxes without a format; refuses it symbolically by name", () => {
    const layer = L[name](options);
    const images = ts.ones([2, 8, 8, 3]);
    const boxes = { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 3]) };
    const out = layer.apply({ images, bounding_boxes: boxes } as never, { training: true }) as unknown as { bounding_boxes: { boxes: ts.Tensor } };
    expect(out.bounding_boxes.boxes).toBe(boxes.boxes);
    expect(() => layer.apply({ images: ts.input({ shape: [8, 8, 3] }), labels: ts.input({ shape: [3] }) })).toThrow(
      new RegExp(`${layer.name}: .*not in a functional model`),
    );
  });
});

describe.each(taking)('layers.%s', (name, options) => {
  it("takes Keras's dict input eagerly; refuses it symbolically and boxes without boundingBoxFormat, by name", () => {
    const layer = L[name](options);
    const images = ts.ones([2, 8, 8, 3]);
    const labels = ts.ones([2, 3]);
    const out = layer.apply({ images, labels }, { training: true }) as unknown as { images: ts.Tensor; labels: ts.Tensor };
    expect(Object.keys(out).sort()).toEqual(['images', 'labels']);
    if (mixesLabels.includes(name)) expect(out.labels.shape).toEqual([2, 3]);
    else expect(out.labels).toBe(labels);
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
