// Keras's {images, labels, bounding_boxes, segmentation_masks} through MixUp, CutMix,
// RandomElasticTransform, RandAugment, AugMix, Rescaling and CLAHE, as Keras 3.15 treats each
// (its transform_labels / transform_bounding_boxes / transform_segmentation_masks): checked by
// properties of one draw (what the images show, the labels and masks show too).
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { chainTargets, matrixTargets, moveBoxes } from '../../src/layers/augmentation_targets';

type Out = { images: Tensor; labels: Tensor; bounding_boxes: { boxes: Tensor; labels: Tensor }; segmentation_masks: Tensor };
const n = 4;
const [h, w] = [6, 5];
// Image b is the constant 2b + 1; its one-hot label is b; its mask the constant b (int32).
const images = () =>
  ts.tensor(
    Array.from({ length: n * h * w }, (_, i) => 2 * Math.floor(i / (h * w)) + 1),
    [n, h, w, 1],
  );
const oneHot = () => ts.tensor(Array.from({ length: n }, (_, b) => Array.from({ length: n }, (_, k) => (k === b ? 1 : 0))));
const masks = () =>
  ts.tensor(
    Array.from({ length: n * h * w }, (_, i) => Math.floor(i / (h * w))),
    [n, h, w, 1],
    'int32',
  );
const boxes = () => ({
  boxes: ts.tensor(Array.from({ length: n }, (_, b) => [[b * 0.5, 0, b * 0.5 + 1, 2]])),
  labels: ts.tensor(
    Array.from({ length: n }, (_, b) => [b]),
    undefined,
    'int32',
  ),
});
const values = (t: Tensor) => Array.from(t.dataSync());
const perImage = (t: Tensor) => {
  const v = values(t);
  const size = v.length / t.shape[0];
  return Array.from({ length: t.shape[0] }, (_, b) => v.slice(b * size, (b + 1) * size));
};

describe('mixUp on the dict', () => {
  it('mixes labels and masks with the images weights (as Keras), each image gains its partner boxes', () => {
    const layer = layers.mixUp({ alpha: 1, seed: 5, boundingBoxFormat: 'xyxy' });
    const bb = boxes();
    const out = layer.apply({ images: images(), labels: oneHot(), segmentation_masks: masks(), bounding_boxes: bb }, { training: true }) as Out;
    const labels = out.labels.arraySync() as number[][];
    let mixed = 0;
    perImage(out.images).forEach((pixels, b) => {
      // The label's weights give the image: sum_k label[k] (2k + 1); and the mask: sum_k label[k] k.
      const image = labels[b].reduce((s, l, k) => s + l * (2 * k + 1), 0);
      for (const p of pixels) expect(p).toBeCloseTo(image, 4);
      const mask = labels[b].reduce((s, l, k) => s + l * k, 0);
      for (const m of perImage(out.segmentation_masks)[b]) expect(m).toBeCloseTo(mask, 4);
      if (Math.max(...labels[b]) < 0.999) mixed++;
      // Its own box first, then the partner's: the image the label mixes in.
      const got = out.bounding_boxes.boxes.arraySync() as number[][][];
      const boxLabels = out.bounding_boxes.labels.arraySync() as number[][];
      expect(got[b][0]).toEqual([b * 0.5, 0, b * 0.5 + 1, 2]);
      const partner = boxLabels[b][1];
      expect(got[b][1]).toEqual([partner * 0.5, 0, partner * 0.5 + 1, 2]);
      expect(boxLabels[b][0]).toBe(b);
      labels[b].forEach((l, k) => {
        if (k !== b && k !== partner) expect(l).toBeCloseTo(0, 6);
      });
    });
    expect(mixed).toBeGreaterThan(0);
    expect(out.segmentation_masks.dtype).toBe('float32');
    expect(out.bounding_boxes.boxes.shape).toEqual([n, 2, 4]);
    expect(out.bounding_boxes.labels.shape).toEqual([n, 2]);
  });

  it('outside training everything passes; channels-first masks mix as the images', () => {
    const layer = layers.mixUp({ boundingBoxFormat: 'xyxy' });
    const x = { images: images(), labels: oneHot(), segmentation_masks: masks(), bounding_boxes: boxes() };
    const out = layer.apply(x) as Out;
    expect(out.labels).toBe(x.labels);
    expect(out.bounding_boxes.boxes).toBe(x.bounding_boxes.boxes);
    const first = layers.mixUp({ alpha: 1, seed: 2, dataFormat: 'channelsFirst' });
    const cf = first.apply(
      { images: ts.transpose(images(), [0, 3, 1, 2]), segmentation_masks: ts.transpose(masks(), [0, 3, 1, 2]) },
      { training: true },
    ) as Out;
    // Image 2k + 1 mixes as mask k: image = 2 mask + 1 everywhere.
    const im = values(cf.images),
      ma = values(cf.segmentation_masks);
    im.forEach((v, i) => expect(v).toBeCloseTo(2 * ma[i] + 1, 4));
  });
});

