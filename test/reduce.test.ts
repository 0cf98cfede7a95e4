import { argMax, argMin, cumsum, max, mean, min, prod, sum, tensor } from '../src';
import { expectTensor, randomData, sizeOf } from './helpers/reference';

// Reference reduction over `axes` of a row-major array.
function refReduce(
  data: number[],
  shape: number[],
  axes: number[],
  init: number,
  fn: (acc: number, v: number) => number,
  finish = (a: number, _n: number) => a,
) {
  const outShape = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array(sizeOf(outShape)).fill(init);
  const count = axes.reduce((n, a) => n * shape[a], 1);
  for (let i = 0; i < data.length; i++) {
    let rem = i;
    let off = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const idx = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
      if (!axes.includes(d)) off += idx * stride;
      stride *= outShape[d];
    }
    out[off] = fn(out[off], data[i]);
  }
  return { shape: outShape.filter((_, i) => !axes.includes(i)), kept: outShape, data: out.map((a) => finish(a, count)) };
}

function subsets(rank: number): number[][] {
  const all: number[][] = [];
  for (let m = 1; m < 1 << rank; m++) all.push(Array.from({ length: rank }, (_, i) => i).filter((i) => m & (1 << i)));
  return all;
}

describe('reductions', () => {
  const shape = [3, 7, 2, 5];
  const data = randomData(sizeOf(shape), 3, -2, 2);
  const x = tensor(data, shape);
  const cases: [string, typeof sum, number, (a: number, v: number) => number, ((a: number, n: number) => number)?][] = [
    ['sum', sum, 0, (a, v) => a + v],
    ['mean', mean, 0, (a, v) => a + v, (a, n) => a / n],
    ['max', max, -Infinity, Math.max],
    ['min', min, Infinity, Math.min],
    ['prod', prod, 1, (a, v) => a * v],
  ];
  for (const [name, op, init, fn, finish] of cases) {
    it(`${name} over every subset of axes, with and without keepDims`, () => {
      for (const axes of subsets(shape.length)) {
        const want = refReduce(data, shape, axes, init, fn, finish);
        expectTensor(op(x, axes), want.shape, want.data, 1e-5, 1e-5);
        expectTensor(op(x, axes, true), want.kept, want.data, 1e-5, 1e-5);
      }
      const all = refReduce(data, shape, [0, 1, 2, 3], init, fn, finish);
      expectTensor(op(x), [], all.data, 1e-5, 1e-5);
      expectTensor(op(x, -1), refReduce(data, shape, [3], init, fn, finish).shape, refReduce(data, shape, [3], init, fn, finish).data, 1e-5, 1e-5);
    });
  }

  it('reduces integers, empty axes and large inputs', () => {
    expect(
      sum(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          undefined,
          'int32',
        ),
        0,
      ).arraySync(),
    ).toEqual([4, 6]);
    expect(sum(tensor([], [0, 3]), 0).arraySync()).toEqual([0, 0, 0]);
    expect(Number.isNaN(mean(tensor([], [0])).arraySync() as number)).toBe(true);
    const n = 1 << 20;
    expect(sum(tensor(new Float32Array(n).fill(1))).arraySync()).toBe(n);
  });

  it('propagates NaN in max and min', () => {
    expect(Number.isNaN(max(tensor([1, NaN, 3])).arraySync() as number)).toBe(true);
    expect(Number.isNaN(min(tensor([NaN, 1])).arraySync() as number)).toBe(true);
  });

  it('rejects bad axes', () => {
    expect(() => sum(x, 4)).toThrow(/sum: expected axis in \[-4, 4\), got 4/);
    expect(() => sum(x, [1, 1])).toThrow(/sum: expected distinct axes/);
  });
});

describe('argMax / argMin', () => {
  it('returns the first index on ties', () => {
    const x = tensor([
      [1, 5, 5],
      [7, 7, 0],
    ]);
    expect(argMax(x, -1).arraySync()).toEqual([1, 0]);
    expect(argMax(x, 0).arraySync()).toEqual([1, 1, 0]);
    expect(argMin(x, 1).arraySync()).toEqual([0, 2]);
    expect(argMax(x, 1).dtype).toBe('int32');
    expect(() => argMax(tensor([], [2, 0]), 1)).toThrow(/argMax: cannot reduce axis 1 of size 0/);
  });
});

// TensorFlow.js's omitted axis is 0, Keras's flattens: the same call would mean two things.
describe('an omitted axis', () => {
  const x = tensor([
    [1, 5, 5],
    [7, 7, 0],
  ]);
  it.each([
    ['argMax', () => argMax(x)],
    ['argMin', () => argMin(x)],
    ['cumsum', () => cumsum(x)],
    ['argMax', () => x.argMax()],
  ])('%s refuses it on rank 2, naming both meanings', (op, call) => {
    expect(call).toThrow(
      new RegExp(`^${op}: give the axis for a tensor of rank 2: an omitted axis is 0 in TensorFlow.js and the flattened tensor in Keras; ${op}\\(x, -1\\)`),
    );
  });
  it('is axis 0 on rank 1, where every convention agrees', () => {
    const v = tensor([3, 9, 1]);
    expect(argMax(v).arraySync()).toBe(1);
    expect(argMin(v).arraySync()).toBe(2);
    expect(cumsum(v).arraySync()).toEqual([3, 12, 13]);
  });
});

describe('cumsum', () => {
  it('supports exclusive and reverse', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(cumsum(x, 1).arraySync()).toEqual([
      [1, 3, 6],
      [4, 9, 15],
    ]);
    expect(cumsum(x, 0).arraySync()).toEqual([
      [1, 2, 3],
      [5, 7, 9],
    ]);
    expect(cumsum(x, 1, true).arraySync()).toEqual([
      [0, 1, 3],
      [0, 4, 9],
    ]);
    expect(cumsum(x, 1, false, true).arraySync()).toEqual([
      [6, 5, 3],
      [15, 11, 6],
    ]);
    // Flags must be booleans: 'no' was taken as true by its truthiness.
    expect(() => cumsum(x, 0, false, 'no' as never)).toThrow(/^cumsum: expected reverse to be true or false, got 'no'/);
    expect(() => cumsum(x, 0, 1 as never)).toThrow(/^cumsum: expected exclusive to be true or false, got 1/);
  });
});
