// mapPacked and filterPacked (src/tensor/packed_map.ts): the per-step paths' arrays keep one elements kind
// whichever V8 tier builds them, so that code reading them is not deoptimized when the
// producer is (re)optimized (issue #22).
import { setFlagsFromString } from 'node:v8';
import { filterPacked, mapPacked } from '../src/tensor/packed_map';

setFlagsFromString('--allow-natives-syntax');
// Compiled after the flag: V8 intrinsics are syntax only where it is set.
const natives = {
  prepare: new Function('f', '%PrepareFunctionForOptimization(f)') as (f: unknown) => void,
  optimizeNext: new Function('f', '%OptimizeFunctionOnNextCall(f)') as (f: unknown) => void,
  isOptimized: new Function('f', 'return (%GetOptimizationStatus(f) & 16) !== 0') as (f: unknown) => boolean,
  holey: new Function('a', 'return %HasHoleyElements(a)') as (a: unknown[]) => boolean,
};

describe('mapPacked', () => {
  test('maps like Array.prototype.map: values, indices, order, empty input', () => {
    expect(mapPacked([3, 1, 2], (x, i) => `${i}:${x * 2}`)).toEqual(['0:6', '1:2', '2:4']);
    expect(mapPacked([], () => 1)).toEqual([]);
    const seen: number[] = [];
    mapPacked([10, 20], (_, i) => seen.push(i));
    expect(seen).toEqual([0, 1]);
  });

  test('gives a packed array from the interpreter and from TurboFan alike', () => {
    const item = { a: 1 };
    // A producer as the step's code has them: it maps objects and hands the array on.
    const produce = (xs: object[]) => mapPacked(xs, (x) => ({ x }));
    natives.prepare(produce);
    const interpreted = produce([item, item, item]);
    produce([item, item, item]);
    natives.optimizeNext(produce);
    const optimized = produce([item, item, item]);
    expect(natives.isOptimized(produce)).toBe(true);
    expect(natives.holey(interpreted)).toBe(false);
    expect(natives.holey(optimized)).toBe(false);
  });
});

describe('filterPacked', () => {
  test('filters like Array.prototype.filter: kept items in order, empty input, a packed result', () => {
    const kept = filterPacked([3, 1, 2, 5], (x) => x > 1);
    expect(kept).toEqual([3, 2, 5]);
    expect(natives.holey(kept)).toBe(false);
    expect(filterPacked([], () => true)).toEqual([]);
  });
});
