// ts.distribution.listDevices / getDeviceCount / initialize (Keras 3's names) in a world of
// one process (no mpirun): device names as Keras's ('cpu:0', 'gpu:N' for cuda:N).
import * as ts from '../../src';

const gpus = ts.backendInfo().cuda.loaded ? ts.backendInfo().cuda.devices.length : 0;

test('devices as Keras names them, the GPUs by default when there are', () => {
  expect(ts.distribution.listDevices('cpu')).toEqual(['cpu:0']);
  expect(ts.distribution.listDevices('CPU' as never)).toEqual(['cpu:0']);
  expect(ts.distribution.getDeviceCount('cpu')).toBe(1);
  const expected = gpus > 0 ? Array.from({ length: gpus }, (_, i) => `gpu:${i}`) : ['cpu:0'];
  expect(ts.distribution.listDevices()).toEqual(expected);
  expect(ts.distribution.listDevices(null)).toEqual(expected);
  expect(ts.distribution.getDeviceCount()).toBe(expected.length);
  if (gpus > 0) expect(ts.distribution.getDeviceCount('gpu')).toBe(gpus);
  else expect(() => ts.distribution.listDevices('gpu')).toThrow(/^distribution\.listDevices: no gpu devices here/);
});

test('device types Tessera does not have are errors naming the function', () => {
  expect(() => ts.distribution.listDevices('tpu' as never)).toThrow(/^distribution\.listDevices: Tessera has no TPU/);
  expect(() => ts.distribution.getDeviceCount('cuda' as never)).toThrow(
    /^distribution\.getDeviceCount: expected deviceType to be 'cpu', 'gpu' or undefined .*got 'cuda'/,
  );
  expect(() => (ts.distribution.listDevices as (...a: unknown[]) => unknown)('cpu', 1)).toThrow(/^distribution\.listDevices: expected at most 1 argument/);
});

test('initialize joins the world mpirun made and checks what it is told', () => {
  const w = ts.distribution.initialize();
  expect([w.rank, w.size]).toEqual([0, 1]);
  expect(ts.distribution.initialize(null, 1, 0).size).toBe(1);
  expect(() => ts.distribution.initialize(null, 2)).toThrow(/^distribution\.initialize: numProcesses is 2 but mpirun started 1 process/);
  expect(() => ts.distribution.initialize(null, null, 1)).toThrow(/^distribution\.initialize: processId is 1 but this process is rank 0/);
  expect(() => ts.distribution.initialize('10.0.0.1:1234,10.0.0.2:2345', 2, 0)).toThrow(/^distribution\.initialize: jobAddresses cannot be set here/);
  expect(() => ts.distribution.initialize(null, 0)).toThrow(/^distribution\.initialize: expected numProcesses to be a positive integer, got 0/);
  expect(() => ts.distribution.initialize(null, 1, -1)).toThrow(/processId to be an integer >= 0/);
});
