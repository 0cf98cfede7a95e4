// expectNoLeaks and eachDevice.
import { backendInfo, getDevice, memory, setDevice } from '../../src';

/** Runs fn `iterations` times and expects live tensors and bytes to be where they began. */
export function expectNoLeaks(fn: () => void, iterations = 3): void {
  fn(); // warm-up: lazily created state is not a leak
  const before = memory();
  for (let i = 0; i < iterations; i++) fn();
  const after = memory();
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
}

/** The devices tests run on: the CPU, and CUDA devices when the library loaded. */
export function availableDevices(): string[] {
  const { cuda } = backendInfo();
  return ['cpu', ...(cuda.loaded ? cuda.devices.map((_, i) => `cuda:${i}`) : [])];
}

/** describe() once per available device, with that device as the default. */
export function eachDevice(name: string, body: (device: string) => void): void {
  for (const device of availableDevices()) {
    describe(`${name} [${device}]`, () => {
      let previous = 'cpu';
      beforeAll(() => {
        previous = getDevice();
        setDevice(device);
      });
      afterAll(() => setDevice(previous));
      body(device);
    });
  }
}
