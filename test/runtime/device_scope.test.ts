// ts.device (Keras 3's keras.device('cpu:0')): new tensors on a device while a callback
// runs, the previous device back after. The GPU cases run only where CUDA is.
import * as ts from '../../src';

const gpus = ts.backendInfo().cuda.loaded ? ts.backendInfo().cuda.devices.length : 0;
const onGpu = gpus > 0 ? test : test.skip;

test("Keras's CPU spellings put new tensors on the CPU and give the callback's result", () => {
  const before = ts.getDevice();
  for (const name of ['cpu', 'cpu:0', 'CPU:0']) {
    const x = ts.device(name, () => {
      expect(ts.getDevice()).toBe('cpu');
      return ts.ones([2, 2]);
    });
    expect(x.device).toBe('cpu');
    expect(ts.getDevice()).toBe(before);
    x.dispose();
  }
});

test('devices Tessera does not have fail naming the devices here, and leave the device as it was', () => {
  const before = ts.getDevice();
  const here = gpus > 0 ? /the devices here are 'cpu:0', 'gpu:0' \('cuda:0'\)/ : /the devices here are only 'cpu:0' \(no GPU/;
  for (const name of ['cpu:9', `gpu:${gpus}`, `cuda:${gpus + 2}`]) {
    expect(() => ts.device(name, () => 1)).toThrow(new RegExp(`^device: there is no device '${name}'`));
    expect(() => ts.device(name, () => 1)).toThrow(here);
  }
  expect(() => ts.device('tpu:0', () => 1)).toThrow(/^device: expected a device name 'cpu:0', 'gpu:N' or 'cuda:N' \(the devices here: .*\), got 'tpu:0'/);
  expect(() => ts.device(0 as never, () => 1)).toThrow(/^device: expected a device name .* got 0/);
  expect(() => ts.device('cpu', null as never)).toThrow(/^device: expected a function to run inside the scope 'cpu', got null/);
  expect(() => (ts.device as (...a: unknown[]) => unknown)('cpu', () => 1, 2)).toThrow(/^device: expected at most 2 arguments, got 3/);
  expect(ts.getDevice()).toBe(before);
});

test('an error or a Promise from the callback puts the device back', async () => {
  const before = ts.getDevice();
  expect(() =>
    ts.device('cpu:0', () => {
      throw new Error('inside');
    }),
  ).toThrow(/^inside$/);
  expect(ts.getDevice()).toBe(before);
  expect(() => ts.device('cpu', async () => Promise.reject(new Error('late')))).toThrow(
    /^device: the callback of the scope 'cpu' returned a Promise; scopes are synchronous/,
  );
  await new Promise((r) => setTimeout(r, 0));
  expect(ts.getDevice()).toBe(before);
});

onGpu("'gpu:0' and 'cuda:0' put new tensors on the first GPU, nested in a CPU scope", () => {
  ts.device('cpu:0', () => {
    const g = ts.device('gpu:0', () => ts.ones([2]));
    const c = ts.device('cuda:0', () => ts.zeros([2]));
    expect([g.device, c.device, ts.getDevice()]).toEqual(['cuda:0', 'cuda:0', 'cpu']);
    const back = ts.ones([2]);
    expect(back.device).toBe('cpu');
    ts.dispose([g, c, back]);
  });
});
