// The chained ops TensorFlow.js's Tensor has whose op Tessera has: each method gives what
// the function form gives with the tensor first (where: second), and refuses extra arguments.
import * as ts from '../src';

type Method = (...a: unknown[]) => unknown;
const call = (x: ts.Tensor, name: string, args: unknown[]) => ((x as unknown as Record<string, Method>)[name] as Method).apply(x, args);
const flat = (v: unknown): unknown =>
  v instanceof ts.Tensor
    ? { shape: v.shape, dtype: v.dtype, values: Array.from(v.dataSync(), Number) }
    : Object.fromEntries(Object.entries(v as object).map(([k, t]) => [k, flat(t)]));

const img = () =>
  ts.tensor(
    Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) - 5),
    [1, 4, 4, 2],
  );
const vec = () => ts.tensor([3, -1, 2, 5, -4, 1]);

// method, the tensor, its arguments, the function form, its most arguments after the tensor
const CASES: [string, () => ts.Tensor, () => unknown[], (x: ts.Tensor, ...a: never[]) => unknown, number][] = [
  ['pool', img, () => [2, 'max', 'same', 2], ts.pool, 6],
  ['dilation2d', img, () => [ts.ones([2, 2, 2]), 1, 'valid', 2], ts.dilation2d, 5],
  ['batchNorm', img, () => [ts.tensor([0.5, -0.5]), ts.tensor([2, 3]), ts.tensor([1, 0]), ts.tensor([2, 1]), 1e-3], ts.batchNorm, 5],
  ['localResponseNormalization', img, () => [1, 2, 0.5, 0.75], ts.localResponseNormalization, 4],
  ['prelu', vec, () => [ts.scalar(0.25)], ts.prelu, 1],
  ['cumprod', vec, () => [0, true, true], ts.cumprod, 3],
  ['mirrorPad', vec, () => [[[2, 1]], 'reflect'], ts.mirrorPad, 2],
  ['stridedSlice', vec, () => [[1], [6], [2]], ts.stridedSlice, 8],
  ['depthToSpace', () => ts.reshape(img(), [1, 2, 2, 8]), () => [2], ts.depthToSpace, 2],
  [
    'spaceToBatchND',
    img,
    () => [
      [2, 2],
      [
        [0, 0],
        [0, 0],
      ],
    ],
    ts.spaceToBatchND,
    2,
  ],
  [
    'batchToSpaceND',
    img,
    () => [
      [1, 1],
      [
        [0, 0],
        [1, 0],
      ],
    ],
    ts.batchToSpaceND,
    2,
  ],
  ['unique', () => ts.tensor([4, 2, 4, 1], [4], 'int32'), () => [0], ts.unique, 1],
  ['unsortedSegmentSum', vec, () => [ts.tensor([0, 2, 0, 1, 2, 2], [6], 'int32'), 3], ts.unsortedSegmentSum, 2],
  ['resizeBilinear', img, () => [[3, 5], false, true], ts.image.resizeBilinear, 3],
  ['resizeNearestNeighbor', img, () => [[7, 3], true, false], ts.image.resizeNearestNeighbor, 3],
  ['rfft', vec, () => [], ts.rfft, 1],
];

describe("TensorFlow.js's chained ops whose op Tessera has", () => {
  test.each(CASES)('x.%s(...) is the function form', (name, x, args, fn) => {
    ts.tidy(() => {
      const t = x();
      const a = args();
      expect(flat(call(t, name, a))).toEqual(flat((fn as Method)(t, ...a)));
    });
  });

  // The op's own check, which counts the arguments its own way (with the tensor, or past it).
  test.each(CASES)('x.%s refuses more arguments than the op takes, naming it', (name, x, args, _fn, most) => {
    ts.tidy(() => {
      const extra = [...args(), ...Array.from({ length: most + 1 - args().length }, () => undefined)];
      expect(() => call(x(), name, extra)).toThrow(new RegExp(`\\b${name}: expected at most \\d+ arguments`));
    });
  });
});

describe("TensorFlow.js's methods that are not an op of the same name", () => {
  test('as5D, reshapeAs, and where (the tensor is the value where the condition holds)', () => {
    ts.tidy(() => {
      const x = ts.tensor([1, 2, 3, 4]);
      expect(x.as5D(1, 2, 1, 2, 1).shape).toEqual([1, 2, 1, 2, 1]);
      expect(x.reshapeAs(ts.zeros([2, 2])).shape).toEqual([2, 2]);
      const picked = x.where(ts.tensor([true, false, false, true]), ts.tensor([9, 8, 7, 6]));
      expect(Array.from(picked.dataSync())).toEqual([1, 8, 7, 4]);
    });
  });

  test('extra or wrong arguments are errors naming the method', () => {
    const x = ts.tensor([1, 2, 3, 4]);
    const loose = x as unknown as Record<string, Method>;
    expect(() => loose.as5D.call(x, 1, 2, 1, 2, 1, 1)).toThrow(/^Tensor\.as5D: expected at most 5 arguments, got 6/);
    expect(() => loose.reshapeAs.call(x, x, x)).toThrow(/^Tensor\.reshapeAs: expected at most 1 argument, got 2/);
    expect(() => loose.where.call(x, true, x, x)).toThrow(/^Tensor\.where: expected at most 2 arguments, got 3/);
    expect(() => loose.reshapeAs.call(x, [2, 2])).toThrow(/^Tensor\.reshapeAs: expected a Tensor whose shape to take, got \[2, 2\]/);
    x.dispose();
  });
});
