// Recurrent layers and wrappers: sequences against PyTorch (lstm, gru both resetAfter
// modes, simpleRNN; goBackwards, initial state, masks), fused vs composed steps,
// embedding masks into lstm, bidirectional, timeDistributed, configs, errors, memory,
// and the mission's two-input two-output functional model.
import {
  add,
  concat,
  dispose,
  gather,
  grads,
  input,
  layers,
  matMul,
  model,
  mul,
  sigmoid,
  slice,
  sum,
  tanh,
  tensor,
  transpose,
  variableGrads,
  type Tensor,
} from '../../src';
import { fromFixture, loadFixture, type FixtureCase } from '../helpers/fixtures';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectNoLeaks } from '../helpers/memory';
import { expectClose, expectTensor, randomTensor } from '../helpers/reference';

/** x with the time axis (1) reversed. */
const reverse = (x: Tensor, axis: number) =>
  gather(
    x,
    tensor(
      Array.from({ length: x.shape[axis] }, (_, i) => x.shape[axis] - 1 - i),
      [x.shape[axis]],
      'int32',
    ),
    axis,
  );

type Kind = 'lstm' | 'gru' | 'simple';
type AnyRNNArgs = layers.LSTMArgs & layers.GRUArgs;
const makers: Record<Kind, (args: AnyRNNArgs) => layers.RNN<'list'>> = {
  lstm: (args) => layers.lstm({ ...args, returnState: true }),
  gru: (args) => layers.gru({ ...args, returnState: true }),
  simple: (args) => layers.simpleRNN({ ...args, returnState: true }),
};

function fixtureLayer(c: FixtureCase, custom = false) {
  const kind = c.attrs.kind as Kind;
  // Activations given as functions take the composed (non-fused) path with the same math.
  const activations = custom ? { activation: (x: Tensor) => tanh(x), ...(kind === 'simple' ? {} : { recurrentActivation: (x: Tensor) => sigmoid(x) }) } : {};
  return makers[kind]({
    units: c.attrs.units as number,
    returnSequences: true,
    returnState: true,
    goBackwards: c.attrs.goBackwards as boolean,
    ...(kind === 'gru' ? { resetAfter: c.attrs.resetAfter as boolean } : {}),
    dtype: 'float64',
    ...activations,
  });
}

function runFixture(c: FixtureCase, custom: boolean): void {
  const layer = fixtureLayer(c, custom);
  const x = fromFixture(c.inputs.x);
  const initial = ['h0', 'c0'].filter((n) => c.inputs[n] !== undefined).map((n) => fromFixture(c.inputs[n]));
  const mask = c.inputs.mask
    ? tensor(
        c.inputs.mask.data.map((v) => v === 1),
        c.inputs.mask.shape,
        'bool',
      )
    : undefined;
  const run = (xs: Tensor, states: Tensor[]) => layer.apply(xs, { mask, initialState: states.length > 0 ? states : undefined });
  run(x, initial);
  layer.setWeights(['kernel', 'recurrentKernel', 'bias'].map((n) => fromFixture(c.inputs[n])));
  const [sequence, ...states] = run(x, initial);
  const names = ['sequence', 'h', 'c'];
  [sequence, ...states].forEach((t, i) => expectTensor(t, c.outputs[names[i]].shape, c.outputs[names[i]].data, 1e-6, 1e-7));
  // Gradients of sum(outputs * upstream): to the weights, the input and the initial states.
  const upstream = names.filter((n) => c.upstream[n]).map((n) => fromFixture(c.upstream[n]));
  const objective = (xs: Tensor, ...s: Tensor[]) =>
    run(xs, s)
      .map((t: Tensor, i: number) => sum(mul(t, upstream[i])))
      .reduce((a: Tensor, b: Tensor) => add(a, b));
  const weights = layer.trainableWeights;
  const { value, grads: g } = variableGrads(() => objective(x, ...initial), weights);
  value.dispose();
  ['kernel', 'recurrentKernel', 'bias'].forEach((n, i) => expectClose(g[weights[i].name].dataSync(), c.grads[n].data, 1e-6, 1e-7));
  const inputGrads = grads(objective)([x, ...initial]);
  ['x', 'h0', 'c0'].slice(0, inputGrads.length).forEach((n, i) => expectClose(inputGrads[i].dataSync(), c.grads[n].data, 1e-6, 1e-7));
}

