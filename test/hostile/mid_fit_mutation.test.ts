// A model changed from a callback of its own fit / evaluate / predict: compile, add and pop
// (accepted silently before: Keras 3's compile drops the train function the loop runs) and a
// trainable flip during fit are refused naming the method and the running loop. Outside a
// loop each works as before, and trainable changes take effect at the next fit.
import * as ts from '../../src';

const model = (): ts.Sequential => {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 3, inputShape: [2] }), ts.layers.dense({ units: 1 })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
};

const data = (): [ts.Tensor, ts.Tensor] => [ts.randomUniform([8, 2], 0, 1, 'float32', 1), ts.randomUniform([8, 1], 0, 1, 'float32', 2)];
const running = (m: ts.Model, method: string, action: string, loop: string) =>
  `${m.name}.${method}: cannot ${action} while ${m.name}.${loop}() is running (called from one of its callbacks, or before its promise settled?)`;

describe('compile, add and pop from a callback', () => {
  it.each(['onBatchEnd', 'onEpochEnd'])('fit refuses each from %s, and is usable once fit has failed', async (hook) => {
    const m = model();
    const [x, y] = data();
    const calls: [string, string, () => void][] = [
      ['compile', 'compile the model', () => m.compile({ optimizer: 'adam', loss: 'mae' })],
      ['add', 'add a layer', () => m.add(ts.layers.dense({ units: 1 }))],
      ['pop', 'remove a layer', () => m.pop()],
    ];
    for (const [method, action, call] of calls) {
      await expect(m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: { [hook]: call } })).rejects.toThrow(running(m, method, action, 'fit'));
    }
    // Nothing changed, and the refusal ended with the fit.
    expect(m.layers.length).toBe(2);
    expect(m.compiled!.optimizer).toBeInstanceOf(ts.optimizers.SGD);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    m.pop();
    expect(m.layers.length).toBe(1);
    ts.dispose([x, y]);
    m.dispose();
  });

  it('evaluate and predict refuse a compile from their callbacks', async () => {
    const m = model();
    const [x, y] = data();
    const compile = () => m.compile({ optimizer: 'adam', loss: 'mae' });
    await expect(m.evaluate(x, y, { batchSize: 4, callbacks: { onTestBatchEnd: compile } })).rejects.toThrow(
      running(m, 'compile', 'compile the model', 'evaluate'),
    );
    expect(() => m.predict(x, { batchSize: 4, callbacks: { onPredictBatchEnd: compile } })).toThrow(running(m, 'compile', 'compile the model', 'predict'));
    // Validation inside fit is fit's: the test hooks it calls name fit.
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, validationData: [x, y], callbacks: { onTestBatchEnd: () => m.pop() } })).rejects.toThrow(
      running(m, 'pop', 'remove a layer', 'fit'),
    );
    ts.dispose([x, y]);
    m.dispose();
  });

  it('a compile while an awaited fit runs (not from its callbacks) is refused too', async () => {
    const m = model();
    const [x, y] = data();
    const fit = m.fit(x, y, { epochs: 2, verbose: 0 });
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse' })).toThrow(running(m, 'compile', 'compile the model', 'fit'));
    await fit;
    m.compile({ optimizer: 'adam', loss: 'mse' });
    ts.dispose([x, y]);
    m.dispose();
  });
});

describe('trainable during fit', () => {
  it('a flip from a callback is refused, for the model and for a layer of it; setting it to what it is passes', async () => {
    const m = model();
    const [x, y] = data();
    const [first] = m.layers;
    await expect(m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: () => void (first.trainable = false) } })).rejects.toThrow(
      `${first.name}.trainable: cannot set trainable while ${m.name}.fit() is running`,
    );
    await expect(m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onEpochEnd: () => void (m.trainable = false) } })).rejects.toThrow(
      `${m.name}.trainable: cannot set trainable while ${m.name}.fit() is running`,
    );
    expect(first.trainable).toBe(true);
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: () => void (first.trainable = true) } });
    // A layer of another model is no concern of this fit.
    const other = ts.layers.dense({ units: 1 });
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: () => void (other.trainable = !other.trainable) } });
    // A model holding the running one would flip its layers too.
    const outer = ts.sequential({ layers: [m] });
    await expect(m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: () => void (outer.trainable = false) } })).rejects.toThrow(
      `${outer.name}.trainable: cannot set trainable while ${m.name}.fit() is running`,
    );
    expect(first.trainable).toBe(true);
    ts.dispose([x, y]);
    m.dispose();
  });

  it('a change between fits takes effect at the next fit, with no new compile', async () => {
    const m = model();
    const [x, y] = data();
    const [first, second] = m.layers;
    const kernel = (l: ts.layers.Layer) => l.getWeights()[0].arraySync() as number[][];
    await m.fit(x, y, { epochs: 1, verbose: 0 });
    first.trainable = false;
    const [frozen, trained] = [kernel(first), kernel(second)];
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    expect(kernel(first)).toEqual(frozen);
    expect(kernel(second)).not.toEqual(trained);
    first.trainable = true;
    await m.fit(x, y, { epochs: 2, verbose: 0 });
    expect(kernel(first)).not.toEqual(frozen);
    ts.dispose([x, y]);
    m.dispose();
  });
});
