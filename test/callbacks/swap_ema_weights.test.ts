// callbacks.SwapEMAWeights against Keras 3.15 (scripts/fixtures/make_keras_swap_ema_fixture.py):
// fit's validation runs on the optimizer's moving averages, with swapOnEpoch the callbacks
// after it see the averages at each epoch's end, and fit ends with the averages in the model.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from '../../src';
import { expectClose } from '../helpers/reference';

const F = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'callbacks', 'swap_ema_weights.json'), 'utf8'));
const SHAPES = [[4, 5], [5], [5, 2], [2]];

function model(optimizer: ts.optimizers.Optimizer = new ts.optimizers.SGD({ learningRate: 0.2, momentum: 0.5, useEma: true, emaMomentum: 0.6 })) {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }), ts.layers.dense({ units: 2 })] });
  m.setWeights(F.initial.map((w: number[], i: number) => ts.tensor(w, SHAPES[i])));
  m.compile({ optimizer, loss: 'meanSquaredError' });
  return m;
}
const data = () => [ts.tensor(F.x, [8, 4]), ts.tensor(F.y, [8, 2]), ts.tensor(F.xv, [4, 4]), ts.tensor(F.yv, [4, 2])];

describe.each([
  ['default', false],
  ['swap_on_epoch', true],
])('Keras 3.15, %s', (run, swapOnEpoch) => {
  it('losses, val_loss on the averages, what later callbacks see, the weights after fit', async () => {
    const want = F.runs[run];
    const m = model();
    const [x, y, xv, yv] = data();
    const seen: number[][][] = [];
    const record = new ts.callbacks.LambdaCallback({ onEpochEnd: () => void seen.push(m.getWeights().map((w) => Array.from(w.dataSync()))) });
    const h = await m.fit(x, y, {
      validationData: [xv, yv],
      epochs: 3,
      batchSize: 4,
      shuffle: false,
      verbose: 0,
      callbacks: [new ts.callbacks.SwapEMAWeights({ swapOnEpoch }), record],
    });
    expectClose(h.history.loss as number[], want.loss, 1e-5, 1e-6);
    expectClose(h.history.val_loss as number[], want.val_loss, 1e-5, 1e-6);
    seen.forEach((ws, e) => ws.forEach((w, i) => expectClose(w, want.seen_at_epoch_end[e][i], 1e-5, 1e-6)));
    m.getWeights().forEach((w, i) => expectClose(Array.from(w.dataSync()), want.weights_after_fit[i], 1e-5, 1e-6));
    m.dispose();
  });
});

describe('SwapEMAWeights', () => {
  it('evaluate and predict run on the averages and give the weights back', async () => {
    const m = model();
    const [x, y] = data();
    await m.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    // fit put the averages in the model; one more step makes weights and averages differ.
    await m.trainOnBatch(x, y);
    const weights = m.getWeights().map((w) => Array.from(w.dataSync()));
    const averages = m.optimizer!.averagesOf(m.trainableWeights).map((a) => Array.from(a.dataSync()));
    const swap = new ts.callbacks.SwapEMAWeights();
    const seen: number[][] = [];
    const peek = { onTestBegin: () => void seen.push(Array.from(m.getWeights()[0].dataSync())) };
    await m.evaluate(x, y, { batchSize: 8, verbose: 0, callbacks: [swap, peek] });
    expectClose(seen[0], averages[0], 0, 0);
    m.getWeights().forEach((w, i) => expectClose(Array.from(w.dataSync()), weights[i], 0, 0));
    const out = m.predict(x, { callbacks: [swap, { onPredictBegin: () => void seen.push(Array.from(m.getWeights()[0].dataSync())) }] }) as ts.Tensor;
    out.dispose();
    expectClose(seen[1], averages[0], 0, 0);
    m.getWeights().forEach((w, i) => expectClose(Array.from(w.dataSync()), weights[i], 0, 0));
    m.dispose();
  });

  it('refuses an optimizer without useEma, and bad options', async () => {
    const m = model(new ts.optimizers.SGD({ learningRate: 0.1 }));
    const [x, y] = data();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: [new ts.callbacks.SwapEMAWeights()] })).rejects.toThrow(
      /SwapEMAWeights: the model's optimizer \(SGD\) keeps no moving averages; create it with useEma: true/,
    );
    await expect(m.evaluate(x, y, { verbose: 0, callbacks: [new ts.callbacks.SwapEMAWeights()] })).rejects.toThrow(
      /SwapEMAWeights.onTestBegin: needs an optimizer with useEma: true/,
    );
    m.dispose();
    expect(() => new ts.callbacks.SwapEMAWeights({ swapOnEpochs: true } as never)).toThrow(/SwapEMAWeights: unknown option 'swapOnEpochs'.*swapOnEpoch/);
    expect(() => new ts.callbacks.SwapEMAWeights({ swapOnEpoch: 1 as never })).toThrow(/SwapEMAWeights: expected swapOnEpoch to be true or false, got 1/);
    expect(() => new (ts.callbacks.SwapEMAWeights as any)({}, 2)).toThrow(/SwapEMAWeights.*2/);
  });
});
