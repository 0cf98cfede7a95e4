// ts.tree's assertSamePaths, listsToTuples, mapShapeStructure and MAP_TO_NONE, against
// what keras.tree (Keras 3.15) gives for the same structures (values in the comments).
import { tree } from '../../src';

const S = (s: unknown) => ['S', s];

test('mapShapeStructure hands arrays of integers and nulls to func whole', () => {
  // {'a': ('S', (2, None)), 'b': [('S', (1,)), ('S', 5), ('S', []), [('S', 2.5), ('S', 3)]], 'c': ('S', None)}
  expect(tree.mapShapeStructure(S, { a: [2, null], b: [[1], 5, [], [2.5, 3]], c: null })).toEqual({
    a: S([2, null]),
    b: [S([1]), S(5), S([]), [S(2.5), S(3)]],
    c: S(null),
  });
  expect(tree.mapShapeStructure(S, 3)).toEqual(S(3));
  expect(tree.mapShapeStructure(S, [[2, 3], [4]])).toEqual([S([2, 3]), S([4])]);
  expect(() => tree.mapShapeStructure(3 as never, [])).toThrow(/tree\.mapShapeStructure: .*func/);
});

test('assertSamePaths compares paths only, naming those that differ', () => {
  expect(() => tree.assertSamePaths([0, 1], [2, 3])).not.toThrow();
  expect(() => tree.assertSamePaths({ a: 1, b: [2] }, { b: [{}], a: 0 })).toThrow(
    /^tree\.assertSamePaths: a and b do not have the same paths; paths in a missing in b: \["b",0\]$/,
  );
  // Keras: Paths in `a` missing in `b`: {(1,)}; Paths in `b` missing in `a`: {(1, 0)}
  expect(() => tree.assertSamePaths([0, 1], [2, [3]])).toThrow(
    'tree.assertSamePaths: a and b do not have the same paths; paths in a missing in b: [1]; paths in b missing in a: [1,0]',
  );
  // an index is not a key: {(0,), (1, 0), (1, 1)} against {('0',)}
  expect(() => tree.assertSamePaths([0, [1, 2]], { '0': 1 })).toThrow('paths in a missing in b: [0], [1,0], [1,1]; paths in b missing in a: ["0"]');
  expect(() => (tree.assertSamePaths as (...a: unknown[]) => void)(1, 2, 3)).toThrow(/tree\.assertSamePaths: expected at most 2 arguments/);
});

test('listsToTuples copies the containers and keeps the leaves', () => {
  const leaf = { toString: () => 'leaf' };
  const inner = [2, { a: [3] }];
  const out = tree.listsToTuples([1, inner, new Map([[1, leaf]])]) as unknown[];
  expect(out).toEqual([1, [2, { a: [3] }], new Map([[1, leaf]])]);
  expect(out[1]).not.toBe(inner);
  expect(tree.listsToTuples(5)).toBe(5);
});

test('traverse: MAP_TO_NONE replaces a subtree with null', () => {
  // keras: traverse(lambda x: MAP_TO_NONE if x == 2 else None, [1, [2, 3]]) == [1, [None, 3]]
  expect(tree.traverse(((x: unknown) => (x === 2 ? tree.MAP_TO_NONE : undefined)) as never, [1, [2, 3]])).toEqual([1, [null, 3]]);
  expect(
    tree.traverse(((x: unknown) => (Array.isArray(x) && x.length === 2 && x[0] === 2 ? tree.MAP_TO_NONE : undefined)) as never, [1, [2, 3]], false),
  ).toEqual([1, null]);
});
