// ts.random's creation ops and SeedGenerator: Keras 3's keras.random semantics (a number
// seed repeats, a SeedGenerator advances, none follows setSeed), shapes, dtypes, moments.
import * as ts from '../../src';

const values = (t: ts.Tensor): number[] => {
  const v = Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return v;
};
const moments = (v: number[]): [number, number] => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return [mean, v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length];
};

describe('seeds', () => {
  it('a number seed gives the same draw on every call', () => {
    expect(values(ts.random.normal([5], { seed: 3 }))).toEqual(values(ts.random.normal([5], { seed: 3 })));
    expect(values(ts.random.normal([5], { seed: 3 }))).not.toEqual(values(ts.random.normal([5], { seed: 4 })));
  });

  it('a SeedGenerator advances each call, and two generators of one seed agree', () => {
    const g1 = new ts.random.SeedGenerator(42),
      g2 = new ts.random.SeedGenerator(42);
    const a = values(ts.random.uniform([6], { seed: g1 }));
    const b = values(ts.random.uniform([6], { seed: g1 }));
    expect(a).not.toEqual(b);
    expect(values(ts.random.uniform([6], { seed: g2 }))).toEqual(a);
    expect(values(ts.random.uniform([6], { seed: g2 }))).toEqual(b);
    expect(g1.initialSeed).toBe(42);
  });

  it('a SeedGenerator without a seed, and no seed at all, follow setSeed', () => {
    ts.setSeed(11);
    const a = [values(ts.random.normal([4])), values(ts.random.normal([4], { seed: new ts.random.SeedGenerator() }))];
    ts.setSeed(11);
    const b = [values(ts.random.normal([4])), values(ts.random.normal([4], { seed: new ts.random.SeedGenerator() }))];
    expect(b).toEqual(a);
    expect(a[0]).not.toEqual(a[1]);
  });

  it('bad seeds raise errors naming the op', () => {
    expect(() => ts.random.normal([2], { seed: -1 })).toThrow(/random\.normal: expected seed to be a non-negative integer or a random\.SeedGenerator, got -1/);
    expect(() => ts.random.normal([2], { seed: 'a' as never })).toThrow(/random\.normal: expected seed/);
    expect(() => new ts.random.SeedGenerator(1.5)).toThrow(/random\.SeedGenerator: expected seed to be a non-negative integer/);
  });
});

describe('normal, uniform, truncatedNormal, randint', () => {
  it('have the shape and dtype asked for', () => {
    const cases: [ts.Tensor, number[], string][] = [
      [ts.random.normal([2, 3]), [2, 3], 'float32'],
      [ts.random.normal([4], { dtype: 'float64' }), [4], 'float64'],
      [ts.random.uniform([3, 1], { minval: 2, maxval: 5 }), [3, 1], 'float32'],
      [ts.random.truncatedNormal([5]), [5], 'float32'],
      [ts.random.randint([2, 2], 0, 10), [2, 2], 'int32'],
    ];
    for (const [t, shape, dtype] of cases) {
      expect([t.shape, t.dtype]).toEqual([shape, dtype]);
      t.dispose();
    }
  });

  it('have the moments of their distributions', () => {
    const [m, v] = moments(values(ts.random.normal([20000], { mean: 2, stddev: 3, seed: 1 })));
    expect(Math.abs(m - 2)).toBeLessThan(0.15);
    expect(Math.abs(v - 9)).toBeLessThan(0.6);
    const u = values(ts.random.uniform([20000], { minval: -1, maxval: 3, seed: 2 }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    const [um, uv] = moments(u);
    expect(Math.abs(um - 1)).toBeLessThan(0.05);
    expect(Math.abs(uv - 16 / 12)).toBeLessThan(0.08);
    // Truncated at two standard deviations: variance 0.7737 of the untruncated one.
    const tn = values(ts.random.truncatedNormal([20000], { stddev: 2, seed: 3 }));
    expect(Math.max(...tn.map(Math.abs))).toBeLessThanOrEqual(4);
    expect(Math.abs(moments(tn)[1] - 4 * 0.7737)).toBeLessThan(0.2);
    const r = values(ts.random.randint([20000], -3, 4, { seed: 4 }));
    expect(new Set(r)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    expect(Math.abs(moments(r)[0])).toBeLessThan(0.1);
  });

  it('raise clear errors', () => {
    expect(() => ts.random.uniform([2], { dtype: 'int32' })).toThrow(/random\.uniform: expected a float dtype/);
    expect(() => ts.random.normal([2], { stddev: -1 })).toThrow(/^random\.normal: .*stddev/);
    expect(() => ts.random.normal([2], { stdev: 1 } as never)).toThrow(/random\.normal.*stdev/);
    expect(() => ts.random.randint([2], 0.5, 3)).toThrow(/random\.randint: expected minval to be an integer, got 0\.5/);
    expect(() => ts.random.randint([2], 3, 3)).toThrow(/^random\.randint: .*minval < maxval/);
    expect(() => ts.random.randint([2], 0, 3, { dtype: 'float32' })).toThrow(/random\.randint: expected dtype 'int32', got 'float32'/);
    expect(() => ts.random.normal([-1])).toThrow(/^random\.normal: expected shape/);
    expect(() => (ts.random.normal as (...a: unknown[]) => unknown)([2], {}, 3)).toThrow(/random\.normal: expected at most 2 arguments/);
  });
});