describe('lstm, gru, simpleRNN against PyTorch sequences', () => {
  const cases = loadFixture('recurrent', 'layers').map((c) => [c.name, c] as const);
  it.each(cases)('fused: %s', (_, c) => runFixture(c, false));
  it.each(cases)('composed (function activations): %s', (_, c) => runFixture(c, true));
});

describe('cells on their own: one step against the PyTorch cell fixtures', () => {
  const cells = [
    ['lstm_cell', () => layers.lstmCell({ units: 4, dtype: 'float64' }), ['h', 'c'], ['hNew', 'cNew']],
    ['gru_cell', (c: FixtureCase) => layers.gruCell({ units: 4, resetAfter: c.attrs.resetAfter as boolean, dtype: 'float64' }), ['h'], ['hNew']],
    ['simple_rnn_cell', () => layers.simpleRNNCell({ units: 4, dtype: 'float64' }), ['h'], ['hNew']],
  ] as const;
  it.each(cells.flatMap(([file, make, states, outs]) => loadFixture(file).map((c) => [`${file} ${c.name}`, c, make, states, outs] as const)))(
    '%s',
    (_, c, make, stateNames, outNames) => {
      const cell = make(c);
      const inputs = [fromFixture(c.inputs.x), ...stateNames.map((n) => fromFixture(c.inputs[n]))];
      cell.apply(inputs);
      cell.setWeights(['kernel', 'recurrentKernel', 'bias'].map((n) => fromFixture(c.inputs[n])));
      cell.apply(inputs).forEach((t, i) => expectTensor(t, c.outputs[outNames[i]].shape, c.outputs[outNames[i]].data, 1e-6, 1e-7));
      expect(cell.computeOutputShape(inputs.map((t) => t.shape))).toEqual(outNames.map((n) => c.outputs[n].shape));
      expectConfigRoundTrip(cell);
    },
  );
});

