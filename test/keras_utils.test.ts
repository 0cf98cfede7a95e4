// keras.utils's helpers of a first model, with the examples of Keras 3's documentation.
import * as ts from '../src';
import { liveTensors } from './helpers/memory';

describe('utils.toCategorical', () => {
  it("one-hot float rows, as Keras's to_categorical", () => {
    expect(ts.utils.toCategorical([0, 1, 2, 3], 4).arraySync()).toEqual(ts.eye(4).arraySync());
    const y = ts.utils.toCategorical(ts.tensor2d([[2], [0]], [2, 1], 'int32'));
    expect(y.shape).toEqual([2, 3]); // the trailing 1 dropped; numClasses from the largest index
    expect(y.dtype).toBe('float32');
    expect(y.arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(ts.utils.toCategorical([[1, 0]], 2).shape).toEqual([1, 2, 2]);
  });

  it('says what is wrong', () => {
    expect(() => ts.utils.toCategorical([0, 3], 3)).toThrow(/utils.toCategorical: class index 3 does not fit numClasses 3/);
    expect(() => ts.utils.toCategorical([0, -1])).toThrow(/utils.toCategorical: expected class indices \(non-negative integers\), got -1 at flat index 1/);
    expect(() => ts.utils.toCategorical([0.5])).toThrow(/got 0.5/);
    expect(() => ts.utils.toCategorical([0], 0)).toThrow(/expected numClasses to be a positive integer, got 0/);
    expect(() => ts.utils.toCategorical([])).toThrow(/utils.toCategorical: y has no class indices, so numClasses must be given/);
    expect(ts.utils.toCategorical([], 3).shape).toEqual([0, 3]);
  });
});

describe('utils.padSequences', () => {
  const seqs = [[1], [2, 3], [4, 5, 6]];
  it("pads and cuts at the start by default, as Keras's pad_sequences", () => {
    expect(ts.utils.padSequences(seqs).arraySync()).toEqual([
      [0, 0, 1],
      [0, 2, 3],
      [4, 5, 6],
    ]);
    expect(ts.utils.padSequences(seqs).dtype).toBe('int32');
    expect(ts.utils.padSequences(seqs, { value: -1 }).arraySync()).toEqual([
      [-1, -1, 1],
      [-1, 2, 3],
      [4, 5, 6],
    ]);
    expect(ts.utils.padSequences(seqs, { padding: 'post' }).arraySync()).toEqual([
      [1, 0, 0],
      [2, 3, 0],
      [4, 5, 6],
    ]);
    expect(ts.utils.padSequences(seqs, { maxlen: 2 }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [5, 6],
    ]);
    expect(ts.utils.padSequences(seqs, { maxlen: 2, truncating: 'post', dtype: 'float32' }).arraySync()).toEqual([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expect(ts.utils.padSequences([], { maxlen: 4 }).shape).toEqual([0, 4]);
    // many sequences (a spread of their lengths overflowed the call stack)
    expect(ts.utils.padSequences(Array.from({ length: 300_000 }, () => [1, 2])).shape).toEqual([300_000, 2]);
  });

  it('says what is wrong', () => {
    expect(() => ts.utils.padSequences(seqs, { padding: 'left' as never })).toThrow(/utils.padSequences: expected padding to be 'pre' or 'post', got 'left'/);
    expect(() => ts.utils.padSequences(seqs, { maxlength: 2 } as never)).toThrow(/utils.padSequences: unknown option 'maxlength'/);
    expect(ts.utils.padSequences(seqs, { maxLen: 2 } as never).shape).toEqual([3, 2]); // the camelCase habit, read as maxlen
    expect(() => ts.utils.padSequences([[1, 'a' as never]])).toThrow(/expected sequence 0 to hold numbers, got 'a'/);
    expect(() => ts.utils.padSequences([3 as never])).toThrow(/expected sequence 0 to be an array of numbers, got 3/);
    expect(() => ts.utils.padSequences(seqs, { maxlen: 1.5 })).toThrow(/expected maxlen to be a non-negative integer, got 1.5/);
    expect(() => ts.utils.padSequences([[0, 2]], { dtype: 'bool' })).toThrow(/expected sequence 0 to hold 0 or 1 for dtype 'bool', got 2/);
  });
});

it("utils.normalize divides by the norm along the axis (zero rows stay zero), as Keras's", () => {
  const x = ts.tensor2d([
    [3, 4],
    [0, 0],
  ]);
  const out = ts.utils.normalize(x).arraySync() as number[][];
  expect(out[0][0]).toBeCloseTo(0.6);
  expect(out[0][1]).toBeCloseTo(0.8);
  expect(out[1]).toEqual([0, 0]);
  expect(ts.utils.normalize([[3, 4]]).dtype).toBe('float32'); // integers in, floats out (as Keras)
  expect(ts.utils.normalize(ts.tensor2d([[0, 2]], [1, 2], 'int32')).arraySync()).toEqual([[0, 1]]);
  expect(ts.utils.normalize(x, 0, 1).arraySync()).toEqual([
    [1, 1],
    [0, 0],
  ]);
});

it('utils.setRandomSeed repeats random ops', () => {
  ts.utils.setRandomSeed(5);
  const a = ts.randomUniform([3]).arraySync();
  ts.utils.setRandomSeed(5);
  expect(ts.randomUniform([3]).arraySync()).toEqual(a);
});

it('leaves no tensor behind when given JS arrays', () => {
  const before = liveTensors();
  ts.dispose([ts.utils.toCategorical([0, 1]), ts.utils.normalize([[3, 4]]), ts.clone([1, 2])]);
  expect(liveTensors()).toBe(before);
});
