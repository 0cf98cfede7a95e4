// Bad arguments to the NumPy-style ops: each error names the op, what it expected and what came.
import * as ts from '../../src';

const x = () => ts.zeros([2, 3]);

describe('the NumPy-style ops refuse bad arguments clearly', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['roll: fractional shift', () => ts.roll(x(), 1.5, 0), /^roll: expected shift to be an integer, got 1\.5/],
    ['roll: several shifts, flat', () => ts.roll(x(), [1, 2]), /^roll: expected one shift when axis is null/],
    ['roll: mismatched lists', () => ts.roll(x(), [1, 2, 3], [0, 1]), /^roll: expected shift and axis of the same length/],
    ['flip: axis out of range', () => ts.flip(x(), 2), /^flip: expected axis in \[-2, 2\), got 2/],
    ['fliplr: a vector', () => ts.fliplr([1, 2]), /^fliplr: expected x of rank 2 or more, got shape \[2\]/],
    ['rot90: one axis', () => ts.rot90(x(), 1, [0] as unknown as [number, number]), /^rot90: expected axes to be two axes/],
    ['rot90: the same axis twice', () => ts.rot90(x(), 1, [1, -1]), /^rot90: expected distinct axes in axes/],
    ['moveaxis: lists of two lengths', () => ts.moveaxis(x(), [0, 1], [0]), /^moveaxis: expected source and destination of the same length/],
    ['tril: a vector', () => ts.tril([1, 2, 3]), /^tril: expected x of rank 2 or more/],
    ['triu: fractional k', () => ts.triu(x(), 0.5), /^triu: expected k to be an integer, got 0\.5/],
    ['tri: negative N', () => ts.tri(-1), /^tri: expected N to be an integer >= 0, got -1/],
    ['diagonal: one axis twice', () => ts.diagonal(x(), 0, 1, -1), /^diagonal: expected axis1 and axis2 to differ/],
    ['trace: a vector', () => ts.trace([1, 2]), /^trace: expected x of rank 2 or more/],
    ['vdot: sizes differ', () => ts.vdot([1, 2], [1, 2, 3]), /^vdot: expected x1 and x2 with as many elements, got shapes \[2\] and \[3\]/],
    ['tensordot: too many axes', () => ts.tensordot(x(), x(), 3), /^tensordot: expected axes to be an integer from 0 to 2/],
    ['tensordot: dimensions differ', () => ts.tensordot(x(), x(), [[1], [0]]), /^tensordot: expected summed dimensions to match.*axis 1 \(3\).*axis 0 \(2\)/],
    ['cross: 2-vectors', () => ts.cross([1, 2], [3, 4]), /^cross: expected 3-vectors along axisa of x1 and axisb of x2, got dimensions 2 and 2/],
    ['take: index out of range', () => ts.take(x(), [6]), /^take: expected indices in \[-6, 6\).*got 6/],
    ['take: fractional index', () => ts.take(x(), [0.5]), /^take: expected argument 'indices' to hold integers, got 0\.5/],
    ['takeAlongAxis: ranks differ', () => ts.takeAlongAxis(x(), [0], 1), /^takeAlongAxis: expected indices of x's rank 2, got shape \[1\]/],
    [
      'takeAlongAxis: no broadcast',
      () => ts.takeAlongAxis(x(), ts.zeros([3, 1], 'int32'), 1),
      /^takeAlongAxis: expected x and indices to broadcast on the axes other than 1/,
    ],
    ['repeat: wrong count of repeats', () => ts.repeat(x(), [1, 2], 1), /^repeat: expected repeats to be a count or 3 counts/],
    ['repeat: negative repeat', () => ts.repeat(x(), -1), /^repeat: expected repeats to be an integer >= 0, got -1/],
    ['diff: negative n', () => ts.diff(x(), -1), /^diff: expected n to be an integer >= 0, got -1/],
    ['sort: a scalar', () => ts.sort(3), /^sort: expected x of rank 1 or more, got a scalar/],
    ['vstack: no tensors', () => ts.vstack([]), /^vstack: expected a non-empty list of tensors/],
    ['hsplit: uneven sections', () => ts.hsplit(x(), 2), /^hsplit: expected 2 sections to divide the axis of size 3 equally/],
    ['vsplit: a vector', () => ts.vsplit([1, 2], 2), /^vsplit: expected x of rank 2 or more/],
    ['arraySplit: zero sections', () => ts.arraySplit(x(), 0), /^arraySplit: expected a number of sections from 1 to/],
    ['nonzero: a scalar', () => ts.nonzero(1), /^nonzero: expected x of rank 1 or more, got a scalar/],
    ['isin: invert not boolean', () => ts.isin(x(), [1], false, 1 as unknown as boolean), /^isin: expected invert to be true or false, got 1/],
    ['arange: zero step', () => ts.arange(0, 3, 0), /^arange: expected a finite, non-zero step, got 0/],
    ['full: a negative dimension (fill underneath)', () => ts.full([-1], 1), /^full: expected shape entries to be non-negative integers/],
    ['arange: too many values (range underneath)', () => ts.arange(0, 1e12), /^arange: the result would hold 1000000000000 int32 values/],
    ['full: a string value', () => ts.full([2], 'a' as unknown as number), /^full: expected fillValue to be a number or boolean/],
  ];
  it.each(cases)('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });
});