describe('cutMix on the dict', () => {
  it('pastes the same rectangle into the masks, mixes labels by area, refuses boxes by name', () => {
    const layer = layers.cutMix({ seed: 7 });
    const out = layer.apply({ images: images(), labels: oneHot(), segmentation_masks: masks() }, { training: true }) as Out;
    expect(out.segmentation_masks.dtype).toBe('int32');
    const im = values(out.images),
      ma = values(out.segmentation_masks);
    im.forEach((v, i) => expect(v).toBe(2 * ma[i] + 1));
    expect(im.some((v, i) => v !== 2 * Math.floor(i / (h * w)) + 1)).toBe(true);
    for (const row of out.labels.arraySync() as number[][]) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const cut = layers.cutMix({ boundingBoxFormat: 'xyxy', name: 'cut' });
    for (const training of [true, false])
      expect(() => cut.apply({ images: images(), bounding_boxes: boxes() }, { training })).toThrow(
        /cut: bounding_boxes are not supported by this layer \(Keras 3 raises NotImplementedError too\): the pasted rectangles/,
      );
    expect(() => cut.apply({ images: images(), labels: ts.ones([3, 4]) }, { training: true })).toThrow(/cut: expected labels with one row per image \(4\)/);
  });
});

describe('randomElasticTransform on the dict', () => {
  it('moves masks by the same field as the images (nearest); labels pass; boxes are refused by name', () => {
    const pixels = Array.from({ length: 2 * 32 * 32 }, (_, i) => (i * 7) % 5);
    const layer = layers.randomElasticTransform({ factor: [1, 1], scale: [1, 1], interpolation: 'nearest', seed: 3, boundingBoxFormat: 'xyxy', name: 'warp' });
    const labels = ts.ones([2, 3]);
    const x = { images: ts.tensor(pixels, [2, 32, 32, 1]), labels, segmentation_masks: ts.tensor(pixels, [2, 32, 32, 1], 'int32') };
    const out = layer.apply(x, { training: true }) as unknown as Out;
    expect(out.labels).toBe(labels);
    expect(out.segmentation_masks.dtype).toBe('int32');
    expect(values(out.segmentation_masks)).toEqual(values(out.images));
    expect(values(out.images)).not.toEqual(pixels);
    expect(() => layer.apply({ ...x, bounding_boxes: { boxes: ts.zeros([2, 1, 4]), labels: ts.zeros([2, 1]) } }, { training: true })).toThrow(
      /warp: bounding_boxes are not supported.*displacement field/,
    );
  });
});

