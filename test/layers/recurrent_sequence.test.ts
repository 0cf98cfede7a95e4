// The whole-sequence recurrent kernels (lstm_sequence, gru_sequence, simple_rnn_sequence and
// their backwards): the layers on them against the per-step path (outputs, final states and
// every gradient) at odd sizes, goBackwards, returnSequences, initial states, both GRU
// variants, tanh and relu; batches cut into slices across threads (and the same bits at 1,
// 2 and 3 threads); finite differences on the ops; when the layers fall back; errors.
import {
  add,
  concat,
  getDevice,
  getNumThreads,
  grads,
  layers,
  mul,
  reshape,
  setDevice,
  setNumThreads,
  sum,
  tensor,
  tidy,
  variableGrads,
  type Tensor,
} from '../../src';
import { expectFlatMemory } from '../helpers/layers';
import { useSequenceKernels } from '../../src/layers/recurrent';
import * as sequenceOps from '../../src/ops/recurrent_sequence';
import { gradcheck } from '../helpers/gradcheck';
import { availableDevices, expectNoLeaks } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

type Kind = 'lstm' | 'gruAfter' | 'gruBefore' | 'tanh' | 'relu';
const KINDS: Kind[] = ['lstm', 'gruAfter', 'gruBefore', 'tanh', 'relu'];

type FloatDType = 'float32' | 'float64';

function makeLayer(kind: Kind, units: number, options: { goBackwards: boolean; returnSequences: boolean }, dtype: FloatDType) {
  const common = { units, returnState: true as const, dtype, ...options };
  if (kind === 'lstm') return layers.lstm(common);
  if (kind === 'gruAfter' || kind === 'gruBefore') return layers.gru({ ...common, resetAfter: kind === 'gruAfter' });
  return layers.simpleRNN({ ...common, activation: kind });
}

type Values = Float32Array | Float64Array;
interface Run {
  outputs: Values[];
  inputGrads: Values[];
  weightGrads: Values[];
}

// Outputs and the gradients of sum(outputs * upstream) to x, the initial states and every weight.
function runLayer(
  kind: Kind,
  batch: number,
  time: number,
  units: number,
  goBackwards: boolean,
  returnSequences: boolean,
  withStates: boolean,
  sequence: boolean,
  dtype: FloatDType = 'float64',
): Run {
  const was = useSequenceKernels(sequence);
  try {
    const layer = makeLayer(kind, units, { goBackwards, returnSequences }, dtype);
    const x = randomTensor([batch, time, 7], 1, dtype);
    const stateCount = kind === 'lstm' ? 2 : 1;
    const initial = withStates ? Array.from({ length: stateCount }, (_, i) => randomTensor([batch, units], 10 + i, dtype)) : [];
    const run = (xs: Tensor, states: Tensor[]) => layer.apply(xs, { initialState: states.length > 0 ? states : undefined }) as Tensor[];
    run(x, initial);
    layer.setWeights(layer.getWeights().map((w, i) => randomTensor(w.shape, 20 + i, dtype, -0.7, 0.7)));
    const outputs = run(x, initial);
    const upstream = outputs.map((t, i) => randomTensor(t.shape, 30 + i, dtype));
    const objective = (xs: Tensor, ...s: Tensor[]) =>
      run(xs, s)
        .map((t, i) => sum(mul(t, upstream[i])))
        .reduce((a, b) => add(a, b));
    const weights = layer.trainableWeights;
    const { value, grads: g } = variableGrads(() => objective(x, ...initial), weights);
    value.dispose();
    return {
      outputs: outputs.map((t) => t.dataSync() as Values),
      inputGrads: grads(objective)([x, ...initial]).map((t) => t.dataSync() as Values),
      weightGrads: weights.map((w) => g[w.name].dataSync() as Values),
    };
  } finally {
    useSequenceKernels(was);
  }
}

