// hostBuffer / releaseHostBuffer: a CPU tensor's bytes lent to the MPI shim (the shim's
// side runs under mpirun in test/distributed). Here: what JS can and cannot do with a loan.
import { memory, tensor, tidy, zeros } from '../../src';
import { native, type HostBuffer } from '../../src/native/binding';
import { lendHostBuffer, lendWithResult, releaseHostBuffer, releaseReduceLoans } from '../../src/tensor/host_buffer';
import { collectGarbage } from '../helpers/memory';

describe('host buffers', () => {
  test('a loan is opaque to JS: no address, no bytes, no properties', () => {
    const t = tensor([1, 2, 3]);
    const b = lendHostBuffer(t, 'test');
    expect(typeof b).toBe('object');
    expect(Object.getOwnPropertyNames(b)).toEqual([]);
    expect(b instanceof ArrayBuffer || ArrayBuffer.isView(b)).toBe(false);
    releaseHostBuffer(b);
    t.dispose();
  });

  test('a loan keeps the storage alive past dispose until it is released; memoryInfo does not count it as a tensor', () => {
    const before = memory();
    const t = tensor(new Float32Array(1 << 16));
    const b = lendHostBuffer(t, 'test');
    expect(memory().numTensors).toBe(before.numTensors + 1);
    t.dispose();
    expect(memory().numTensors).toBe(before.numTensors);
    expect(memory().numBytes).toBe(before.numBytes + (1 << 18)); // still held by the loan
    releaseHostBuffer(b);
    expect(memory().numBytes).toBe(before.numBytes);
    releaseHostBuffer(b); // twice is harmless
  });

  test('a forgotten loan is returned by the garbage collector', () => {
    // Any collection may also free what earlier suites in this process forgot (N-API runs
    // some finalizers a tick later, so no synchronous loop settles it): a few hundred bytes,
    // against the loans' 2 MiB. So the counts are checked with that slack, not exactly.
    collectGarbage();
    const lent = 8 * (1 << 18);
    const slack = 1 << 16;
    const before = memory().numBytes;
    tidy(() => {
      for (let i = 0; i < 8; i++) lendHostBuffer(tensor(new Float32Array(1 << 16)), 'test');
    });
    const held = memory().numBytes; // the tensors are disposed; their loans still hold the bytes
    expect(held - before).toBeGreaterThan(lent - slack);
    collectGarbage(); // and the next call into the addon releases what the collector queued
    const after = memory().numBytes;
    expect(after).toBeLessThanOrEqual(held - lent); // every loan's storage came back
    expect(after).toBeGreaterThan(before - slack); // and nothing else of size went with it
  });

  test('clear errors: a disposed tensor, something that is not a loan', () => {
    const t = tensor([1]);
    t.dispose();
    expect(() => lendHostBuffer(t, 'myOp')).toThrow(/disposed/);
    const handleOfAnother = tensor([2]);
    expect(() => native.releaseHostBuffer({} as HostBuffer)).toThrow(/releaseHostBuffer: expected a host buffer from hostBuffer\(\)/);
    // A tensor handle is an External too, but not a tagged host buffer.
    expect(() => native.releaseHostBuffer(handleOfAnother.liveHandle('test') as unknown as HostBuffer)).toThrow(/expected a host buffer/);
    handleOfAnother.dispose();
  });

  test("lendWithResult: a result of the input's shape and dtype, both loans in one call, released together", () => {
    for (const [shape, dtype] of [
      [[2, 3], 'float64'],
      [[0, 4], 'int32'],
      [[], 'bool'],
      [[1 << 15], 'float32'],
    ] as const) {
      const before = memory();
      const x = zeros([...shape], dtype);
      const l = lendWithResult(x, 'test');
      expect([l.result.shape, l.result.dtype, l.result.device]).toEqual([shape, dtype, 'cpu']);
      expect(memory().numTensors).toBe(before.numTensors + 2); // the loans are not tensors
      const bytes = 2 * x.size * (dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4);
      x.dispose();
      l.result.dispose();
      expect(memory().numBytes).toBe(before.numBytes + bytes); // both storages held by the loans
      releaseReduceLoans(l);
      expect(memory().numBytes).toBe(before.numBytes);
    }
  });

  test('lendWithResult and releaseHostBuffer refuse what they cannot use, naming it', () => {
    const before = memory().numBytes;
    const t = tensor([1]);
    const b = lendHostBuffer(t, 'test');
    // Every argument is checked before any is released: the good loan stays lent.
    expect(() => native.releaseHostBuffer(b, {} as HostBuffer)).toThrow(/expected a host buffer from hostBuffer\(\) \(argument 1\)/);
    t.dispose();
    expect(memory().numBytes).toBe(before + 4);
    releaseHostBuffer(b);
    expect(memory().numBytes).toBe(before);
    expect(() => lendWithResult(t, 'myOp')).toThrow(/myOp: tensor \d+ of shape \[1\] is disposed/);
    expect(() => native.hostBufferPair({} as never)).toThrow(/hostBufferPair: expected x to be a tensor handle/);
  });
});
