// jitCompile: what a plan must never do (replay after the model changed, repeat a dropout
// mask, freeze a learning rate, leak), the one-time fallback notice, and the option's checks.
import * as ts from '../../src';
import { layers, memory, tensor, type Tensor } from '../../src';
import { randomData } from '../helpers/reference';
import { expectSame, readBack, type RunResult } from './compiled_step_helpers';

type Stats = NonNullable<RunResult['stats']>;
const jitOf = (m: ts.Model) => (m as unknown as { compiled: { jit: { stats: Stats; size: number; fallbackReason: string | null } } }).compiled.jit;

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const x = tensor(randomData(n * 6, seed, -1, 1), [n, 6]);
  const y = tensor(
    Array.from({ length: n }, (_, i) => i % 3),
    [n],
    'int32',
  );
  return { x, y };
}

function small(dropout = 0): ts.Sequential {
  return ts.sequential({
    layers: [
      layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
      ...(dropout > 0 ? [layers.dropout({ rate: dropout })] : []),
      layers.dense({ units: 3 }),
    ],
  });
}

const LOSS = () => new ts.losses.SparseCategoricalCrossentropy({ fromLogits: true });

/**
 * The same scenario eager and compiled: `scenario(model, fit)` trains in phases and may
 * change the model between them. Returns both runs' weights, slots and losses.
 */
async function both(
  build: () => ts.Sequential,
  scenario: (model: ts.Sequential, fit: (epochs: number, batchSize?: number) => Promise<number[]>, jit: boolean) => Promise<void>,
  optimizer: () => ts.optimizers.Optimizer = () => new ts.optimizers.Adam({ learningRate: 0.01 }),
): Promise<{ eager: RunResult; compiled: RunResult; model: ts.Sequential; dispose: () => void }> {
  const runs: RunResult[] = [];
  let compiledModel: ts.Sequential | null = null;
  const { x, y } = data(32, 4);
  for (const jit of [false, true]) {
    ts.setSeed(3);
    const model = build();
    model.compile({ optimizer: optimizer(), loss: LOSS(), metrics: ['accuracy'], jitCompile: jit });
    const losses: number[] = [];
    const fit = async (epochs: number, batchSize = 8) => {
      const h = await model.fit(x, y, { epochs, batchSize, shuffle: false, verbose: 0 });
      losses.push(...h.history.loss);
      return h.history.loss;
    };
    await scenario(model, fit, jit);
    runs.push({ ...readBack(model, { loss: losses, accuracy: [] }) });
    if (jit) compiledModel = model;
    else model.dispose();
  }
  return {
    eager: runs[0],
    compiled: runs[1],
    model: compiledModel!,
    dispose: () => {
      compiledModel!.dispose();
      x.dispose();
      y.dispose();
    },
  };
}

function expectEqualRuns(r: { eager: RunResult; compiled: RunResult }): void {
  expectSame(r.compiled.weights, r.eager.weights);
  expectSame(r.compiled.slots, r.eager.slots);
  expectSame([r.compiled.loss], [r.eager.loss]);
}

describe('jitCompile: a changed model is recorded again, never replayed stale', () => {
  it('a new batch shape records a new plan', async () => {
    const r = await both(small, async (_m, fit) => {
      await fit(3, 8);
      await fit(3, 16);
    });
    expectEqualRuns(r);
    expect(jitOf(r.model).size).toBe(2);
    expect(jitOf(r.model).stats.recorded).toBe(2);
    r.dispose();
  });

  it('a layer added', async () => {
    let recordedBefore = 0;
    const r = await both(
      () => ts.sequential({ layers: [layers.dense({ units: 8, activation: 'relu', inputShape: [6] }), layers.dense({ units: 3 })] }),
      async (m, fit, jit) => {
        await fit(2);
        if (jit) recordedBefore = jitOf(m).stats.recorded;
        m.add(layers.dense({ units: 3, activation: 'tanh' }));
        await fit(2);
      },
    );
    expectEqualRuns(r);
    expect(jitOf(r.model).stats.recorded).toBe(recordedBefore + 1);
    expect(jitOf(r.model).stats.diverged).toBe(0);
    r.dispose();
  });

  it('trainable flipped', async () => {
    let recordedBefore = 0;
    const r = await both(small, async (m, fit, jit) => {
      await fit(2);
      if (jit) recordedBefore = jitOf(m).stats.recorded;
      m.layers[0].trainable = false;
      await fit(2);
      m.layers[0].trainable = true;
      await fit(2);
    });
    expectEqualRuns(r);
    // Frozen: a new version (eager, then recorded); unfrozen again: the first plan, still cached.
    expect(jitOf(r.model).stats.recorded).toBe(recordedBefore + 1);
    expect(jitOf(r.model).stats.diverged).toBe(0);
    r.dispose();
  });

  it('the optimizer swapped (compile again) and compile again with the same one', async () => {
    const r = await both(small, async (m, fit, jit) => {
      await fit(2);
      m.compile({ optimizer: new ts.optimizers.SGD({ learningRate: 0.05, momentum: 0.9 }), loss: LOSS(), jitCompile: jit });
      await fit(2);
      const opt = (m as unknown as { compiled: { optimizer: ts.optimizers.Optimizer } }).compiled.optimizer;
      m.compile({ optimizer: opt, loss: LOSS(), jitCompile: jit });
      await fit(2);
    });
    expectEqualRuns(r);
    expect(jitOf(r.model).stats).toEqual({ eager: 1, recorded: 1, replayed: 6, diverged: 0 });
    r.dispose();
  });

  it('weights loaded (setWeights): the next steps train from the loaded values', async () => {
    const r = await both(small, async (m, fit) => {
      await fit(2);
      const fresh = small();
      m.setWeights(fresh.getWeights());
      fresh.dispose();
      await fit(2);
    });
    expectEqualRuns(r);
    r.dispose();
  });
});