describe('recurrent layers on the sequence kernels against the per-step path', () => {
  const cases = KINDS.flatMap((kind) => [1, 5, 17].flatMap((time) => [5, 13].map((units) => [kind, time, units] as const)));
  it.each(cases)('%s, T = %i, %i units: outputs, final states and every gradient', (kind, time, units) => {
    for (const [goBackwards, returnSequences, withStates] of [
      [false, true, true],
      [true, false, false],
      [true, true, true],
    ]) {
      const fast = runLayer(kind, 3, time, units, goBackwards, returnSequences, withStates, true);
      const reference = runLayer(kind, 3, time, units, goBackwards, returnSequences, withStates, false);
      for (const part of ['outputs', 'inputGrads', 'weightGrads'] as const) {
        expect(fast[part].length).toBe(reference[part].length);
        fast[part].forEach((got, i) => expectClose(got, reference[part][i], 1e-9, 1e-11));
      }
    }
  });

  // Batches big enough that the steps' loop cuts the batch into one slice per thread (3
  // threads here, whatever the cores), beside batch 1 and single units, T = 1, 2 and 29.
  const sliced = KINDS.flatMap((kind) =>
    [
      [37, 29, 33],
      [37, 2, 128],
      [1, 29, 1],
      [3, 1, 5],
    ].map(([batch, time, units]) => [kind, batch, time, units] as const),
  );
  it.each(sliced)('%s, batch %i, T = %i, %i units, 3 threads: as the per-step path', (kind, batch, time, units) => {
    const threads = getNumThreads();
    setNumThreads(3);
    try {
      for (const [goBackwards, returnSequences, withStates] of [
        [false, true, true],
        [true, false, false],
      ]) {
        const fast = runLayer(kind, batch, time, units, goBackwards, returnSequences, withStates, true);
        const reference = runLayer(kind, batch, time, units, goBackwards, returnSequences, withStates, false);
        for (const part of ['outputs', 'inputGrads', 'weightGrads'] as const) {
          expect(fast[part].length).toBe(reference[part].length);
          fast[part].forEach((got, i) => expectClose(got, reference[part][i], 1e-9, 1e-11));
        }
      }
    } finally {
      setNumThreads(threads);
    }
  });

  // Batch 128 as the benchmark runs it on 2 threads: 4 slices cut at groups of 6 rows
  // (6, 5, 6 and 5 groups, the last group 2 rows), and batch 50 (neither a multiple of 6
  // nor of 8: 9 groups, the last 2 rows, in 4 slices).
  const twoThreads = KINDS.flatMap((kind) => [
    [kind, 128, 5, 40],
    [kind, 50, 9, 48],
  ]) as [Kind, number, number, number][];
  it.each(twoThreads)('%s, batch %i, T = %i, %i units, 2 threads: as the per-step path', (kind, batch, time, units) => {
    const threads = getNumThreads();
    setNumThreads(2);
    try {
      for (const [goBackwards, withStates] of [
        [false, true],
        [true, false],
      ]) {
        const fast = runLayer(kind, batch, time, units, goBackwards, true, withStates, true);
        const reference = runLayer(kind, batch, time, units, goBackwards, true, withStates, false);
        for (const part of ['outputs', 'inputGrads', 'weightGrads'] as const) {
          expect(fast[part].length).toBe(reference[part].length);
          fast[part].forEach((got, i) => expectClose(got, reference[part][i], 1e-9, 1e-11));
        }
      }
    } finally {
      setNumThreads(threads);
    }
  });

  // float32 runs the vectorized gate passes (float64 calls libm), and the LSTM's forward
  // adds each step's recurrent product onto the projection held in the gates' workspace:
  // against the per-step path to float32 rounding, at odd sizes (batch 1, 3, 37; 1 to 128
  // units; T 1, 2, 29), on 2 threads, and the same bits at 1, 2 and 3 threads.
  const float32Cases = KINDS.flatMap((kind) =>
    [
      [1, 29, 1],
      [3, 1, 5],
      [3, 2, 33],
      [37, 29, 33],
      [37, 2, 128],
      [3, 29, 128],
    ].map(([batch, time, units]) => [kind, batch, time, units] as const),
  );
  it.each(float32Cases)('%s in float32, batch %i, T = %i, %i units: as the per-step path, the same bits at 1-3 threads', (kind, batch, time, units) => {
    const threads = getNumThreads();
    try {
      setNumThreads(2);
      for (const goBackwards of [false, true]) {
        const fast = runLayer(kind, batch, time, units, goBackwards, true, true, true, 'float32');
        const reference = runLayer(kind, batch, time, units, goBackwards, true, true, false, 'float32');
        for (const part of ['outputs', 'inputGrads', 'weightGrads'] as const) {
          expect(fast[part].length).toBe(reference[part].length);
          // Gradients summed over 29 steps and 37 rows in another order: a few units of
          // float32 rounding, relative to the largest value of each.
          fast[part].forEach((got, i) => {
            const scale = Math.max(1, ...Array.from(reference[part][i], Math.abs));
            expectClose(got, reference[part][i], 2e-5, 2e-5 * scale);
          });
        }
      }
      setNumThreads(1);
      const one = runLayer(kind, batch, time, units, false, true, true, true, 'float32');
      for (const count of [2, 3]) {
        setNumThreads(count);
        const other = runLayer(kind, batch, time, units, false, true, true, true, 'float32');
        expect(other).toEqual(one);
      }
    } finally {
      setNumThreads(threads);
    }
  });

  // (SimpleRNN's batch 128 case is too little work to be cut: left out.)
  it.each([
    [37, 29, 33, KINDS],
    [128, 5, 40, ['lstm', 'gruAfter', 'gruBefore'] as Kind[]],
  ] as const)('the cut of the batch changes nothing: 1, 2 and 3 threads give the same bits (batch %i, T = %i, %i units)', (batch, time, units, kinds) => {
    const threads = getNumThreads();
    try {
      for (const kind of kinds) {
        setNumThreads(1);
        const one = runLayer(kind, batch, time, units, false, true, true, true);
        for (const count of [2, 3]) {
          setNumThreads(count);
          const other = runLayer(kind, batch, time, units, false, true, true, true);
          // The bias gradients too: summed per group of rows, the groups in order.
          expect(other.outputs).toEqual(one.outputs);
          expect(other.inputGrads).toEqual(one.inputGrads);
          expect(other.weightGrads).toEqual(one.weightGrads);
        }
      }
    } finally {
      setNumThreads(threads);
    }
  });

  it('float32 agrees too (LSTM and GRU, the benchmark shapes scaled down)', () => {
    for (const kind of ['lstm', 'gruAfter'] as const) {
      const build = (sequence: boolean) => {
        const was = useSequenceKernels(sequence);
        try {
          const layer = kind === 'lstm' ? layers.lstm({ units: 16 }) : layers.gru({ units: 16 });
          const x = randomTensor([8, 12, 6], 3);
          layer.apply(x);
          layer.setWeights(layer.getWeights().map((w, i) => randomTensor(w.shape, 40 + i, 'float32', -0.5, 0.5)));
          const { value, grads: g } = variableGrads(() => sum(mul(layer.apply(x) as Tensor, layer.apply(x) as Tensor)), layer.trainableWeights);
          return [value.dataSync(), ...layer.trainableWeights.map((w) => g[w.name].dataSync())];
        } finally {
          useSequenceKernels(was);
        }
      };
      const fast = build(true);
      build(false).forEach((want, i) => expectClose(fast[i], want, 1e-4, 1e-5));
    }
  });
});