describe('recurrent layers', () => {
  it('have Keras weight shapes and names (the cell is the sublayer)', () => {
    const shapes = (layer: InstanceType<typeof layers.RNN>) => {
      layer.apply(randomTensor([2, 3, 5]));
      return layer.weights.map((w) => [w.name.replace(/_\d+$/, ''), w.shape]);
    };
    expect(shapes(layers.lstm({ units: 4 }))).toEqual([
      ['lstm_cell/kernel', [5, 16]],
      ['lstm_cell/recurrent_kernel', [4, 16]],
      ['lstm_cell/bias', [16]],
    ]);
    // Paths as Keras 3's: the cell is always named lstm_cell / gru_cell / simple_rnn_cell.
    const second = [layers.lstm({ units: 2 }), layers.gru({ units: 2 }), layers.simpleRNN({ units: 2 })];
    for (const layer of second) layer.apply(randomTensor([1, 2, 3]));
    expect(second.map((layer) => layer.weights[0].path.replace(/^[a-z_]+?(_\d+)?\//, '<layer>/'))).toEqual([
      '<layer>/lstm_cell/kernel',
      '<layer>/gru_cell/kernel',
      '<layer>/simple_rnn_cell/kernel',
    ]);
    expect(shapes(layers.gru({ units: 4 })).map((w) => w[1])).toEqual([
      [5, 12],
      [4, 12],
      [2, 12],
    ]);
    expect(shapes(layers.gru({ units: 4, resetAfter: false })).map((w) => w[1])).toEqual([[5, 12], [4, 12], [12]]);
    expect(shapes(layers.simpleRNN({ units: 4, useBias: false })).map((w) => w[1])).toEqual([
      [5, 4],
      [4, 4],
    ]);
    // unitForgetBias: the forget block of the bias starts at 1.
    const l = layers.lstm({ units: 2 });
    l.apply(randomTensor([1, 2, 3]));
    expect(Array.from(l.bias!.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    const r = layers.lstm({ units: 2, unitForgetBias: false });
    r.apply(randomTensor([1, 2, 3]));
    expect(Array.from(r.bias!.dataSync())).toEqual(new Array(8).fill(0));
    // The recurrent kernel [u, 4u] is orthogonal: U U^T = I.
    expectClose(matMul(l.recurrentKernel!, transpose(l.recurrentKernel!)).dataSync(), [1, 0, 0, 1], 1e-5, 1e-5);
  });

  it('compute output shapes for every option', () => {
    const x = input({ shape: [7, 3] });
    expect(layers.lstm({ units: 5 }).apply(x).shape).toEqual([null, 5]);
    expect(layers.gru({ units: 5, returnSequences: true }).apply(x).shape).toEqual([null, 7, 5]);
    expect(
      layers
        .lstm({ units: 5, returnState: true })
        .apply(x)
        .map((t) => t.shape),
    ).toEqual([
      [null, 5],
      [null, 5],
      [null, 5],
    ]);
    expect(
      layers
        .simpleRNN({ units: 2, returnState: true, returnSequences: true })
        .apply(input({ shape: [null, 3] }))
        .map((t) => t.shape),
    ).toEqual([
      [null, null, 2],
      [null, 2],
    ]);
  });

  it('goBackwards reads the sequence from the end', () => {
    const x = randomTensor([2, 4, 3]);
    const forward = layers.gru({ units: 3, returnSequences: true });
    const backward = layers.gru({ units: 3, returnSequences: true, goBackwards: true });
    forward.apply(x);
    backward.apply(x);
    backward.setWeights(forward.getWeights());
    expectClose(backward.apply(x).dataSync(), forward.apply(reverse(x, 1)).dataSync());
  });

  it('takes initial states as apply options or as extra inputs (functional form)', () => {
    const layer = layers.lstm({ units: 3, returnState: true });
    const x = randomTensor([2, 4, 2]);
    const h0 = randomTensor([2, 3], 2);
    const c0 = randomTensor([2, 3], 3);
    const [y1] = layer.apply(x, { initialState: [h0, c0] });
    const [y2] = layer.apply([x, h0, c0]);
    const [y3] = layer.apply(x);
    expectClose(y1.dataSync(), y2.dataSync());
    expect(Array.from(y1.dataSync())).not.toEqual(Array.from(y3.dataSync()));
    // Symbolically: an encoder's states start a decoder.
    const encoderIn = input({ shape: [null, 2] });
    const decoderIn = input({ shape: [null, 2] });
    const [, h, c] = layers.lstm({ units: 3, returnState: true }).apply(encoderIn);
    const decoded = layers.lstm({ units: 3, returnSequences: true }).apply(decoderIn, { initialState: [h, c] });
    const seq2seq = model({ inputs: [encoderIn, decoderIn], outputs: decoded });
    expect((seq2seq.apply([x, randomTensor([2, 5, 2])]) as Tensor).shape).toEqual([2, 5, 3]);
    expect(() => layer.apply(x, { initialState: [h0] })).toThrow(
      'an initial state was passed that does not fit the cell: expected 2 state(s) of shape [2, 3], [2, 3], got [2, 3]',
    );
    expect(() => layer.apply(x, { initialState: [h0, randomTensor([2, 4])] })).toThrow('does not fit the cell');
  });

  it('embedding(maskZero) into lstm: padded steps keep the state (same result as without them)', () => {
    const ids = input({ shape: [null], dtype: 'int32' });
    const emb = layers.embedding({ inputDim: 6, outputDim: 3, maskZero: true });
    const lstm = layers.lstm({ units: 4, returnSequences: true });
    const m = model({ inputs: ids, outputs: lstm.apply(emb.apply(ids)) });
    const padded = m.apply(tensor([[0, 4, 2, 0, 5, 0, 0]], [1, 7], 'int32')) as Tensor;
    const plain = m.apply(tensor([[4, 2, 5]], [1, 3], 'int32')) as Tensor;
    const rows = padded.arraySync() as number[][][];
    const want = plain.arraySync() as number[][][];
    // Keras: a masked step repeats the previous output (zeros before the first real step).
    expectClose(rows[0][0], [0, 0, 0, 0]);
    expectClose(rows[0][1], want[0][0]);
    expectClose(rows[0][2], want[0][1]);
    expectClose(rows[0][3], want[0][1]);
    expectClose(rows[0][4], want[0][2]);
    expectClose(rows[0][6], want[0][2]);
    // The output mask is the input mask when sequences are returned.
    expect(lstm.computeMask(randomTensor([1, 2, 3]), tensor([[true, false]]))).not.toBeNull();
    expect(layers.lstm({ units: 2 }).computeMask(randomTensor([1, 2, 3]), tensor([[true, false]]))).toBeNull();
  });

  it('dropout and recurrentDropout act in training only, repeatably with a seed, and pass gradients', () => {
    const x = randomTensor([3, 4, 5]);
    const makes: ((args: AnyRNNArgs) => layers.RNN)[] = [(a) => layers.lstm(a), (a) => layers.gru(a), (a) => layers.simpleRNN(a)];
    for (const make of makes) {
      const layer = make({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 11 });
      const inference = Array.from(layer.apply(x).dataSync());
      expectClose(layer.apply(x).dataSync(), inference);
      const trained = Array.from(layer.apply(x, { training: true }).dataSync());
      expect(trained).not.toEqual(inference);
      const twin = make({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 11 });
      twin.apply(x);
      twin.setWeights(layer.getWeights());
      const again = make({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 11 });
      again.apply(x);
      again.setWeights(layer.getWeights());
      expectClose(again.apply(x, { training: true }).dataSync(), twin.apply(x, { training: true }).dataSync());
      const { value, grads: g } = variableGrads(() => sum(layer.apply(x, { training: true })), layer.trainableWeights);
      value.dispose();
      expect(Object.keys(g).length).toBe(3);
      dispose(Object.values(g));
    }
  });

  it('gradients reach every weight, configs round-trip, memory stays flat', () => {
    const x = randomTensor([2, 5, 3]);
    const mask = tensor([
      [true, true, true, false, false],
      [true, true, true, true, true],
    ]);
    for (const layer of [
      layers.lstm({ units: 4, returnSequences: true, kernelRegularizer: 'l2', recurrentConstraint: 'maxNorm' }),
      layers.gru({ units: 4, resetAfter: false, goBackwards: true, dropout: 0.2 }),
      layers.gru({ units: 2, activation: 'relu', recurrentActivation: 'hardSigmoid' }),
      layers.simpleRNN({ units: 3, returnState: true, activation: 'relu', recurrentDropout: 0.3, seed: 1 }),
      layers.rnn({ cell: layers.lstmCell({ units: 3 }), returnSequences: true }),
    ]) {
      expectGradientsToAllWeights(layer, x);
      expectConfigRoundTrip(layer);
      expectFlatMemory(layer, x);
      expectNoMaskLeak(layer, x, mask);
    }
    const config = layers.gru({ units: 4 }).getConfig();
    expect(config).toMatchObject({
      units: 4,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
      resetAfter: true,
      returnSequences: false,
      recurrentInitializer: { className: 'Orthogonal' },
    });
    expect(config.cell).toBeUndefined();
    expect(layers.rnn({ cell: layers.gruCell({ units: 2 }) }).getConfig().cell).toMatchObject({ className: 'GRUCell', config: { units: 2 } });
  });

  it('rejects bad inputs and unsupported options clearly', () => {
    expect(() => layers.lstm({ units: 2, name: 'lstm' }).apply(randomTensor([2, 3]))).toThrow(
      'Input 0 of layer lstm is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: [2, 3]',
    );
    const l = layers.gru({ units: 2, name: 'gru_x' });
    l.apply(randomTensor([1, 2, 3]));
    expect(() => l.apply(randomTensor([1, 2, 4]))).toThrow(
      'Input 0 of layer gru_x is incompatible with the layer: expected axis -1 of input shape to have value 3',
    );
    expect(() => layers.lstm({ units: 0 })).toThrow('expected units to be a positive integer');
    expect(() => layers.gru({ units: 2, recurrentActivation: 'sigmoidal' })).toThrow("unknown activation 'sigmoidal'");
    expect(() => layers.simpleRNN({ units: 2, dropout: 1 })).toThrow('expected dropout in [0, 1)');
    expect(() => layers.rnn({ cell: layers.dense({ units: 2 }) as never })).toThrow('expected cell to be an RNN cell');
  });
});

// Masked runs release everything too.
function expectNoMaskLeak(layer: InstanceType<typeof layers.Layer>, x: Tensor, mask: Tensor): void {
  expectNoLeaks(() => dispose(layer.apply(x, { training: true, mask }) as Tensor | Tensor[]), 10);
}

describe('bidirectional', () => {
  it('concatenates the forward output with the backward one in time order', () => {
    const x = randomTensor([2, 4, 3]);
    const bi = layers.bidirectional({ layer: layers.lstm({ units: 2, returnSequences: true, name: 'enc' }) });
    const y = bi.apply(x);
    expect(y.shape).toEqual([2, 4, 4]);
    expect(bi.forwardLayer.name).toBe('forward_enc');
    expect(bi.backwardLayer.name).toBe('backward_enc');
    expect(bi.weights.length).toBe(6);
    const f = layers.lstm({ units: 2, returnSequences: true });
    const b = layers.lstm({ units: 2, returnSequences: true });
    f.apply(x);
    b.apply(x);
    f.setWeights(bi.forwardLayer.getWeights());
    b.setWeights(bi.backwardLayer.getWeights());
    const want = concat([f.apply(x), reverse(b.apply(reverse(x, 1)), 1)], -1);
    expectClose(y.dataSync(), want.dataSync());
  });

  it('merge modes, returnState, shapes and masks', () => {
    const x = input({ shape: [5, 3] });
    const lstm = (opts = {}) => layers.lstm({ units: 4, ...opts });
    expect(layers.bidirectional({ layer: lstm() }).apply(x).shape).toEqual([null, 8]);
    expect(layers.bidirectional({ layer: lstm(), mergeMode: 'sum' }).apply(x).shape).toEqual([null, 4]);
    expect(
      layers
        .bidirectional({ layer: lstm({ returnSequences: true }), mergeMode: null })
        .apply(x)
        .map((t) => t.shape),
    ).toEqual([
      [null, 5, 4],
      [null, 5, 4],
    ]);
    const withStates = layers.bidirectional({ layer: layers.lstm({ units: 4, returnState: true }), mergeMode: 'ave' }).apply(x);
    expect(withStates.map((t) => t.shape)).toEqual([
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
      [null, 4],
    ]);
    const real = randomTensor([2, 5, 3]);
    for (const [mode, want] of [
      ['concat', [[2, 5, 4]]],
      ['sum', [[2, 5, 2]]],
      ['mul', [[2, 5, 2]]],
      ['ave', [[2, 5, 2]]],
      [
        null,
        [
          [2, 5, 2],
          [2, 5, 2],
        ],
      ],
    ] as const) {
      const bi = layers.bidirectional({ layer: layers.gru({ units: 2, returnSequences: true }), mergeMode: mode });
      const out = bi.apply(real) as Tensor | Tensor[];
      expect((Array.isArray(out) ? out : [out]).map((t) => t.shape)).toEqual(want);
      expect(bi.computeOutputShape([2, 5, 3])).toEqual(want.length === 1 ? want[0] : want);
    }
    // Masked steps of returned sequences are zeros in both directions (Keras forces zeroOutputForMask).
    const bi = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, returnSequences: true }) });
    const y = bi
      .apply(real, {
        mask: tensor([
          [true, true, true, false, false],
          [true, true, true, true, true],
        ]),
      })
      .arraySync() as number[][][];
    expectClose(y[0][3], [0, 0, 0, 0]);
    expect(Math.abs(y[1][4][0])).toBeGreaterThan(0);
  });

  it('initial states split forward / backward; config, gradients, memory, errors', () => {
    const x = randomTensor([2, 4, 3]);
    const bi = layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode: 'concat' });
    const s = [randomTensor([2, 2], 4), randomTensor([2, 2], 5)];
    const a = bi.apply(x, { initialState: s });
    expect(Array.from(a.dataSync())).not.toEqual(Array.from(bi.apply(x).dataSync()));
    expect(() => bi.apply(x, { initialState: [s[0]] })).toThrow('expected 2 initial states (1 forward, then 1 backward), got 1');
    expectGradientsToAllWeights(bi, x);
    expectConfigRoundTrip(bi);
    expectFlatMemory(bi, x);
    expect(() => layers.bidirectional({ layer: layers.dense({ units: 2 }) as never })).toThrow('expected layer to be a recurrent layer');
    expect(() => layers.bidirectional({ layer: layers.gru({ units: 2 }), backwardLayer: layers.gru({ units: 2 }) })).toThrow(
      'must have different goBackwards values',
    );
    expect(() =>
      layers.bidirectional({ layer: layers.gru({ units: 2 }), backwardLayer: layers.gru({ units: 2, goBackwards: true, returnSequences: true }) }),
    ).toThrow('must have the same returnSequences');
    expect(() => layers.bidirectional({ layer: layers.gru({ units: 2 }), mergeMode: 'max' as 'sum' })).toThrow(
      "expected mergeMode 'concat', 'sum', 'mul', 'ave' or null",
    );
  });
});

