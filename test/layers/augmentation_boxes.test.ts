// Boxes, labels and segmentation masks through the image augmentation layers, against
// Keras 3.15 (JAX): test/fixtures/keras/augmentation_boxes.json, made by
// scripts/fixtures/make_augmentation_boxes_fixtures.py. The fixture also records where
// Keras's own image transform takes each box's pixels ("pixels"): the boxes here must
// enclose those. Keras's boxes for RandomRotation and RandomZoom use a centre half a pixel
// off its images' (so they miss their own pixels by up to a pixel); ours follow the images.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { configToDisk } from '../../src/saving/config_conversion';
import { layerFromDisk } from '../../src/saving/model_config';
import { expectConfigRoundTrip } from '../helpers/layers';

const fx: any = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras', 'augmentation_boxes.json'), 'utf8'));
type Out = { images: Tensor; labels?: Tensor; bounding_boxes: { boxes: Tensor; labels: Tensor }; segmentation_masks: Tensor };
type Box = [number, number, number, number];

const camel = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));
const input = (boxes: unknown = fx.boxes) => ({
  images: ts.tensor(fx.images),
  bounding_boxes: { boxes: ts.tensor(boxes as number[][][]), labels: ts.tensor(fx.labels, undefined, 'int32') },
  segmentation_masks: ts.tensor(fx.masks, undefined, 'int32'),
});
const flat = (t: Tensor) => Array.from(t.dataSync());
const near = (a: number[], b: number[], tol: number) => expect(Math.max(...a.map((v, i) => Math.abs(v - b[i])))).toBeLessThanOrEqual(tol);
const rows = (t: Tensor) => t.arraySync() as Box[][];
// Boxes of a case in 'xyxy' pixels (the fixture's formats are xyxy, center_xywh, rel_xyxy).
const toPixels = (t: Tensor, format: string) => rows(ts.utils.boundingBoxes.convertFormat(t, format as 'xyxy', 'xyxy', { height: fx.height, width: fx.width }));