// The CUDA kernels against the CPU's: the same layers, weights and inputs on each device
// (skipped where no GPU is present).
const gpus = availableDevices().filter((d) => d !== 'cpu');
(gpus.length > 0 ? describe : describe.skip)('the sequence kernels on CUDA agree with the CPU', () => {
  const cases = gpus.flatMap((device) => KINDS.map((kind) => [device, kind] as const));
  it.each(cases.length > 0 ? cases : [['none', 'lstm'] as const])('%s, %s', (device, kind) => {
    const previous = getDevice();
    for (const [goBackwards, returnSequences, withStates] of [
      [false, true, true],
      [true, false, false],
    ]) {
      const cpu = runLayer(kind, 3, 17, 13, goBackwards, returnSequences, withStates, true);
      setDevice(device);
      try {
        const gpu = runLayer(kind, 3, 17, 13, goBackwards, returnSequences, withStates, true);
        for (const part of ['outputs', 'inputGrads', 'weightGrads'] as const) gpu[part].forEach((got, i) => expectClose(got, cpu[part][i], 1e-9, 1e-11));
      } finally {
        setDevice(previous);
      }
    }
  });
});

describe('when the layers use the sequence kernels', () => {
  afterEach(() => jest.restoreAllMocks());
  const spies = () => [jest.spyOn(sequenceOps, 'lstmSequence'), jest.spyOn(sequenceOps, 'gruSequence'), jest.spyOn(sequenceOps, 'simpleRnnSequence')];
  const calls = (s: jest.SpyInstance[]) => s.reduce((n, spy) => n + spy.mock.calls.length, 0);
  const x = () => randomTensor([2, 4, 3]);

  it('default activations, no mask, no recurrent dropout: one call per layer', () => {
    const s = spies();
    layers.lstm({ units: 3 }).apply(x());
    layers.gru({ units: 3, resetAfter: false }).apply(x());
    layers.simpleRNN({ units: 3, activation: 'relu' }).apply(x());
    layers.rnn({ cell: layers.lstmCell({ units: 3 }) }).apply(x());
    expect(s.map((spy) => spy.mock.calls.length)).toEqual([2, 1, 1]);
    // Input dropout is applied before; an all-valid mask changes nothing.
    layers.lstm({ units: 3, dropout: 0.5 }).apply(x(), { training: true });
    layers.gru({ units: 3 }).apply(x(), { mask: tensor([true, true, true, true, true, true, true, true], [2, 4], 'bool') });
    expect(calls(s)).toBe(6);
  });

  it('falls back to the per-step path for masks, recurrent dropout, other activations, unroll', () => {
    const s = spies();
    layers.lstm({ units: 3 }).apply(x(), { mask: tensor([true, true, true, false, true, true, true, true], [2, 4], 'bool') });
    layers.lstm({ units: 3, recurrentDropout: 0.3 }).apply(x(), { training: true });
    layers.gru({ units: 3, recurrentActivation: 'hardSigmoid' }).apply(x());
    layers.simpleRNN({ units: 3, activation: 'elu' }).apply(x());
    layers.lstm({ units: 3, unroll: true }).apply(x());
    expect(calls(s)).toBe(0);
    // Recurrent dropout only matters in training.
    layers.lstm({ units: 3, recurrentDropout: 0.3 }).apply(x());
    expect(calls(s)).toBe(1);
  });

  it('useBias false: zeros take the bias place', () => {
    const results: Float32Array[][] = [];
    for (const sequence of [true, false]) {
      const was = useSequenceKernels(sequence);
      const made = [layers.lstm({ units: 3, useBias: false }), layers.gru({ units: 3, useBias: false }), layers.simpleRNN({ units: 3, useBias: false })];
      const outs = made.map((l, i) => {
        l.apply(randomTensor([2, 4, 3], 5));
        l.setWeights(l.getWeights().map((w, k) => randomTensor(w.shape, 80 + 10 * i + k)));
        return (l.apply(randomTensor([2, 4, 3], 5)) as Tensor).dataSync() as Float32Array;
      });
      useSequenceKernels(was);
      results.push(outs);
    }
    results[0].forEach((got, i) => expectClose(got, results[1][i], 1e-5, 1e-6));
  });

  it('does not leak in training', () => {
    const layer = layers.gru({ units: 4 });
    const xs = randomTensor([2, 5, 3]);
    layer.apply(xs);
    expectNoLeaks(() => tidy(() => void variableGrads(() => sum(layer.apply(xs, { training: true }) as Tensor), layer.trainableWeights)));
    expectFlatMemory(layer, xs);
  });
});

