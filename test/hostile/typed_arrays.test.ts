// Typed arrays Tessera cannot read from (a detached or shrunk buffer, a DataView, 64-bit
// integers): refused naming the function, never V8's own TypeError from inside a copy;
// the ones it can read (shared buffers, views at any offset, clamped bytes) read right.
import * as ts from '../../src';

const detached = (): Float32Array => {
  const buffer = new ArrayBuffer(16);
  const view = new Float32Array(buffer);
  structuredClone(buffer, { transfer: [buffer] });
  return view;
};

const LOST = 'has lost its ArrayBuffer: it was detached';

describe('typed arrays that cannot be read', () => {
  it('a view of a detached buffer is refused by every way in', () => {
    expect(() => ts.tensor(detached())).toThrow(`tensor: values (a Float32Array) ${LOST}`);
    expect(() => ts.tensor(detached(), [4])).toThrow(`tensor: values (a Float32Array) ${LOST}`);
    expect(() => ts.tensor2d(detached(), [2, 2])).toThrow(`tensor2d: values (a Float32Array) ${LOST}`);
    expect(() => ts.buffer([4], 'float32', detached())).toThrow(`buffer: values (a Float32Array) ${LOST}`);
    expect(() => ts.add(ts.ones([4]), detached())).toThrow(LOST);
    expect(() => ts.util.toTypedArray(detached(), 'float32')).toThrow(`util.toTypedArray: a (a Float32Array) ${LOST}`);
    // flatten read it as no values at all.
    expect(() => ts.util.flatten([detached()])).toThrow(`util.flatten: a typed array in arr (a Float32Array) ${LOST}`);
  });

  it('a view past the end of a shrunk resizable buffer is refused', () => {
    const buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer & { resize(n: number): void })(16, {
      maxByteLength: 64,
    });
    const view = new Float32Array(buffer, 4, 2);
    buffer.resize(4);
    expect(() => ts.tensor(view)).toThrow(`tensor: values (a Float32Array) ${LOST}`);
  });

  it('a DataView is refused by name (its missing length reached the addon as a shape)', () => {
    expect(() => ts.tensor(new DataView(new ArrayBuffer(16)) as never)).toThrow('tensor: values is a DataView, which has no element type');
    expect(() => ts.tensor1d(new DataView(new ArrayBuffer(16)) as never)).toThrow('tensor1d: values is a DataView');
  });

  it('64-bit integer arrays are refused by name (V8 said "Cannot mix BigInt and other types")', () => {
    expect(() => ts.tensor(new BigInt64Array([1n, 2n]) as never)).toThrow('tensor: values is a BigInt64Array, whose 64-bit integers no dtype here holds');
    expect(() => ts.tensor(new BigUint64Array([1n]) as never, [1], 'int32')).toThrow('tensor: values is a BigUint64Array');
  });
});

describe('typed arrays that can be read', () => {
  it('shared buffers, offsets into larger buffers and clamped bytes read their own values', () => {
    const shared = new Float32Array(new SharedArrayBuffer(12));
    shared.set([1, 2, 3]);
    expect(ts.tensor(shared).arraySync()).toEqual([1, 2, 3]);
    const big = new ArrayBuffer(64);
    new Float32Array(big).forEach((_, i, a) => (a[i] = i));
    expect(ts.tensor(new Float32Array(big, 12, 3)).arraySync()).toEqual([3, 4, 5]);
    expect(ts.tensor(new Uint8Array(100).map((_, i) => i).subarray(97)).arraySync()).toEqual([97, 98, 99]);
    const clamped = ts.tensor(new Uint8ClampedArray([1, 300]) as never);
    expect([clamped.dtype, clamped.arraySync()]).toEqual(['int32', [1, 255]]);
    expect(ts.tensor(new Uint16Array([65535]) as never).arraySync()).toEqual([65535]);
  });

  it('an empty typed array is not taken for a detached one', () => {
    expect(ts.tensor(new Float32Array(0)).shape).toEqual([0]);
    expect(ts.tensor(new Float32Array(new ArrayBuffer(8), 8)).shape).toEqual([0]);
  });

  it("a disposed tensor's data is refused", async () => {
    const t = ts.ones([2]);
    t.dispose();
    await expect(t.data()).rejects.toThrow('is disposed');
    expect(() => t.dataSync()).toThrow('is disposed');
  });
});
