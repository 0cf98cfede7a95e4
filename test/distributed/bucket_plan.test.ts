// How gradients are grouped into all-reduce buckets (src/distribute/buckets.ts): in the
// order backward finishes them (last variable first), fused up to bucketBytes, and a
// gradient of 4 MB or more alone (reduced from its own memory, no copy into a bucket);
// after the first step, in the order backward actually finished them (ready_order.ts).
import { plan } from '../../src/distribute/buckets';
import { agreedOrder, forgetOrders, ordersAgree, recordOrder } from '../../src/distribute/ready_order';
import type { DType } from '../../src/tensor/dtype';

const spec = (shape: number[], dtype: DType = 'float32') => ({ shape, dtype });
const indices = (specs: { shape: number[]; dtype: DType }[], bucketBytes: number) => plan('test', specs, bucketBytes).map((b) => b.members.map((m) => m.index));

// bench:train's MLP: dense 784 -> 256 -> 128 -> 10, kernels and biases (0.94 MB in all).
const MLP = [spec([784, 256]), spec([256]), spec([256, 128]), spec([128]), spec([128, 10]), spec([10])];

describe('gradient bucket plan', () => {
  test("the MLP's gradients (0.94 MB) are one bucket; with smaller buckets its 0.8 MB first kernel goes alone", () => {
    expect(indices(MLP, 1 << 20)).toEqual([[5, 4, 3, 2, 1, 0]]);
    expect(indices(MLP, 25 << 20)).toEqual([[5, 4, 3, 2, 1, 0]]);
    expect(indices(MLP, 512 << 10)).toEqual([[5, 4, 3, 2, 1], [0]]);
  });

  test('a large gradient closes the open bucket: earlier layers start a new one (plan order is launch order)', () => {
    const specs = [spec([4]), spec([1100, 1024]), spec([8])]; // 16 B, 4.4 MB, 32 B
    expect(indices(specs, 25 << 20)).toEqual([[2], [1], [0]]);
  });

  test('below 4 MB, gradients are fused up to bucketBytes; each dtype has its own buckets', () => {
    const specs = [spec([100]), spec([100]), spec([100], 'float64'), spec([100])]; // 400, 400, 800, 400 B
    expect(indices(specs, 800)).toEqual([[3, 1], [2], [0]]);
    expect(indices(specs, 1 << 20)).toEqual([[3, 1, 0], [2]]);
    // One element per bucket: every gradient alone.
    expect(indices(specs, 1)).toEqual([[3], [2], [1], [0]]);
  });

  test('a gradient just under 4 MB is still fused', () => {
    const specs = [spec([(1 << 20) - 1]), spec([4])];
    expect(indices(specs, 25 << 20)).toEqual([[1, 0]]);
    expect(indices([spec([1 << 20]), spec([4])], 25 << 20)).toEqual([[1], [0]]);
  });

  test('integer gradients are refused, naming the index', () => {
    expect(() => plan('fit', [spec([2]), spec([2], 'int32')], 1 << 20)).toThrow(/fit: gradients must be float32 or float64, got int32 \(index 1\)/);
  });
});

describe('buckets planned in the order backward finished the gradients', () => {
  test("the MLP's fused dense op finishes a kernel with its bias: planned in arrival order, the last layers' bucket no longer waits for the first bias", () => {
    // Arrival in bench:train's MLP: (kernel, bias) of the last layer, then of the middle one, then of the first.
    const arrival = [4, 5, 2, 3, 0, 1];
    // 512 KB buckets: the 0.8 MB first kernel alone, the rest fused.
    expect(indices(MLP, 512 << 10)).toEqual([[5, 4, 3, 2, 1], [0]]); // by variable order: the first bucket needs index 1
    expect(plan('test', MLP, 512 << 10, arrival).map((b) => b.members.map((m) => m.index))).toEqual([[4, 5, 2, 3], [0], [1]]);
  });

  test('learned once per list of shapes and dtypes; used once the ranks agree (a world of one always does)', () => {
    forgetOrders();
    expect(agreedOrder(MLP)).toBeUndefined();
    recordOrder(MLP, [4, 5, 2, 3, 0, 1]);
    recordOrder(MLP, [5, 4, 3, 2, 1, 0]); // the first complete order stays
    recordOrder(MLP.slice(1), [0, 1]); // incomplete: ignored
    expect(agreedOrder(MLP)).toEqual([4, 5, 2, 3, 0, 1]);
    expect(agreedOrder(MLP.slice(1))).toBeUndefined();
    forgetOrders();
  });

  test('agreement: the MAX over ranks of [order, -order] gives back the order only when every rank had it', () => {
    const order = [2, 0, 1];
    expect(ordersAgree(order, [2, 0, 1, -2, 0, -1])).toBe(true);
    // Another rank had [2, 1, 0]: MAX gives [2, 1, 1, -2, 0, 0].
    expect(ordersAgree(order, [2, 1, 1, -2, 0, 0])).toBe(false);
    expect(ordersAgree(order, [2, 0, 1])).toBe(false);
  });
});
