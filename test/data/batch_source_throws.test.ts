// batch, paddedBatch and bucketBySequenceLength free the tensors of a group still gathering
// when the source throws in its middle (and of a short last group they drop), so a failed
// pass over a data set leaves no tensors behind.
import { memory, tensor, type Tensor } from '../../src';
import { fromGenerator, type Dataset } from '../../src/data';

// Elements {x: [i, i + 1, ...] (i + 1 long), y: i}; the source throws on its 3rd element.
function* throwingOnThird(): Generator<{ x: Tensor; y: Tensor }> {
  for (let i = 0; i < 5; i++) {
    if (i === 2) throw new Error('source broke on element 2');
    yield { x: tensor(Array.from({ length: i + 1 }, (_, k) => i + k)), y: tensor([i]) };
  }
}

async function drain(ds: Dataset<unknown>): Promise<void> {
  for await (const b of ds) {
    void b;
    throw new Error('no batch expected before the source throws');
  }
}

const grouped: [string, (ds: Dataset<{ x: Tensor; y: Tensor }>) => Dataset<unknown>][] = [
  ['batch', (ds) => ds.batch(4)],
  ['paddedBatch', (ds) => ds.paddedBatch(4)],
  ['bucketBySequenceLength', (ds) => ds.bucketBySequenceLength((e) => e.x.shape[0], [10], [4, 4])],
];

describe.each(grouped)('%s when the source throws mid-group', (_, group) => {
  test('rethrows the source error and leaves no tensors', async () => {
    const before = memory().numTensors;
    await expect(drain(group(fromGenerator(throwingOnThird)))).rejects.toThrow('source broke on element 2');
    expect(memory().numTensors).toBe(before);
  });
});

test('batch and paddedBatch with dropRemainder free the dropped short group', async () => {
  for (const batched of [(ds: Dataset<Tensor>) => ds.batch(2, { dropRemainder: true }), (ds: Dataset<Tensor>) => ds.paddedBatch(2, { dropRemainder: true })]) {
    const before = memory().numTensors;
    const three = fromGenerator(function* () {
      for (let i = 0; i < 3; i++) yield tensor([i, i]);
    });
    const shapes: number[][] = [];
    for await (const b of batched(three)) {
      shapes.push((b as Tensor).shape);
      (b as Tensor).dispose();
    }
    expect(shapes).toEqual([[2, 2]]);
    expect(memory().numTensors).toBe(before);
  }
});
