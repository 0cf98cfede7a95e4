// jitCompile over every bench model: compiled and eager fits give the same weights,
// optimizer slots, losses and metrics (docs/COMPILED_STEP.md).
import { MODELS } from '../../bench/models';
import { expectSame, fashionLike, trainRun } from './compiled_step_helpers';

describe('jitCompile: compiled steps match eager ones on every bench model', () => {
  for (const [name, { build, sequence }] of Object.entries(MODELS)) {
    it(`${name}: same weights, slots, losses and metrics; replays most steps, a partial batch gets its own plan`, async () => {
      // 36 samples in batches of 8: four full batches and one of 4, three epochs.
      const { x, y } = fashionLike(36, sequence, 3);
      const fit = { epochs: 3, batchSize: 8 };
      const eager = await trainRun(build, false, x, y, fit);
      const compiled = await trainRun(build, true, x, y, fit);
      expectSame(compiled.weights, eager.weights);
      expectSame(compiled.slots, eager.slots);
      expectSame([compiled.loss, compiled.accuracy], [eager.loss, eager.accuracy]);
      // Batch 8: eager, record, then 10 replays; batch 4: eager (epoch 1), record (2), replay (3).
      expect(compiled.stats).toEqual({ eager: 2, recorded: 2, replayed: 11, diverged: 0 });
      x.dispose();
      y.dispose();
    });
  }
});
