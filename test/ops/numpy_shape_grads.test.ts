// Gradients of the differentiable NumPy-style ops against central differences (float64).
import * as ts from '../../src';
import { gradcheck } from '../helpers/gradcheck';
import { randomTensor } from '../helpers/reference';

const r = (shape: number[], seed: number) => randomTensor(shape, seed, 'float64');

describe('gradients of the NumPy-style ops match finite differences', () => {
  const cases: [string, (...xs: ts.Tensor[]) => ts.Tensor, ts.Tensor[]][] = [
    ['roll', (x) => ts.roll(x, [2, -1], [0, 2]), [r([3, 2, 5], 1)]],
    ['roll flat', (x) => ts.roll(x, 4), [r([3, 5], 2)]],
    ['flip', (x) => ts.flip(x, [0, 2]), [r([3, 2, 5], 3)]],
    ['rot90', (x) => ts.rot90(x, 3, [1, 0]), [r([3, 5], 4)]],
    ['tril', (x) => ts.tril(x, -1), [r([2, 3, 5], 5)]],
    ['triu', (x) => ts.triu(x, 2), [r([5, 3], 6)]],
    ['trace', (x) => ts.trace(x, 1, 2, 0), [r([3, 5, 5], 7)]],
    ['diagonal', (x) => ts.diagonal(x, -1, 1, 2), [r([3, 5, 3], 8)]],
    ['diagflat', (x) => ts.diagflat(x, 1), [r([3], 9)]],
    ['kron', (a, b) => ts.kron(a, b), [r([3, 1], 10), r([2, 3], 11)]],
    ['repeat', (x) => ts.repeat(x, [2, 0, 3], 1), [r([5, 3], 12)]],
    ['take', (x) => ts.take(x, ts.tensor([[2, -1, 2]], undefined, 'int32'), 1), [r([3, 5], 13)]],
    ['take flat', (x) => ts.take(x, ts.tensor([0, 14, 0], undefined, 'int32')), [r([3, 5], 14)]],
    ['takeAlongAxis', (x) => ts.takeAlongAxis(x, ts.tensor([[0], [4], [4]], undefined, 'int32'), 1), [r([3, 5], 15)]],
    ['takeAlongAxis broadcast', (x) => ts.takeAlongAxis(x, ts.tensor([[[1, 1]]], undefined, 'int32'), 2), [r([3, 5, 3], 16)]],
    ['diff', (x) => ts.diff(x, 2, 0), [r([5, 3], 17)]],
    ['outer', (a, b) => ts.outer(a, b), [r([3], 18), r([5], 19)]],
    ['inner', (a, b) => ts.inner(a, b), [r([3, 5], 20), r([2, 5], 21)]],
    ['vdot', (a, b) => ts.vdot(a, b), [r([3, 5], 22), r([15], 23)]],
    [
      'tensordot',
      (a, b) =>
        ts.tensordot(a, b, [
          [0, 2],
          [2, 0],
        ]),
      [r([3, 2, 5], 24), r([5, 3, 3], 25)],
    ],
    ['cross', (a, b) => ts.cross(a, b, 0, -1, 1), [r([3, 5], 26), r([5, 3], 27)]],
    ['sort', (x) => ts.sort(x, 0), [r([5, 3], 28)]],
    ['moveaxis', (x) => ts.moveaxis(x, [0, 1], [2, 0]), [r([3, 2, 5], 29)]],
    ['swapaxes', (x) => ts.swapaxes(x, 0, 2), [r([3, 2, 5], 30)]],
    ['hstack', (a, b) => ts.hstack([a, b]), [r([3, 2], 31), r([3, 5], 32)]],
    ['arraySplit', (x) => ts.arraySplit(x, 3, 1)[1], [r([2, 7], 33)]],
  ];
  it.each(cases)('%s', (_, f, inputs) => {
    gradcheck(f, inputs);
  });

  it('sort sends each gradient to the element that landed there', () => {
    const x = ts.tensor([3, 1, 2], undefined, 'float64');
    const g = ts.grad((v: ts.Tensor) => ts.sum(ts.mul(ts.sort(v), ts.tensor([1, 10, 100], undefined, 'float64'))))(x);
    expect(Array.from(g.dataSync())).toEqual([100, 1, 10]);
  });
});
