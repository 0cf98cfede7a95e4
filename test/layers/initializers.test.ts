// Initializers: statistics, fans (dense and convolution kernels), seeds, names, errors.
import { initializers, matMul, transpose, tidy } from '../../src';
import { expectClose } from '../helpers/reference';
import { computeFans } from '../../src/initializers/initializer';

const stats = (values: ArrayLike<number>) => {
  const a = Array.from(values);
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  const std = Math.sqrt(a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length);
  return { mean, std, min: Math.min(...a), max: Math.max(...a) };
};

describe('initializers', () => {
  it('zeros, ones, constant, identity', () => {
    expect(Array.from(initializers.zeros().apply([2]).dataSync())).toEqual([0, 0]);
    expect(Array.from(initializers.ones().apply([2], 'int32').dataSync())).toEqual([1, 1]);
    expect(Array.from(initializers.constant({ value: 3 }).apply([2]).dataSync())).toEqual([3, 3]);
    expect(initializers.identity({ gain: 2 }).apply([2, 3]).arraySync()).toEqual([
      [2, 0, 0],
      [0, 2, 0],
    ]);
    expect(() => initializers.identity().apply([2, 2, 2])).toThrow('expected a 2-D shape');
  });

  it('computes fans as Keras, convolution kernels included', () => {
    expect(computeFans([3, 4])).toEqual([3, 4]);
    expect(computeFans([5])).toEqual([5, 5]);
    expect(computeFans([3, 3, 16, 32])).toEqual([144, 288]);
  });

  it('varianceScaling matches its variance for every mode and distribution', () => {
    const shape = [3, 3, 40, 60]; // fanIn 360, fanOut 540
    const cases: [string, string, number][] = [
      ['fanIn', 'truncatedNormal', 2 / 360],
      ['fan_out', 'untruncated_normal', 2 / 540],
      ['fanAvg', 'uniform', 2 / 450],
    ];
    for (const [mode, distribution, variance] of cases) {
      const s = stats(initializers.varianceScaling({ scale: 2, mode, distribution, seed: 1 }).apply(shape).dataSync());
      expect(Math.abs(s.mean)).toBeLessThan(0.01);
      expect(s.std).toBeGreaterThan(Math.sqrt(variance) * 0.95);
      expect(s.std).toBeLessThan(Math.sqrt(variance) * 1.05);
    }
    // The truncated normal's correction: stddev sqrt(scale/fan) / 0.8796..., cut at two of those.
    const t = stats(initializers.heNormal({ seed: 2 }).apply([200, 100]).dataSync());
    const limit = (2 * Math.sqrt(2 / 200)) / 0.87962566103423978;
    expect(t.max).toBeLessThanOrEqual(limit);
    expect(t.min).toBeGreaterThanOrEqual(-limit);
  });

  it('glorotUniform stays within sqrt(6 / (fanIn + fanOut))', () => {
    const s = stats(initializers.glorotUniform().apply([30, 70]).dataSync());
    const limit = Math.sqrt(6 / 100);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(limit * 0.9);
  });

  it('the other presets and random initializers have the right spread', () => {
    expect(stats(initializers.lecunNormal({ seed: 1 }).apply([400, 50]).dataSync()).std).toBeCloseTo(Math.sqrt(1 / 400), 2);
    expect(stats(initializers.heUniform({ seed: 1 }).apply([400, 50]).dataSync()).max).toBeLessThanOrEqual(Math.sqrt(6 / 400));
    expect(stats(initializers.lecunUniform({ seed: 1 }).apply([400, 50]).dataSync()).max).toBeLessThanOrEqual(Math.sqrt(3 / 400));
    expect(stats(initializers.glorotNormal({ seed: 1 }).apply([400, 50]).dataSync()).std).toBeCloseTo(Math.sqrt(2 / 450), 2);
    const n = stats(initializers.randomNormal({ mean: 1, stddev: 0.5, seed: 1 }).apply([10000]).dataSync());
    expect(n.mean).toBeCloseTo(1, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    const u = stats(initializers.randomUniform({ minval: 2, maxval: 3 }).apply([1000]).dataSync());
    expect(u.min).toBeGreaterThanOrEqual(2);
    expect(u.max).toBeLessThan(3);
    expect(stats(initializers.truncatedNormal({ stddev: 1 }).apply([1000]).dataSync()).max).toBeLessThanOrEqual(2);
  });

  it('seeds repeat values; unseeded draws differ', () => {
    const a = initializers.glorotUniform({ seed: 7 }).apply([4, 4]).dataSync();
    const b = initializers.glorotUniform({ seed: 7 }).apply([4, 4]).dataSync();
    const c = initializers.glorotUniform().apply([4, 4]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('orthogonal gives orthonormal rows or columns, for any shape', () => {
    tidy(() => {
      const tall = initializers.orthogonal({ seed: 3 }).apply([6, 3]);
      expectClose(Array.from(matMul(transpose(tall), tall).dataSync()), [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-5, 1e-5);
      const wide = initializers.orthogonal({ seed: 3, gain: 2 }).apply([2, 5]);
      expectClose(Array.from(matMul(wide, transpose(wide)).dataSync()), [4, 0, 0, 4], 1e-5, 1e-5);
      expect(initializers.orthogonal().apply([3, 3, 4, 8]).shape).toEqual([3, 3, 4, 8]);
    });
  });

  it('resolves Keras and TensorFlow.js names, objects and configs', () => {
    expect(initializers.get('glorot_uniform')).toBeInstanceOf(initializers.GlorotUniform);
    expect(initializers.get('glorotUniform')).toBeInstanceOf(initializers.GlorotUniform);
    expect(initializers.get('HeNormal')).toBeInstanceOf(initializers.HeNormal);
    const vs = initializers.varianceScaling({ scale: 3, mode: 'fan_avg', distribution: 'uniform', seed: 4 });
    const copy = initializers.get(JSON.parse(JSON.stringify(initializers.serialize(vs))));
    expect(copy.getConfig()).toEqual({ scale: 3, mode: 'fanAvg', distribution: 'uniform', seed: 4 });
    expect(initializers.serialize(initializers.glorotUniform())).toEqual({ className: 'GlorotUniform', config: { seed: null } });
  });

  it('rejects unknown names and bad options, listing what is valid', () => {
    expect(() => initializers.get('glorot')).toThrow(/unknown initializer 'glorot'; valid names are: Zeros, Ones, Constant, .*Orthogonal, Identity/);
    expect(() => initializers.varianceScaling({ mode: 'fanMiddle' })).toThrow("unknown mode 'fanMiddle'; valid values are: fanIn, fanOut, fanAvg");
    expect(() => initializers.varianceScaling({ scale: -1 })).toThrow('expected scale to be a positive number');
  });
});
