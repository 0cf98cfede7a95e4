// evaluate's result: the values by name (Keras 3's return_dict form, as before), which also
// destructure in order as Keras's default list and TensorFlow.js's array do; returnDict:
// false gives the list; evaluateDataset is TensorFlow.js's name on a Dataset.
import * as ts from '../../src';

function twoOutputs() {
  const inp = ts.input({ shape: [3] });
  const a = ts.layers.dense({ units: 2, name: 'a', activation: 'softmax' }).apply(inp) as ts.SymbolicTensor;
  const b = ts.layers.dense({ units: 1, name: 'b' }).apply(inp) as ts.SymbolicTensor;
  const m = ts.model({ inputs: inp, outputs: [a, b] });
  m.compile({ optimizer: 'sgd', loss: ['categoricalCrossentropy', 'meanSquaredError'], metrics: [['accuracy'], ['mae']] });
  return m;
}
const x = ts.randomUniform([6, 3]);
const y = [ts.oneHot([0, 1, 0, 1, 1, 0], 2), ts.randomUniform([6, 1])];

it("destructures in Keras's order (loss, each output's loss, the metrics) while keys, JSON and spreading see the names", async () => {
  const m = twoOutputs();
  const logs = await m.evaluate(x, y);
  expect(Object.keys(logs)).toEqual(['loss', 'a_loss', 'b_loss', 'a_accuracy', 'b_mae']);
  const [loss, aLoss, bLoss, accuracy, mae] = logs;
  expect([loss, aLoss, bLoss, accuracy, mae]).toEqual([logs.loss, logs.a_loss, logs.b_loss, logs.a_accuracy, logs.b_mae]);
  expect(loss).toBeCloseTo(aLoss + bLoss, 5);
  expect([logs[0], logs[4], logs.length]).toEqual([loss, mae, 5]); // TF.js's result[0], Keras's len()
  expect(JSON.parse(JSON.stringify(logs))).toEqual({ ...logs });
  expect(Object.keys({ ...logs })).toEqual(Object.keys(logs));
  expect(await m.evaluate(x, y, { returnDict: false })).toEqual([loss, aLoss, bLoss, accuracy, mae]);
  expect(await m.evaluate(x, y, { returnDict: true })).toEqual(logs);
  await expect(m.evaluate(x, y, { returnDict: 'no' as never })).rejects.toThrow(/evaluate: expected returnDict to be true or false, got 'no'/);
});

it('options typed as EvaluateArgs still give the values by name (TypeScript: this compiles)', async () => {
  const m = twoOutputs();
  const options: ts.EvaluateArgs = { batchSize: 3 };
  const logs = await m.evaluate(x, y, options);
  expect(typeof logs.loss).toBe('number');
});

it("a single loss destructures as one value; evaluateDataset evaluates a Dataset (TensorFlow.js's name)", async () => {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [3] })] });
  m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  const target = ts.randomUniform([6, 1]);
  const [loss] = await m.evaluate(x, target, { batchSize: 6 });
  const data = ts.data.zip({ xs: ts.data.fromTensors(x), ys: ts.data.fromTensors(target) }).batch(6);
  expect((await m.evaluateDataset(data)).loss).toBeCloseTo(loss, 6);
  expect(await m.evaluateDataset(data, { returnDict: false })).toEqual([expect.closeTo(loss, 6)]);
});

it('a metric of several values (F1Score per class) logs each under its index, not its first value as the whole', async () => {
  const m = ts.sequential({
    layers: [ts.layers.dense({ units: 3, inputShape: [3], kernelInitializer: 'identity', useBias: false, activation: 'softmax' })],
  });
  m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: [new ts.metrics.F1Score()] });
  const [xs, ys] = [
    ts.eye(3),
    ts.tensor([
      [1, 0, 0],
      [0, 1, 0],
      [1, 0, 0],
    ]),
  ];
  const logs = await m.evaluate(xs, ys);
  expect(Object.keys(logs)).toEqual(['loss', 'f1_score_0', 'f1_score_1', 'f1_score_2']);
  expect([logs.f1_score_0, logs.f1_score_1, logs.f1_score_2]).toEqual([expect.closeTo(2 / 3, 5), expect.closeTo(1, 5), 0]);
  const history = await m.fit(xs, ys, { epochs: 1, verbose: 0, validationData: [xs, ys] });
  expect(Object.keys(history.history)).toEqual([
    'loss',
    'f1_score_0',
    'f1_score_1',
    'f1_score_2',
    'val_loss',
    'val_f1_score_0',
    'val_f1_score_1',
    'val_f1_score_2',
  ]);
  ts.dispose([xs, ys]);
  m.dispose();
});
