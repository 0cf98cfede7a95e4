// Stateful recurrent layers (stateful: true): a sequence fed in pieces gives what the whole
// sequence gives; resetStates (and Keras 3's resetState, model.resetStates) go back to
// zeros or to given states; the fixed batch size is required and enforced; fit, predict and
// evaluate move the states; nothing leaks, and dispose releases the states.
import { input, layers, model, sequential, variableGrads, sum, type Tensor } from '../../src';
import { useSequenceKernels } from '../../src/layers/recurrent';
import { expectNoLeaks, liveTensors } from '../helpers/memory';
import { expectClose, randomTensor } from '../helpers/reference';

const halves = (x: Tensor): [Tensor, Tensor] => [x.slice([0, 0, 0], [-1, 3, -1]), x.slice([0, 3, 0], [-1, 3, -1])];

describe('stateful recurrent layers', () => {
  it.each([
    ['lstm', () => layers.lstm({ units: 3, stateful: true, returnState: true })],
    ['gru', () => layers.gru({ units: 3, stateful: true, returnState: true })],
    ['simpleRNN', () => layers.simpleRNN({ units: 3, stateful: true, returnState: true })],
    ['rnn of stacked cells', () => layers.rnn({ cell: [layers.lstmCell({ units: 3 }), layers.gruCell({ units: 2 })], stateful: true, returnState: true })],
  ])('%s: a sequence in two halves ends where the whole sequence ends; resetStates starts again', (_, make) => {
    for (const kernels of [true, false]) {
      const was = useSequenceKernels(kernels);
      try {
        const stateful = make();
        const x = randomTensor([2, 6, 4], 9);
        stateful.apply(x); // builds
        stateful.resetStates();
        const serialized = layers.serializeLayer(stateful);
        const stateless = layers.deserializeLayer({ ...serialized, config: { ...serialized.config, stateful: false, name: 'copy' } }) as typeof stateful;
        stateless.apply(x);
        stateless.setWeights(stateful.getWeights());
        const whole = stateless.apply(x);
        const [a, b] = halves(x);
        stateful.apply(a);
        const second = stateful.apply(b);
        whole.forEach((w, i) => expectClose(second[i].dataSync(), w.dataSync(), 1e-5, 1e-6));
        // The layer holds the final states.
        stateful.states!.forEach((s, i) => expectClose(s.dataSync(), whole[i + 1].dataSync(), 1e-5, 1e-6));
        // Back to zeros: the first half again gives what it gave the first time.
        stateful.resetStates();
        const firstAgain = stateful.apply(a);
        const fromZeros = stateless.apply(a);
        fromZeros.forEach((w, i) => expectClose(firstAgain[i].dataSync(), w.dataSync(), 1e-5, 1e-6));
        // Keras 3's resetState with given states: the second half continues from them.
        stateful.resetState(fromZeros.slice(1));
        stateful.apply(b)[0].dataSync();
        stateful.resetState(fromZeros.slice(1));
        expectClose(stateful.apply(b)[0].dataSync(), second[0].dataSync(), 1e-5, 1e-6);
      } finally {
        useSequenceKernels(was);
      }
    }
  });

  it('needs a fixed batch size, and refuses batches of another size, by name', () => {
    expect(() => sequential({ layers: [layers.lstm({ units: 2, stateful: true, inputShape: [4, 3], name: 'st' })] })).toThrow(
      'st: a stateful RNN needs a fixed batch size, got an input whose batch size is unknown',
    );
    expect(() => layers.gru({ units: 2, stateful: true, name: 'g' }).apply(input({ shape: [4, 3] }))).toThrow('g: a stateful RNN needs a fixed batch size');
    const m = sequential({ layers: [layers.lstm({ units: 2, stateful: true, batchInputShape: [2, 4, 3], name: 'fixed' })] });
    expect(() => m.apply(randomTensor([3, 4, 3]))).toThrow('expected shape=[2, 4, 3], found shape=[3, 4, 3]');
    // A layer applied on its own keeps the batch size of its first call.
    const own = layers.lstm({ units: 2, stateful: true, name: 'own' });
    own.apply(randomTensor([2, 4, 3]));
    expect(() => own.apply(randomTensor([3, 4, 3]))).toThrow(
      'own: the layer is stateful, and its states hold batches of 2, got a batch of 3; feed batches of exactly 2',
    );
    const f = layers.simpleRNN({ units: 2, stateful: true, name: 'f' });
    f.apply(input({ batchShape: [5, null, 3] }));
    expect(() => f.resetStates([randomTensor([4, 2])])).toThrow('f.resetStates: expected 1 state(s) of shape [5, 2], got 1: [4, 2]');
    expect(() => layers.lstm({ units: 2 }).resetStates()).toThrow('the layer is not stateful (stateful: false)');
    expect(() => layers.lstm({ units: 2, stateful: 'yes' as never })).toThrow('expected stateful to be a boolean');
    // Not built yet: nothing to reset (Keras), but given values have no batch to fit.
    expect(() => layers.lstm({ units: 2, stateful: true }).resetStates()).not.toThrow();
  });

  it('fit, evaluate and predict move the states (no gradient across batches); model.resetStates resets them; nothing leaks', async () => {
    const inp = input({ batchShape: [2, 3, 2] });
    const lstm = layers.lstm({ units: 4, stateful: true });
    const out = layers.dense({ units: 1 }).apply(lstm.apply(inp));
    const m = model({ inputs: inp, outputs: out });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
    const xs = randomTensor([4, 3, 2], 3);
    const ys = randomTensor([4, 1], 4);
    const p1 = m.predict(xs, { batchSize: 2 }) as Tensor;
    const p2 = m.predict(xs, { batchSize: 2 }) as Tensor;
    expect(Array.from(p2.dataSync())).not.toEqual(Array.from(p1.dataSync()));
    m.resetStates();
    expectClose((m.predict(xs, { batchSize: 2 }) as Tensor).dataSync(), p1.dataSync());
    m.resetState();
    await m.fit(xs, ys, { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
    expect(Array.from(lstm.states![0].dataSync()).some((v) => v !== 0)).toBe(true);
    m.resetStates();
    expect(Array.from(lstm.states![0].dataSync()).every((v) => v === 0)).toBe(true);
    await m.evaluate(xs, ys, { batchSize: 2 });
    expect(Array.from(lstm.states![1].dataSync()).some((v) => v !== 0)).toBe(true);
    await expect(m.fit(xs, ys, { epochs: 1, batchSize: 3, verbose: 0 })).rejects.toThrow('expected shape=[2, 3, 2], found shape=[3, 3, 2]');
    // Gradients stop at the batch: a second call in the same tape gives the weights what a
    // call from the same states, given as plain values, gives.
    m.resetStates();
    const x2 = xs.slice([0, 0, 0], [2, -1, -1]);
    (m.apply(x2) as Tensor).dispose();
    const held = lstm.states!;
    lstm.resetStates(held);
    (m.apply(x2) as Tensor).dispose();
    const next = lstm.states!;
    lstm.resetStates(next);
    const alone = variableGrads(() => sum(m.apply(x2) as Tensor), lstm.trainableWeights);
    lstm.resetStates(held);
    const chained = variableGrads(() => {
      void m.apply(x2);
      return sum(m.apply(x2) as Tensor);
    }, lstm.trainableWeights);
    Object.keys(alone.grads).forEach((k) => expectClose(chained.grads[k].dataSync(), alone.grads[k].dataSync(), 1e-5, 1e-6));
    for (const t of [...held, ...next, alone.value, chained.value, ...Object.values(alone.grads), ...Object.values(chained.grads)]) t.dispose();
    // Steady state: training, predicting and resetting leave live tensors where they were.
    await m.fit(xs, ys, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
    const before = liveTensors();
    for (let i = 0; i < 3; i++) {
      await m.fit(xs, ys, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 });
      (m.predict(xs, { batchSize: 2 }) as Tensor).dispose();
      m.resetStates();
    }
    expect(liveTensors()).toBe(before);
    expectNoLeaks(() => (m.apply(x2) as Tensor).dispose(), 5);
    // dispose releases the states with the weights.
    m.dispose();
    expect(liveTensors()).toBeLessThan(before);
    expect(lstm.states).toBeNull();
  });

  it('configs keep stateful; jitCompile trains eagerly, saying why', async () => {
    const layer = layers.gru({ units: 2, stateful: true });
    expect(layer.getConfig().stateful).toBe(true);
    const copy = layers.deserializeLayer(layers.serializeLayer(layer)) as layers.GRU;
    expect(copy.stateful).toBe(true);
    const m = sequential({ layers: [layers.lstm({ units: 2, stateful: true, batchInputShape: [2, 3, 2], name: 'kept' }), layers.dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError', jitCompile: true });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await m.fit(randomTensor([4, 3, 2]), randomTensor([4, 1]), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('jitCompile: training eagerly from now on: layer kept is stateful'));
    } finally {
      warn.mockRestore();
    }
    // A bidirectional wrapper of stateful layers resets both.
    const bi = layers.bidirectional({ layer: layers.simpleRNN({ units: 2, stateful: true }) });
    const x = randomTensor([2, 3, 2]);
    const y1 = bi.apply(x) as Tensor;
    expect(Array.from((bi.apply(x) as Tensor).dataSync())).not.toEqual(Array.from(y1.dataSync()));
    bi.resetStates();
    expectClose((bi.apply(x) as Tensor).dataSync(), y1.dataSync());
  });
});
