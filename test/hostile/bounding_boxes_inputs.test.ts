// ts.utils.boundingBoxes given integer deltas and boxes that do not pair up: Keras's results
// (test/fixtures/keras/hostile_boxes.json, scripts/fixtures/make_hostile_boxes_fixtures.py)
// or an error naming the function, never an internal op's ("exp:", "minimum:").
import * as fs from 'node:fs';
import * as ts from '../../src';
import { fixture } from '../saving/helpers';

const bb = ts.utils.boundingBoxes;
const keras = JSON.parse(fs.readFileSync(fixture('keras/hostile_boxes.json'), 'utf8')) as {
  anchors: number[][];
  deltas: number[][];
  cases: { boxFormat: 'xyxy' | 'center_xywh'; out: number[][] }[];
};

describe('boundingBoxes on hostile inputs', () => {
  it.each(keras.cases)(
    'decodeDeltasToBoxes of int32 deltas to $boxFormat computes in float32 as Keras (it said exp: expected float32)',
    ({ boxFormat, out }) => {
      const before = ts.memory().numTensors;
      const deltas = ts.tensor(keras.deltas, undefined, 'int32');
      const boxes = bb.decodeDeltasToBoxes(keras.anchors, deltas, 'xyxy', boxFormat);
      expect(boxes.dtype).toBe('float32');
      Array.from(boxes.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(out.flat()[i], 4));
      ts.dispose([deltas, boxes]);
      expect(ts.memory().numTensors).toBe(before);
    },
  );

  it('computeIou of batches of different sizes names itself and frees what it made', () => {
    const a = ts.zeros([2, 3, 4]);
    const b = ts.zeros([3, 3, 4]);
    const before = ts.memory().numTensors;
    expect(() => bb.computeIou(a, b, 'xyxy')).toThrow(
      'utils.boundingBoxes.computeIou: expected boxes1 and boxes2 to have the same batch size, got shapes [2, 3, 4] and [3, 3, 4]',
    );
    expect(() => bb.computeIou([[[0, 0, 1, 1]], [[0, 0, 1, 1]]], [[[0, 0, 1, 1]], [[0, 0, 1, 1]], [[0, 0, 1, 1]]], 'xyxy')).toThrow('same batch size');
    expect(ts.memory().numTensors).toBe(before);
    const one = ts.zeros([1, 3, 4]);
    const iou = bb.computeIou(a, one, 'xyxy'); // a batch of 1 broadcasts, as Keras's
    expect(iou.shape).toEqual([2, 3, 3]);
    ts.dispose([a, b, one, iou]);
  });

  it('computeCiou of boxes that do not broadcast names itself (it said minimum:)', () => {
    const before = ts.memory().numTensors;
    expect(() =>
      bb.computeCiou(
        [
          [0, 0, 1, 1],
          [0, 0, 2, 2],
          [1, 1, 2, 2],
        ],
        [
          [0, 0, 1, 1],
          [0, 0, 2, 2],
        ],
        'xyxy',
      ),
    ).toThrow('utils.boundingBoxes.computeCiou: boxes1 and boxes2 are compared box by box: shapes [3, 4] and [2, 4] cannot be broadcast together');
    expect(ts.memory().numTensors).toBe(before);
  });

  it("decodeDeltasToBoxes reads a level's deltas from the object itself, not its prototype", () => {
    expect(() => bb.decodeDeltasToBoxes({ constructor: [[0, 0, 1, 1]] }, {}, 'xyxy', 'xyxy')).toThrow(
      "utils.boundingBoxes.decodeDeltasToBoxes: boxesDelta has no level 'constructor' of anchors",
    );
  });
});
