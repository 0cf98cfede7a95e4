// TensorFlow.js's (and Keras's) habits with callbacks: objects of hook functions, one
// callback without an array, onBatchBegin / onBatchEnd, onYield with fit's yieldEvery,
// CustomCallback and callbacks.earlyStopping. Each of these threw a TypeError from inside
// fit before ("rankCallbacks(...) is not iterable", "c.setModel is not a function").
import * as ts from '../../src';

const { Callback, CustomCallback, LambdaCallback } = ts.callbacks;

function tinyModel(): ts.Sequential {
  ts.setSeed(3);
  const m = ts.sequential({ layers: [ts.layers.dense({ units: 1, inputShape: [2] })] });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  return m;
}

const x = ts.ones([8, 2]);
const y = ts.ones([8, 1]);
afterAll(() => ts.dispose([x, y]));

describe('callbacks as TensorFlow.js takes them', () => {
  test('an object of hooks, alone or in an array beside a Callback, is called like a Callback', async () => {
    const m = tinyModel();
    const seen: string[] = [];
    await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, callbacks: { onEpochEnd: (e, logs) => void seen.push(`alone ${e} ${typeof logs!.loss}`) } });
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [{ onTrainBegin: () => void seen.push('object begin') }, new LambdaCallback({ onTrainEnd: () => void seen.push('lambda end') })],
    });
    expect(seen).toEqual(['alone 0 number', 'alone 1 number', 'object begin', 'lambda end']);
    m.dispose();
  });

  test('one Callback without an array', async () => {
    const m = tinyModel();
    const epochs: number[] = [];
    class Count extends Callback {
      override onEpochEnd(epoch: number): void {
        epochs.push(epoch);
      }
    }
    await m.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, callbacks: new Count() });
    expect(epochs).toEqual([0, 1, 2]);
    m.dispose();
  });

  test('async hooks are awaited before the next batch', async () => {
    const m = tinyModel();
    const order: string[] = [];
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: {
        onBatchBegin: (b) => void order.push(`begin ${b}`),
        onBatchEnd: async (b) => {
          await new Promise((r) => setTimeout(r, 5));
          order.push(`end ${b}`);
        },
      },
    });
    expect(order).toEqual(['begin 0', 'end 0', 'begin 1', 'end 1']);
    m.dispose();
  });

  test("onBatchBegin / onBatchEnd: the training batches' hooks (Keras's on_batch_*), also on a subclass, not evaluate's", async () => {
    const m = tinyModel();
    const calls: string[] = [];
    class Batches extends Callback {
      override onBatchEnd(batch: number, logs?: ts.callbacks.Logs): void {
        calls.push(`subclass ${batch} ${logs!.loss > 0}`);
      }
    }
    await m.fit(x, y, {
      epochs: 1,
      batchSize: 4,
      verbose: 0,
      callbacks: [new Batches(), new CustomCallback({ onBatchBegin: (b) => void calls.push(`custom ${b}`) })],
    });
    expect(calls).toEqual(['custom 0', 'subclass 0 true', 'custom 1', 'subclass 1 true']);
    calls.length = 0;
    await m.evaluate(x, y, { batchSize: 4, callbacks: [new Batches()] });
    expect(calls).toEqual([]);
    m.dispose();
  });

  test('a subclass that overrides onTrainBatchEnd is not also called through onBatchEnd', async () => {
    const m = tinyModel();
    const calls: string[] = [];
    class Both extends Callback {
      override onTrainBatchEnd(batch: number): void {
        calls.push(`train ${batch}`);
      }
      override onBatchEnd(batch: number): void {
        calls.push(`batch ${batch}`);
      }
    }
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, callbacks: new Both() });
    expect(calls).toEqual(['train 0']);
    m.dispose();
  });

  test('evaluate and predict take objects of hooks too', async () => {
    const m = tinyModel();
    const seen: string[] = [];
    await m.evaluate(x, y, { batchSize: 4, callbacks: { onTestBatchEnd: (b) => void seen.push(`test ${b}`) } });
    ts.dispose(m.predict(x, { batchSize: 8, callbacks: { onPredictEnd: () => void seen.push('predict end') } }) as ts.Tensor);
    expect(seen).toEqual(['test 0', 'test 1', 'predict end']);
    m.dispose();
  });

  test('callbacks.earlyStopping is the factory TensorFlow.js users call', async () => {
    const stop = ts.callbacks.earlyStopping({ monitor: 'loss', patience: 0, minDelta: 1e9 });
    expect(stop).toBeInstanceOf(ts.callbacks.EarlyStopping);
    const m = tinyModel();
    const history = await m.fit(x, y, { epochs: 10, batchSize: 8, verbose: 0, callbacks: stop });
    expect(history.epoch.length).toBe(2); // the first epoch sets the best; the second does not beat it by minDelta: stop
    expect(() => ts.callbacks.earlyStopping({ patiense: 2 } as never)).toThrow(/patiense/);
    m.dispose();
  });
});

