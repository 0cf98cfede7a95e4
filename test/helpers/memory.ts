// expectNoLeaks, liveTensors and eachDevice.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { backendInfo, getDevice, memory, setDevice } from '../../src';
import { native } from '../../src/native/binding';
import { sweepYoung } from '../../src/tensor/young';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Tensors made and never disposed: the live ones plus those the GC reclaimed. The GC
 * reclaims forgotten tensors at any allocation, so the live count alone can drop in the
 * middle of a test (tensors an earlier test forgot); this sum cannot.
 */
export function liveTensors(): number {
  const m = memory();
  return m.numTensors + m.reclaimedByGC;
}

/**
 * Collects garbage now and frees the tensors it finds (the next call into the addon does).
 * Young tensors (src/tensor/young.ts) are promoted first, or the GC could not free them.
 */
export function collectGarbage(): void {
  sweepYoung();
  // A collection can make more garbage collectable (objects an earlier suite's finished
  // context held): collect until the bytes held stop changing, at most 8 times.
  let previous = -1;
  for (let round = 0; round < 8; round++) {
    gc();
    const bytes = memory().numBytes;
    if (round > 0 && bytes === previous) break;
    previous = bytes;
  }
}

/**
 * Collects garbage until the bytes held stop changing. Node runs some N-API finalizers on
 * a later turn of the event loop, so a synchronous collectGarbage() can leave tensors an
 * earlier suite forgot to be freed in the middle of the next test's counts; this awaits
 * those turns (two unchanged rounds in a row, at most 50).
 */
export async function settleGarbage(): Promise<void> {
  let previous = -1;
  let unchanged = 0;
  for (let round = 0; round < 50 && unchanged < 2; round++) {
    collectGarbage();
    await new Promise((resolve) => setImmediate(resolve));
    const bytes = memory().numBytes;
    unchanged = bytes === previous ? unchanged + 1 : 0;
    previous = bytes;
  }
}

/** Runs fn `iterations` times and expects live tensors and bytes to be where they began. */
export function expectNoLeaks(fn: () => void, iterations = 3): void {
  fn(); // warm-up: lazily created state is not a leak
  collectGarbage(); // what earlier code forgot must not be reclaimed while we count
  const before = memory();
  const made = liveTensors();
  for (let i = 0; i < iterations; i++) fn();
  const after = memory();
  expect(liveTensors()).toBe(made);
  expect(after.numTensors).toBe(before.numTensors);
  expect(after.numBytes).toBe(before.numBytes);
  // Every young handle fn made went through the young list: none is left without a finalizer.
  sweepYoung();
  expect(native.memoryInfo().young).toBe(0);
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