describe('timeDistributed', () => {
  it('applies the inner layer to every timestep', () => {
    const dense = layers.dense({ units: 3 });
    const td = layers.timeDistributed({ layer: dense });
    const x = randomTensor([2, 4, 5]);
    const y = td.apply(x);
    expect(y.shape).toEqual([2, 4, 3]);
    expectClose(y.dataSync(), dense.apply(x).dataSync());
    expect(td.apply(input({ shape: [null, 5] })).shape).toEqual([null, null, 3]);
    const conv = layers.timeDistributed({ layer: layers.conv2d({ filters: 2, kernelSize: 3 }) });
    expect(conv.apply(randomTensor([2, 3, 6, 6, 1])).shape).toEqual([2, 3, 4, 4, 2]);
    expect(conv.apply(input({ shape: [3, 6, 6, 1] })).shape).toEqual([null, 3, 4, 4, 2]);
    expectGradientsToAllWeights(td, x);
    expectConfigRoundTrip(td);
    expectFlatMemory(td, x);
    expect(() => layers.timeDistributed({ layer: layers.dense({ units: 1 }), name: 'td' }).apply(randomTensor([2, 3]))).toThrow(
      'Input 0 of layer td is incompatible with the layer: expected min_ndim=3, found ndim=2',
    );
  });
});

