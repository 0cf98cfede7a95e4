import * as ts from '../src';
import { tensor } from '../src';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, expectTensor, randomData, randomTensor } from './helpers/reference';

const r = (shape: number[], seed = 1, lo = -1, hi = 1) => randomTensor(shape, seed, 'float64', lo, hi);

describe('softmax family', () => {
  it('matches the definition and stays finite on large logits', () => {
    const x = tensor([
      [1, 2, 3],
      [1000, 1000, 1001],
    ]);
    const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
    const s = e[0] + e[1] + e[2];
    const last = [1 / (2 + Math.E), 1 / (2 + Math.E), Math.E / (2 + Math.E)];
    expectTensor(ts.softmax(x), [2, 3], [...e.map((v) => v / s), ...last], 1e-5);
    expectTensor(ts.logSoftmax(x), [2, 3], [...e.map((v) => Math.log(v / s)), ...last.map(Math.log)], 1e-5, 1e-5);
    expectTensor(ts.logSumExp(x, 1), [2], [Math.log(s), 1001 + Math.log(1 + 2 / Math.E)], 1e-6);
    expectTensor(
      ts.softmax(
        tensor([
          [1, 3],
          [2, 4],
        ]),
        0,
      ),
      [2, 2],
      [1 / (1 + Math.E), 1 / (1 + Math.E), Math.E / (1 + Math.E), Math.E / (1 + Math.E)],
      1e-5,
    );
  });
  it('gradients', () => {
    gradcheck((v) => ts.softmax(v), [r([3, 4])]);
    gradcheck((v) => ts.softmax(v, 0), [r([3, 4], 2)]);
    gradcheck((v) => ts.logSoftmax(v), [r([3, 4], 3)]);
    gradcheck((v) => ts.logSumExp(v), [r([3, 4], 4)]);
    gradcheck((v) => ts.logSumExp(v, 1, true), [r([3, 4], 5)]);
  });
});

describe('clipByValue, norm, l2Normalize, moments', () => {
  it('values', () => {
    expectTensor(ts.clipByValue(tensor([-2, 0.5, 3]), -1, 1), [3], [-1, 0.5, 1]);
    expect(() => ts.clipByValue(tensor([1]), 2, 1)).toThrow(/clipByValue: expected clipMin <= clipMax, got 2 and 1/);
    const x = tensor([
      [3, -4],
      [1, 2],
    ]);
    expectTensor(ts.norm(x), [], [Math.sqrt(30)]);
    expectTensor(ts.norm(x, 1, 1), [2], [7, 3]);
    expectTensor(ts.norm(x, Infinity, 0), [2], [3, 4]);
    expectTensor(ts.l2Normalize(tensor([3, 4])), [2], [0.6, 0.8]);
    const { mean, variance } = ts.moments(x, 0);
    expectTensor(mean, [2], [2, -1]);
    expectTensor(variance, [2], [1, 9]);
    expect(ts.moments(x, 1, true).variance.shape).toEqual([2, 1]);
  });
  it('gradients', () => {
    gradcheck((v) => ts.clipByValue(v, -0.5, 0.5), [tensor([-0.9, -0.2, 0.3, 0.8], undefined, 'float64')]);
    gradcheck((v) => ts.norm(v), [r([3, 2])]);
    gradcheck((v) => ts.norm(v, 1, 1), [r([3, 2], 2, 0.2, 1)]);
    gradcheck(
      (v) => ts.norm(v, Infinity, 0),
      [
        tensor(
          [
            [0.3, -0.9],
            [0.5, 0.1],
          ],
          undefined,
          'float64',
        ),
      ],
    );
    gradcheck((v) => ts.l2Normalize(v, 1), [r([2, 3])]);
    gradcheck((v) => ts.moments(v, [0]).variance, [r([4, 3])]);
    gradcheck((v) => ts.moments(v, 1).mean, [r([4, 3], 3)]);
  });
});

describe('dropout', () => {
  it('drops at the rate, scales the rest, repeats for a seed', () => {
    const x = ts.ones([20000]);
    const y = ts.dropout(x, 0.3, undefined, 5).dataSync();
    const kept = Array.from(y).filter((v) => v !== 0);
    expect(kept.length / y.length).toBeCloseTo(0.7, 1);
    expectClose(kept.slice(0, 5), new Array(5).fill(1 / 0.7), 1e-6);
    expect(Array.from(ts.dropout(x, 0.3, undefined, 5).dataSync())).toEqual(Array.from(y));
    const spatial = ts.dropout(ts.ones([4, 3, 8]), 0.5, [4, 1, 8], 1).arraySync() as number[][][];
    for (const sample of spatial) expect(sample[0]).toEqual(sample[2]);
    expect(() => ts.dropout(x, 1)).toThrow(/dropout: expected rate in \[0, 1\), got 1/);
  });
  it('gradient is the mask', () => {
    const x = r([50], 2);
    const g = ts
      .grad((v) => ts.sum(ts.dropout(v, 0.5, undefined, 9)))(x)
      .dataSync();
    const y = ts.dropout(x, 0.5, undefined, 9).dataSync();
    Array.from(y).forEach((v, i) => expect(g[i]).toBe(v === 0 ? 0 : 2));
  });
});

describe('einsum', () => {
  const a = tensor(randomData(6, 1), [2, 3]);
  const b = tensor(randomData(12, 2), [3, 4]);
  it('matches matMul, transposes, traces of products and outer products', () => {
    expectClose(Array.from(ts.einsum('ij,jk->ik', a, b).dataSync()), Array.from(ts.matMul(a, b).dataSync()), 1e-5);
    expect(ts.einsum('ij->ji', a).arraySync()).toEqual(ts.transpose(a).arraySync());
    expectClose([ts.einsum('ij->', a).dataSync()[0]], [ts.sum(a).dataSync()[0]], 1e-5);
    const v = tensor([1, 2, 3]);
    expect(ts.einsum('i,i->', v, v).arraySync()).toBe(14);
    expect(ts.einsum('i,j->ij', v, tensor([1, 10])).arraySync()).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    const x = tensor(randomData(24, 3), [2, 3, 4]);
    const y = tensor(randomData(40, 4), [2, 4, 5]);
    expectClose(Array.from(ts.einsum('bij,bjk->bik', x, y).dataSync()), Array.from(ts.matMul(x, y).dataSync()), 1e-5);
    expectClose(Array.from(ts.einsum('bij,bjk->bki', x, y).dataSync()), Array.from(ts.transpose(ts.matMul(x, y), [0, 2, 1]).dataSync()), 1e-5);
    expect(() => ts.einsum('ii->i', a)).toThrow(/repeated index within one operand/);
    expect(() => ts.einsum('ij,jk->ik', a, a)).toThrow(/index 'j' has size 3 and 2/);
  });
  it('gradients', () => {
    gradcheck((p, q) => ts.einsum('ij,jk->ik', p, q), [r([2, 3]), r([3, 4], 2)]);
    gradcheck((p, q) => ts.einsum('bij,bkj->bik', p, q), [r([2, 3, 4]), r([2, 5, 4], 2)]);
  });
});
