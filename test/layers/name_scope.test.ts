// ts.nameScope (Keras 3's keras.name_scope) against Keras 3.15 itself: the paths in
// test/fixtures/keras/name_scope/paths.json, printed by
// scripts/fixtures/make_name_scope_fixtures.py (KERAS_BACKEND=jax).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';

const keras = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/keras/name_scope/paths.json'), 'utf8')) as Record<string, string | string[]>;
const one = () => ts.ones([2]);
const v = (name: string) => ts.variable(one(), true, name);
const paths = (l: { weights: ts.Variable[] }) => l.weights.map((w) => w.path);

test('variables made in a scope are under it; scopes nest; the scope ends with the callback', () => {
  const got: Record<string, string> = {};
  const out = ts.nameScope('outer', () => {
    got.variable = v('v').path;
    ts.nameScope('inner', () => {
      got.nested_variable = v('w').path;
    });
    got.after_inner = v('u').path;
    got.same_name_nested = ts.nameScope('outer', () => v('s').path);
    return 7;
  });
  expect(out).toBe(7);
  got.outside = v('v').path;
  for (const k of ['variable', 'nested_variable', 'after_inner', 'same_name_nested', 'outside']) expect([k, got[k]]).toEqual([k, keras[k]]);
  // The name stays the given one: only the path has the scope.
  expect(ts.nameScope('outer', () => v('plain')).name).toBe('plain');
});

test('a layer first built in a scope is under it; one built before keeps its path', () => {
  const d1 = ts.layers.dense({ units: 2, name: 'd1' });
  ts.nameScope('outer', () => d1.apply(ts.ones([1, 3])));
  expect(paths(d1)).toEqual(keras.dense_built_inside);
  const d2 = ts.layers.dense({ units: 2, name: 'd2' });
  d2.apply(ts.ones([1, 3]));
  ts.nameScope('outer', () => d2.apply(ts.ones([1, 3])));
  expect(paths(d2)).toEqual(keras.dense_built_before);
});

test("a Sequential made in a scope: its layers under the scope and the Sequential's name", () => {
  const s = ts.nameScope('block', () => ts.sequential({ layers: [ts.input({ shape: [3] }), ts.layers.dense({ units: 2, name: 'd3' })], name: 'seq' }));
  expect(paths(s)).toEqual(keras.sequential_inside);
});

test("a scope in a layer's build: addWeight keeps the layer's path, a variable made there is under both", () => {
  class Scoped extends ts.layers.Layer {
    k!: ts.Variable;
    free!: ts.Variable;
    override build(): void {
      ts.nameScope('sub', () => {
        this.k = this.addWeight('k', [2], 'float32', 'zeros');
        this.free = ts.variable(ts.ones([2]), true, 'free');
      });
    }
    override call(x: ts.Tensor): ts.Tensor {
      return x;
    }
  }
  const sc = new Scoped({ name: 'scoped' });
  sc.apply(ts.ones([1, 2]));
  expect([sc.k.path, sc.free.path]).toEqual(keras.scope_in_build);
});

test('an error thrown inside leaves no scope open', () => {
  expect(() =>
    ts.nameScope('boom', () =>
      ts.nameScope('deeper', () => {
        throw new Error('inside');
      }),
    ),
  ).toThrow(/^inside$/);
  expect(v('e').path).toBe(keras.after_error);
});

test('bad names, callbacks and async callbacks are clear errors, and leave no scope open', async () => {
  // Keras: "Argument `name` must be a string and cannot contain character `/`".
  expect(keras.slash_error).toMatch(/cannot contain character `\/`/);
  expect(() => ts.nameScope('a/b', () => 1)).toThrow(/^nameScope: expected name to be a non-empty string without '\/', got 'a\/b' \(a string\)/);
  expect(() => ts.nameScope('', () => 1)).toThrow(/^nameScope: expected name to be a non-empty string/);
  expect(() => ts.nameScope(3 as never, () => 1)).toThrow(/^nameScope: expected name .* got 3/);
  expect(() => ts.nameScope('x', 'f' as never)).toThrow(/^nameScope: expected a function to run inside the scope 'x', got 'f'/);
  expect(() => (ts.nameScope as (...a: unknown[]) => unknown)('x', () => 1, 3)).toThrow(/^nameScope: expected at most 2 arguments, got 3/);
  let late = '';
  expect(() =>
    ts.nameScope('async', async () => {
      await Promise.resolve();
      late = v('late').path;
    }),
  ).toThrow(/^nameScope: the callback of the scope 'async' returned a Promise; scopes are synchronous/);
  await new Promise((r) => setTimeout(r, 0));
  expect(late).toBe('late');
  expect(v('after').path).toBe('after');
});
