import {
  broadcastTo,
  concat,
  expandDims,
  flatten,
  gather,
  getNumThreads,
  oneHot,
  pad,
  reshape,
  setNumThreads,
  slice,
  split,
  squeeze,
  stack,
  tensor,
  tile,
  transpose,
  unsortedSegmentSum,
  unstack,
} from '../src';
import { expectTensor, randomData, sizeOf } from './helpers/reference';

const iota = (shape: number[]) =>
  tensor(
    Array.from({ length: sizeOf(shape) }, (_, i) => i),
    shape,
  );

// Element at a multi-index of a row-major array.
const at = (data: number[], shape: number[], idx: number[]) => idx.reduce((off, v, d) => off * shape[d] + v, 0);

describe('reshape family', () => {
  it('reshapes, infers -1, and shares storage', () => {
    const x = iota([2, 3, 4]);
    expect(reshape(x, [6, -1]).shape).toEqual([6, 4]);
    expect(reshape(x, [24]).arraySync()).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(expandDims(x, 1).shape).toEqual([2, 1, 3, 4]);
    expect(squeeze(reshape(x, [1, 2, 1, 12])).shape).toEqual([2, 12]);
    expect(flatten(x).shape).toEqual([24]);
    expect(() => reshape(x, [5, -1])).toThrow(/reshape: cannot reshape a tensor of 24 elements \(shape \[2, 3, 4\]\) into \[5, -1\]/);
    expect(() => squeeze(x, [0])).toThrow(/squeeze: cannot squeeze axis 0 of size 2/);
  });
});

describe('transpose', () => {
  it('applies every permutation of rank 3 at odd sizes', () => {
    const shape = [3, 7, 5];
    const data = randomData(sizeOf(shape), 1);
    const x = tensor(data, shape);
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const p of perms) {
      const outShape = p.map((d) => shape[d]);
      const want: number[] = [];
      for (let i = 0; i < outShape[0]; i++)
        for (let j = 0; j < outShape[1]; j++)
          for (let k = 0; k < outShape[2]; k++) {
            const src = [0, 0, 0];
            [i, j, k].forEach((v, d) => (src[p[d]] = v));
            want.push(data[at(data, shape, src)]);
          }
      expectTensor(transpose(x, p), outShape, want);
    }
    expect(transpose(iota([2, 3])).shape).toEqual([3, 2]);
    expect(() => transpose(x, [0, 0, 1])).toThrow(/transpose: expected perm to be a permutation of 0..2, got \[0, 0, 1\]/);
  });
});

describe('slice, split, unstack', () => {
  it('slices windows', () => {
    const x = iota([4, 5]);
    expect(slice(x, [1, 2], [2, 3]).arraySync()).toEqual([
      [7, 8, 9],
      [12, 13, 14],
    ]);
    expect(slice(x, [2], [-1]).arraySync()).toEqual([
      [10, 11, 12, 13, 14],
      [15, 16, 17, 18, 19],
    ]);
    expect(slice(x, [0, 4]).arraySync()).toEqual([[4], [9], [14], [19]]);
    expect(() => slice(x, [3, 0], [2, 1])).toThrow(/slice: window begin 3 size 2 is outside dimension 0 of shape \[4, 5\]/);
  });

  // A slice along the first axis is one contiguous block, copied in one part per thread
  // from 64 KB on (cut on 64-byte lines): every byte must land once, whatever the thread
  // count, at sizes and offsets that are not multiples of a line.
  it('copies a leading-axis slice (one block) whole on 1, 2 and 3 threads', () => {
    const saved = getNumThreads();
    try {
      const cases: { shape: number[]; begin: number[]; size: number[]; dtype: 'int32' | 'float64' }[] = [
        { shape: [40000, 7], begin: [12345, 0], size: [20001, 7], dtype: 'int32' }, // 560,028 bytes from byte 345,660
        { shape: [9001, 3, 5], begin: [1, 0, 0], size: [8999, 3, 5], dtype: 'float64' }, // 1,079,880 bytes
        { shape: [70001], begin: [3], size: [69997], dtype: 'int32' }, // 1-D
        { shape: [100, 7], begin: [10, 0], size: [50, 7], dtype: 'int32' }, // under 64 KB: one part
      ];
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        for (const c of cases) {
          const n = sizeOf(c.shape);
          const x = tensor(
            Array.from({ length: n }, (_, i) => (c.dtype === 'int32' ? i : i + 0.25)),
            c.shape,
            c.dtype,
          );
          const rowElems = sizeOf(c.shape.slice(1));
          const first = c.begin[0] * rowElems;
          const expected = Array.from({ length: sizeOf(c.size) }, (_, i) => (c.dtype === 'int32' ? first + i : first + i + 0.25));
          const y = slice(x, c.begin, c.size);
          expect(y.shape).toEqual(c.size);
          expect(Array.from(y.dataSync())).toEqual(expected);
          x.dispose();
          y.dispose();
        }
      }
    } finally {
      setNumThreads(saved);
    }
  });

  it('splits and unstacks', () => {
    const x = iota([2, 6]);
    const parts = split(x, 3, 1);
    expect(parts.map((p) => p.arraySync())).toEqual([
      [
        [0, 1],
        [6, 7],
      ],
      [
        [2, 3],
        [8, 9],
      ],
      [
        [4, 5],
        [10, 11],
      ],
    ]);
    expect(split(x, [1, -1], 1).map((p) => p.shape)).toEqual([
      [2, 1],
      [2, 5],
    ]);
    expect(unstack(x).map((p) => p.arraySync())).toEqual([
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]);
    expect(() => split(x, 4, 1)).toThrow(/split: cannot split dimension 1 of size 6 into 4 equal parts/);
  });
});