describe('sequence ops: gradients against finite differences (float64)', () => {
  const [b, t, f, u] = [2, 4, 3, 3];
  const flat = (r: sequenceOps.SequenceResult) =>
    concat(
      [r.outputs, ...r.states].map((s) => reshape(s, [-1])),
      0,
    );
  for (const goBackwards of [false, true]) {
    it(`lstmSequence, goBackwards ${goBackwards}`, () => {
      const inputs = [[b, t, f], [f, 4 * u], [u, 4 * u], [4 * u], [b, u], [b, u]].map((s, i) => randomTensor(s, 50 + i, 'float64'));
      gradcheck((x, w, r, bias, h, c) => flat(sequenceOps.lstmSequence(x, w, r, bias, h, c, goBackwards)), inputs);
    });
    for (const resetAfter of [true, false]) {
      it(`gruSequence, resetAfter ${resetAfter}, goBackwards ${goBackwards}`, () => {
        const inputs = [[b, t, f], [f, 3 * u], [u, 3 * u], [3 * u], [3 * u], [b, u]].map((s, i) => randomTensor(s, 60 + i, 'float64'));
        gradcheck((x, w, r, bias, rb, h) => flat(sequenceOps.gruSequence(x, w, r, bias, rb, h, resetAfter, goBackwards)), inputs);
      });
    }
    for (const activation of ['tanh', 'relu'] as const) {
      it(`simpleRnnSequence ${activation}, goBackwards ${goBackwards}`, () => {
        const inputs = [[b, t, f], [f, u], [u, u], [u], [b, u]].map((s, i) => randomTensor(s, 70 + i, 'float64'));
        gradcheck((x, w, r, bias, h) => flat(sequenceOps.simpleRnnSequence(x, w, r, bias, h, activation, goBackwards)), inputs);
      });
    }
  }
});

