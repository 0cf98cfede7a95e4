// Keras 3.15's optimizer EMA (useEma), Muon and ScheduleFreeAdamW against Keras itself:
// trajectories of Keras's own optimizers (JAX, float32) on plain variables with fixed
// gradients (scripts/fixtures/make_keras_ema_muon_fixtures.py), then their options,
// configs and state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { initializers, layers, optimizers, randomNormal, sequential, tensor, utils, variable, type Tensor, type Variable } from '../../src';
import { expectClose } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

interface Case {
  name: string;
  className: string;
  config: Record<string, unknown>;
  weights: { name: string; shape: number[]; values: number[] }[];
  grads: number[][][];
  after: number[][][];
  slots: Record<string, { shape: number[]; values: number[] }>;
  order: string[];
}
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'optimizers', 'keras_ema_muon.json');
const CASES: Case[] = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).cases;

// Keras's config as written, less the options Tessera's optimizers do not take (off in every case).
function tesseraConfig(c: Case): Record<string, unknown> {
  const { loss_scale_factor: lsf, gradient_accumulation_steps: gas, ...config } = c.config;
  expect([lsf, gas]).toEqual([null, null]);
  return config;
}

function replay(c: Case) {
  const opt = optimizers.get({ className: c.className, config: tesseraConfig(c) });
  const vars = c.weights.map((w) => variable(tensor(w.values, w.shape), true, w.name));
  const after: number[][][] = [];
  for (const stepGrads of c.grads) {
    const grads = stepGrads.map((g, i) => tensor(g, c.weights[i].shape));
    opt.applyGradients(grads.map((g, i): [Tensor, Variable] => [g, vars[i]]));
    grads.forEach((g) => g.dispose());
    after.push(vars.map((v) => Array.from(v.dataSync())));
  }
  const slots = new Map<string, { shape: number[]; values: number[] }>();
  for (const w of opt.getWeights()) {
    if (w.name !== 'iterations') slots.set(w.name, { shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) });
    w.tensor.dispose();
  }
  return { opt, vars, after, slots };
}

describe.each(CASES.map((c) => [c.name, c] as const))('%s (Keras 3.15, JAX, float32)', (_, c) => {
  it('every step, every slot', () => {
    const { opt, vars, after, slots } = replay(c);
    after.forEach((step, s) => step.forEach((w, i) => expectClose(w, c.after[s][i], 2e-5, 2e-6)));
    // The steps themselves, which are small beside the weights (Muon's lr 0.001 moves them by ~1e-4 a step).
    const moved = (values: number[], i: number) => values.map((v, k) => v - c.weights[i].values[k]);
    after.forEach((step, s) => step.forEach((w, i) => expectClose(moved(w, i), moved(c.after[s][i], i), 1e-3, 3e-7)));
    expect([...slots.keys()].sort()).toEqual(Object.keys(c.slots).sort());
    for (const [name, want] of Object.entries(c.slots)) {
      expect(slots.get(name)!.shape).toEqual(want.shape);
      expectClose(slots.get(name)!.values, want.values, 2e-5, 2e-6);
    }
    expect(opt.iterations).toBe(c.grads.length);
    opt.dispose();
    vars.forEach((v) => v.dispose());
  });

  it("getConfig gives Keras's options back, and the optimizer made from it takes the same steps", () => {
    const { opt, vars } = replay(c);
    const config = opt.getConfig();
    const again = optimizers.get(optimizers.serialize(opt));
    expect(again.getConfig()).toEqual(config);
    expect(again.constructor).toBe(opt.constructor);
    expect(config.useEma).toBe(c.config.use_ema);
    expect(config.emaMomentum).toBeCloseTo(c.config.ema_momentum as number, 12);
    expect(config.emaOverwriteFrequency).toBe(c.config.ema_overwrite_frequency);
    // State round trip: a fresh optimizer built on the variables takes the saved state.
    const state = opt.getWeights();
    again.build(vars);
    again.setWeights(state);
    const back = again.getWeights();
    expect(back.map((w) => w.name)).toEqual(state.map((w) => w.name));
    back.forEach((w, i) => expectClose(w.tensor.dataSync(), state[i].tensor.dataSync(), 0, 0));
    [...state, ...back].forEach((w) => w.tensor.dispose());
    again.dispose();
    opt.dispose();
    vars.forEach((v) => v.dispose());
  });
});

