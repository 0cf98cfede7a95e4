// Bad arguments to the keras.ops NumPy math raise errors naming the op, what was expected
// and what came.
import * as ts from '../../src';

const x = () => ts.tensor([1, 2, 3, 4, 5, 6], [2, 3]);

describe('keras.ops NumPy math errors', () => {
  it.each([
    ['quantile: q outside [0, 1]', () => ts.quantile(x(), 1.5), /quantile: expected q in \[0, 1\], got 1\.5/],
    ['percentile: q outside [0, 100]', () => ts.percentile(x(), [10, 120]), /percentile: expected q in \[0, 100\], got 120/],
    ['quantile: an unknown method', () => ts.quantile(x(), 0.5, null, 'cubic' as never), /quantile: expected method to be one of 'linear', .*got 'cubic'/],
    ['quantile: a matrix q', () => ts.quantile(x(), [[0.5]]), /quantile: expected q to be a number or a vector, got shape \[1, 1\]/],
    ['median: an empty axis', () => ts.median(ts.zeros([2, 0]), 1), /median: expected no empty axis to reduce, got shape \[2, 0\]/],
    ['std: an axis out of range', () => ts.std(x(), 2), /std: expected axis in \[-2, 2\), got 2/],
    ['variance: keepdims not a boolean', () => ts.variance(x(), 0, 1 as never), /variance: expected keepdims to be true or false, got 1/],
    ['ptp: an empty axis', () => ts.ptp(ts.zeros([0, 3]), 0), /ptp: expected no empty axis/],
    [
      'average: weights of another shape',
      () => ts.average(x(), 1, [1, 2]),
      /average: expected weights of x's shape \[2, 3\], or a vector as long as x's axis 1, got shape \[2\]/,
    ],
    ['average: vector weights without an axis', () => ts.average(x(), null, [1, 2, 3]), /average: expected weights .* axis \(none given\), got shape \[3\]/],
    ['nanmax: an empty axis', () => ts.nanmax(ts.zeros([2, 0]), 1), /nanmax: expected no empty axis/],
    ['nansum: a bool x', () => ts.nansum(ts.tensor([true, false])), /nansum: .*bool/],
    ['isclose: a negative rtol', () => ts.isclose(x(), x(), -1), /isclose: expected rtol to be a non-negative number, got -1/],
    ['allclose: equalNan not a boolean', () => ts.allclose(x(), x(), 1e-5, 1e-8, 'yes' as never), /allclose: expected equalNan to be true or false, got 'yes'/],
    ['hypot: shapes that do not broadcast', () => ts.hypot(x(), ts.ones([4])), /hypot: shapes \[2, 3\] and \[4\] cannot be broadcast/],
    ['fmod: a bool operand', () => ts.fmod(ts.tensor([true]), ts.tensor([true])), /fmod: .*bool/],
    ['nanToNum: a string posinf', () => ts.nanToNum(x(), 0, 'big' as never), /nanToNum: expected posinf to be a number or null, got 'big'/],
    [
      'segmentSum: ids of the wrong shape',
      () => ts.segmentSum(x(), ts.tensor([0, 1, 2], [3], 'int32')),
      /segmentSum: expected segmentIds whose shape \[3\] is the leading dimensions of data \[2, 3\]/,
    ],
    [
      'segmentMax: unsorted ids with sorted',
      () => ts.segmentMax(ts.ones([3, 2]), ts.tensor([0, 2, 1], [3], 'int32'), null, true),
      /segmentMax: sorted is true but segmentIds decrease at index 2 \(2 then 1\)/,
    ],
    [
      'segmentProd: a negative numSegments',
      () => ts.segmentProd(ts.ones([3]), ts.tensor([0, 0, 1], [3], 'int32'), -1),
      /segmentProd: expected numSegments to be a non-negative integer or null, got -1/,
    ],
    ['segmentMin: float ids', () => ts.segmentMin(ts.ones([2]), ts.tensor([0.5, 1])), /segmentMin: .*segmentIds/],
    ['corrcoef: a rank-3 x', () => ts.corrcoef(ts.ones([2, 2, 2])), /corrcoef: expected x of rank 1 or 2 \(variables by observations\), got shape \[2, 2, 2\]/],
    [
      'cdist: different M',
      () => ts.cdist(ts.ones([2, 3]), ts.ones([2, 4])),
      /cdist: expected x1 \[\.\.\., P, M\] and x2 \[\.\.\., R, M\].*got shapes \[2, 3\] and \[2, 4\]/,
    ],
    ['cdist: a negative p', () => ts.cdist(ts.ones([2, 3]), ts.ones([2, 3]), -1), /cdist: expected p to be a non-negative number or Infinity, got -1/],
    ['slogdet: a non-square matrix', () => ts.slogdet(ts.ones([2, 3])), /slogdet: .*square/],
    [
      'digitize: bins not monotonic',
      () => ts.digitize(x(), [0, 2, 1]),
      /digitize: expected bins to be monotonic \(increasing or decreasing\), got \[0, 2, 1\]/,
    ],
    ['digitize: bins a matrix', () => ts.digitize(x(), [[0, 1]]), /digitize: expected bins to be a vector, got shape \[1, 2\]/],
    ['histogram: bins 0', () => ts.histogram(x(), 0), /histogram: expected bins to be a positive integer, got 0/],
    [
      'histogram: a reversed range',
      () => ts.histogram(x(), 3, [2, 1]),
      /histogram: expected range to be null or \[lower, upper\] finite numbers with lower <= upper, got \[2, 1\]/,
    ],
    ['histogram: NaN without a range', () => ts.histogram([1, NaN]), /histogram: x holds NaN, so the range cannot be found from it; give range/],
    ['gcd: float operands', () => ts.gcd(x(), x()), /gcd: .*float32/],
    [
      'gcd: a bool tensor beside a number (NumPy and JAX refuse bools)',
      () => ts.gcd(ts.tensor([true, false], [2], 'bool'), 4),
      /gcd: expected argument 'x1' to have dtype int32, got bool/,
    ],
    [
      'lcm: beyond int32',
      () => ts.lcm(ts.tensor([65536], [1], 'int32'), ts.tensor([65537], [1], 'int32')),
      /lcm: the multiple of 65536 and 65537 \(4295032832\) is beyond int32/,
    ],
    ['cbrt: too many arguments', () => (ts.cbrt as (...a: unknown[]) => ts.Tensor)(x(), 1), /cbrt/],
  ])('%s', (_name, f, message) => {
    expect(f).toThrow(message);
  });

  it('empty segments hold the reduction identity; numSegments 0 gives no rows', () => {
    const d = ts.tensor([1, 2, 3], [3]);
    const ids = ts.tensor([0, 0, 2], [3], 'int32');
    expect(Array.from(ts.segmentMax(d, ids).dataSync())).toEqual([2, -Infinity, 3]);
    expect(Array.from(ts.segmentMin(d, ids).dataSync())).toEqual([1, Infinity, 3]);
    expect(Array.from(ts.segmentProd(d, ids).dataSync())).toEqual([2, 1, 3]);
    expect(ts.segmentMax(d, ids, 0).shape).toEqual([0]);
    expect(Array.from(ts.segmentMax(ts.tensor([4, 9], [2], 'int32'), ts.tensor([1, 1], [2], 'int32')).dataSync())).toEqual([-(2 ** 31), 9]);
  });

  it('int input: float functions give float32, counts int32', () => {
    const i = ts.tensor([1, 8, -27], [3], 'int32');
    expect(ts.cbrt(i).dtype).toBe('float32');
    expect(Array.from(ts.cbrt(i).dataSync()).map((v) => Math.round(v))).toEqual([1, 2, -3]);
    expect(ts.countNonzero(i).dtype).toBe('int32');
    expect(ts.ptp(i).dtype).toBe('int32');
    expect(ts.std(i).dtype).toBe('float32');
  });
});