describe('sequence ops: errors name the op and what was expected', () => {
  const x = randomTensor([2, 4, 3]);
  const w = randomTensor([3, 8]);
  const r = randomTensor([2, 8]);
  const bias = randomTensor([8]);
  const h = randomTensor([2, 2]);
  it('shapes, dtypes, activations', () => {
    expect(() => sequenceOps.lstmSequence(x, randomTensor([4, 8]), r, bias, h, h, false)).toThrow(
      /lstmSequence: expected kernel of shape \[3, 8\], got \[4, 8\]/,
    );
    expect(() => sequenceOps.lstmSequence(randomTensor([2, 3]), w, r, bias, h, h, false)).toThrow(
      /lstmSequence: expected x of shape \[batch, time, features\], got \[2, 3\]/,
    );
    expect(() => sequenceOps.lstmSequence(x, w, r, randomTensor([7]), h, h, false)).toThrow(/lstmSequence: expected bias of shape \[8\], got \[7\]/);
    expect(() => sequenceOps.lstmSequence(x, w, r, bias, h, randomTensor([3, 2]), false)).toThrow(/lstmSequence: expected c0 of shape \[2, 2\], got \[3, 2\]/);
    expect(() => sequenceOps.lstmSequence(x, w, r, bias, h, randomTensor([2, 2], 1, 'float64'), false)).toThrow(
      /lstmSequence: expected c0 of dtype float32 \(x's\), got float64/,
    );
    expect(() => sequenceOps.simpleRnnSequence(x, randomTensor([3, 2]), h, randomTensor([2]), h, 'elu' as never, false)).toThrow(
      /simpleRnnSequence: expected activation 'tanh' or 'relu', got 'elu'/,
    );
    expect(() => sequenceOps.gruSequence(x, randomTensor([3, 6]), randomTensor([2, 6]), randomTensor([6]), randomTensor([5]), h, true, false)).toThrow(
      /gruSequence: expected recurrentBias of shape \[6\], got \[5\]/,
    );
  });
});