describe("fit's yieldEvery and onYield", () => {
  async function yields(yieldEvery: ts.FitArgs['yieldEvery'], epochs = 2): Promise<string[]> {
    const m = tinyModel();
    const seen: string[] = [];
    await m.fit(x, y, {
      epochs,
      batchSize: 2, // 4 batches an epoch
      verbose: 0,
      yieldEvery,
      callbacks: { onYield: (epoch, batch, logs) => void seen.push(`${epoch}:${batch}:${typeof logs!.loss}`) },
    });
    m.dispose();
    return seen;
  }

  test("'batch': onYield after every batch", async () => {
    const every = ['0:0:number', '0:1:number', '0:2:number', '0:3:number', '1:0:number', '1:1:number', '1:2:number', '1:3:number'];
    expect(await yields('batch')).toEqual(every);
  });

  test("'auto' (the default): onYield at most every 125 ms, as TensorFlow.js's 'auto'", async () => {
    // A clock that moves 50 ms at each reading: onYield is due at every third batch or so.
    let clock = 0;
    const now = jest.spyOn(performance, 'now').mockImplementation(() => (clock += 50));
    try {
      const auto = await yields(undefined);
      expect(auto.length).toBeGreaterThanOrEqual(2);
      expect(auto.length).toBeLessThan(8);
      clock = 0;
      expect(await yields('auto')).toEqual(auto);
    } finally {
      now.mockRestore();
    }
  });

  test("'epoch' after each epoch, milliseconds when that long has passed", async () => {
    expect(await yields('epoch')).toEqual(['0:3:number', '1:3:number']);
    expect(await yields(1e9)).toEqual([]);
    expect(await yields(0, 1)).toEqual(['0:0:number', '0:1:number', '0:2:number', '0:3:number']);
  });

  test("'never' with an onYield is an error (it would never run), as in TensorFlow.js", async () => {
    await expect(yields('never')).rejects.toThrow(/fit: yieldEvery is 'never', so a callback's onYield would never run/);
  });

  test('stopTraining set in onYield stops before the next batch', async () => {
    const m = tinyModel();
    let batches = 0;
    await m.fit(x, y, {
      epochs: 3,
      batchSize: 2,
      verbose: 0,
      yieldEvery: 'batch',
      callbacks: {
        onBatchEnd: () => void batches++,
        onYield() {
          (this as unknown as ts.callbacks.Callback).model!.stopTraining = true;
        },
      },
    });
    expect(batches).toBe(1);
    m.dispose();
  });

  test("'never' keeps the event loop waiting until fit ends; 'batch' lets a timer run mid-epoch", async () => {
    for (const [yieldEvery, expectMidFit] of [
      ['never', false],
      ['batch', true],
    ] as const) {
      const m = tinyModel();
      let timerRan = false;
      let batchesWhenTimerRan = -1;
      let batches = 0;
      setImmediate(() => {
        timerRan = true;
        batchesWhenTimerRan = batches;
      });
      const [x64, y64] = [ts.ones([64, 2]), ts.ones([64, 1])];
      await m.fit(x64, y64, {
        epochs: 1,
        batchSize: 2,
        verbose: 0,
        yieldEvery,
        callbacks: { onBatchEnd: () => void batches++ },
      });
      expect(timerRan && batchesWhenTimerRan < 32).toBe(expectMidFit);
      ts.dispose([x64, y64]);
      m.dispose();
    }
  });
});

describe('bad callbacks, each a clear error naming the call', () => {
  test.each([
    ['a string', 'x', /sequential.*\.fit: expected callbacks to be a Callback or an object of hook functions .*got 'x' \(a string\)/],
    ['a number', 3, /expected callbacks to be a Callback or an object of hook functions .*got 3/],
    ['a function', () => {}, /expected callbacks to be a Callback or an object of hook functions/],
    ['an array holding null', [null], /expected callbacks\[0\] to be a Callback or an object of hook functions .*got null/],
    [
      'a misspelled hook',
      { onEpochFinish: () => {} },
      /fit: callbacks: CustomCallback: 'onEpochFinish' is not a callback hook; expected one of onTrainBegin, .*onBatchEnd.*onYield/,
    ],
    ['a hook that is not a function', [{ onEpochEnd: 1 }], /fit: callbacks\[0\]: CustomCallback: expected the hook 'onEpochEnd' to be a function, got 1/],
    ['a method name that is not a hook', { setModel: () => {} }, /'setModel' is not a callback hook/],
  ])('%s', async (_, callbacks, message) => {
    const m = tinyModel();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, callbacks: callbacks as never })).rejects.toThrow(message);
    m.dispose();
  });

  test('yieldEvery other than the four names or milliseconds', async () => {
    const m = tinyModel();
    await expect(m.fit(x, y, { verbose: 0, yieldEvery: 'sometimes' as never })).rejects.toThrow(
      /fit: expected yieldEvery to be 'auto', 'batch', 'epoch', 'never' or milliseconds >= 0, got 'sometimes'/,
    );
    await expect(m.fit(x, y, { verbose: 0, yieldEvery: -1 })).rejects.toThrow(/got -1/);
    m.dispose();
  });

  test('onBatchEnd and onTrainBatchEnd in one object name the same hook: an error (one would never run)', () => {
    expect(() => new LambdaCallback({ onBatchEnd: () => {}, onTrainBatchEnd: () => {} })).toThrow(
      /LambdaCallback: give one of onBatchEnd \(TensorFlow.js's name\) and onTrainBatchEnd; both name the same hook/,
    );
    expect(() => new CustomCallback({ onBatchBegin: () => {}, onTrainBatchBegin: () => {} })).toThrow(/CustomCallback: give one of onBatchBegin/);
  });

  test("CustomCallback's TensorFlow.js second argument (yieldEvery) is fit's here", () => {
    expect(() => new (CustomCallback as unknown as new (...a: unknown[]) => unknown)({}, 'auto')).toThrow(/pass yieldEvery to fit instead/);
  });

  test('evaluate and predict name themselves', async () => {
    const m = tinyModel();
    await expect(m.evaluate(x, y, { callbacks: 'x' as never })).rejects.toThrow(/\.evaluate: expected callbacks to be a Callback/);
    expect(() => m.predict(x, { callbacks: 7 as never })).toThrow(/\.predict: expected callbacks to be a Callback/);
    m.dispose();
  });
});
