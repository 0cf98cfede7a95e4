// ts.utils.boundingBoxes against keras.utils.bounding_boxes 3.15 (JAX) on random boxes:
// test/fixtures/keras/bounding_boxes.json, made by scripts/fixtures/make_bounding_boxes_fixtures.py.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { liveTensors } from '../helpers/memory';

const bb = ts.utils.boundingBoxes;
type Nested = number | Nested[];
// The fixture is JSON of many shapes.
const fx: any = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'keras', 'bounding_boxes.json'), 'utf8'));
const H: number = fx.height,
  W: number = fx.width;

// Every number of `actual` within atol + rtol * |expected|, shapes equal.
function close(actual: ts.Tensor | Nested, expected: Nested, atol = 1e-4, rtol = 1e-5): void {
  const a = actual instanceof ts.Tensor ? (actual.arraySync() as Nested) : actual;
  const walk = (x: Nested, y: Nested, path: string): void => {
    if (Array.isArray(y)) {
      expect(Array.isArray(x) ? x.length : `not an array at ${path}`).toBe(y.length);
      y.forEach((v, i) => walk((x as Nested[])[i], v, `${path}[${i}]`));
    } else if (Math.abs((x as number) - y) > atol + rtol * Math.abs(y)) {
      throw new Error(`at ${path}: got ${String(x)}, expected ${y}`);
    }
  };
  walk(a, expected, '');
}

