// Ops whose output size comes from an argument's value refuse a huge one before any work,
// naming the op the user called, the size asked for and the limit. Every size here is
// 2^40 elements or more (terabytes), refused on any machine; none is ever allocated.
import * as ts from '../../src';

const BIG = 2 ** 40;
const i32 = (v: number[]) => ts.tensor(v, undefined, 'int32');
// The addon's refusal (renamed to the public op) or the TypeScript side's: both give the size and the limit.
const native = (op: string) =>
  new RegExp(`^${op.replace(/\./g, '\\.')}: cannot allocate a float32 tensor of shape \\[[0-9, ]+\\] on cpu: out of memory: asked for [0-9.]+ TiB, but only`);
const early = (op: string, count: number, dtype = 'float32') =>
  new RegExp(
    `^${op.replace(/\./g, '\\.')}: (the result|the padded signal|its .* grid of rows by segments) would hold ${count} ${dtype} values \\(\\d+ bytes\\)(, more than the memory available|; the most)`,
  );

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a refusal, got a result');
}

describe('huge outputs are refused, naming the op', () => {
  afterEach(() => ts.emptyCache());

  it('image resizes (the native refusal names the public op, not the kernel)', () => {
    const image = ts.ones([1, 4, 4, 1]);
    expect(refusal(() => ts.image.resizeBilinear(image, [2 ** 20, 2 ** 20]))).toMatch(native('image.resizeBilinear'));
    expect(refusal(() => ts.image.resizeNearestNeighbor(image, [2 ** 20, 2 ** 20]))).toMatch(native('image.resizeNearestNeighbor'));
    expect(refusal(() => ts.image.transform(image, ts.tensor([[1, 0, 0, 0, 1, 0, 0, 0]]), 'nearest', 'constant', 0, [2 ** 20, 2 ** 20]))).toMatch(
      native('image.transform'),
    );
    image.dispose();
  });

  it('image.resize refuses before building its weight matrices', () => {
    const image = ts.ones([1, 4, 4, 1]);
    for (const interpolation of ['bilinear', 'bicubic', 'lanczos3', 'area'] as const) {
      expect(refusal(() => ts.image.resize(image, [2 ** 20, 2 ** 20], { interpolation }))).toMatch(early('image.resize', BIG));
    }
    image.dispose();
  });

  it('unsortedSegmentSum and the segment reductions', () => {
    expect(refusal(() => ts.unsortedSegmentSum(ts.ones([2]), i32([0, 1]), BIG))).toMatch(native('unsortedSegmentSum'));
    // numSegments 2^31 - 1 (from the largest id) of rows of 1024: 2^41 values.
    const rows = ts.ones([2, 1024]);
    for (const op of ['segmentMax', 'segmentMin', 'segmentProd'] as const) {
      expect(refusal(() => ts[op](rows, i32([0, 2 ** 31 - 2])))).toMatch(early(op, (2 ** 31 - 1) * 1024));
    }
    expect(refusal(() => ts.segmentSum(rows, i32([0, 2 ** 31 - 2])))).toMatch(native('segmentSum'));
    rows.dispose();
  });

  it('segmentMax with a large id builds no [rows, numSegments] grid', () => {
    // 3 rows and ids up to 10^6: the grid has a column per segment that occurs.
    const y = ts.segmentMax(ts.tensor([1, 5, 2]), i32([0, 1_000_000, 0]));
    expect(y.shape).toEqual([1_000_001]);
    const v = y.dataSync();
    expect([v[0], v[1_000_000], v[1], v[999_999]]).toEqual([2, 5, -Infinity, -Infinity]);
    const p = ts.segmentProd(ts.tensor([[3], [4]]), i32([7, 2]), 9).dataSync();
    expect(Array.from(p)).toEqual([1, 1, 4, 1, 1, 1, 1, 3, 1]);
    // Ids out of [0, numSegments) are dropped, as before.
    expect(Array.from(ts.segmentMin(ts.tensor([1, 2, 3]), i32([-1, 1, 5]), 3).dataSync())).toEqual([Infinity, 2, Infinity]);
  });

  it('random tensors and layer weights', () => {
    expect(refusal(() => ts.randomUniform([BIG]))).toMatch(native('randomUniform'));
    expect(refusal(() => ts.randomNormal([BIG]))).toMatch(native('randomNormal'));
    expect(refusal(() => ts.truncatedNormal([BIG]))).toMatch(native('truncatedNormal'));
  });

  it('broadcastTo names itself, not tile', () => {
    expect(refusal(() => ts.broadcastTo(ts.ones([1]), [BIG]))).toMatch(early('broadcastTo', BIG));
  });

  it('signal ops: stft, rfft, frame', () => {
    const signal = ts.ones([8]);
    expect(refusal(() => ts.signal.stft(signal, 4, 1, BIG))).toMatch(/^signal\.stft: /);
    expect(refusal(() => ts.signal.stft(signal, BIG, 1))).toMatch(/^signal\.stft: /);
    expect(refusal(() => ts.rfft(signal, BIG))).toMatch(early('rfft', BIG));
    expect(refusal(() => ts.signal.frame(signal, BIG, 1, true))).toMatch(early('signal.frame', 8 * BIG));
    signal.dispose();
  });

  it('tensors built in JavaScript (eye, range, buffer)', () => {
    expect(refusal(() => ts.eye(2 ** 20))).toMatch(early('eye', BIG));
    expect(refusal(() => ts.range(0, BIG))).toMatch(early('range', BIG));
    expect(refusal(() => ts.buffer([BIG]))).toMatch(early('buffer', BIG));
  });

  it('preprocessing layers: categoryEncoding, textVectorization, stringLookup', () => {
    const encode = ts.layers.categoryEncoding({ numTokens: 2 ** 31 - 1, outputMode: 'multi_hot' });
    expect(refusal(() => encode.apply(ts.zeros([1024, 1], 'int32')))).toMatch(
      new RegExp(`^${encode.name}: the result would hold ${1024 * (2 ** 31 - 1)} float32`),
    );
    const text = ts.layers.textVectorization({ outputSequenceLength: BIG, vocabulary: ['a'] });
    expect(refusal(() => text.apply(['a b']))).toMatch(new RegExp(`^${text.name}: the result would hold ${BIG} int32`));
    expect(() => ts.layers.stringLookup({ vocabulary: ['a'], numOovIndices: BIG })).toThrow(
      /numOovIndices to be at most 2147483646 \(indices are int32\), got 1099511627776/,
    );
    // The most OOV slots: built at once (no list of them), refused when a one-hot output would not fit.
    const lookup = ts.layers.stringLookup({ vocabulary: ['a'], outputMode: 'one_hot', numOovIndices: 2 ** 31 - 2 });
    expect(refusal(() => lookup.apply(['a', 'a', 'a', 'a']))).toMatch(new RegExp(`^${lookup.name}: the result would hold ${4 * (2 ** 31 - 1)} float32`));
  });

  it('adaptive pooling bounds its output positions (each is a slice and a reduction)', () => {
    for (const op of ['adaptiveAveragePool', 'adaptiveMaxPool'] as const) {
      expect(refusal(() => ts[op](ts.ones([1, 4, 4, 1]), [46341, 46341]))).toMatch(
        new RegExp(`^${op}: outputSize \\[46341, 46341\\] is 2147488281 output positions per image and channel, more than 16777216`),
      );
    }
  });

  it('hashing one-hot and the STFT spectrogram kernel', () => {
    const hashing = ts.layers.hashing({ numBins: BIG, outputMode: 'one_hot' });
    expect(refusal(() => hashing.apply(i32([1])))).toMatch(new RegExp(`^${hashing.name}: the result would hold ${BIG} float32`));
    const spectrogram = ts.layers.stftSpectrogram({ frameLength: 4, frameStep: 1, fftLength: BIG });
    expect(refusal(() => spectrogram.apply(ts.ones([1, 8, 1])))).toMatch(early('initializers.stft', 2 * BIG + 4));
  });

  it('normal sizes still work', () => {
    expect(ts.image.resize(ts.ones([1, 2, 2, 1]), [3, 3], { interpolation: 'bicubic' }).shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(ts.broadcastTo(ts.tensor([1, 2]), [2, 2]).dataSync())).toEqual([1, 2, 1, 2]);
    expect(ts.signal.frame(ts.ones([8]), 4, 2).shape).toEqual([3, 4]);
    expect(ts.rfft(ts.ones([4]), 6)[0].shape).toEqual([4]);
  });
});
