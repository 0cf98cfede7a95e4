// ts.tree against keras.tree (Keras 3.15; the expected values below are its outputs for the
// same structure, dicts as plain objects and tuples as arrays).
import * as ts from '../../src';

const s = { b: [1, [2, 3]], a: { z: 4, y: null } };

describe('ts.tree', () => {
  it('flattens with sorted keys, and with paths', () => {
    expect(ts.tree.flatten(s)).toEqual([null, 4, 1, 2, 3]);
    expect(ts.tree.flatten(7)).toEqual([7]);
    expect(ts.tree.flattenWithPath(s)).toEqual([
      [['a', 'y'], null],
      [['a', 'z'], 4],
      [['b', 0], 1],
      [['b', 1, 0], 2],
      [['b', 1, 1], 3],
    ]);
    expect([ts.tree.isNested(s), ts.tree.isNested(3), ts.tree.isNested(ts.ones([2]))]).toEqual([true, false, false]);
  });
  it('maps and packs as Keras', () => {
    const other = { a: { y: null, z: 1 }, b: [1, [1, 1]] };
    expect(ts.tree.mapStructure((a: number | null, b: number | null) => (a === null ? a : a * 10 + (b as number)), s, other)).toEqual({
      b: [11, [21, 31]],
      a: { z: 41, y: null },
    });
    expect(ts.tree.packSequenceAs(s, ['a', 'b', 'c', 'd', 'e'])).toEqual({ b: ['c', ['d', 'e']], a: { z: 'b', y: 'a' } });
    expect(ts.tree.mapStructureUpTo({ a: 0, b: [0, 0] }, (x: unknown) => JSON.stringify(x), s)).toEqual({ a: '{"z":4,"y":null}', b: ['1', '[2,3]'] });
  });
  it('traverses top-down and bottom-up', () => {
    // Keras: traverse(lambda x: 'T' if isinstance(x, tuple) else None, s) with b = [1, (2, 3)].
    expect(ts.tree.traverse((x: unknown) => (Array.isArray(x) && x.length === 2 && x[0] === 2 ? 'T' : undefined), s)).toEqual({
      b: [1, 'T'],
      a: { z: 4, y: null },
    });
    expect(ts.tree.traverse((x: unknown) => (Array.isArray(x) && x.length === 2 && x[0] === 1 ? x.length : undefined), s, false)).toEqual({
      b: 2,
      a: { z: 4, y: null },
    });
  });
  it('refuses different structures, naming where', () => {
    expect(() => ts.tree.assertSameStructure([1, [2]], [1, 2])).toThrow('tree.assertSameStructure: b at [1]: expected an array of 1, got 2');
    expect(() => ts.tree.assertSameStructure({ a: 1 }, { b: 1 })).toThrow(
      'tree.assertSameStructure: b: expected an object with keys [a], got an object with keys [b]',
    );
    expect(() => ts.tree.packSequenceAs([1, [2]], [1])).toThrow('tree.packSequenceAs: the structure has 2 leaves, flatSequence 1 values');
    expect(() => ts.tree.mapStructure((a: number) => a, [1], [1, 2])).toThrow('tree.mapStructure: structures[1]: expected an array of 1, got an array of 2');
    expect(() => ts.tree.mapStructureUpTo([0, 0], (a: number) => a, [1])).toThrow('tree.mapStructureUpTo: expected structures[0] to be an array of 2');
  });
});