describe('utils.boundingBoxes.convertFormat', () => {
  it('converts between all 9 Keras formats, batched and unbatched, as Keras', () => {
    expect(fx.convert.cases).toHaveLength(9 * 9 * 2);
    for (const c of fx.convert.cases) {
      const y = bb.convertFormat(ts.tensor(fx.convert[c.input]), c.source, c.target, { height: H, width: W });
      expect(y.dtype).toBe('float32');
      close(y, c.output, 1e-3, 1e-5);
    }
  });

  it("takes {boxes, labels}, upper-case names and Keras's docstring example", () => {
    const labels = ts.tensor([1, 2], [2], 'int32');
    const out = bb.convertFormat(
      {
        boxes: ts.tensor([
          [10, 20, 30, 40],
          [50, 60, 70, 80],
        ]),
        labels,
      },
      'XYXY' as never,
      'xywh',
    );
    close(out.boxes, [
      [10, 20, 20, 20],
      [50, 60, 20, 20],
    ]);
    expect(out.labels).toBe(labels);
    close(bb.convertFormat([[10, 20, 30, 40]], 'xyxy', 'rel_xyxy', { height: 200, width: 300 }), [[0.03333334, 0.1, 0.1, 0.2]], 1e-6);
    expect(bb.convertFormat([[1, 2, 3, 4]], 'xyxy', 'xyxy', { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('says what is wrong', () => {
    const boxes = ts.zeros([2, 4]);
    expect(() => bb.convertFormat(boxes, 'xyxz' as ts.utils.boundingBoxes.BoxFormat, 'xyxy')).toThrow(
      /utils.boundingBoxes.convertFormat: expected source to be one of 'xyxy', .*'rel_center_xywh', got 'xyxz'/,
    );
    expect(() => bb.convertFormat(boxes, 'xyxy', 'center_xyhw' as ts.utils.boundingBoxes.BoxFormat)).toThrow(/expected target to be one of/);
    expect(() => bb.convertFormat(ts.zeros([2, 5]), 'xyxy', 'yxyx')).toThrow(/convertFormat: expected boxes to have a last dimension of 4, got shape \[2, 5\]/);
    expect(() => bb.convertFormat(boxes, 'xyxy', 'rel_xyxy')).toThrow(
      /convertFormat: converting between 'xyxy' and 'rel_xyxy' needs the image height and width .*got height undefined and width undefined/,
    );
    expect(() => bb.convertFormat(boxes, 'rel_xywh', 'xyxy', { height: 10 })).toThrow(/needs the image height and width/);
    expect(() => bb.convertFormat(boxes, 'xyxy', 'yxyx', { hieght: 10 } as never)).toThrow(/hieght/);
    expect(() => bb.convertFormat(boxes, 'xyxy', 'yxyx', { height: -1 })).toThrow(/expected height to be a positive number, got -1/);
    expect(() => bb.convertFormat(boxes, 'xyxy', 'yxyx', { dtype: 'int32' })).toThrow(/expected dtype to be a float dtype/);
    expect(() => bb.convertFormat({ labels: boxes } as never, 'xyxy', 'yxyx')).toThrow(/a \{boxes, labels\} object, got an object with keys \[labels\]/);
  });

  it('leaves no tensors behind', () => {
    const boxes = ts.tensor(fx.convert.batched);
    const before = liveTensors();
    bb.convertFormat(boxes, 'rel_center_xywh', 'center_yxhw', { height: H, width: W }).dispose();
    bb.convertFormat([[1, 2, 3, 4]], 'xyxy', 'xyxy').dispose();
    expect(() => bb.convertFormat([[1, 2, 3]], 'xyxy', 'yxyx')).toThrow();
    expect(() => bb.computeIou([[1, 2, 3, 4]], [[[[1, 2, 3, 4]]]], 'xyxy')).toThrow();
    expect(() => bb.affineTransform([[1, 2, 3, 4]], [1, 2], 0, 0, 1, 0, 0, 8, 8)).toThrow();
    expect(() => bb.clipToImageSize({ boxes: [[1, 2, 3, 4]] as never, labels: [1, 2] as never }, { height: 8, width: 8 })).toThrow();
    bb.computeIou([[1, 2, 3, 4]], boxes, 'xyxy', { useMasking: true }).dispose();
    bb.affineTransform([[1, 2, 3, 4]], [30], 0.1, 0, 1, 0, 0, 8, 8).dispose();
    Object.values(bb.decodeDeltasToBoxes({ a: [[1, 2, 3, 4]] }, { a: [[0, 0, 0, 0]] }, 'xyxy', 'xyxy', { variance: [1, 1, 2, 2] })).forEach((t) => t.dispose());
    expect(liveTensors()).toBe(before);
  });
});

describe('utils.boundingBoxes.computeIou / computeCiou', () => {
  it('pairwise IoU for every rank combination and format, with masking, as Keras', () => {
    expect(fx.iou.length).toBeGreaterThan(20);
    for (const c of fx.iou) {
      const y = bb.computeIou(ts.tensor(c.boxes1), ts.tensor(c.boxes2), c.format, { useMasking: c.useMasking, maskVal: -2, imageShape: [H, W, 3] });
      close(y, c.output, 1e-5, 1e-4);
    }
  });

  it('masks padded boxes also when only one side is batched (where Keras 3.15 fails)', () => {
    const a = [
      [0, 0, 2, 2],
      [-1, -1, -1, -1],
    ];
    const b = ts.tensor([[[1, 1, 3, 3]], [[-1, -1, -1, -1]]]);
    close(
      bb.computeIou(a, b, 'xyxy', { useMasking: true }),
      [
        [[1 / 7], [-1]],
        [[-1], [-1]],
      ],
      1e-6,
    );
  });

  it('elementwise CIoU as Keras, and relative formats with imageShape', () => {
    for (const c of fx.ciou) close(bb.computeCiou(ts.tensor(c.boxes1), ts.tensor(c.boxes2), c.format), c.output, 1e-5, 1e-4);
    const [b1, b2] = [ts.tensor(fx.ciou[0].boxes1), ts.tensor(fx.ciou[0].boxes2)];
    const rel = (b: ts.Tensor) => bb.convertFormat(b, 'xyxy', 'rel_xyxy', { height: H, width: W });
    close(bb.computeCiou(rel(b1), rel(b2), 'rel_xyxy', { imageShape: [H, W, 3] }), fx.ciou[0].output, 1e-4, 1e-4);
  });

  it('says what is wrong', () => {
    const b = ts.zeros([3, 4]);
    expect(() => bb.computeIou(b, b, 'rel_xyxy')).toThrow(/computeIou: the relative format 'rel_xyxy' needs imageShape \[height, width, channels\]/);
    expect(() => bb.computeIou(ts.zeros([1, 2, 3, 4]), b, 'xyxy')).toThrow(
      /computeIou: expected boxes1 to be unbatched \[boxes, 4\] or batched \[batch, boxes, 4\], got shape \[1, 2, 3, 4\]/,
    );
    expect(() => bb.computeIou(b, ts.zeros([3, 3]), 'xyxy')).toThrow(/computeIou: expected boxes2 to have a last dimension of 4/);
    expect(() => bb.computeIou(b, b, 'xyxy', { imageShape: [10, 10] })).toThrow(/expected imageShape to be \[height, width, channels\]/);
    expect(() => bb.computeIou(b, b, 'rel_xyxy', { imageShape: [null, 10, 3] as never })).toThrow(
      /computeIou: expected imageShape to be \[height, width, channels\] \(positive numbers/,
    );
    expect(() => bb.computeIou(b, b, 'xyxy', { useMasking: true, maskVal: Number.NaN })).toThrow(/computeIou: expected maskVal to be a finite number, got NaN/);
    expect(() => bb.computeIou(b, b, 'box' as never)).toThrow(/computeIou: expected boundingBoxFormat to be one of/);
    expect(() => bb.computeCiou(b, b, 'rel_xywh')).toThrow(/computeCiou: the relative format 'rel_xywh' needs imageShape/);
    expect(() => bb.computeCiou(b, ts.zeros([3, 2]), 'xyxy')).toThrow(/computeCiou: expected boxes2 to have a last dimension of 4/);
  });
});

describe('utils.boundingBoxes geometry', () => {
  it('clipToImageSize clips and relabels empty boxes -1, as Keras', () => {
    for (const c of fx.clip) {
      const out = bb.clipToImageSize(
        { boxes: ts.tensor(c.boxes), labels: ts.tensor(c.labels) },
        { height: c.height, width: c.width, boundingBoxFormat: c.format },
      );
      close(out.boxes, c.outBoxes);
      close(out.labels!, c.outLabels);
    }
    // Without labels: only boxes.
    const only = bb.clipToImageSize({ boxes: ts.tensor([[-5, 2, 300, 8]]) }, { height: 10, width: 20 });
    close(only.boxes, [[0, 2, 20, 8]]);
    expect(only.labels).toBeUndefined();
  });

  it('crop and pad, batched and unbatched, as Keras (and its crop docstring example)', () => {
    const c = fx.crop,
      p = fx.pad;
    close(bb.crop(ts.tensor(c.boxes), c.top, c.left, c.height, c.width), c.output);
    close(bb.crop(ts.tensor(c.boxes[0]), c.top, c.left, c.height, c.width), c.unbatched);
    close(bb.pad(ts.tensor(p.boxes), p.top, p.left), p.output);
    close(bb.pad(ts.tensor(p.boxes[0]), p.top, p.left), p.unbatched);
    close(
      bb.crop(
        [
          [10, 20, 50, 60],
          [70, 80, 100, 120],
        ],
        10,
        20,
        40,
        30,
      ),
      [
        [0, 10, 30, 40],
        [30, 40, 30, 40],
      ],
    );
  });

  it('affineTransform as Keras, per-batch parameters, centres, unbatched', () => {
    const a = fx.affine,
      q = a.params;
    for (const c of a.cases) {
      const opts = c.centerX === null ? {} : { centerX: c.centerX, centerY: c.centerY };
      const y = bb.affineTransform(ts.tensor(a.boxes), q.angle, q.translate_x, q.translate_y, ts.tensor(q.scale), q.shear_x, q.shear_y, H, W, opts);
      close(y, c.output, 1e-3, 1e-5);
    }
    // Unbatched with numbers: the first batch element's transform.
    const one = bb.affineTransform(ts.tensor(a.boxes[0]), q.angle[0], q.translate_x[0], q.translate_y[0], q.scale[0], q.shear_x[0], q.shear_y[0], H, W);
    close(one, a.cases[0].output[0], 1e-3, 1e-5);
    // The identity leaves boxes as they are.
    close(bb.affineTransform(ts.tensor(a.boxes), 0, 0, 0, 1, 0, 0, H, W), a.boxes, 1e-4);
  });

  it('says what is wrong', () => {
    const b = ts.zeros([2, 3, 4]);
    expect(() => bb.clipToImageSize({ boxes: b }, { height: 5 })).toThrow(
      /clipToImageSize: 'xyxy' boxes need the image height and width, got height 5 and width undefined/,
    );
    expect(() => bb.clipToImageSize({ boxes: b }, { boundingBoxFormat: 'xywh' })).toThrow(
      /clipToImageSize: only 'xyxy' and 'rel_xyxy' boxes are clipped \(as Keras 3.15\), got 'xywh'/,
    );
    expect(() => bb.clipToImageSize(b as never, { height: 1, width: 1 })).toThrow(/clipToImageSize: expected a \{boxes, labels\} object, got a Tensor/);
    expect(() => bb.clipToImageSize({ boxes: b, labels: ts.zeros([2]) }, { height: 1, width: 1 })).toThrow(
      /expected boundingBoxes.labels of shape \[2, 3\] \(one per box\), got shape \[2\]/,
    );
    expect(() => bb.crop(b, 0, 0, 10, 10, { boundingBoxFormat: 'yxyx' })).toThrow(/crop: only 'xyxy' boxes are supported \(as Keras 3.15\), got 'yxyx'/);
    expect(() => bb.crop(b, 0, 0, undefined as never, 10)).toThrow(/crop: expected the crop's height and width/);
    expect(() => bb.pad(b, Number.NaN, 0)).toThrow(/pad: expected top to be a finite number, got NaN/);
    expect(() => bb.pad(ts.zeros([3]), 1, 1)).toThrow(/pad: expected boxes to have a last dimension of 4, got shape \[3\]/);
    expect(() => bb.affineTransform(b, [1, 2, 3], 0, 0, 1, 0, 0, 8, 8)).toThrow(
      /affineTransform: expected angle to hold one value per batch element \(2\), got shape \[3\]/,
    );
    expect(() => bb.affineTransform(ts.zeros([3, 4]), 0, 0, 0, 1, 0, 0, 8, 8, { boundingBoxFormat: 'rel_xyxy' })).toThrow(/affineTransform: only 'xyxy' boxes/);
    expect(() => bb.affineTransform(b, undefined as never, 0, 0, 1, 0, 0, 8, 8)).toThrow(
      /affineTransform: expected angle to be a number, an array or a tensor of one per batch element, got undefined/,
    );
    expect(() => bb.affineTransform(b, 0, [0.1, Number.NaN], 0, 1, 0, 0, 8, 8)).toThrow(
      /affineTransform: expected translateX to be finite numbers, one per batch element/,
    );
    expect(() => bb.affineTransform(ts.zeros([4]), 0, 0, 0, 1, 0, 0, 8, 8)).toThrow(/affineTransform: expected boxes to be unbatched \[boxes, 4\] or batched/);
    expect(() => bb.affineTransform(b, 0, 0, 0, 1, 0, 0, 8, 0)).toThrow(/affineTransform: expected width to be a positive number, got 0/);
  });
});

describe('utils.boundingBoxes.encodeBoxToDeltas / decodeDeltasToBoxes', () => {
  it('encodes and decodes as Keras, with variance, both centre formats, relative boxes', () => {
    const anchors = ts.tensor(fx.deltas.anchors);
    for (const c of fx.deltas.cases) {
      const opts = { variance: c.variance, imageShape: [H, W, 3] };
      const d = bb.encodeBoxToDeltas(anchors, ts.tensor(c.boxes), 'xyxy', c.boxFormat, { ...opts, encodingFormat: c.encoding });
      close(d, c.deltas, 1e-4, 1e-4);
      close(bb.encodeBoxToDeltas(anchors, ts.tensor(c.boxes[0]), 'xyxy', c.boxFormat, { ...opts, encodingFormat: c.encoding }), c.deltasUnbatched, 1e-4, 1e-4);
      close(bb.decodeDeltasToBoxes(anchors, ts.tensor(c.deltas), 'xyxy', c.boxFormat, { ...opts, encodedFormat: c.encoding }), c.decoded, 1e-3, 1e-4);
    }
  });

  it('decodes objects of levels', () => {
    const a = fx.deltas.anchors,
      l = fx.deltas.levels;
    const out = bb.decodeDeltasToBoxes({ p3: a, p4: a.slice(0, 2) }, { p3: l.deltas, p4: l.deltas.map((r: Nested[]) => r.slice(0, 2)) }, 'xyxy', 'xywh');
    expect(Object.keys(out)).toEqual(['p3', 'p4']);
    close(out.p3, l.p3, 1e-3, 1e-4);
    close(out.p4, l.p4, 1e-3, 1e-4);
  });

  it('says what is wrong', () => {
    const a = ts.ones([5, 4]);
    expect(() => bb.encodeBoxToDeltas(a, a, 'xyxy', 'xyxy', { variance: [1, 2] })).toThrow(
      /encodeBoxToDeltas: expected variance to be 4 non-zero numbers, got/,
    );
    expect(() => bb.encodeBoxToDeltas(a, a, 'xyxy', 'xyxy', { encodingFormat: 'xyxy' as never })).toThrow(
      /encodeBoxToDeltas: expected encodingFormat to be 'center_yxhw' or 'center_xywh', got 'xyxy'/,
    );
    expect(() => bb.encodeBoxToDeltas(a, a, 'xyxy', 'rel_xyxy')).toThrow(
      /encodeBoxToDeltas: converting between 'rel_xyxy' and 'center_yxhw' needs the image height and width/,
    );
    expect(() => bb.decodeDeltasToBoxes(a, ts.ones([5, 3]), 'xyxy', 'xyxy')).toThrow(
      /decodeDeltasToBoxes: expected boxesDelta to have a last dimension of 4, got shape \[5, 3\]/,
    );
    expect(() => bb.decodeDeltasToBoxes({ p3: a }, a as never, 'xyxy', 'xyxy')).toThrow(
      /decodeDeltasToBoxes: expected anchors and boxesDelta both tensors or both objects of levels/,
    );
    expect(() => bb.decodeDeltasToBoxes({ p3: a }, { p4: a }, 'xyxy', 'xyxy')).toThrow(
      /decodeDeltasToBoxes: boxesDelta has no level 'p3' of anchors \(levels \[p4\]\)/,
    );
    expect(() => bb.decodeDeltasToBoxes(a, a, 'xyxy', 'xyxy', { encodedFormat: 'center_xyhw' as never })).toThrow(
      /expected encodedFormat to be 'center_yxhw' or 'center_xywh'/,
    );
  });
});
