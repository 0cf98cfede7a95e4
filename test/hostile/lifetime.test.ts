// Disposed tensors used anywhere, and training data or models disposed from a callback
// during fit: a clear error that names the function the user called and says the tensor
// is disposed (as TensorFlow.js's "Tensor is disposed"), never an internal op's name.
import * as ts from '../../src';

const disposed = (shape = [2, 2]): ts.Tensor => {
  const t = ts.ones(shape);
  t.dispose();
  return t;
};

const model = (): ts.Sequential => {
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
};

describe('a disposed tensor', () => {
  it('keep() refuses it (it was marked kept and returned)', () => {
    expect(() => ts.keep(disposed())).toThrow('keep: the tensor (shape [2, 2]) is already disposed');
  });

  it('tidy() refuses one returned by its function (it was handed out)', () => {
    const before = ts.memory().numTensors;
    expect(() =>
      ts.tidy(() => {
        ts.ones([3]);
        const t = ts.ones([2]);
        t.dispose();
        return t;
      }),
    ).toThrow('tidy: the function returned a disposed tensor (shape [2])');
    expect(ts.memory().numTensors).toBe(before);
    const live = ts.tidy(() => ts.ones([2]));
    expect(live.isDisposed).toBe(false);
    live.dispose();
  });

  it('onesLike and zerosLike refuse it (they read only its shape, and made a tensor)', () => {
    expect(() => ts.onesLike(disposed())).toThrow("onesLike: argument 'x' is a disposed tensor (shape [2, 2])");
    expect(() => ts.zerosLike(disposed())).toThrow("zerosLike: argument 'x' is a disposed tensor (shape [2, 2])");
  });

  it('Variable.assign of it names assign (it said copy)', () => {
    const v = ts.variable(ts.zeros([2, 2]));
    expect(() => v.assign(disposed())).toThrow("assign: the value for variable '");
    expect(() => v.assign(disposed())).toThrow('is a disposed tensor');
    v.dispose();
  });

  it('fit, evaluate and predict name themselves (they said gather or rows)', async () => {
    const m = model();
    await expect(m.fit(disposed(), ts.ones([2, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(/\.fit: x holds a disposed tensor \(shape \[2, 2\]\)/);
    await expect(m.fit(ts.ones([2, 2]), disposed([2, 1]), { epochs: 1, verbose: 0 })).rejects.toThrow(/\.fit: y holds a disposed tensor/);
    expect(() => m.predict(disposed())).toThrow(/\.predict: x holds a disposed tensor/);
    m.dispose();
  });
});

describe('disposed from a callback during fit', () => {
  it.each([
    ['x', { shuffle: true }],
    ['x', { shuffle: false }],
    ['y', { shuffle: true }],
  ] as const)('the training %s (%p): the next step names fit', async (which, extra) => {
    const m = model();
    const x = ts.randomUniform([8, 2]);
    const y = ts.randomUniform([8, 1]);
    const fit = m.fit(x, y, {
      epochs: 2,
      batchSize: 4,
      verbose: 0,
      ...extra,
      callbacks: { onBatchEnd: () => (which === 'x' ? x : y).dispose() },
    });
    await expect(fit).rejects.toThrow(new RegExp(`\\.fit: ${which} holds a disposed tensor \\(shape \\[8, \\d\\]\\); was it disposed during training\\?`));
    ts.dispose([x, y]);
    m.dispose();
  });

  it('the validation data: names fit', async () => {
    const m = model();
    const vx = ts.ones([4, 2]);
    const vy = ts.ones([4, 1]);
    const [x, y] = [ts.ones([8, 2]), ts.ones([8, 1])];
    const fit = m.fit(x, y, {
      epochs: 2,
      verbose: 0,
      validationData: [vx, vy],
      callbacks: { onEpochBegin: (e: number) => (e === 1 ? vx.dispose() : undefined) },
    });
    await expect(fit).rejects.toThrow(/\.fit: x holds a disposed tensor \(shape \[4, 2\]\)/);
    ts.dispose([vy, x, y]);
    m.dispose();
  });

  it('the model: says it was disposed', async () => {
    const m = model();
    const [x, y] = [ts.ones([8, 2]), ts.ones([8, 1])];
    await expect(m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: () => m.dispose() } })).rejects.toThrow('was disposed');
    ts.dispose([x, y]);
  });
});

describe('re-entrancy', () => {
  it('fit from inside fit, and two fits at once, are refused; predict and evaluate inside fit work', async () => {
    const m = model();
    const [x, y] = [ts.ones([8, 2]), ts.ones([8, 1])];
    let inner: Promise<unknown> | undefined;
    const fitAgain = () => void (inner ??= m.fit(x, y, { epochs: 1, verbose: 0 }).catch((e: Error) => e.message));
    await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, callbacks: { onBatchEnd: fitAgain } });
    expect(await inner).toMatch('another fit() call is ongoing');
    const first = m.fit(x, y, { epochs: 1, verbose: 0 });
    const second = m.fit(x, y, { epochs: 1, verbose: 0 }).catch((e: Error) => e.message);
    await first;
    expect(await second).toMatch('another fit() call is ongoing');
    let predicted = 0;
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: {
        onBatchEnd: async () => {
          ts.dispose(m.predict(x) as ts.Tensor);
          await m.evaluate(x, y);
          predicted++;
        },
      },
    });
    expect(predicted).toBe(2);
    ts.dispose([x, y]);
    m.dispose();
  });
});