describe('EMA', () => {
  it('finalizeVariableValues puts the averages into the variables; without useEma it does nothing', () => {
    for (const useEma of [true, false]) {
      const v = variable(tensor([1, 2]), true, `ema_final_${useEma}`);
      const opt = new optimizers.SGD({ learningRate: 0.5, useEma, emaMomentum: 0.5 });
      opt.applyGradients([[tensor([1, 1]), v]]); // v = [0.5, 1.5], average = v (first step)
      opt.applyGradients([[tensor([1, 1]), v]]); // v = [0, 1], average = 0.5 [0.5, 1.5] + 0.5 v
      expectClose(v.dataSync(), [0, 1], 0, 1e-7);
      opt.finalizeVariableValues([v]);
      expectClose(v.dataSync(), useEma ? [0.25, 1.25] : [0, 1], 0, 1e-7);
      if (useEma) expectClose(opt.averagesOf([v])[0].dataSync(), [0.25, 1.25], 0, 1e-7);
      else expect(() => opt.averagesOf([v])).toThrow(/keeps no moving averages; create it with useEma: true/);
      opt.dispose();
      v.dispose();
    }
  });

  it('finalizeVariableValues leaves a variable that never had a gradient as it is, and checks its argument', () => {
    const [v, idle] = [variable(tensor([1, 2]), true, 'ema_used'), variable(tensor([3]), true, 'ema_idle')];
    const opt = new optimizers.SGD({ learningRate: 0.5, useEma: true });
    opt.applyGradients([[tensor([1, 1]), v]]);
    opt.finalizeVariableValues([v, idle]);
    expectClose(idle.dataSync(), [3], 0, 0);
    expect(() => opt.finalizeVariableValues([v, 'w' as never])).toThrow(/sgd.finalizeVariableValues: expected vars\[1\] to be a Variable, got/);
    expect(() => opt.finalizeVariableValues(v as never)).toThrow(/sgd.finalizeVariableValues: expected an array of Variables/);
    opt.dispose();
    [v, idle].forEach((x) => x.dispose());
  });

  it('leaves no tensors behind', () => {
    const v = variable(tensor([1, 2]), true, 'ema_leak');
    const opt = new optimizers.Adam({ useEma: true, emaOverwriteFrequency: 2 });
    opt.applyGradients([[tensor([1, 1]), v]]);
    const before = liveTensors();
    const g = tensor([1, 1]);
    for (let i = 0; i < 3; i++) opt.applyGradients([[g, v]]);
    g.dispose();
    expect(liveTensors()).toBe(before);
    opt.dispose();
    v.dispose();
  });

  it('a jitCompile fit replays the EMA and its overwrites (the same kernels every step) and trains as an eager one', async () => {
    const runs: { weights: number[][]; stats: { diverged: number; replayed: number } }[] = [];
    for (const jitCompile of [false, true]) {
      utils.setRandomSeed(1);
      const m = sequential({ layers: [layers.dense({ units: 5, inputShape: [4], activation: 'tanh' }), layers.dense({ units: 2 })] });
      m.compile({
        optimizer: new optimizers.Adam({ learningRate: 0.05, useEma: true, emaMomentum: 0.7, emaOverwriteFrequency: 3 }),
        loss: 'meanSquaredError',
        jitCompile,
      });
      const [x, y] = [randomNormal([16, 4], 0, 1, 'float32', 3), randomNormal([16, 2], 0, 1, 'float32', 4)];
      await m.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
      runs.push({ weights: m.getWeights().map((w) => Array.from(w.dataSync())), stats: (m as any).compiled.jit?.stats });
      m.dispose();
    }
    runs[1].weights.forEach((w, i) => expectClose(w, runs[0].weights[i], 1e-6, 1e-7));
    expect(runs[1].stats).toMatchObject({ diverged: 0 });
    expect(runs[1].stats.replayed).toBeGreaterThan(5);
  });

  it('refuses bad EMA options, naming the optimizer', () => {
    expect(() => new optimizers.Adam({ useEma: true, emaMomentum: -0.1 })).toThrow(/Adam: expected emaMomentum in \[0, 1\], got -0.1/);
    expect(() => new optimizers.SGD({ useEma: true, emaMomentum: 1.5 })).toThrow(/SGD: expected emaMomentum in \[0, 1\]/);
    expect(() => new optimizers.Adam({ useEma: true, emaOverwriteFrequency: 0 })).toThrow(/emaOverwriteFrequency to be an integer >= 1 or null, got 0/);
    expect(() => new optimizers.Adam({ useEma: true, emaOverwriteFrequency: 2.5 })).toThrow(/integer >= 1 or null, got 2.5/);
    expect(() => new optimizers.Adam({ useEma: 1 as never })).toThrow(/Adam: expected useEma to be true or false, got 1/);
    expect(() => new optimizers.Adam({ useEMA: true } as never)).not.toThrow(); // a spelling of useEma
    expect(() => new optimizers.Adam({ emaMomentom: 0.9 } as never)).toThrow(/Adam: unknown option 'emaMomentom'.*emaMomentum/);
    // Keras's snake_case.
    expect(new optimizers.Adam({ use_ema: true, ema_overwrite_frequency: 3 } as never).emaOverwriteFrequency).toBe(3);
  });
});

