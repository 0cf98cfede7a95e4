// SOAK (issue #16): 10,000 training steps of a small MLP on random data, through fit(), with
// live tensors and RSS measured after every epoch. Both must be as flat at the end as in the
// middle: a leak of one tensor or a few kilobytes per step shows here and nowhere else.
import * as ts from '../../src';
import { layers, memory, tensor } from '../../src';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { randomData } from '../helpers/reference';

// A full collection before the two RSS samples compared, so RSS shows what is kept, not when
// V8 last collected: on an idle machine the loop runs fast enough that the heap's garbage alone
// moved RSS by 40-120 MB between the samples (on the code of before and after #17 alike). Only
// those two: in CI's jest process, whose heap holds every earlier test file's garbage, a full
// collection after each of the 100 epochs took most of this test's 70 s.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const EPOCHS = 100;
const STEPS_PER_EPOCH = 100; // 10,000 steps in all
const BATCH = 8;
// After a full collection RSS moves by well under 1 MB from the middle to the end; a leak
// of 2 KB a step over the second half's 5,000 steps is 10 MB, over this bound.
const RSS_TOLERANCE = 8 << 20;

describe('soak (issue #16)', () => {
  it('trains 10,000 steps with live tensors and RSS flat from the middle to the end', async () => {
    ts.setSeed(16);
    const n = STEPS_PER_EPOCH * BATCH;
    const x = tensor(randomData(n * 4, 16), [n, 4]);
    const y = tensor(randomData(n, 17), [n, 1]);
    const model = ts.sequential({
      layers: [layers.dense({ units: 16, activation: 'relu', inputShape: [4] }), layers.dense({ units: 1 })],
    });
    model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
    const samples: { tensors: number; reclaimed: number; rss: number }[] = [];
    let steps = 0;
    const history = await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: BATCH,
      shuffle: true,
      verbose: 0,
      callbacks: [
        new ts.callbacks.LambdaCallback({
          onTrainBatchEnd: () => void steps++,
          onEpochEnd: (epoch) => {
            if (epoch === EPOCHS / 2 - 1 || epoch === EPOCHS - 1) collectGarbage();
            const m = memory();
            samples.push({ tensors: m.numTensors, reclaimed: m.reclaimedByGC, rss: process.memoryUsage().rss });
          },
        }),
      ],
    });
    expect(steps).toBe(EPOCHS * STEPS_PER_EPOCH);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);

    const middle = samples[EPOCHS / 2 - 1];
    const end = samples[EPOCHS - 1];
    // Tensors the GC reclaimed meanwhile were garbage of earlier code, not this loop's.
    expect(end.tensors + (end.reclaimed - middle.reclaimed)).toBe(middle.tensors);
    // Every epoch's count, not only the two compared: a leak that is freed late still shows.
    expect(new Set(samples.slice(1).map((s) => s.tensors + s.reclaimed)).size).toBe(1);
    expect(end.rss - middle.rss).toBeLessThan(RSS_TOLERANCE);
    x.dispose();
    y.dispose();
  }, 300_000);
});