describe('the mission model: text -> embedding(maskZero) -> lstm, numbers -> dense, concatenate, two outputs', () => {
  it('runs forward and passes gradients to every weight', () => {
    const text = input({ shape: [null], dtype: 'int32', name: 'text' });
    const numbers = input({ shape: [4], name: 'numbers' });
    const encoded = layers.lstm({ units: 8 }).apply(layers.embedding({ inputDim: 20, outputDim: 6, maskZero: true }).apply(text));
    const features = layers.dense({ units: 8, activation: 'relu' }).apply(numbers);
    const joined = layers.concatenate().apply([encoded, features]);
    const score = layers.dense({ units: 1, name: 'score' }).apply(joined);
    const label = layers.dense({ units: 3, activation: 'softmax', name: 'label' }).apply(joined);
    const m = model({ inputs: [text, numbers], outputs: [score, label] });
    const ids = tensor(
      [
        [3, 7, 1, 0, 0],
        [5, 2, 9, 9, 4],
      ],
      [2, 5],
      'int32',
    );
    const nums = randomTensor([2, 4]);
    const [s, l] = m.apply([ids, nums]) as Tensor[];
    expect(s.shape).toEqual([2, 1]);
    expect(l.shape).toEqual([2, 3]);
    expectClose(sum(l, 1).dataSync(), [1, 1]);
    const { value, grads: g } = variableGrads(() => {
      const [a, b] = m.apply([ids, nums], { training: true }) as Tensor[];
      return add(sum(a), sum(mul(b, tensor([1, 2, 3]))));
    });
    value.dispose();
    expect(m.trainableWeights.length).toBe(1 + 3 + 2 + 2 + 2);
    for (const w of m.trainableWeights) {
      expect(g[w.name]).toBeDefined();
      expect(g[w.name].shape).toEqual(w.shape);
    }
    // Trailing padding changes nothing: the lstm skips masked steps.
    const [unpadded] = m.apply([tensor([[3, 7, 1]], [1, 3], 'int32'), slice(nums, [0, 0], [1, 4])]) as Tensor[];
    expectClose(unpadded.dataSync(), [s.dataSync()[0]]);
  });
});
