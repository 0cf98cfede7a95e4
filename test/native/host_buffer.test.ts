// hostBuffer / releaseHostBuffer: a CPU tensor's bytes lent to the MPI shim (the shim's
// side runs under mpirun in test/distributed). Here: what JS can and cannot do with a loan.
import { dispose, memory, reshape, tensor, tidy, zeros } from '../../src';
import { native, type HostBuffer } from '../../src/native/binding';
import { lendHostBuffer, lendIfSole, lendWithResult, releaseHostBuffer, releaseLoans, releaseReduceLoans } from '../../src/tensor/host_buffer';
import { rowsView, savedCopyOf } from '../../src/tensor/run';
import { collectGarbage, settleGarbage } from '../helpers/memory';

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

  test('a forgotten loan is returned by the garbage collector', async () => {
    // What earlier suites in this process forgot is freed first (some N-API finalizers run
    // a turn of the event loop later: CI once saw 80 KB of it go between the two counts).
    await settleGarbage();
    const lent = 8 * (1 << 18);
    const before = memory().numBytes;
    tidy(() => {
      for (let i = 0; i < 8; i++) lendHostBuffer(tensor(new Float32Array(1 << 16)), 'test');
    });
    const held = memory().numBytes; // the tensors are disposed; their loans still hold the bytes
    expect(held - before).toBe(lent);
    collectGarbage(); // and the next call into the addon releases what the collector queued
    expect(memory().numBytes).toBe(before); // every loan's storage came back, nothing else went
  });

  test('clear errors: a disposed tensor, something that is not a loan', () => {
    const t = tensor([1]);
    t.dispose();
    expect(() => lendHostBuffer(t, 'myOp')).toThrow(/disposed/);
    const handleOfAnother = tensor([2]);
    expect(() => native.releaseHostBuffer({} as HostBuffer)).toThrow(
      /releaseHostBuffer: expected a loan from hostBuffer\(\) or deviceBuffer\(\) \(argument 0\)/,
    );
    // A tensor handle is an External too, but not a tagged host buffer.
    expect(() => native.releaseHostBuffer(handleOfAnother.liveHandle('test') as unknown as HostBuffer)).toThrow(/expected a loan from hostBuffer\(\)/);
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
    expect(() => native.releaseHostBuffer(b, {} as HostBuffer)).toThrow(/expected a loan from hostBuffer\(\) or deviceBuffer\(\) \(argument 1\)/);
    t.dispose();
    expect(memory().numBytes).toBe(before + 4);
    releaseHostBuffer(b);
    expect(memory().numBytes).toBe(before);
    expect(() => lendWithResult(t, 'myOp')).toThrow(/myOp: tensor \d+ of shape \[1\] is disposed/);
    expect(() => native.hostBufferPair({} as never)).toThrow(/hostBufferPair: expected x to be a tensor handle/);
  });
});

// lendIfSole: the native half of the in-place decision of data-parallel fit's gradient
// all-reduce (src/distribute/buckets.ts): a loan only when nothing but this handle
// reaches the bytes, so that writing the reduced values into them changes no other tensor.
describe('lendIfSole', () => {
  const sole = (t: import('../../src').Tensor) => {
    const b = lendIfSole(t, 'test');
    if (b !== null) releaseLoans([b]);
    return b !== null;
  };

  test('a fresh tensor, and a disposed base of a reshape view (the view then owns every byte): lent', () => {
    const t = tensor([1, 2, 3, 4, 5, 6, 7]);
    expect(sole(t)).toBe(true);
    expect(sole(t)).toBe(true); // a released loan no longer counts
    const base = tensor([1, 2, 3, 4, 5, 6]);
    const view = reshape(base, [2, 3]);
    base.dispose();
    expect(sole(view)).toBe(true);
    dispose([t, view]);
  });

  test('a view and the tensor it views, a rows view, a tensor already lent, another handle on its storage: not lent', () => {
    const base = tensor([1, 2, 3, 4, 5, 6]);
    const view = reshape(base, [3, 2]);
    expect([sole(base), sole(view)]).toEqual([false, false]);
    view.dispose();
    expect(sole(base)).toBe(true);
    // rows 1-2 of 3: an offset, and bytes of the storage that are not its own, even alone.
    const rows = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
    const middle = rowsView(rows, 1, 1);
    rows.dispose();
    expect(sole(middle)).toBe(false);
    // A loan in flight (another collective reading or writing it).
    const lent = lendHostBuffer(base, 'test');
    expect(sole(base)).toBe(false);
    releaseHostBuffer(lent);
    expect(sole(base)).toBe(true);
    // The tape's saved copy: a second handle on the same tensor.
    const saved = savedCopyOf(base);
    expect(sole(base)).toBe(false);
    saved.dispose();
    dispose([base, middle]);
  });

  test('a loan of the sole tensor reads and writes its bytes; the tensor stays the one JS holds', () => {
    const t = tensor(new Float32Array([1, 2, 3]));
    const b = lendIfSole(t, 'test');
    expect(b).not.toBeNull();
    releaseLoans([b!]);
    expect(Array.from(t.dataSync())).toEqual([1, 2, 3]);
    t.dispose();
    expect(() => lendIfSole(t, 'myOp')).toThrow(/myOp.*disposed|disposed/);
  });
});
