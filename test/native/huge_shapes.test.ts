// Dimensions of 2^31 and more: shapes travel to the addon as doubles (an Int32Array
// truncated them, and kernels wrote past the allocation), element counts are checked
// against 2^53 - 1 on both sides without overflow, and more memory than the machine can
// give is a clear error before any work.
import * as ts from '../../src';
import { native } from '../../src/native/binding';
import { OP } from '../../src/native/op_ids';
import { Tensor } from '../../src/tensor/tensor';
import { howItEnded, runTsChild } from '../helpers/child';

describe('shapes beyond 2^53 - 1 elements', () => {
  it('are refused by the shape check, naming the op', () => {
    expect(() => ts.zeros([3, 6148914691236517000])).toThrow(/zeros: shape \[3, 6148914691236517000\] has more than 2\^53 - 1 elements/);
    expect(() => ts.zeros([2 ** 53])).toThrow(/more than 2\^53 - 1 elements/);
    expect(() => ts.ones([2 ** 27, 2 ** 27])).toThrow(/more than 2\^53 - 1 elements/);
  });

  it('are refused for inferred output shapes before the addon is called', () => {
    expect(() => ts.tile(ts.ones([1, 1]), [2 ** 30, 2 ** 30])).toThrow(/tile: the output shape \[1073741824, 1073741824\] has more than 2\^53 - 1 elements/);
  });

  it('allow empty shapes with a large dimension', () => {
    const t = ts.zeros([0, 2 ** 40]);
    expect(t.shape).toEqual([0, 2 ** 40]);
    expect(t.dataSync().length).toBe(0);
    t.dispose();
  });

  it('are checked by the addon too, with overflow-safe products', () => {
    const cpu = -1;
    expect(() => native.createTensor(null, [2 ** 26, 2 ** 26, 2 ** 26], 0, cpu)).toThrow(
      /createTensor: shape \[67108864, 67108864, 67108864\] has more than 2\^53 - 1 elements/,
    );
    expect(() => native.createTensor(null, [2 ** 62, 4], 0, cpu)).toThrow(/integers in \[0, 2\^53 - 1\], got 4.6\d*e\+18/);
    expect(() => native.createTensor(null, [1e300], 0, cpu)).toThrow(/integers in \[0, 2\^53 - 1\]/);
    expect(() => native.createTensor(null, [1.5], 0, cpu)).toThrow(/integers/);
    const spec = (dims: number[]) => new Float64Array([cpu, 0, dims.length, ...dims]);
    expect(() => native.run(OP.fill, [], new Float64Array([0]), spec([2 ** 31, 2 ** 31, 2 ** 31]))).toThrow(
      /fill: shape \[2147483648, 2147483648, 2147483648\] has more than 2\^53 - 1 elements/,
    );
    expect(() => native.run(OP.fill, [], new Float64Array([0]), spec([-1]))).toThrow(/fill: expected shape entries to be integers/);
    // The old Int32Array specification is refused rather than misread.
    expect(() => native.run(OP.fill, [], new Float64Array([0]), new Int32Array([cpu, 0, 1, 2]) as unknown as Float64Array)).toThrow(/Float64Array/);
  });

  it('carries dimensions above 2^31 exactly to the addon', () => {
    // An empty tensor: nothing is allocated, but the shape crosses the boundary whole.
    const t = ts.zeros([2 ** 31 + 1, 0, 2 ** 32 + 3]);
    const v = ts.reshape(t, [0, 2 ** 33]);
    expect(v.shape).toEqual([0, 2 ** 33]);
    expect(ts.memory().numTensors).toBeGreaterThan(0);
    ts.dispose([t, v]);
  });

  it('are not read into a typed array longer than a JS typed array can be', async () => {
    const small = ts.zeros([1], 'bool');
    // A tensor object claiming 2^32 + 1 elements: the check comes before the addon reads.
    const huge = new Tensor(small.handle!, [2 ** 32 + 1], 'bool', 'cpu', false);
    expect(() => huge.dataSync()).toThrow(/dataSync: the tensor of shape \[4294967297\] has 4294967297 elements, more than a JS typed array holds \(2\^32\)/);
    await expect(huge.data()).rejects.toThrow(/data: the tensor of shape \[4294967297\]/);
    small.dispose();
  });
});

describe('tensors larger than the memory available', () => {
  it('are clear errors before any work (in a child limited to 6 GiB of address space)', () => {
    const child = runTsChild('test/native/huge_shapes_child.ts', [], { shellPrefix: 'ulimit -v 6291456', timeoutMs: 120_000 });
    expect(howItEnded(child)).toBe('exit 0');
    const lines = child.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const memory =
      /cannot allocate a float32 tensor of shape \[[0-9, ]+\] on cpu: out of memory: asked for [0-9.]+ GiB, but only [0-9.]+ [GM]iB of memory is available/;
    expect(lines.map((l) => l.name)).toEqual([
      'zeros 2^32',
      'zeros 2^31',
      'pad to 2^32 + 1',
      'slice of fill 2^32 + 1',
      'randomNormal 2^34',
      'tensor then tile',
    ]);
    for (const l of lines) expect({ name: l.name, error: l.error }).toEqual({ name: l.name, error: expect.stringMatching(memory) });
    expect(lines[2].error).toMatch(/^pad: cannot allocate a float32 tensor of shape \[4294967297\]/);
  });
});