describe('concat and stack', () => {
  it('joins along every axis with three inputs', () => {
    const a = iota([2, 3]);
    const b = tensor([
      [10, 11, 12],
      [13, 14, 15],
    ]);
    const c = tensor([
      [20, 21, 22],
      [23, 24, 25],
    ]);
    expect(concat([a, b, c], 0).shape).toEqual([6, 3]);
    expect(concat([a, b, c], 1).arraySync()).toEqual([
      [0, 1, 2, 10, 11, 12, 20, 21, 22],
      [3, 4, 5, 13, 14, 15, 23, 24, 25],
    ]);
    expect(stack([a, b], 1).shape).toEqual([2, 2, 3]);
    expect(stack([a, b], 2).arraySync()).toEqual([
      [
        [0, 10],
        [1, 11],
        [2, 12],
      ],
      [
        [3, 13],
        [4, 14],
        [5, 15],
      ],
    ]);
    expect(() => concat([a, iota([3, 3])], 1)).toThrow(/concat: tensors\[1\] has shape \[3, 3\], incompatible with \[2, 3\] for concatenation along axis 1/);
  });
});

describe('gather, unsortedSegmentSum, oneHot', () => {
  it('gathers along any axis', () => {
    const x = iota([3, 4]);
    expect(gather(x, [2, 0, 2]).arraySync()).toEqual([
      [8, 9, 10, 11],
      [0, 1, 2, 3],
      [8, 9, 10, 11],
    ]);
    expect(gather(x, tensor([[3], [0]], undefined, 'int32'), 1).shape).toEqual([3, 2, 1]);
    expect(gather(x, [1, 3], 1).arraySync()).toEqual([
      [1, 3],
      [5, 7],
      [9, 11],
    ]);
    expect(() => gather(x, [5])).toThrow(/gather: index 5 at position 0 is out of range \[0, 3\) for axis 0/);
    expect(() => gather(x, tensor([0.5]))).toThrow(/gather: expected argument 'indices' to have dtype int32, got float32/);
    // JS numbers are not truncated to int32: 1.5 would pick row 1.
    expect(() => gather(x, 1.5)).toThrow(/^gather: expected argument 'indices' to hold integers, got 1.5/);
    expect(() => gather(x, [[0], [NaN]])).toThrow(/^gather: expected argument 'indices' to hold integers, got NaN/);
    expect(() => gather(x, new Float32Array([0, 2.25]))).toThrow(/^gather: expected argument 'indices' to hold integers, got 2.25/);
    expect(gather(x, new Float32Array([2])).shape).toEqual([1, 4]);
  });

  it('sums segments with repeated and out-of-range ids', () => {
    const data = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    const ids = tensor([0, 2, 0, 9], undefined, 'int32');
    expect(unsortedSegmentSum(data, ids, 3).arraySync()).toEqual([
      [6, 8],
      [0, 0],
      [3, 4],
    ]);
    expect(() => unsortedSegmentSum(data, [0, 0.5, 1, 2], 3)).toThrow(/^unsortedSegmentSum: expected argument 'segmentIds' to hold integers, got 0.5/);
  });

  it('one-hot encodes', () => {
    expect(oneHot(tensor([0, 2, -1], undefined, 'int32'), 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
    ]);
    expect(oneHot([2, 0], 3).arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('one-hot refuses indices and depths that are not integers (as gather), never truncating 1.5 to 1', () => {
    expect(() => oneHot([0, 1.5], 3)).toThrow(/^oneHot: expected argument 'indices' to hold integers, got 1.5/);
    expect(() => oneHot([[NaN]], 3)).toThrow(/^oneHot: expected argument 'indices' to hold integers, got NaN/);
    expect(() => oneHot(new Float32Array([0.25]), 3)).toThrow(/^oneHot: expected argument 'indices' to hold integers, got 0.25/);
    const f = tensor([0.5, 1]);
    expect(() => oneHot(f, 3)).toThrow(/^oneHot: expected argument 'indices' to have dtype int32, got float32/);
    f.dispose();
    expect(() => oneHot([1], 2.5)).toThrow(/^oneHot: expected depth to be a positive int32 \(1 to 2147483647\), got 2.5/);
  });
});

describe('pad, tile, broadcastTo', () => {
  it('pads with a constant', () => {
    expect(
      pad(
        tensor([[1, 2]]),
        [
          [1, 0],
          [0, 2],
        ],
        9,
      ).arraySync(),
    ).toEqual([
      [9, 9, 9, 9],
      [1, 2, 9, 9],
    ]);
    expect(() => pad(tensor([1]), [[1, -1]])).toThrow(/pad: expected paddings\[0\] to be \[before, after\] non-negative integers/);
  });

  it('tiles and broadcasts', () => {
    expect(tile(tensor([[1, 2]]), [2, 2]).arraySync()).toEqual([
      [1, 2, 1, 2],
      [1, 2, 1, 2],
    ]);
    expect(broadcastTo(tensor([1, 2]), [3, 2]).arraySync()).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    expect(() => broadcastTo(tensor([1, 2]), [3])).toThrow(/broadcastTo: shapes \[2\] and \[3\] cannot be broadcast together/);
  });

  // The kernel fills instead of copying for a single element and for a size-1 last
  // dimension; every element size goes through its own branch.
  const samples: Record<string, number[]> = {
    float32: [1.5, -2.25, 3, 0.125, -7, 9.5],
    float64: [1e300, -1.25e-300, Math.PI, -Math.E, 2 ** 60, 0.1],
    int32: [-2147483648, 2147483647, -1, 0, 7, 123456789],
    bool: [1, 0, 1, 1, 0, 1],
  };
  // Reference broadcast: out[i] = x[the index with each size-1 dimension at 0].
  function refBroadcastTo(data: number[], shape: number[], to: number[]): number[] {
    const padded = [...new Array(to.length - shape.length).fill(1), ...shape];
    return Array.from({ length: sizeOf(to) }, (_, i) => {
      let rem = i;
      let src = 0;
      let stride = 1;
      for (let d = to.length - 1; d >= 0; d--) {
        const idx = rem % to[d];
        rem = Math.floor(rem / to[d]);
        if (padded[d] !== 1) src += idx * stride;
        stride *= padded[d];
      }
      return data[src];
    });
  }
  for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
    it(`broadcastTo fills and copies ${dtype} elements exactly`, () => {
      for (const [shape, to] of [
        [[], [3, 4, 5]],
        [[1], [7]],
        [
          [1, 1],
          [2, 33],
        ],
        [
          [2, 1],
          [2, 3],
        ],
        [
          [3, 1, 1],
          [3, 2, 4],
        ],
        [
          [2, 1, 3],
          [4, 2, 5, 3],
        ],
        [
          [1, 3],
          [5, 3],
        ],
        [
          [3, 2],
          [2, 3, 2],
        ],
      ] as [number[], number[]][]) {
        const data = samples[dtype].slice(0, sizeOf(shape));
        const got = broadcastTo(tensor(data, shape, dtype), to);
        expect(got.shape).toEqual(to);
        expect(Array.from(got.dataSync())).toEqual(refBroadcastTo(data, shape, to).map((v) => (dtype === 'float32' ? Math.fround(v) : v)));
      }
      // tile of a size-1 last dimension fills each row.
      const rowsOf = [0, 1, 0, 1].flatMap((r) => new Array(3).fill(samples[dtype][r]));
      expect(Array.from(tile(tensor(samples[dtype].slice(0, 2), [2, 1], dtype), [2, 3]).dataSync())).toEqual(
        rowsOf.map((v) => (dtype === 'float32' ? Math.fround(v) : v)),
      );
    });
  }
});
