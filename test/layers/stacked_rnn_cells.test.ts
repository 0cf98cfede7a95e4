// Stacked cells (rnn({cell: [a, b]}), stackedRNNCells): the same numbers as the layers
// stacked one on another, and as a step-by-step loop over the stacked cell's own call
// (goBackwards, masks); states in cell order; gradients against finite differences and
// against the stacked layers'; sequential and functional models, fit, configs, memory.
import { add, input, layers, model, sequential, sum, tensor, tidy, variableGrads, where, type Tensor } from '../../src';
import { useSequenceKernels } from '../../src/layers/recurrent';
import { modelWeights } from '../../src/saving/weights';
import { gradcheck } from '../helpers/gradcheck';
import { expectConfigRoundTrip, expectFlatMemory, expectGradientsToAllWeights } from '../helpers/layers';
import { expectClose, randomTensor } from '../helpers/reference';

const mask = () =>
  tensor(
    [
      [true, true, false, true, false],
      [true, true, true, true, true],
    ],
    [2, 5],
    'bool',
  );

// Two lstm cells (3 then 2 units) and the two lstm layers with the same weights.
function pair(options: { returnSequences?: boolean; goBackwards?: boolean; dtype?: 'float64' } = {}) {
  const dtype = options.dtype ?? 'float32';
  const stacked = layers.rnn({ cell: [layers.lstmCell({ units: 3, dtype }), layers.lstmCell({ units: 2, dtype })], returnState: true, ...options });
  const first = layers.lstm({ units: 3, returnSequences: true, returnState: true, goBackwards: options.goBackwards, dtype });
  const second = layers.lstm({ units: 2, returnState: true, returnSequences: options.returnSequences, dtype });
  const x = randomTensor([2, 5, 4], 3, dtype === 'float64' ? 'float64' : 'float32');
  stacked.apply(x);
  const [seq] = first.apply(x);
  second.apply(seq);
  const values = stacked.getWeights().map((w, i) => randomTensor(w.shape, 20 + i, dtype === 'float64' ? 'float64' : 'float32', -0.6, 0.6));
  stacked.setWeights(values);
  first.setWeights(values.slice(0, 3));
  second.setWeights(values.slice(3));
  // Layers stacked: after a backwards first layer its sequence is in processing order and the second reads it as it is.
  const layered = (xs: Tensor, initial?: Tensor[]) => {
    const [s, h1, c1] = first.apply(xs, { initialState: initial?.slice(0, 2) });
    const [y, h2, c2] = second.apply(s, { initialState: initial?.slice(2) });
    return [y, h1, c1, h2, c2];
  };
  return { stacked, layered, x };
}

