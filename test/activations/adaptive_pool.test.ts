// adaptiveAveragePool / adaptiveMaxPool against torch.nn.functional.adaptive_*_pool*d
// (test/fixtures/activations/adaptive_pool.json, channels-last), channelsFirst, and errors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from '../../src';
import { type Tensor } from '../../src';
import { fromFixture, type FixtureCase } from '../helpers/fixtures';
import { expectClose } from '../helpers/reference';

const cases: FixtureCase[] = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'activations', 'adaptive_pool.json'), 'utf8')).cases;

describe('adaptive pooling against PyTorch fixtures', () => {
  for (const c of cases) {
    test(c.name, () => {
      ts.tidy(() => {
        const op = c.attrs.kind === 'average' ? ts.adaptiveAveragePool : ts.adaptiveMaxPool;
        const f = (x: Tensor) => op(x, c.attrs.outputSize as number[]);
        const x = fromFixture(c.inputs.x);
        const y = f(x);
        expect(y.shape).toEqual(c.outputs.y.shape);
        expectClose(y.dataSync(), c.outputs.y.data, 1e-6, 1e-7);
        expectClose(ts.grad(f)(x, fromFixture(c.upstream.y)).dataSync(), c.grads.x.data, 1e-6, 1e-7);
        // channelsFirst gives the same values, transposed.
        const rank = x.rank;
        const toFirst = [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
        const yFirst = op(ts.transpose(x, toFirst), c.attrs.outputSize as number[], 'channelsFirst');
        expectClose(yFirst.dataSync(), ts.transpose(y, toFirst).dataSync(), 1e-12, 1e-12);
      });
    });
  }
  test('a single output size applies to every spatial axis', () => {
    expect(ts.adaptiveAveragePool(ts.ones([1, 6, 5, 2]), 2).shape).toEqual([1, 2, 2, 2]);
    expect(ts.adaptiveMaxPool(ts.ones([1, 6, 5, 4, 2]), 3).shape).toEqual([1, 3, 3, 3, 2]);
  });
});

describe('adaptive pooling errors', () => {
  test.each<[string, () => unknown, RegExp]>([
    ['rank', () => ts.adaptiveAveragePool(ts.ones([4, 3]), 2), /adaptiveAveragePool: expected x of rank 3, 4 or 5 .*got shape \[4, 3\]/],
    [
      'size count',
      () => ts.adaptiveMaxPool(ts.ones([1, 4, 4, 1]), [2]),
      /adaptiveMaxPool: expected outputSize to be a positive integer or 2 positive integers for 2 spatial axes, each at most 65536, got \[2\]/,
    ],
    ['size zero', () => ts.adaptiveMaxPool(ts.ones([1, 4, 1]), 0), /adaptiveMaxPool: expected outputSize .* got 0/],
    // A size in the billions was one slice per bin: it aborted the process (std::bad_alloc).
    [
      'size huge',
      () => ts.adaptiveAveragePool(ts.ones([1, 5, 4, 2]), [2, 2 ** 32]),
      /adaptiveAveragePool: expected outputSize .*each at most 65536, got \[2, 4294967296\]/,
    ],
    ['size past the cap', () => ts.adaptiveMaxPool(ts.ones([1, 4, 1]), 65537), /adaptiveMaxPool: expected outputSize .* got 65537/],
    [
      'format',
      () => ts.adaptiveAveragePool(ts.ones([1, 4, 1]), 2, 'NHWC' as never),
      /adaptiveAveragePool: expected dataFormat 'channelsLast' or 'channelsFirst', got 'NHWC'/,
    ],
    [
      'dtype',
      () => ts.adaptiveAveragePool(ts.ones([1, 4, 1], 'int32'), 2),
      /adaptiveAveragePool: expected argument 'x' to have dtype float32 or float64, got int32/,
    ],
    ['empty', () => ts.adaptiveAveragePool(ts.ones([1, 0, 1]), 2), /adaptiveAveragePool: spatial axis 1 .* is empty/],
  ])('%s', (_, f, message) => {
    expect(f).toThrow(message);
  });
});
