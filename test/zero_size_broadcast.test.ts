// Binary ops whose operands broadcast to a zero-size result ([2, 1] with [2, 0]): the CPU
// kernel's work split divided by the row length (SIGFPE). Found by the bad-input sweep.
import * as ts from '../src';
import { ones } from '../src';

const BINARY = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'squaredDifference', 'equal', 'notEqual', 'less', 'greater'] as const;

describe('broadcasting to a zero-size result', () => {
  it.each(BINARY)('%s returns the empty broadcast shape', (name) => {
    const op = ts[name] as (a: ts.Tensor, b: ts.Tensor) => ts.Tensor;
    for (const [a, b, shape] of [
      [
        [2, 1],
        [2, 0],
        [2, 0],
      ],
      [
        [2, 0],
        [2, 1],
        [2, 0],
      ],
      [
        [1, 3],
        [0, 3],
        [0, 3],
      ],
      [[2, 1], [0], [2, 0]],
    ]) {
      const y = op(ones(a), ones(b));
      expect(y.shape).toEqual(shape);
      expect(y.dataSync().length).toBe(0);
    }
  });

  it('logSumExp and l2Normalize over a zero-length axis (they subtract or multiply a [2, 1] keepDims result)', () => {
    expect(ts.logSumExp(ts.zeros([2, 0]), -1).arraySync()).toEqual([-Infinity, -Infinity]);
    expect(ts.l2Normalize(ts.zeros([2, 0]), 1).shape).toEqual([2, 0]);
  });

  it('bools too', () => {
    expect(ts.logicalAnd(ones([2, 1], 'bool'), ones([2, 0], 'bool')).shape).toEqual([2, 0]);
  });
});
