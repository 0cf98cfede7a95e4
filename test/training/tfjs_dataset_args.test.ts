// fitDataset's and evaluateDataset's step counts under TensorFlow.js's names
// (batchesPerEpoch, validationBatches, batches) as Keras's (stepsPerEpoch,
// validationSteps, steps); they were refused as unknown options.
import * as ts from '../../src';

const model = () => {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return m;
};
// TensorFlow.js's element form: { xs, ys }, ten rows in batches of 2.
const dataset = () =>
  ts.data
    .array(Array.from({ length: 10 }, (_, i) => ({ xs: [i / 10, 1], ys: [i / 10] })))
    .map((e) => ({ xs: ts.tensor(e.xs), ys: ts.tensor(e.ys) }))
    .batch(2);

it('fitDataset takes batchesPerEpoch and validationBatches', async () => {
  const m = model();
  const seen = { train: 0, val: 0 };
  let validated = 0;
  const counting = ts.data.array([0]).map(() => {
    validated++;
    return { xs: ts.zeros([2, 2]), ys: ts.zeros([2, 1]) };
  });
  const history = await m.fitDataset(dataset(), {
    epochs: 2,
    batchesPerEpoch: 2,
    validationData: counting.repeat(),
    validationBatches: 1,
    verbose: 0,
    callbacks: { onTrainBatchEnd: async () => void seen.train++ },
  });
  expect(seen.train).toBe(4);
  expect(validated).toBe(2);
  expect(Object.keys(history.history)).toEqual(['loss', 'val_loss']);
  m.dispose();
});

it('evaluateDataset takes batches', async () => {
  const m = model();
  let read = 0;
  const ds = dataset().map((b) => {
    read++;
    return b;
  });
  await m.evaluateDataset(ds, { batches: 2, verbose: 0 });
  expect(read).toBe(2);
  m.dispose();
});

it('both names at once must agree', async () => {
  const m = model();
  await expect(m.fitDataset(dataset(), { batchesPerEpoch: 2, stepsPerEpoch: 3, verbose: 0 } as never)).rejects.toThrow(
    /fitDataset: options 'batchesPerEpoch' \(TensorFlow.js's name\) and 'stepsPerEpoch' disagree \(2 and 3\); they are one option/,
  );
  await m.fitDataset(dataset(), { batchesPerEpoch: 2, stepsPerEpoch: 2, verbose: 0 } as never);
  await expect(m.evaluateDataset(dataset(), { batches: 1, steps: 2 } as never)).rejects.toThrow(/evaluateDataset: options 'batches'/);
  m.dispose();
});
