// ts.random's categorical, shuffle, dropout, gamma, beta and binomial: seeds, shapes,
// dtypes, distribution moments on large samples, and clear errors.
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
const near = (got: number, want: number, tol: number) => expect({ got, ok: Math.abs(got - want) <= tol }).toEqual({ got, ok: true });

describe('categorical', () => {
  it('draws class indices with probability softmax(logits)', () => {
    const logits = ts.tensor([
      [Math.log(0.2), Math.log(0.8)],
      [0, -Infinity],
    ]);
    const t = ts.random.categorical(logits, 5000, { seed: 1 });
    expect([t.shape, t.dtype]).toEqual([[2, 5000], 'int32']);
    const v = values(t);
    near(moments(v.slice(0, 5000))[0], 0.8, 0.03);
    expect(v.slice(5000).every((c) => c === 0)).toBe(true);
    expect(values(ts.random.categorical(logits, 6, { seed: 2 }))).toEqual(values(ts.random.categorical(logits, 6, { seed: 2 })));
  });

  it('raises clear errors', () => {
    expect(() => ts.random.categorical(ts.tensor([0, 1]), 2)).toThrow(/random\.categorical: expected logits of rank 2 \(\[batch, classes\]\), got shape \[2\]/);
    expect(() => ts.random.categorical(ts.zeros([1, 2]), 0)).toThrow(/random\.categorical: expected numSamples to be a positive integer, got 0/);
    expect(() => ts.random.categorical(ts.zeros([1, 2]), 1, { dtype: 'float32' })).toThrow(/random\.categorical: expected dtype 'int32'/);
  });
});

describe('shuffle', () => {
  it('permutes slices along the axis, repeatably with a seed', () => {
    const x = ts.reshape(ts.range(0, 12), [4, 3]);
    const rows = ts.random.shuffle(x, { seed: 5 }).arraySync() as number[][];
    expect(rows.map((r) => r[0]).sort((a, b) => a - b)).toEqual([0, 3, 6, 9]);
    for (const r of rows) expect(r).toEqual([r[0], r[0] + 1, r[0] + 2]);
    expect(ts.random.shuffle(x, { seed: 5 }).arraySync()).toEqual(rows);
    const cols = ts.random.shuffle(x, { axis: -1, seed: 9 }).arraySync() as number[][];
    expect([...cols[0]].sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect(cols[1]).toEqual(cols[0].map((c) => c + 3));
  });

  it('raises clear errors', () => {
    expect(() => ts.random.shuffle(ts.scalar(1))).toThrow(/random\.shuffle: expected x of rank at least 1, got a scalar/);
    expect(() => ts.random.shuffle(ts.zeros([2, 2]), { axis: 2 })).toThrow(/random\.shuffle: expected axis to be an integer in \[-2, 1\]/);
  });
});

describe('dropout', () => {
  it('zeroes at rate and scales the rest, sharing the mask along noiseShape 1s', () => {
    const y = values(ts.random.dropout(ts.ones([10000]), 0.25, { seed: 3 }));
    near(y.filter((v) => v === 0).length / y.length, 0.25, 0.02);
    expect(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    const shared = ts.random.dropout(ts.ones([50, 4]), 0.5, { noiseShape: [50, 1], seed: 4 }).arraySync() as number[][];
    for (const r of shared) expect(new Set(r).size).toBe(1);
  });

  it('raises clear errors', () => {
    expect(() => ts.random.dropout(ts.ones([2]), 1)).toThrow(/random\.dropout: expected rate in \[0, 1\), got 1/);
    expect(() => ts.random.dropout(ts.ones([2, 2]), 0.5, { noiseShape: [3, 1] })).toThrow(/random\.dropout: shapes \[2, 2\] and \[3, 1\] cannot be broadcast/);
  });
});

describe('gamma, beta, binomial', () => {
  it('have the moments of their distributions', () => {
    for (const alpha of [0.5, 3]) {
      const [m, v] = moments(values(ts.random.gamma([20000], alpha, { seed: 1 })));
      near(m, alpha, 0.05 * alpha + 0.02);
      near(v, alpha, 0.1 * alpha + 0.03);
    }
    const [bm, bv] = moments(values(ts.random.beta([20000], 2, 6, { seed: 2 })));
    near(bm, 0.25, 0.01);
    near(bv, (2 * 6) / (8 * 8 * 9), 0.003);
    for (const [n, p] of [
      [10, 0.3],
      [100000, 0.7],
    ]) {
      const draws = values(ts.random.binomial([n > 100 ? 4000 : 20000], n, p, { seed: 3 }));
      expect(draws.every((d) => Number.isInteger(d) && d >= 0 && d <= n)).toBe(true);
      const [m, v] = moments(draws);
      near(m, n * p, 0.02 * n * p);
      near(v, n * p * (1 - p), 0.15 * n * p * (1 - p));
    }
  });

  it('take tensor parameters broadcast to the shape, and repeat with a seed', () => {
    const t = ts.random.gamma([2, 3], ts.tensor([[1], [100]]), { seed: 7, dtype: 'float64' });
    expect([t.shape, t.dtype]).toEqual([[2, 3], 'float64']);
    const v = values(t);
    expect(Math.min(...v.slice(3))).toBeGreaterThan(50);
    const counts = values(ts.random.binomial([2, 2], ts.tensor([0, 5]), ts.tensor([[1], [0]])));
    expect(counts).toEqual([0, 5, 0, 0]);
    expect(values(ts.random.beta([4], 1, 2, { seed: 1 }))).toEqual(values(ts.random.beta([4], 1, 2, { seed: 1 })));
  });

  it('raise clear errors', () => {
    expect(() => ts.random.gamma([2], 0)).toThrow(/random\.gamma: expected alpha to be a positive finite number, got 0/);
    expect(() => ts.random.gamma([2], ts.tensor([1, -1]))).toThrow(/random\.gamma: expected alpha to be a positive finite number, got -1/);
    expect(() => ts.random.gamma([2], ts.tensor([1, 2, 3]))).toThrow(/^random\.gamma: /);
    expect(() => ts.random.beta([2], 1, NaN)).toThrow(/random\.beta: expected beta to be a positive finite number, got NaN/);
    expect(() => ts.random.binomial([2], 2.5, 0.5)).toThrow(/random\.binomial: expected counts to be a non-negative integer, got 2\.5/);
    expect(() => ts.random.binomial([2], 2, 1.5)).toThrow(/random\.binomial: expected probabilities to be a probability in \[0, 1\], got 1\.5/);
    expect(() => ts.random.gamma([2], 1, { dtype: 'int32' })).toThrow(/random\.gamma: expected dtype 'float32' or 'float64', got 'int32'/);
  });
});
