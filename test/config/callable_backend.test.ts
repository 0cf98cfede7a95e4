// ts.backend is Keras 3's keras.backend namespace and, called, TensorFlow.js's tf.backend():
// the backend-wide methods of its KernelBackend, against TF.js's cpu backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as ts from '../../src';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test("called, it answers as TensorFlow.js's cpu backend does", async () => {
  const b = ts.backend();
  const ref = tf.backend();
  expect(b.name).toBe(ts.getBackend());
  expect(b.floatPrecision()).toBe(ref.floatPrecision());
  expect(b.epsilon()).toBe(ref.epsilon());
  expect(b.timerAvailable()).toBe(ref.timerAvailable());
  const before = b.numDataIds();
  const x = ts.ones([2]);
  expect(b.numDataIds()).toBe(before + 1);
  x.dispose();
  expect(b.numDataIds()).toBe(before);
  const t = await b.time(() => ts.add(ts.ones([2]), 1));
  expect(Object.keys(t)).toEqual(expect.arrayContaining(['kernelMs']));
});

test("its members are keras.backend's, the same functions as before", () => {
  expect(typeof ts.backend).toBe('function');
  expect(ts.backend.floatx()).toBe('float32');
  expect(ts.backend.backend()).toBe('tessera');
  expect(ts.backend.floatx).toBe(ts.config.floatx);
  expect(ts.backend.isFloatDtype('float64')).toBe(true);
  expect(Object.isFrozen(ts.backend)).toBe(true);
});

test('extra arguments are refused, naming the call', async () => {
  expect(() => (ts.backend as unknown as (a: unknown) => unknown)(1)).toThrow(/^backend: expected at most 0 arguments, got 1/);
  expect(() => (ts.backend().epsilon as (a: unknown) => unknown)(1)).toThrow(/^backend\(\)\.epsilon: expected at most 0 arguments/);
  expect(() => (ts.backend().time as (...a: unknown[]) => unknown)(() => 1, 2)).toThrow(/^backend\(\)\.time: expected at most 1 argument/);
});
