// ignoreErrors reaches the maps inside zip, flatMap and interleave, and past cache, window,
// paddedBatch and bucketBySequenceLength (tf.data's ignore_errors drops an element whose
// production failed anywhere upstream). Each expected result is the same pipeline over
// the data with the failing elements left out, worked by hand.
import { dispose, tensor, type Tensor } from '../../src';
import * as data from '../../src/data';
import { Dataset, fromArrays, range } from '../../src/data';
import { liveTensors } from '../helpers/memory';

const inverse = (x: number) => {
  if (x === 0) throw new Error('division by zero');
  return 1 / x;
};
const values = (xs: unknown[]) => xs.map((x) => (x as Tensor).arraySync());

describe('ignoreErrors inside zip', () => {
  it('drops the other inputs’ elements at a dropped position, so pairs stay aligned', async () => {
    const a = range(6);
    const b = fromArrays([1, 0, 2, 4, 0, 8]).map(inverse);
    const c = range(10, 16);
    expect(await data.zip([a, b, c]).ignoreErrors().toArray()).toEqual([
      [0, 1, 10],
      [2, 0.5, 12],
      [3, 0.25, 13],
      [5, 0.125, 15],
    ]);
    // Drops in two inputs at different positions, and at the same one; by key.
    const d = fromArrays([1, 1, 1, 0, 0, 1]).map(inverse);
    expect(await data.zip({ a, b, d }).ignoreErrors().toArray()).toEqual([
      { a: 0, b: 1, d: 1 },
      { a: 2, b: 0.5, d: 1 },
      { a: 5, b: 0.125, d: 1 },
    ]);
    // The failing input first, and an input that ends: the pairs end with the shortest.
    expect(
      await data
        .zip([b, range(3)])
        .ignoreErrors()
        .toArray(),
    ).toEqual([
      [1, 0],
      [0.5, 2],
    ]);
    // Without ignoreErrors the error ends the pass, as before.
    await expect(data.zip([a, b]).toArray()).rejects.toThrow(/division by zero/);
  });
  it('frees the tensors of the dropped positions', async () => {
    const x = tensor([[1], [0], [2]]);
    const rows = data.fromTensors(x);
    const checked = data.fromTensors(x).map((r) => {
      if ((r as Tensor).dataSync()[0] === 0) throw new Error('zero');
      return r;
    });
    const zipped = Dataset.zip(rows, checked).ignoreErrors();
    const before = liveTensors();
    const out = await zipped.toArray();
    expect(out.map((pair) => values(pair as Tensor[]))).toEqual([
      [[1], [1]],
      [[2], [2]],
    ]);
    dispose(out as never);
    expect(liveTensors()).toBe(before);
    x.dispose();
  });
});

describe('ignoreErrors inside flatMap and interleave', () => {
  it('flatMap: a failure in an inner data set drops that element, fn throwing drops its input', async () => {
    const inner = range(3).flatMap((x) => fromArrays([x + 1, 0, x + 1]).map(inverse));
    expect(await inner.ignoreErrors().toArray()).toEqual([1, 1, 0.5, 0.5, 1 / 3, 1 / 3]);
    const outer = range(3).flatMap((x) => {
      if (x === 1) throw new Error('no data set for 1');
      return fromArrays([x, x]);
    });
    expect(await outer.ignoreErrors().toArray()).toEqual([0, 0, 2, 2]);
    await expect(outer.toArray()).rejects.toThrow(/no data set for 1/);
    // fn returning no data set is a bug, not an element to drop.
    await expect(
      range(2)
        .flatMap(() => [1] as never)
        .ignoreErrors()
        .toArray(),
    ).rejects.toThrow(/Dataset.flatMap: expected fn to return a Dataset/);
  });
  it('interleave: the same order as over the data without the failing elements', async () => {
    const failing = range(1, 5).interleave((x) => fromArrays([x, 0, 10 * x, 0]).map((v) => (v === 0 ? inverse(v) : v)), 2, 1);
    const clean = range(1, 5).interleave((x) => fromArrays([x, 10 * x]), 2, 1);
    expect(await failing.ignoreErrors().toArray()).toEqual(await clean.toArray());
    const skipsInput = range(1, 5).interleave(
      (x) => {
        if (x === 2) throw new Error('no data set for 2');
        return fromArrays([x, 10 * x]);
      },
      2,
      1,
    );
    const without = fromArrays([1, 3, 4]).interleave((x) => fromArrays([x, 10 * x]), 2, 1);
    expect(await skipsInput.ignoreErrors().toArray()).toEqual(await without.toArray());
  });
});

describe('ignoreErrors past cache, window, paddedBatch and bucketBySequenceLength', () => {
  const checked = () => fromArrays([1, 0, 2, 4, 0, 8]).map(inverse);
  it('cache keeps the elements that survived and replays them', async () => {
    const cached = checked().cache().ignoreErrors();
    expect(await cached.toArray()).toEqual([1, 0.5, 0.25, 0.125]);
    expect(await cached.toArray()).toEqual([1, 0.5, 0.25, 0.125]);
  });
  it('window is made of the elements that survived', async () => {
    const windows = checked()
      .window(3)
      .flatMap((w) => w.batch(3))
      .ignoreErrors();
    expect(values(await windows.toArray())).toEqual([[1, 0.5, 0.25], [0.125]]);
  });
  it('paddedBatch and bucketBySequenceLength pad the elements that survived', async () => {
    const seqs = () =>
      fromArrays([[1], [0, 0], [2, 2, 2], [3, 3]]).map((s) => {
        if (s.includes(0)) throw new Error('bad sequence');
        return tensor(s, [s.length], 'int32');
      });
    const before = liveTensors();
    const padded = await seqs().paddedBatch(2).ignoreErrors().toArray();
    expect(values(padded)).toEqual([
      [
        [1, 0, 0],
        [2, 2, 2],
      ],
      [[3, 3]],
    ]);
    dispose(padded as never);
    const bucketed = await seqs()
      .bucketBySequenceLength((e) => (e as Tensor).shape[0], [3], [2, 2])
      .ignoreErrors()
      .toArray();
    expect(values(bucketed)).toEqual([
      [
        [1, 0],
        [3, 3],
      ],
      [[2, 2, 2]],
    ]);
    dispose(bucketed as never);
    expect(liveTensors()).toBe(before);
  });
});
