// How gradients are grouped into all-reduce buckets (src/distribute/buckets.ts): in the
// order backward finishes them (last variable first), fused up to bucketBytes, and a
// gradient of 256 KB or more alone (reduced from its own memory, no copy into a bucket).
import { plan } from '../../src/distribute/buckets';
import type { DType } from '../../src/tensor/dtype';

const spec = (shape: number[], dtype: DType = 'float32') => ({ shape, dtype });
const indices = (specs: { shape: number[]; dtype: DType }[], bucketBytes: number) => plan('test', specs, bucketBytes).map((b) => b.members.map((m) => m.index));

// bench:train's MLP: dense 784 -> 256 -> 128 -> 10, kernels and biases (0.94 MB in all).
const MLP = [spec([784, 256]), spec([256]), spec([256, 128]), spec([128]), spec([128, 10]), spec([10])];

describe('gradient bucket plan', () => {
  test("the MLP's 0.8 MB first kernel goes alone; the rest, finished before it, is one bucket", () => {
    expect(indices(MLP, 1 << 20)).toEqual([[5, 4, 3, 2, 1], [0]]);
    expect(indices(MLP, 25 << 20)).toEqual([[5, 4, 3, 2, 1], [0]]);
  });

  test('a large gradient closes the open bucket: earlier layers start a new one (plan order is launch order)', () => {
    const specs = [spec([4]), spec([300, 256]), spec([8])]; // 16 B, 300 KB, 32 B
    expect(indices(specs, 1 << 20)).toEqual([[2], [1], [0]]);
  });

  test('below 256 KB, gradients are fused up to bucketBytes; each dtype has its own buckets', () => {
    const specs = [spec([100]), spec([100]), spec([100], 'float64'), spec([100])]; // 400, 400, 800, 400 B
    expect(indices(specs, 800)).toEqual([[3, 1], [2], [0]]);
    expect(indices(specs, 1 << 20)).toEqual([[3, 1, 0], [2]]);
    // One element per bucket: every gradient alone.
    expect(indices(specs, 1)).toEqual([[3], [2], [1], [0]]);
  });

  test('a gradient just under 256 KB is still fused', () => {
    const specs = [spec([65535]), spec([4])];
    expect(indices(specs, 1 << 20)).toEqual([[1, 0]]);
    expect(indices([spec([65536]), spec([4])], 1 << 20)).toEqual([[1], [0]]);
  });

  test('integer gradients are refused, naming the index', () => {
    expect(() => plan('fit', [spec([2]), spec([2], 'int32')], 1 << 20)).toThrow(/fit: gradients must be float32 or float64, got int32 \(index 1\)/);
  });
});