describe('randAugment on the dict', () => {
  it('moves boxes and masks through each chosen operation: the mask stays inside its moved box', () => {
    const [H, W] = [40, 40];
    const rect = [15, 14, 26, 25];
    const mask = Array.from({ length: 2 * H * W }, (_, i) => {
      const [y, x] = [Math.floor(i / W) % H, i % W];
      return x >= rect[0] && x < rect[2] && y >= rect[1] && y < rect[3] ? 1 : 0;
    });
    const layer = layers.randAugment({ numOps: 3, factor: [0.05, 0.1], interpolation: 'nearest', boundingBoxFormat: 'xyxy', seed: 4 });
    let checked = 0,
      geometric = 0;
    for (let call = 0; call < 6; call++) {
      const x = {
        images: ts.mul(ts.tensor(mask, [2, H, W, 1]), 200),
        labels: ts.ones([2, 2]),
        segmentation_masks: ts.tensor(mask, [2, H, W, 1], 'int32'),
        bounding_boxes: { boxes: ts.tensor([[rect], [rect]]), labels: ts.tensor([[1], [1]], undefined, 'int32') },
      };
      const out = layer.apply(x, { training: true }) as Out;
      const moves = layer.lastOps.filter((op) => ['random_shear', 'random_translation', 'random_rotation'].includes(op)).length;
      if (moves > 0) geometric++;
      // Each nearest resampling after the first may light a pixel whose centre is up to half a pixel
      // (a little more, turned) outside the box of the pixels it reads: the mask drifts that much per step.
      const tol = 1e-3 + 0.75 * Math.max(0, moves - 1);
      expect(out.labels).toBe(x.labels);
      const moved = out.bounding_boxes.boxes.arraySync() as number[][][];
      (out.segmentation_masks.arraySync() as number[][][][]).forEach((image, b) =>
        image.forEach((row, y) =>
          row.forEach(([v], px) => {
            if (v === 0) return;
            const [x1, y1, x2, y2] = moved[b][0];
            expect(px + 0.5).toBeGreaterThanOrEqual(x1 - tol);
            expect(px + 0.5).toBeLessThanOrEqual(x2 + tol);
            expect(y + 0.5).toBeGreaterThanOrEqual(y1 - tol);
            expect(y + 0.5).toBeLessThanOrEqual(y2 + tol);
            checked++;
          }),
        ),
      );
    }
    expect(geometric).toBeGreaterThan(0);
    expect(checked).toBeGreaterThan(500);
  });

  it('a box pushed out of the image by one operation stays lost (label -1) when the next brings its place back', () => {
    const img = ts.zeros([1, 10, 10, 1]);
    const shift = (dx: number) => (x: Tensor) => matrixTargets(x, ts.tensor([[1, 0, -dx, 0, 1, 0, 0, 0]]), 'nearest', { fillMode: 'constant' });
    const chained = chainTargets(img, [shift(10), shift(-10)]);
    const moved = moveBoxes('t', ts.tensor([[[2, 2, 5, 5]]]), ts.tensor([[3]], undefined, 'int32'), 'xyxy', [10, 10], [10, 10], chained.boxes!);
    expect(moved.labels.arraySync()).toEqual([[-1]]);
    const kept = chainTargets(img, [shift(2), shift(-2)]);
    const back = moveBoxes('t', ts.tensor([[[2, 2, 5, 5]]]), ts.tensor([[3]], undefined, 'int32'), 'xyxy', [10, 10], [10, 10], kept.boxes!);
    expect(back.boxes.arraySync()).toEqual([[[2, 2, 5, 5]]]);
    expect(back.labels.arraySync()).toEqual([[3]]);
  });
});

describe('augMix on the dict', () => {
  it('mixes masks with the chains weights (a constant mask stays), passes labels and boxes as Keras', () => {
    const layer = layers.augMix({ seed: 1, boundingBoxFormat: 'xyxy' });
    const bb = boxes();
    const labels = oneHot();
    const out = layer.apply(
      { images: ts.mul(images(), 20), labels, bounding_boxes: bb, segmentation_masks: ts.fill([n, h, w, 1], 2, 'int32') },
      { training: true },
    ) as Out;
    expect(out.labels).toBe(labels);
    expect(out.bounding_boxes.boxes).toBe(bb.boxes);
    expect(out.segmentation_masks.dtype).toBe('float32');
    for (const v of values(out.segmentation_masks)) expect(v).toBeCloseTo(2, 4);
  });
});

describe('rescaling and CLAHE on the dict', () => {
  it('change the images as on a tensor; labels, boxes (no format needed) and masks pass; bad masks are named', () => {
    const x = { images: ts.mul(images(), 30), labels: oneHot(), segmentation_masks: masks(), bounding_boxes: boxes() };
    for (const layer of [layers.rescaling({ scale: 0.5, offset: 1 }), layers.contrastLimitedAdaptiveHistogramEqualization({ tileGridSize: [2, 2] })]) {
      const out = layer.apply(x as never, { training: true }) as unknown as Out;
      expect(values(out.images)).toEqual(values(layer.apply(x.images) as Tensor));
      expect(out.labels).toBe(x.labels);
      expect(out.segmentation_masks).toBe(x.segmentation_masks);
      expect(out.bounding_boxes.boxes).toBe(x.bounding_boxes.boxes);
      expect(() => layer.apply({ images: x.images, segmentation_masks: ts.zeros([n, 3, w, 1]) })).toThrow(
        new RegExp(`${layer.name}: expected segmentation_masks laid out as the images`),
      );
    }
  });

  it('run in a pipeline with the layers that move boxes', () => {
    const pipe = layers.pipeline([
      layers.rescaling({ scale: 1 / 255 }),
      layers.randAugment({ valueRange: [0, 1], boundingBoxFormat: 'xyxy', seed: 2 }),
      layers.mixUp({ boundingBoxFormat: 'xyxy', seed: 2 }),
    ]);
    const out = pipe.apply({ images: ts.mul(images(), 30), labels: oneHot(), bounding_boxes: boxes(), segmentation_masks: masks() } as never) as unknown as Out;
    expect(out.bounding_boxes.boxes.shape).toEqual([n, 2, 4]);
    expect(out.labels.shape).toEqual([n, n]);
    expect(out.segmentation_masks.shape).toEqual([n, h, w, 1]);
  });
});