const data = (ts: Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

describe('rnn with stacked cells', () => {
  it.each<[string, { returnSequences?: boolean; goBackwards?: boolean }]>([
    ['last output', {}],
    ['returnSequences', { returnSequences: true }],
    ['goBackwards', { goBackwards: true }],
    ['goBackwards, returnSequences', { goBackwards: true, returnSequences: true }],
  ])('equals two lstm layers with the same weights: %s (states in cell order)', (_, options) => {
    for (const kernels of [true, false]) {
      const was = useSequenceKernels(kernels);
      try {
        const { stacked, layered, x } = pair(options);
        const got = stacked.apply(x);
        expect(got.map((t) => t.shape)).toEqual([options.returnSequences ? [2, 5, 2] : [2, 2], [2, 3], [2, 3], [2, 2], [2, 2]]);
        data(layered(x)).forEach((want, i) => expectClose(got[i].dataSync(), want, 1e-5, 1e-6));
        // Initial states go to the cells in order.
        const initial = [3, 3, 2, 2].map((u, i) => randomTensor([2, u], 40 + i));
        const withStates = stacked.apply(x, { initialState: initial });
        data(layered(x, initial)).forEach((want, i) => expectClose(withStates[i].dataSync(), want, 1e-5, 1e-6));
      } finally {
        useSequenceKernels(was);
      }
    }
  });

  it('masks and goBackwards: as a step-by-step loop over the stacked cell', () => {
    for (const goBackwards of [false, true]) {
      const cell = layers.stackedRNNCells({ cells: [layers.gruCell({ units: 3 }), layers.simpleRNNCell({ units: 2 })] });
      const layer = layers.rnn({ cell, returnSequences: true, returnState: true, goBackwards });
      const x = randomTensor([2, 5, 4], 7);
      const m = mask();
      const [seq, ...states] = layer.apply(x, { mask: m });
      // Keras's loop: a masked step keeps every state and repeats the previous output.
      let s = cell.zeroStates(2);
      let previous = tensor(new Float32Array(4), [2, 2]);
      const outs: Tensor[] = [];
      for (let k = 0; k < 5; k++) {
        const t = goBackwards ? 4 - k : k;
        const xt = tidy(() => x.slice([0, t, 0], [2, 1, 4]).reshape([2, 4]));
        const [out, ...next] = cell.apply([xt, ...s]);
        const valid = m.slice([0, t], [2, 1]);
        s = next.map((n, i) => where(valid, n, s[i]));
        previous = where(valid, out, previous);
        outs.push(previous);
      }
      outs.forEach((o, k) => expectClose(seq.slice([0, k, 0], [2, 1, 2]).dataSync(), o.dataSync(), 1e-5, 1e-6));
      data(s).forEach((want, i) => expectClose(states[i].dataSync(), want, 1e-5, 1e-6));
    }
  });

  it('gradients: against finite differences, and the same as the stacked layers', () => {
    const { stacked, layered, x } = pair({ returnSequences: true, goBackwards: true, dtype: 'float64' });
    const h = randomTensor([2, 3], 50, 'float64');
    const rest = [randomTensor([2, 3], 51, 'float64'), randomTensor([2, 2], 52, 'float64'), randomTensor([2, 2], 53, 'float64')];
    for (const m of [undefined, mask()]) gradcheck((xs, h0) => stacked.apply(xs, { mask: m, initialState: [h0, ...rest] })[0], [x, h]);
    const loss = (f: () => Tensor[]) => () => f().reduce((a, y) => add(a, sum(y)), tensor(0, [], 'float64'));
    const ours = variableGrads(loss(() => stacked.apply(x)));
    const theirs = variableGrads(loss(() => layered(x)));
    const gs = (g: Record<string, Tensor>) => Object.values(g).map((t) => Array.from(t.dataSync()));
    gs(ours.grads).forEach((g, i) => expectClose(g, gs(theirs.grads)[i], 1e-9, 1e-12));
  });

  it('in sequential and functional models, with fit; configs round-trip; memory stays flat', async () => {
    const seq = sequential({
      layers: [
        layers.rnn({ cell: [layers.lstmCell({ units: 4 }), layers.gruCell({ units: 3 })], returnSequences: true, inputShape: [5, 2] }),
        layers.rnn({ cell: layers.stackedRNNCells({ cells: [layers.simpleRNNCell({ units: 2 })] }) }),
        layers.dense({ units: 1 }),
      ],
    });
    // Saved under TensorFlow.js's names: '<layer>/RNNCell_<i>/<weight>'.
    expect(
      modelWeights(seq)
        .map((w) => w.name)
        .slice(0, 4),
    ).toEqual([
      `${seq.layers[0].name}/RNNCell_0/kernel`,
      `${seq.layers[0].name}/RNNCell_0/recurrent_kernel`,
      `${seq.layers[0].name}/RNNCell_0/bias`,
      `${seq.layers[0].name}/RNNCell_1/kernel`,
    ]);
    seq.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const xs = randomTensor([8, 5, 2], 4);
    const ys = randomTensor([8, 1], 5);
    const [before] = await seq.evaluate(xs, ys, { returnDict: false });
    await seq.fit(xs, ys, { epochs: 15, batchSize: 4, verbose: 0 });
    expect((await seq.evaluate(xs, ys, { returnDict: false }))[0]).toBeLessThan(before);

    const inp = input({ shape: [null, 2] });
    const [y, ...states] = layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.lstmCell({ units: 2 })], returnState: true }).apply(inp);
    expect([y.shape, ...states.map((s) => s.shape)]).toEqual([
      [null, 2],
      [null, 3],
      [null, 3],
      [null, 2],
      [null, 2],
    ]);
    const fn = model({ inputs: inp, outputs: [y, ...states] });
    expect((fn.apply(xs) as Tensor[]).map((t) => t.shape)).toEqual([
      [8, 2],
      [8, 3],
      [8, 3],
      [8, 2],
      [8, 2],
    ]);

    const layer = layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2, dropout: 0.2 })], returnSequences: true });
    expectGradientsToAllWeights(layer, xs);
    expectConfigRoundTrip(layer);
    expectFlatMemory(layer, xs, 10);
    expect(layer.getConfig().cell).toMatchObject({ className: 'StackedRNNCells', config: { cells: [{ className: 'LSTMCell' }, { className: 'GRUCell' }] } });
    expect(layer.weights.map((w) => w.shape)).toEqual([[2, 12], [3, 12], [12], [3, 6], [2, 6], [2, 6]]);
  });

  it('refuses what is not a list of cells, by name', () => {
    expect(() => layers.stackedRNNCells({ cells: [], name: 'st' })).toThrow('st: expected cells to be a non-empty array of RNN cells, got');
    expect(() => layers.rnn({ cell: [layers.lstmCell({ units: 2 }), layers.dense({ units: 2 }) as never] })).toThrow('expected cells[1] to be an RNN cell');
    const c = layers.lstmCell({ units: 2 });
    expect(() => layers.stackedRNNCells({ cells: [c, c] })).toThrow('a cell appears twice in cells');
  });
});