describe('Muon', () => {
  it('uses AdamW for weights that are not 2-D, embeddings and excludeLayers matches', () => {
    const opt = new optimizers.Muon({ excludeLayers: ['^out', 'head$'] });
    const v = (name: string, shape: number[]) => variable(tensor(new Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape), true, name);
    const vars = [
      v('dense/kernel', [3, 4]),
      v('dense/bias', [4]),
      v('emb/Embeddings', [5, 3]),
      v('out/kernel', [4, 2]),
      v('x/head', [2, 2]),
      v('conv/kernel', [2, 2, 2]),
    ];
    expect(vars.map((x) => opt.usesAdamW(x))).toEqual([false, true, true, true, true, true]);
    expect(new optimizers.Muon({ excludeEmbeddings: false }).usesAdamW(vars[2])).toBe(false);
    vars.forEach((x) => x.dispose());
  });

  it('refuses bad options clearly', () => {
    expect(() => new optimizers.Muon({ momentum: -0.5 })).toThrow(/Muon: expected momentum in \[0, 1\], got -0.5/);
    expect(() => new optimizers.Muon({ adamBeta1: 1 })).toThrow(/Muon: expected adamBeta1/);
    expect(() => new optimizers.Muon({ nsSteps: 1.5 })).toThrow(/Muon: expected nsSteps to be an integer >= 0, got 1.5/);
    expect(() => new optimizers.Muon({ excludeLayers: 'dense' as never })).toThrow(/Muon: expected excludeLayers to be an array of regular expressions/);
    expect(() => new optimizers.Muon({ excludeLayers: ['('] })).toThrow(/Muon: excludeLayers: '\(' is not a regular expression/);
    expect(() => new optimizers.Muon({ rmsRate: -1 })).toThrow(/Muon: expected rmsRate >= 0 or null, got -1/);
    expect(() => new optimizers.Muon({ adamWeightDecay: -1 })).toThrow(/Muon: expected adamWeightDecay >= 0 or null/);
    expect(() => new optimizers.Muon({ nesterov: 'yes' as never })).toThrow(/Muon: expected nesterov to be true or false/);
    expect(() => new optimizers.Muon({ nsStep: 3 } as never)).toThrow(/Muon: unknown option 'nsStep'.*nsSteps/);
    // Keras's exclude_layers=None.
    expect(new optimizers.Muon({ exclude_layers: null } as never).hyper.excludeLayers).toEqual([]);
  });
});

describe('ScheduleFreeAdamW', () => {
  it('refuses bad options clearly', () => {
    expect(() => new optimizers.ScheduleFreeAdamW({ beta1: 0 })).toThrow(/ScheduleFreeAdamW: expected beta1 in \(0, 1\), got 0/);
    expect(() => new optimizers.ScheduleFreeAdamW({ warmupSteps: -1 })).toThrow(/ScheduleFreeAdamW: expected warmupSteps to be an integer >= 0, got -1/);
    expect(() => new optimizers.ScheduleFreeAdamW({ epsilon: -1 })).toThrow(/ScheduleFreeAdamW: expected epsilon/);
    expect(() => new optimizers.ScheduleFreeAdamW({ warmup: 3 } as never)).toThrow(/ScheduleFreeAdamW: unknown option 'warmup'/);
  });
  it('by name', () => {
    expect(optimizers.get('scheduleFreeAdamW')).toBeInstanceOf(optimizers.ScheduleFreeAdamW);
    expect(optimizers.get('muon')).toBeInstanceOf(optimizers.Muon);
    expect(optimizers.serialize(new optimizers.Muon()).className).toBe('Muon');
  });
});

describe("initializers' Keras 3 class names", () => {
  it('IdentityInitializer and OrthogonalInitializer', () => {
    expect(initializers.IdentityInitializer).toBe(initializers.Identity);
    expect(initializers.OrthogonalInitializer).toBe(initializers.Orthogonal);
    expect(initializers.get({ className: 'IdentityInitializer', config: { gain: 2 } })).toBeInstanceOf(initializers.Identity);
    expect(initializers.get({ className: 'OrthogonalInitializer', config: {} })).toBeInstanceOf(initializers.Orthogonal);
  });
});
