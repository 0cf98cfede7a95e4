// TensorSource: batches read straight from the caller's tensors by row (slices in order,
// one gather per tensor when shuffled), and validationSplit without copies.
import * as ts from '../../src';
import { memory, tensor, type Tensor } from '../../src';
import { mulberry32 } from '../../src/tensor/seeded_random';
import { nextSeed } from '../../src/tensor/creation';
import { TensorSource, type Batch } from '../../src/training/data_adapter';
import { LambdaCallback } from '../../src/callbacks';

// n samples whose row i holds [i, -i]; labels i.
function rows(n: number): { x: Tensor; y: Tensor } {
  return {
    x: tensor(
      Array.from({ length: 2 * n }, (_, k) => (k % 2 ? -(k >> 1) : k >> 1)),
      [n, 2],
    ),
    y: tensor(
      Array.from({ length: n }, (_, i) => i),
      [n],
      'int32',
    ),
  };
}

// The row ids of each batch (x's first column), checked against y and released.
function batchRows(source: TensorSource): number[][] {
  const out: number[][] = [];
  for (const b of source.batches() as Iterable<Batch>) {
    const x = (b.x as Tensor).arraySync() as number[][];
    expect(x.map((r) => -r[1])).toEqual(x.map((r) => r[0]));
    expect(Array.from((b.y as Tensor).dataSync())).toEqual(x.map((r) => r[0]));
    out.push(x.map((r) => r[0]));
    ts.dispose([b.x as Tensor, b.y as Tensor]);
  }
  return out;
}

// The permutation fit drew before batches came from row ranges (the reference): Fisher-Yates
// over 0 .. n - 1 seeded from the global stream.
function referenceOrder(n: number): number[] {
  const [seed, offset] = nextSeed('fit');
  const random = mulberry32(seed + offset);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('TensorSource', () => {
  it('without shuffle cuts consecutive batches, the last one short', () => {
    const { x, y } = rows(10);
    expect(batchRows(new TensorSource('fit', x, y, undefined, 4, false))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    ts.dispose([x, y]);
  });

  it('shuffles with the seeded permutation of before, a new one each epoch', () => {
    const { x, y } = rows(23);
    const source = new TensorSource('fit', x, y, undefined, 5, true);
    ts.setSeed(11);
    const first = batchRows(source);
    const second = batchRows(source);
    ts.setSeed(11);
    expect(first.flat()).toEqual(referenceOrder(23));
    expect(second.flat()).toEqual(referenceOrder(23));
    expect(first.map((b) => b.length)).toEqual([5, 5, 5, 5, 3]);
    expect(second.flat()).not.toEqual(first.flat());
    ts.dispose([x, y]);
  });

  it('splits into row ranges of the same tensors: the training rows shuffled, the validation rows in order', () => {
    const { x, y } = rows(20);
    const before = memory().numBytes;
    const [train, val] = new TensorSource('fit', x, y, undefined, 4, true).split('fit', 0.25);
    expect(memory().numBytes).toBe(before);
    expect([train.samples, val.samples]).toEqual([15, 5]);
    ts.setSeed(3);
    const trainRows = batchRows(train).flat();
    ts.setSeed(3);
    expect(trainRows).toEqual(referenceOrder(15));
    expect(batchRows(val)).toEqual([[15, 16, 17, 18], [19]]);
    // A split of a split stays inside its range.
    const [, inner] = new TensorSource('fit', x, y, undefined, 2, true, { begin: 10, count: 10 }).split('fit', 0.5);
    expect(batchRows(inner)).toEqual([[15, 16], [17, 18], [19]]);
    ts.dispose([x, y]);
  });

  it('slices sampleWeight with its rows', () => {
    const { x, y } = rows(6);
    const w = tensor([0, 10, 20, 30, 40, 50]);
    const [, val] = new TensorSource('fit', x, y, w, 2, false).split('fit', 0.5);
    const got: number[] = [];
    for (const b of val.batches() as Iterable<Batch>) {
      got.push(...b.sampleWeight!.dataSync());
      ts.dispose([b.x as Tensor, b.y as Tensor, b.sampleWeight!]);
    }
    expect(got).toEqual([30, 40, 50]);
    ts.dispose([x, y, w]);
  });

  it('fit with validationSplit holds no copy of the data set', async () => {
    ts.setSeed(1);
    const n = 4096;
    const x = ts.randomUniform([n, 64]);
    const y = ts.cast(ts.floor(ts.randomUniform([n], 0, 2)), 'int32');
    const model = ts.sequential({ layers: [ts.layers.dense({ units: 2, inputShape: [64] })] });
    model.compile({ optimizer: 'sgd', loss: new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
    const dataBytes = memory().numBytes;
    let peak = 0;
    const watch = new LambdaCallback({ onTrainBatchBegin: () => void (peak = Math.max(peak, memory().numBytes)) });
    await model.fit(x, y, { epochs: 2, batchSize: 256, verbose: 0, validationSplit: 0.5, callbacks: [watch] });
    // A copy of the split would add x's 1 MiB; a batch and the weights add ~70 KB.
    expect(peak - dataBytes).toBeLessThan(x.size * 4 * 0.25);
    model.dispose();
    ts.dispose([x, y]);
  });
});