describe('image augmentation layers on {images, bounding_boxes, segmentation_masks}', () => {
  for (const c of fx.cases) {
    it(`${c.layer} ${JSON.stringify(c.args)} (${c.format}): images and masks as Keras, boxes follow the pixels`, () => {
      const layer = (layers as any)[c.layer]({ ...camel(c.args), fillMode: 'constant', boundingBoxFormat: c.format, seed: 1 });
      const out = layer.apply(input(c.input), { training: true }) as Out;
      near(flat(out.images), c.images.flat(3), 1e-3);
      expect(out.segmentation_masks.dtype).toBe('int32');
      expect(out.segmentation_masks.arraySync()).toEqual(c.masks);
      const ours = toPixels(out.bounding_boxes.boxes, c.format);
      const keras = toPixels(ts.tensor(c.boxes), c.format);
      const labels = out.bounding_boxes.labels.arraySync() as number[][];
      expect(out.bounding_boxes.labels.dtype).toBe('int32');
      if (c.layer === 'randomTranslation') {
        // Keras's translation moves boxes exactly as its images.
        near(ours.flat(2), keras.flat(2), 1e-4);
        expect(labels).toEqual(c.labels);
      } else near(ours.flat(2), keras.flat(2), 1 + 1e-4);
      c.pixels.forEach((row: (Box | null)[], b: number) =>
        row.forEach((px, i) => {
          if (px === null) return;
          // Nearest sampling lights a pixel whose centre lies in the moved box: within half a pixel of it.
          const box = ours[b][i];
          expect(labels[b][i]).toBe(fx.labels[b][i]);
          for (const k of [0, 1]) expect(box[k]).toBeLessThanOrEqual(px[k] + 0.5 + 1e-4);
          for (const k of [2, 3]) expect(box[k]).toBeGreaterThanOrEqual(px[k] - 0.5 - 1e-4);
          // A quarter turn and whole-pixel shifts move pixels onto pixels: the box is exact.
          if (c.args.factor?.[0] === 0.25 || c.layer === 'randomTranslation') near(box, px, 1e-4);
        }),
      );
    });
  }

  for (const c of fx.windowed) {
    it(`${c.layer} ${JSON.stringify(c.args)}: images and masks as Keras, boxes follow the window`, () => {
      const layer = (layers as any)[c.layer]({ ...camel(c.args), boundingBoxFormat: 'xyxy' });
      const out = layer.apply(input()) as Out;
      near(flat(out.images), c.images.flat(3), 1e-3);
      expect(out.segmentation_masks.dtype).toBe('int32');
      expect(out.segmentation_masks.arraySync()).toEqual(c.masks);
      const ours = rows(out.bounding_boxes.boxes);
      const labels = out.bounding_boxes.labels.arraySync() as number[][];
      // Keras's stretch and whole-window crop are exact; its aspect-ratio crop and pad round their offsets down (up to a pixel off).
      const exact = !c.args.crop_to_aspect_ratio && !c.args.pad_to_aspect_ratio;
      near(ours.flat(2), c.boxes.flat(2), exact ? 1e-4 : 1);
      if (exact) expect(labels).toEqual(c.labels);
      c.pixels.forEach((row: (Box | null)[], b: number) =>
        row.forEach((px, i) => {
          if (px === null) return expect(labels[b][i]).toBe(-1);
          const box = ours[b][i];
          expect(labels[b][i]).toBe(fx.labels[b][i]);
          for (const k of [0, 1]) expect(box[k]).toBeLessThanOrEqual(px[k] + 0.5 + 1e-4);
          for (const k of [2, 3]) expect(box[k]).toBeGreaterThanOrEqual(px[k] - 0.5 - 1e-4);
        }),
      );
    });
  }

  it('randomCrop moves boxes and masks into the window it draws, and into the resized window outside training', () => {
    const layer = layers.randomCrop({ height: 5, width: 6, boundingBoxFormat: 'xyxy', seed: 2 });
    const x = input();
    for (let call = 0; call < 3; call++) {
      const out = layer.apply(x, { training: true }) as Out;
      // Find the window from the images, then check boxes and masks against it.
      const img = out.images.arraySync() as number[][][][];
      const src = x.images.arraySync() as number[][][][];
      let at: [number, number] | undefined;
      for (let t = 0; t <= 3 && !at; t++)
        for (let l = 0; l <= 4 && !at; l++) if (src[0][t][l][0] === img[0][0][0][0] && src[0][t + 4][l + 5][2] === img[0][4][5][2]) at = [t, l];
      const [top, left] = at!;
      expect(out.segmentation_masks.arraySync()).toEqual(x.segmentation_masks.slice([0, top, left, 0], [2, 5, 6, 1]).arraySync());
      const want = ts.utils.boundingBoxes.clipToImageSize(
        { boxes: ts.sub(x.bounding_boxes.boxes, [left, top, left, top]), labels: x.bounding_boxes.labels },
        { height: 5, width: 6 },
      );
      expect(out.bounding_boxes.boxes.arraySync()).toEqual(want.boxes.arraySync());
      expect(out.bounding_boxes.labels.arraySync()).toEqual(want.labels!.arraySync());
    }
    // Inference: the centred 8x9.6 -> 8x9 window (aspect 5:6) resized to 5x6, boxes scaled with it.
    const out = layer.apply(x) as Out;
    expect(out.images.shape).toEqual([2, 5, 6, 3]);
    expect(out.segmentation_masks.shape).toEqual([2, 5, 6, 1]);
    const [sx, sy] = [6 / 9, 5 / 8];
    const want = (rows(x.bounding_boxes.boxes) as Box[][]).map((r) =>
      r.map(([x1, y1, x2, y2]) => [(x1 - 0) * sx, y1 * sy, Math.min((x2 - 0) * sx, 6), y2 * sy]),
    );
    near(rows(out.bounding_boxes.boxes).flat(2), want.flat(2), 1e-5);
  });

  it('randomFlip moves boxes as Keras under the flip drawn for each image (one draw for images, boxes and masks)', () => {
    const original = ts.tensor(fx.images);
    const modes = Object.fromEntries(fx.flips.map((f: any) => [f.mode, f]));
    const seen = new Set<string>();
    for (const mode of ['horizontal', 'vertical', 'horizontal_and_vertical'] as const) {
      const layer = layers.randomFlip({ mode, boundingBoxFormat: 'xyxy', seed: 5 });
      for (let call = 0; call < 4; call++) {
        const out = layer.apply(input(), { training: true }) as Out;
        for (let b = 0; b < 2; b++) {
          const img = out.images.slice([b], [1]);
          const flipped = (axes: number[]) => Math.max(...flat(ts.sub(img, ts.reverse(original.slice([b], [1]), axes)).abs())) === 0;
          const [fx1, fy1] = [flipped([2]), flipped([1])];
          const both = flipped([1, 2]);
          const kind = both ? 'both' : fx1 ? 'h' : fy1 ? 'v' : 'none';
          seen.add(`${mode}:${kind}`);
          const want =
            kind === 'both' ? modes.horizontal_and_vertical.on : kind === 'h' ? modes.horizontal.on : kind === 'v' ? modes.vertical.on : modes.horizontal.off;
          near(flat(out.bounding_boxes.boxes.slice([b], [1])), want.boxes[b].flat(), 1e-5);
          expect((out.bounding_boxes.labels.arraySync() as number[][])[b]).toEqual(want.labels[b]);
          // The masks took the same flip.
          const mask = ts.tensor(fx.masks, undefined, 'int32').slice([b], [1]);
          const moved = kind === 'none' ? mask : ts.reverse(mask, kind === 'both' ? [1, 2] : kind === 'h' ? [2] : [1]);
          expect(out.segmentation_masks.slice([b], [1]).arraySync()).toEqual(moved.arraySync());
        }
      }
    }
    // Both outcomes were met in every mode (the test would not pass with the flip stuck).
    expect([...seen].sort()).toEqual(
      expect.arrayContaining(['horizontal:h', 'horizontal:none', 'vertical:v', 'vertical:none', 'horizontal_and_vertical:both']),
    );
  });

  it('colour layers pass boxes, box labels, labels and masks as Keras', () => {
    const labels = ts.tensor([3, 7], undefined, 'int32');
    const colour = [
      layers.randomContrast({ factor: 0.5, boundingBoxFormat: 'xyxy', seed: 1 }),
      layers.randomBrightness({ factor: 0.3, boundingBoxFormat: 'xyxy', seed: 1 }),
      layers.randomHue({ factor: 0.3, boundingBoxFormat: 'xyxy', seed: 1 }),
      layers.randomGrayscale({ factor: 1, boundingBoxFormat: 'xyxy', seed: 1 }),
      layers.randomSharpness({ factor: 0.5, boundingBoxFormat: 'xyxy', seed: 1 }),
      layers.randomColorJitter({ brightnessFactor: 0.2, boundingBoxFormat: 'xyxy', seed: 1 }),
    ];
    for (const layer of colour) {
      const x = input();
      const out = layer.apply({ ...x, labels }, { training: true }) as Out;
      expect(out.bounding_boxes.boxes.arraySync()).toEqual(fx.colour.boxes);
      expect(out.bounding_boxes.labels.arraySync()).toEqual(fx.colour.labels);
      expect(out.segmentation_masks.arraySync()).toEqual(fx.colour.masks);
      expect(out.labels!.arraySync()).toEqual([3, 7]);
      // The images took the layer's own augmentation.
      expect(out.images.shape).toEqual(x.images.shape);
    }
  });

  it('takes one image with [numBoxes, 4] boxes, and channels-first images and masks', () => {
    const make = (dataFormat: 'channelsLast' | 'channelsFirst') =>
      layers.randomTranslation({ heightFactor: [0.25, 0.25], widthFactor: [-0.3, -0.3], fillMode: 'constant', boundingBoxFormat: 'xyxy', dataFormat });
    const batched = make('channelsLast').apply(input(), { training: true }) as Out;
    const x = input();
    const one = make('channelsLast').apply(
      {
        images: x.images.slice([1], [1]).squeeze([0]),
        bounding_boxes: { boxes: x.bounding_boxes.boxes.slice([1], [1]).squeeze([0]), labels: x.bounding_boxes.labels.slice([1], [1]).squeeze([0]) },
        segmentation_masks: x.segmentation_masks.slice([1], [1]).squeeze([0]),
      },
      { training: true },
    ) as Out;
    expect(one.bounding_boxes.boxes.shape).toEqual([3, 4]);
    expect(one.bounding_boxes.boxes.arraySync()).toEqual(rows(batched.bounding_boxes.boxes)[1]);
    expect(one.bounding_boxes.labels.arraySync()).toEqual((batched.bounding_boxes.labels.arraySync() as number[][])[1]);
    expect(one.segmentation_masks.arraySync()).toEqual((batched.segmentation_masks.arraySync() as number[][][][])[1]);
    const first = make('channelsFirst').apply(
      {
        images: ts.transpose(x.images, [0, 3, 1, 2]),
        bounding_boxes: x.bounding_boxes,
        segmentation_masks: ts.transpose(x.segmentation_masks, [0, 3, 1, 2]),
      },
      { training: true },
    ) as Out;
    expect(first.bounding_boxes.boxes.arraySync()).toEqual(batched.bounding_boxes.boxes.arraySync());
    expect(ts.transpose(first.segmentation_masks, [0, 2, 3, 1]).arraySync()).toEqual(batched.segmentation_masks.arraySync());
    expect(ts.transpose(first.images, [0, 2, 3, 1]).arraySync()).toEqual(batched.images.arraySync());
  });

  it('works inside Dataset.map, one dict per element', async () => {
    const layer = layers.randomTranslation({ heightFactor: [0.25, 0.25], widthFactor: [-0.3, -0.3], fillMode: 'constant', boundingBoxFormat: 'xyxy' });
    const want = layer.apply(input(), { training: true }) as Out;
    const ds = ts.data.array([input()]).map((x) => layer.apply(x, { training: true }));
    const got = (await ds.toArray())[0];
    expect(got.bounding_boxes!.boxes.arraySync()).toEqual(want.bounding_boxes.boxes.arraySync());
    expect(got.segmentation_masks!.arraySync()).toEqual(want.segmentation_masks.arraySync());
  });

  it('runs through a pipeline of layers that take it; a layer that does not, or lacks a box format, is named', () => {
    const translate = () =>
      layers.randomTranslation({ heightFactor: [0.25, 0.25], widthFactor: [-0.3, -0.3], fillMode: 'constant', boundingBoxFormat: 'xyxy' });
    const pipe = layers.pipeline([translate(), layers.randomContrast({ factor: 0.2, boundingBoxFormat: 'xyxy', seed: 3 })]);
    const out = pipe.apply(input() as never) as unknown as Out;
    const want = translate().apply(input(), { training: true }) as Out;
    expect(out.bounding_boxes.boxes.arraySync()).toEqual(want.bounding_boxes.boxes.arraySync());
    expect(out.bounding_boxes.labels.arraySync()).toEqual(want.bounding_boxes.labels.arraySync());
    expect(out.segmentation_masks.arraySync()).toEqual(want.segmentation_masks.arraySync());
    expect(() => layers.pipeline([translate(), layers.randomElasticTransform({ name: 'warp', boundingBoxFormat: 'xyxy' })]).apply(input() as never)).toThrow(
      /warp: bounding_boxes are not supported by this layer/,
    );
    expect(() => layers.pipeline([layers.randomFlip({ name: 'flip' })]).apply(input() as never)).toThrow(
      /flip: the input has 'bounding_boxes' but the layer has no boundingBoxFormat/,
    );
  });

  it('outside training everything passes as it is', () => {
    const x = input();
    const out = layers.randomRotation({ factor: 0.3, boundingBoxFormat: 'xyxy' }).apply(x) as Out;
    expect(out.bounding_boxes.boxes).toBe(x.bounding_boxes.boxes);
    expect(out.segmentation_masks).toBe(x.segmentation_masks);
    expect(out.images.arraySync()).toEqual(x.images.arraySync());
  });

  it('a rectangle drawn in an image stays inside its moved box (random draws, every matrix layer)', () => {
    const [h, w] = [24, 30];
    const rect: Box = [7, 5, 19, 13];
    const pixels = new Float32Array(4 * h * w);
    for (let b = 0; b < 4; b++) for (let y = rect[1]; y < rect[3]; y++) for (let x = rect[0]; x < rect[2]; x++) pixels[(b * h + y) * w + x] = 1;
    const images = ts.tensor(pixels, [4, h, w, 1]);
    const opts = { fillMode: 'constant' as const, interpolation: 'nearest' as const, boundingBoxFormat: 'xyxy' as const, seed: 11 };
    const augmenters = [
      layers.randomRotation({ factor: 0.5, ...opts }),
      layers.randomZoom({ heightFactor: [-0.4, 0.6], widthFactor: [-0.5, 0.3], ...opts }),
      layers.randomTranslation({ heightFactor: 0.4, widthFactor: 0.4, ...opts }),
      layers.randomFlip({ boundingBoxFormat: 'xyxy', seed: 11 }),
      layers.randomShear({ xFactor: 0.6, yFactor: 0.4, ...opts }),
      layers.randomPerspective({ factor: [0.7, 0.7], scale: 0.4, interpolation: 'nearest', boundingBoxFormat: 'xyxy', seed: 11 }),
    ];
    let checked = 0;
    for (const layer of augmenters) {
      for (let call = 0; call < 3; call++) {
        const boxes = ts.tensor([...Array(4)].map(() => [rect]));
        const out = layer.apply({ images, bounding_boxes: { boxes, labels: ts.tensor([[1], [1], [1], [1]], undefined, 'int32') } }, { training: true }) as Out;
        const img = out.images.arraySync() as number[][][][];
        const moved = rows(out.bounding_boxes.boxes);
        const labels = out.bounding_boxes.labels.arraySync() as number[][];
        img.forEach((image, b) => {
          let any = false;
          image.forEach((row, y) =>
            row.forEach(([v], x) => {
              if (v < 0.5) return;
              any = true;
              const [x1, y1, x2, y2] = moved[b][0];
              // A lit pixel's centre lies in the moved box (nearest sampling), so the pixel is within half a pixel of it.
              expect(x + 0.5).toBeGreaterThanOrEqual(x1 - 1e-3);
              expect(x + 0.5).toBeLessThanOrEqual(x2 + 1e-3);
              expect(y + 0.5).toBeGreaterThanOrEqual(y1 - 1e-3);
              expect(y + 0.5).toBeLessThanOrEqual(y2 + 1e-3);
              checked++;
            }),
          );
          // A box whose label became -1 kept no pixels.
          if (labels[b][0] === -1) expect(any).toBe(false);
        });
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('saves boundingBoxFormat as Keras bounding_box_format and loads a Keras 3.15 config with it', () => {
    const layer = layers.randomZoom({ heightFactor: 0.2, boundingBoxFormat: 'center_xywh' });
    expectConfigRoundTrip(layer);
    expect(configToDisk(layer.getConfig(), 'keras')).toMatchObject({ bounding_box_format: 'center_xywh' });
    expect(layers.randomZoom({ heightFactor: 0.2 }).getConfig()).not.toHaveProperty('boundingBoxFormat');
    for (const l of [
      layers.resizing({ height: 4, width: 4, boundingBoxFormat: 'rel_xyxy' }),
      layers.centerCrop({ height: 4, width: 4, boundingBoxFormat: 'rel_xyxy' }),
    ]) {
      expectConfigRoundTrip(l);
      expect(configToDisk(l.getConfig(), 'keras')).toMatchObject({ bounding_box_format: 'rel_xyxy' });
    }
    const back = layers.deserializeLayer(layerFromDisk(fx.rotationConfig, 'keras', 'keras.json')) as layers.RandomRotation;
    expect(back.boundingBoxFormat).toBe('center_xywh');
  });

  it('refuses bad input by name', () => {
    const x = input();
    const flip = layers.randomFlip({ boundingBoxFormat: 'xyxy' });
    const run = (layer: any, v: unknown) => () => layer.apply(v, { training: true });
    expect(run(layers.randomFlip(), x)).toThrow(/random_flip.*'bounding_boxes' but the layer has no boundingBoxFormat/);
    expect(run(flip, { ...x, boxes: x.images })).toThrow(/random_flip.*unknown key\(s\) \[boxes\]/);
    expect(run(flip, { segmentation_masks: x.segmentation_masks })).toThrow(/random_flip.*no 'images'/);
    expect(run(flip, { images: x.images, bounding_boxes: { boxes: x.bounding_boxes.boxes } })).toThrow(/expected bounding_boxes to be \{boxes, labels\}/);
    expect(run(flip, { images: x.images, bounding_boxes: { boxes: ts.zeros([2, 3, 5]), labels: x.bounding_boxes.labels } })).toThrow(
      /random_flip.*bounding_boxes.boxes of shape \[2, numBoxes, 4\].*got \[2, 3, 5\]/,
    );
    expect(run(flip, { images: x.images, bounding_boxes: { boxes: x.bounding_boxes.boxes, labels: ts.zeros([2, 4]) } })).toThrow(
      /bounding_boxes.labels of shape \[2, 3\]/,
    );
    expect(run(flip, { images: x.images, segmentation_masks: ts.zeros([2, 4, 10, 1]) })).toThrow(/random_flip.*segmentation_masks laid out as the images/);
    expect(() => layers.randomFlip({ boundingBoxFormat: 'xyz' as 'xyxy' })).toThrow(/boundingBoxFormat/);
    // Layers that cannot move boxes refuse them, naming themselves (as Keras raises).
    expect(run(layers.centerCrop({ height: 4, width: 4 }), x)).toThrow(/center_crop.*'bounding_boxes' but the layer has no boundingBoxFormat/);
    expect(run(layers.randomElasticTransform({ boundingBoxFormat: 'xyxy' }), x)).toThrow(/random_elastic_transform: bounding_boxes are not supported/);
    // Symbolic dicts (functional models) are not taken.
    const sym = { images: ts.input({ shape: [8, 10, 3] }) };
    expect(() => flip.apply(sym as any)).toThrow(/random_flip.*not in a functional model/);
  });
});