describe('jitCompile: values that change every step', () => {
  it('dropout masks differ from step to step and match eager ones', async () => {
    // Learning rate 0 and the same batch every step: only the dropout mask changes the loss.
    const r = await both(
      () => small(0.5),
      async (_m, fit) => {
        await fit(6, 32);
      },
      () => new ts.optimizers.SGD({ learningRate: 0 }),
    );
    expectEqualRuns(r);
    const losses = r.compiled.loss.slice(2); // the replayed epochs
    expect(new Set(losses).size).toBe(losses.length);
    expect(jitOf(r.model).stats.replayed).toBe(4);
    r.dispose();
  });

  it('a learning-rate schedule and a function learning rate are followed', async () => {
    for (const lr of [new ts.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }), (step: number) => 0.1 / (1 + step)]) {
      const r = await both(
        small,
        async (_m, fit) => {
          await fit(3);
        },
        () => new ts.optimizers.SGD({ learningRate: lr as never }),
      );
      expectEqualRuns(r);
      expect(jitOf(r.model).stats.replayed).toBe(10);
      r.dispose();
    }
  });
});

describe('jitCompile: fallback, memory, options', () => {
  it('control flow that depends on the data: eager from then on, one notice, same results', async () => {
    class Flaky extends ts.Sequential {
      override trainStep(batch: ts.Batch): ts.StepLogs {
        const tape = new ts.GradientTape();
        const yPred = this.apply(batch.x as Tensor, { training: true }) as Tensor;
        const loss = this.computeLoss({ x: batch.x, y: batch.y!, yPred });
        const vars = this.trainableWeights;
        const grads = tape.gradient(loss, vars);
        // A branch on a value read back: taken on some steps, not on others.
        if (ts.sum(batch.x as Tensor).dataSync()[0] > 0) this.optimizer!.applyGradients({ grads, vars });
        return { loss };
      }
    }
    const build = () => {
      const m = new Flaky();
      m.add(layers.dense({ units: 4, inputShape: [6] }));
      m.add(layers.dense({ units: 3 }));
      return m;
    };
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const r = await both(build, async (_m, fit) => {
        await fit(6, 4);
      });
      expectEqualRuns(r);
      expect(jitOf(r.model).stats.diverged).toBe(2);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/jitCompile: training eagerly from now on: the step differs from its recording/);
      expect(jitOf(r.model).fallbackReason).not.toBeNull();
      r.dispose();
    } finally {
      warn.mockRestore();
    }
  });

  it('a step that throws during a replay: the error comes through, the work before it is done, training goes on', async () => {
    class Failing extends ts.Sequential {
      fail = false;
      override trainStep(batch: ts.Batch): ts.StepLogs {
        const logs = super.trainStep(batch);
        if (this.fail) throw new Error('step failed on purpose');
        return logs;
      }
    }
    const build = () => {
      const m = new Failing();
      m.add(layers.dense({ units: 4, inputShape: [6] }));
      m.add(layers.dense({ units: 3 }));
      return m;
    };
    const r = await both(build as () => ts.Sequential, async (m, fit) => {
      await fit(2);
      (m as Failing).fail = true;
      await expect(fit(1)).rejects.toThrow('step failed on purpose');
      (m as Failing).fail = false;
      await fit(2);
    });
    expectEqualRuns(r);
    r.dispose();
  });

  it('no live-tensor growth over 50 compiled steps; the plans are released with the model', async () => {
    const { x, y } = data(40, 9);
    const before = memory();
    const model = small(0.2);
    model.compile({ optimizer: 'adam', loss: LOSS(), metrics: ['accuracy'], jitCompile: true });
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    const mid = memory();
    await model.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0 });
    const after = memory();
    expect(jitOf(model).stats.replayed).toBeGreaterThanOrEqual(50);
    const reclaimed = after.reclaimedByGC - mid.reclaimedByGC;
    expect(after.numTensors + reclaimed).toBe(mid.numTensors);
    expect(after.numBytes).toBeLessThanOrEqual(mid.numBytes);
    model.dispose();
    const end = memory();
    expect(end.numTensors + (end.reclaimedByGC - before.reclaimedByGC)).toBe(before.numTensors);
    expect(end.numBytes).toBeLessThanOrEqual(before.numBytes);
    x.dispose();
    y.dispose();
  });

  it('rejects a bad jitCompile value and a misspelled key', () => {
    const m = small();
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', jitCompile: 'yes' as never })).toThrow(/jitCompile to be true, false or 'auto', got/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', jitCompile: 1 as never })).toThrow(/jitCompile/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', jitCompiled: true } as never)).toThrow(/unknown option 'jitCompiled'/);
    m.compile({ optimizer: 'sgd', loss: 'mse', jit_compile: true } as never); // Keras's spelling
    expect(jitOf(m)).not.toBeNull();
    m.compile({ optimizer: 'sgd', loss: 'mse', jitCompile: 'auto' });
    m.dispose();
  });
});
