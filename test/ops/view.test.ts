// ts.view (Keras 3's ops.view) against numpy's ndarray.view (test/fixtures/numpy/view.json,
// scripts/fixtures/make_view_fixtures.py; keras.ops.view under JAX agrees on float32/int32).
import * as ts from '../../src';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Case = { x: unknown; dtype: ts.DType; to: ts.DType; shape: number[]; values: unknown };
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'numpy', 'view.json'), 'utf8'));
const ARRAYS = { float32: Float32Array, int32: Int32Array, float64: Float64Array, bool: Uint8Array };

test.each((fixture.cases as Case[]).map((c) => [`${c.dtype} -> ${c.to} [${c.shape}]`, c]))('%s as numpy', (_, c) => {
  const x = ts.tensor(c.x as ts.TensorValues, undefined, c.dtype);
  const y = ts.view(x, c.to);
  expect(y.dtype).toBe(c.to);
  expect(y.shape).toEqual(c.shape);
  const flat = [c.values].flat(Infinity) as number[];
  expect(Array.from(y.dataSync())).toEqual(Array.from(new ARRAYS[c.to](flat)));
  // and back: the same bytes (bool cannot be viewed to, so not for bool inputs)
  if (c.dtype !== 'bool') expect(Array.from(ts.view(y, c.dtype).dataSync())).toEqual(Array.from(x.dataSync()));
});

test('NaN bit patterns pass through unchanged; no dtype is a copy', () => {
  const bits = ts.tensor([-1, 2143289344, 2139095041], undefined, 'int32');
  expect(Array.from(ts.view(ts.view(bits, 'float32'), 'int32').dataSync())).toEqual([-1, 2143289344, 2139095041]);
  const x = ts.tensor([1.5, 2]);
  const same = ts.view(x);
  expect(same).not.toBe(x);
  expect(same.dtype).toBe('float32');
  expect(Array.from(same.dataSync())).toEqual([1.5, 2]);
  expect(ts.view([1], 'int32').dataSync()[0]).toBe(1065353216);
});

test('what cannot be viewed is an error naming view', () => {
  expect(() => ts.view(ts.tensor([1, 2]), 'bool')).toThrow(/^view: cannot view float32 as bool/);
  // Keras: the last axis's bytes must divide by the new item size; a scalar cannot change size
  expect(() => ts.view(ts.tensor([1, 2, 3]), 'float64')).toThrow(
    "view: cannot view shape [3] float32 as float64: the last axis has 12 bytes, not a multiple of float64's 8",
  );
  expect(() => ts.view(ts.scalar(1), 'float64')).toThrow(/^view: cannot view a scalar float32 as float64/);
  expect(() => ts.view(ts.tensor([1]), 'int64' as never)).toThrow(/^view: expected dtype to be one of float32, int32, float64, bool, got 'int64'/);
  expect(() => ts.view('a' as never, 'int32')).toThrow(/^view: /);
  expect(() => (ts.view as (...a: unknown[]) => unknown)(ts.tensor([1]), 'int32', 1)).toThrow(/^view: expected at most 2 arguments/);
});
