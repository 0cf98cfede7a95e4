import { add, dispose, emptyCache, keep, memory, mul, ones, sum, tensor, tidy, zeros, type Tensor } from '../src';
import { expectNoLeaks, liveTensors, settleGarbage } from './helpers/memory';

describe('memory', () => {
  it('reports the bytes the host block cache keeps, apart from the live bytes', () => {
    // 1 MiB: above the cache's 64 KiB floor, so disposing it caches its block (header + page
    // rounding: 1 MiB + 4 KiB). The cache holds at most 512 MiB (or twice the process's
    // peak of such blocks): after a long in-band run it may be full, and then it drops
    // blocks of other sizes (any number of bytes) to keep this one.
    const bytes = 4 * 256 * 1024;
    const block = bytes + 4096;
    const cacheCap = 512 * 1024 * 1024;
    const t = zeros([256, 1024]);
    const live = memory();
    t.dispose();
    const after = memory();
    expect(after.numBytes).toBe(live.numBytes - bytes);
    if (live.numCachedBytes + block <= cacheCap) expect(after.numCachedBytes).toBe(live.numCachedBytes + block);
    else expect(after.numCachedBytes).toBeGreaterThanOrEqual(block);
    // The next tensor of that size takes the cached block back.
    const again = zeros([256, 1024]);
    expect(memory().numCachedBytes).toBe(after.numCachedBytes - block);
    again.dispose();
  });

  it('keeps the blocks of a live set larger than 512 MiB, so that the next step faults none in afresh', () => {
    // Five 128 MiB tensors alive at once, as a large batch's activations are; the fixed
    // 512 MiB cap kept four of them and the fifth was mapped afresh every step.
    // The next step's five all come from the cache (other sizes it held may have been dropped).
    const block = 128 * 1024 * 1024 + 4096;
    const step = () => Array.from({ length: 5 }, () => zeros([32 * 1024 * 1024]));
    dispose(step());
    const cached = memory().numCachedBytes;
    const again = step();
    expect(cached - memory().numCachedBytes).toBe(5 * block);
    dispose(again);
  });

  it('emptyCache frees the blocks kept for reuse and leaves live tensors alone', () => {
    const live = ones([256, 1024]);
    zeros([256, 1024]).dispose();
    expect(memory().numCachedBytes).toBeGreaterThan(0);
    const before = memory().numBytes;
    emptyCache();
    expect(memory().numCachedBytes).toBe(0);
    expect(memory().numBytes).toBe(before);
    expect(tidy(() => sum(live).dataSync()[0])).toBe(256 * 1024);
    live.dispose();
  });

  it('returns to the starting count after 1,000 create/dispose iterations', () => {
    const start = liveTensors();
    for (let i = 0; i < 1000; i++) {
      const a = ones([8, 8]);
      const b = add(a, 1);
      dispose([a, b]);
    }
    expect(liveTensors()).toBe(start);
  });

  it('tidy releases what its function did not return', async () => {
    await settleGarbage();
    const start = memory();
    const kept = tidy(() => {
      const a = ones([4]);
      const b = mul(a, 3);
      return { result: add(b, 1), extra: [1, 'not a tensor'] };
    });
    expect(memory().numTensors).toBe(start.numTensors + 1);
    expect(kept.result.arraySync()).toEqual([4, 4, 4, 4]);
    kept.result.dispose();
    expect(memory().numTensors).toBe(start.numTensors);
    expect(memory().numBytes).toBe(start.numBytes);
  });

  it('nests, keeps and moves results to the enclosing scope', () => {
    const start = liveTensors();
    let inner: Tensor | undefined;
    let kept: Tensor | undefined;
    tidy(() => {
      inner = tidy(() => add(ones([2]), 1));
      kept = keep(zeros([2]));
      expect(inner.isDisposed).toBe(false);
    });
    expect(inner!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
    expect(liveTensors()).toBe(start);
  });

  it('keeps live tensors flat across a loop', () => {
    expectNoLeaks(() => {
      tidy(() => {
        sum(mul(tensor([1, 2, 3]), 2));
      });
    }, 50);
  });

  it('refuses async functions and disposed tensors', () => {
    expect(() => tidy(async () => ones([1]))).toThrow(/tidy: the function returned a Promise/);
    const t = ones([2]);
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(() => t.dataSync()).toThrow(/dataSync: tensor \d+ of shape \[2\] is disposed/);
    expect(() => add(t, 1)).toThrow(/add: argument 'a' is a disposed tensor/);
    t.dispose(); // twice is fine
  });

  it('reports bytes per device and reclaims forgotten tensors through the GC', async () => {
    const info = memory();
    expect(info.devices.cpu.numBytes).toBeGreaterThanOrEqual(0);
    const gc = (global as { gc?: () => void }).gc;
    if (!gc) return; // the GC net is exercised in test/gc.test.ts with --expose-gc
  });
});
