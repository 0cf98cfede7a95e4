// utils.splitDataset against Keras 3's split_dataset (keras/src/utils/dataset_utils.py):
// the sizes and errors below are what Keras 3.15's _rescale_dataset_split_sizes gives.
import { data, range, tensor, utils, type Tensor } from '../../src';
import { splitSizes } from '../../src/utils/split_dataset';

const rowsOf = async (ds: { toArray(): Promise<unknown[]> }) =>
  (await ds.toArray()).map((e) => (e instanceof Array ? (e as Tensor[]).map((t) => t.dataSync()[0]) : (e as Tensor).dataSync()[0]));

describe('utils.splitDataset', () => {
  test('sizes as Keras rescales them (fractions round half to even; None is the complement)', () => {
    expect(splitSizes(10, 0.25, null)).toEqual([2, 8]);
    expect(splitSizes(10, null, 0.35)).toEqual([6, 4]);
    expect(splitSizes(10, 3, null)).toEqual([3, 7]);
    expect(splitSizes(10, 0.2, 0.3)).toEqual([2, 3]);
    expect(splitSizes(10, 2, 3)).toEqual([2, 3]);
  });

  test("Keras's errors for bad sizes", () => {
    expect(() => splitSizes(10, 0.05, null)).toThrow(/with a dataset of 10 samples, leftSize=0 and rightSize=10, the left split would be empty/);
    expect(() => splitSizes(10, 0.6, 0.5)).toThrow(/the sum of leftSize and rightSize is greater than 1/);
    expect(() => splitSizes(10, 10, null)).toThrow(
      /leftSize should be either a positive integer smaller than 10, or a fraction within the range \(0, 1\). Received: leftSize=10/,
    );
    expect(() => splitSizes(10, null, -1)).toThrow(/rightSize should be either a positive integer smaller than 10/);
    expect(() => splitSizes(10, 0, 0)).toThrow(/both leftSize and rightSize are zero/);
    expect(() => splitSizes(10, 6, 7)).toThrow(/the sum of leftSize and rightSize should be at most the 10 samples. Received: leftSize \+ rightSize = 13/);
    expect(() => splitSizes(10, '1' as never, null)).toThrow(/invalid leftSize type: expected a number or null, got/);
    expect(() => utils.splitDataset(range(0, 10), {})).toThrow(/utils.splitDataset: at least one of leftSize or rightSize must be given/);
    expect(() => utils.splitDataset(range(0, 10), { left_size: 2 } as never)).not.toThrow(); // Keras's spelling
    expect(() => utils.splitDataset(range(0, 10), { leftSize: 2, size: 3 } as never)).toThrow(/size/);
    expect(() => utils.splitDataset('x' as never, { leftSize: 2 })).toThrow(/utils.splitDataset: .*the dataset/);
    expect(() => utils.splitDataset(range(0, 10), { leftSize: 2, seed: 1.5 })).toThrow(/expected seed to be an integer/);
  });

  test('a tuple of tensors: the first leftSize rows left, the last rightSize rows right', async () => {
    const x = range(0, 10);
    const y = tensor(Array.from({ length: 10 }, (_, i) => i * 2));
    const [left, right] = utils.splitDataset([x, y], { leftSize: 3, rightSize: 4 });
    expect(await rowsOf(left)).toEqual([
      [0, 0],
      [1, 2],
      [2, 4],
    ]);
    expect((await rowsOf(right)).map((r) => (r as number[])[0])).toEqual([6, 7, 8, 9]);
    expect([left.size, right.size]).toEqual([3, 4]);
  });

  test('shuffled with a seed: the same split each time, every sample once', async () => {
    const split = () => utils.splitDataset(range(0, 20), { leftSize: 0.75, shuffle: true, seed: 7 });
    const [a, b] = split();
    const [a2] = split();
    const left = (await rowsOf(a)) as number[];
    expect(left).toEqual(await rowsOf(a2));
    expect(left).not.toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect([...left, ...((await rowsOf(b)) as number[])].sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  test('a Dataset: its elements, resolved', async () => {
    const [left, right] = await utils.splitDataset(data.fromArrays([1, 2, 3, 4, 5]), { rightSize: 0.4 });
    expect(await left.toArray()).toEqual([1, 2, 3]);
    expect(await right.toArray()).toEqual([4, 5]);
  });
});
