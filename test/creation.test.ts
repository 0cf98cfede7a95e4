import {
  eye,
  fill,
  linspace,
  ones,
  onesLike,
  randomNormal,
  randomUniform,
  range,
  scalar,
  setSeed,
  tensor,
  truncatedNormal,
  variable,
  zeros,
  zerosLike,
} from '../src';
import { expectTensor } from './helpers/reference';
import { eachDevice, liveTensors } from './helpers/memory';

describe('tensor()', () => {
  it('infers shape and dtype from nested arrays', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.rank).toBe(2);
    expect(t.arraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('takes typed arrays, booleans and explicit shapes', () => {
    expect(tensor(new Int32Array([1, 2, 3, 4]), [2, 2]).dtype).toBe('int32');
    expect(tensor(new Float64Array([1, 2])).dtype).toBe('float64');
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([true, false]).arraySync()).toEqual([true, false]);
    expect(tensor([1, 2, 3, 4, 5, 6], [3, 2]).arraySync()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(tensor([1.7, -2.2], undefined, 'int32').arraySync()).toEqual([1, -2]);
    expect(scalar(5).shape).toEqual([]);
    expect(scalar(5).arraySync()).toBe(5);
  });

  it('round-trips data of every dtype and odd sizes', async () => {
    for (const n of [1, 7, 17, 129]) {
      const values = Array.from({ length: n }, (_, i) => i * 3 - 5);
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const t = tensor(values, [n], dtype);
        expect(Array.from(t.dataSync())).toEqual(values);
        expect(Array.from(await t.data())).toEqual(values);
      }
    }
  });

  it('rejects ragged arrays, wrong sizes and bad shapes with clear errors', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: expected 2 elements at \[1\]/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/tensor: expected 4 values for shape \[2, 2\], got 3/);
    expect(() => tensor([1, 2], [Infinity])).toThrow(/tensor: expected shape entries to be non-negative integers, got Infinity/);
    expect(() => tensor([1, 2], [-2, -1])).toThrow(/non-negative integers/);
    expect(() => tensor([1], [1], 'complex64' as never)).toThrow(/tensor: expected dtype to be one of/);
    expect(() => tensor({} as never)).toThrow(/tensor: expected a number, boolean, array or typed array/);
    expect(() => tensor(['a'] as never)).toThrow(/tensor: expected numbers or booleans, got 'a' \(a string\) at \[0\]/);
  });
});

eachDevice('creation', (device) => {
  it('fills, zeros, ones and the *Like forms', () => {
    expectTensor(fill([2, 3], 7), [2, 3], [7, 7, 7, 7, 7, 7]);
    expect(fill([2], 1).device).toBe(device);
    expectTensor(zeros([3]), [3], [0, 0, 0]);
    expectTensor(ones([2, 1], 'int32'), [2, 1], [1, 1]);
    const x = tensor([[1, 2]], undefined, 'float64');
    expect(zerosLike(x).dtype).toBe('float64');
    expectTensor(onesLike(x), [1, 2], [1, 1]);
    expect(Array.from(fill([4], 1, 'bool').dataSync())).toEqual([1, 1, 1, 1]);
  });
});

describe('eye, range, linspace', () => {
  it('builds identities and sequences', () => {
    expect(eye(3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(eye(2, 3).arraySync()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(range(0, 5).arraySync()).toEqual([0, 1, 2, 3, 4]);
    expect(range(5, 0, -2).arraySync()).toEqual([5, 3, 1]);
    expect(range(0, 1, 0.25).arraySync()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(linspace(0, 1, 5).arraySync()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(() => range(0, 5, 0)).toThrow(/range: expected a finite, non-zero step/);
  });
});

describe('random', () => {
  it('is repeatable for a seed and differs between draws', () => {
    const a = randomUniform([100], 0, 1, 'float32', 42).dataSync();
    const b = randomUniform([100], 0, 1, 'float32', 42).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    setSeed(3);
    const c = randomNormal([50]).dataSync();
    const d = randomNormal([50]).dataSync();
    expect(Array.from(c)).not.toEqual(Array.from(d));
    setSeed(3);
    expect(Array.from(randomNormal([50]).dataSync())).toEqual(Array.from(c));
  });

  it('has the asked distribution', () => {
    const n = 200000;
    const stats = (v: ArrayLike<number>) => {
      let m = 0;
      for (let i = 0; i < v.length; i++) m += v[i];
      m /= v.length;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += (v[i] - m) ** 2;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < v.length; i++) {
        lo = Math.min(lo, v[i]);
        hi = Math.max(hi, v[i]);
      }
      return [m, Math.sqrt(s / v.length), lo, hi];
    };
    const [um, , umin, umax] = stats(randomUniform([n], -2, 4, 'float32', 1).dataSync());
    expect(um).toBeCloseTo(1, 1);
    expect(umin).toBeGreaterThanOrEqual(-2);
    expect(umax).toBeLessThan(4);
    const [nm, ns] = stats(randomNormal([n], 3, 2, 'float64', 2).dataSync());
    expect(nm).toBeCloseTo(3, 1);
    expect(ns).toBeCloseTo(2, 1);
    const [tm, , tmin, tmax] = stats(truncatedNormal([n], 0, 1, 'float32', 3).dataSync());
    expect(Math.abs(tm)).toBeLessThan(0.02);
    expect(tmin).toBeGreaterThanOrEqual(-2);
    expect(tmax).toBeLessThanOrEqual(2);
    expect(() => randomUniform([2], 0, 1, 'bool')).toThrow(/randomUniform: expected dtype float32, float64 or int32, got 'bool' \(a string\)/);
  });
});

describe('Variable', () => {
  it('holds a copy and assigns new values of the same shape', () => {
    const init = tensor([1, 2, 3]);
    const v = variable(init, true, 'w');
    init.dispose();
    expect(v.arraySync()).toEqual([1, 2, 3]);
    v.assign(tensor([4, 5, 6]));
    expect(v.arraySync()).toEqual([4, 5, 6]);
    expect(v.name).toBe('w');
    expect(() => v.assign(tensor([1, 2]))).toThrow(/assign: variable 'w' is \[3\] float32 on (cpu|cuda:0), got a value of \[2\] float32/);
    const before = liveTensors();
    v.assign(tensor([7, 8, 9]));
    expect(liveTensors()).toBe(before + 1); // the tensor literal; the old value was released
  });
});
