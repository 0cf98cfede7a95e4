// packXYSampleWeight / unpackXYSampleWeight / isKerasTensor: Keras 3's rules (arrays as tuples, null as None).
import * as ts from '../../src';

describe('utils.packXYSampleWeight / unpackXYSampleWeight', () => {
  it('pack as Keras: x alone (an array x wrapped), [x, y], [x, y, sampleWeight]', () => {
    const x = ts.ones([2, 3]);
    const y = ts.zeros([2]);
    const w = ts.ones([2]);
    expect(ts.utils.packXYSampleWeight(x)).toBe(x);
    expect(ts.utils.packXYSampleWeight([x, x])).toEqual([[x, x]]);
    expect(ts.utils.packXYSampleWeight(x, y)).toEqual([x, y]);
    expect(ts.utils.packXYSampleWeight(x, y, null)).toEqual([x, y]);
    expect(ts.utils.packXYSampleWeight(x, y, w)).toEqual([x, y, w]);
    expect(ts.utils.packXYSampleWeight(x, null, w)).toBe(x); // as Keras: no y, no weight
  });

  it('unpack as Keras, and round-trips with pack', () => {
    const x = ts.ones([2, 3]);
    expect(ts.utils.unpackXYSampleWeight(x)).toEqual([x, null, null]);
    expect(ts.utils.unpackXYSampleWeight({ a: x })).toEqual([{ a: x }, null, null]);
    expect(ts.utils.unpackXYSampleWeight([x])).toEqual([x, null, null]);
    expect(ts.utils.unpackXYSampleWeight([x, 1])).toEqual([x, 1, null]);
    expect(ts.utils.unpackXYSampleWeight([x, 1, 2])).toEqual([x, 1, 2]);
    expect(ts.utils.unpackXYSampleWeight(ts.utils.packXYSampleWeight([x, x], 1))).toEqual([[x, x], 1, null]);
  });

  it('raise clear errors', () => {
    expect(() => ts.utils.unpackXYSampleWeight([])).toThrow(
      'utils.unpackXYSampleWeight: expected data as x, [x], [x, y] or [x, y, sampleWeight], got an array of 0 items',
    );
    expect(() => ts.utils.unpackXYSampleWeight([1, 2, 3, 4])).toThrow('got an array of 4 items');
    expect(() => (ts.utils.packXYSampleWeight as (...a: unknown[]) => unknown)(1, 2, 3, 4)).toThrow(/utils\.packXYSampleWeight/);
    expect(() => (ts.utils.unpackXYSampleWeight as (...a: unknown[]) => unknown)(1, 2)).toThrow(/utils\.unpackXYSampleWeight/);
  });
});

describe('utils.isKerasTensor', () => {
  it('is true for symbolic tensors only', () => {
    const input = ts.input({ shape: [3] });
    expect(ts.utils.isKerasTensor(input)).toBe(true);
    expect(ts.utils.isKerasTensor(ts.layers.dense({ units: 2 }).apply(input))).toBe(true);
    expect(ts.utils.isKerasTensor(ts.ones([3]))).toBe(false);
    expect(ts.utils.isKerasTensor(null)).toBe(false);
    expect(() => (ts.utils.isKerasTensor as (...a: unknown[]) => unknown)(1, 2)).toThrow(/utils\.isKerasTensor/);
  });
});
