// layers.maxNumBoundingBoxes against keras.layers.MaxNumBoundingBoxes 3.15 (JAX):
// test/fixtures/keras/bounding_boxes.json, made by scripts/fixtures/make_bounding_boxes_fixtures.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { layers, type Tensor } from '../../src';
import { configToDisk } from '../../src/saving/config_conversion';
import { layerFromDisk, layerToDisk } from '../../src/saving/model_config';
import { expectConfigRoundTrip } from '../helpers/layers';

// The fixture is JSON of many shapes.
const fx: any = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras', 'bounding_boxes.json'), 'utf8')).maxNum;
type Out = { images: Tensor; bounding_boxes: { boxes: Tensor; labels: Tensor } };

describe('layers.maxNumBoundingBoxes', () => {
  it('pads and cuts boxes and labels as Keras, batched and unbatched; images pass as they are', () => {
    const images = ts.tensor(fx.images);
    for (const c of fx.cases) {
      const layer = layers.maxNumBoundingBoxes({ maxNumber: c.maxNumber, fillValue: c.fillValue });
      const out = layer.apply({ images, bounding_boxes: { boxes: ts.tensor(fx.boxes), labels: ts.tensor(fx.labels, undefined, 'int32') } }) as Out;
      expect(out.images).toBe(images);
      expect(out.bounding_boxes.boxes.shape).toEqual([2, c.maxNumber, 4]);
      expect(out.bounding_boxes.labels.dtype).toBe('int32');
      expect(out.bounding_boxes.labels.arraySync()).toEqual(c.labels);
      const boxes = out.bounding_boxes.boxes.arraySync() as number[][][];
      boxes.flat(2).forEach((v, i) => expect(v).toBeCloseTo((c.boxes as number[][][]).flat(2)[i], 5));
      const one = layer.apply({ images: ts.tensor(fx.images[0]), bounding_boxes: { boxes: ts.tensor(fx.boxes[0]), labels: ts.tensor(fx.labels[0]) } }) as Out;
      expect(one.bounding_boxes.labels.arraySync()).toEqual(c.unbatchedLabels);
      (one.bounding_boxes.boxes.arraySync() as number[][]).flat().forEach((v, i) => expect(v).toBeCloseTo((c.unbatchedBoxes as number[][]).flat()[i], 5));
    }
  });

  it('keeps other keys (labels, segmentation_masks) and works in a functional model', () => {
    const layer = layers.maxNumBoundingBoxes({ maxNumber: 2 });
    const labels = ts.tensor([0, 1]);
    const out = layer.apply({ images: ts.zeros([2, 4, 4, 3]), labels, bounding_boxes: { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 3]) } }) as Out & {
      labels: Tensor;
    };
    expect(out.labels).toBe(labels);
    expect(Object.keys(out).sort()).toEqual(['bounding_boxes', 'images', 'labels']);
    const images = ts.input({ shape: [4, 4, 3] }),
      boxes = ts.input({ shape: [null, 4] }),
      boxLabels = ts.input({ shape: [null] });
    const sym = layer.apply({ images, bounding_boxes: { boxes, labels: boxLabels } }) as unknown as {
      bounding_boxes: { boxes: ts.SymbolicTensor; labels: ts.SymbolicTensor };
    };
    expect(sym.bounding_boxes.boxes.shape).toEqual([null, 2, 4]);
    expect(sym.bounding_boxes.labels.shape).toEqual([null, 2]);
    const model = ts.model({ inputs: [images, boxes, boxLabels], outputs: [sym.bounding_boxes.boxes, sym.bounding_boxes.labels] });
    const [b, l] = model.predict([ts.zeros([1, 4, 4, 3]), ts.ones([1, 1, 4]), ts.ones([1, 1])]) as Tensor[];
    expect(b.arraySync()).toEqual([
      [
        [1, 1, 1, 1],
        [-1, -1, -1, -1],
      ],
    ]);
    expect(l.arraySync()).toEqual([[1, -1]]);
  });

  it('config round trip under the Keras name; reads a Keras 3.15 config', () => {
    const layer = layers.maxNumBoundingBoxes({ maxNumber: 4, fillValue: 0, boundingBoxFormat: 'xyxy' });
    expect(layers.serializeLayer(layer).className).toBe('MaxNumBoundingBoxes');
    expectConfigRoundTrip(layer);
    expect(configToDisk(layer.getConfig(), 'keras')).toMatchObject({ max_number: 4, fill_value: 0, bounding_box_format: 'xyxy' });
    // The whole entry Keras 3.15 writes (class_name, module, config with data_format and its dtype policy).
    const back = layers.deserializeLayer(layerFromDisk(fx.config, 'keras', 'keras.json')) as layers.MaxNumBoundingBoxes;
    expect(back).toBeInstanceOf(layers.MaxNumBoundingBoxes);
    expect([back.name, back.maxNumber, back.fillValue, back.boundingBoxFormat, back.dataFormat]).toEqual(['boxes_cap', 3, -1, 'xyxy', 'channelsLast']);
    const written = layerToDisk(layers.serializeLayer(back), 'keras') as { class_name: string; config: Record<string, unknown> };
    expect(written.class_name).toBe('MaxNumBoundingBoxes');
    expect(Object.keys(fx.config.config).filter((k) => !(k in written.config))).toEqual([]);
  });

  it('says what is wrong, naming the layer', () => {
    expect(() => layers.maxNumBoundingBoxes({} as never)).toThrow(
      /max_num_bounding_boxes.*: expected maxNumber to be a positive integer \(int32\), got undefined/,
    );
    expect(() => layers.maxNumBoundingBoxes({ maxNumber: 2, fillValue: 0.5 })).toThrow(/expected fillValue to be an integer \(int32\), got 0.5/);
    expect(() => layers.maxNumBoundingBoxes({ maxNumber: 1e300 })).toThrow(/expected maxNumber to be a positive integer \(int32\), got 1e\+300/);
    expect(() => layers.maxNumBoundingBoxes({ maxNumber: 2, boundingBoxFormat: 'xxyy' as never })).toThrow(/expected boundingBoxFormat to be one of 'xyxy'/);
    expect(() => layers.maxNumBoundingBoxes({ maxNumber: 2, max_boxes: 3 } as never)).toThrow(/max_boxes/);
    const layer = layers.maxNumBoundingBoxes({ maxNumber: 2 });
    expect(() => layer.apply(ts.zeros([1, 4, 4, 3]))).toThrow(
      /max_num_bounding_boxes.*: expected \{images, bounding_boxes: \{boxes, labels\}\}, as Keras's MaxNumBoundingBoxes, got a Tensor/,
    );
    const images = ts.zeros([2, 4, 4, 3]);
    expect(() => layer.apply({ images, bounding_boxes: { boxes: ts.ones([2, 3, 4]) } } as never)).toThrow(/expected bounding_boxes to be \{boxes, labels\}/);
    expect(() => layer.apply({ images, bounding_boxes: { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 3]), scores: ts.ones([2, 3]) } } as never)).toThrow(
      /bounding_boxes has keys \[scores\] besides boxes and labels/,
    );
    expect(() => layer.apply({ images, bounding_boxes: { boxes: ts.ones([3, 4]), labels: ts.ones([3]) } })).toThrow(
      /expected boxes of shape \[batch, n, 4\] for images of rank 4, got \[3, 4\]/,
    );
    expect(() => layer.apply({ images, bounding_boxes: { boxes: ts.ones([2, 3, 4]), labels: ts.ones([2, 2]) } })).toThrow(
      /expected labels of shape \[2, 3\] \(one per box\), got \[2, 2\]/,
    );
    expect(() => layer.apply({ images: ts.zeros([4, 4]), bounding_boxes: { boxes: ts.ones([3, 4]), labels: ts.ones([3]) } })).toThrow(
      /expected images of rank 3 \(one image\) or 4 \(a batch\), got shape \[4, 4\]/,
    );
  });
});
