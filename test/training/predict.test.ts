// predict: synchronous for tensors (TensorFlow.js's and Keras's `model.predict(x).dataSync()`),
// a Promise for a Dataset or iterable of batches; batches joined in the model's output structure.
import * as ts from '../../src';
import { layers, tensor, type Tensor } from '../../src';
import { Callback } from '../../src/callbacks';
import { fromTensors } from '../../src/data';
import { randomData } from '../helpers/reference';
import { liveTensors } from '../helpers/memory';

function mlp(): ts.Sequential {
  ts.setSeed(3);
  return ts.sequential({ layers: [layers.dense({ units: 5, activation: 'tanh', inputShape: [3] }), layers.dense({ units: 2 })] });
}

const inputs = (n: number) => tensor(randomData(3 * n, 11, -1, 1), [n, 3]);
const values = (t: Tensor) => Array.from(t.dataSync());

function expectClose(a: number[], b: number[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
}

describe('predict on tensors is synchronous', () => {
  it('returns a Tensor (not a Promise): model.predict(x).dataSync() works, in batches joined like apply', () => {
    const model = mlp();
    const x = inputs(10);
    const y = model.predict(x, { batchSize: 3 }); // 4 batches, the last one partial
    expect(y).toBeInstanceOf(ts.Tensor);
    expect(y.shape).toEqual([10, 2]);
    expectClose(values(y), values(model.apply(x)));
    expect(model.predict(x).dataSync()).toHaveLength(20);
  });

  it("keeps a functional model's structure: a list for list outputs, an object for named inputs and outputs", () => {
    ts.setSeed(4);
    const a = ts.input({ shape: [3], name: 'a' });
    const b = ts.input({ shape: [2], name: 'b' });
    const h = layers.concatenate().apply([layers.dense({ units: 4 }).apply(a), b]);
    const [p, q] = [layers.dense({ units: 1, name: 'p' }).apply(h), layers.dense({ units: 2, name: 'q' }).apply(h)];
    const xs = { a: inputs(7), b: tensor(randomData(14, 5, -1, 1), [7, 2]) };

    const listModel = ts.model({ inputs: [a, b], outputs: [p, q] });
    const list = listModel.predict([xs.a, xs.b], { batchSize: 2 });
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((t) => t.shape)).toEqual([
      [7, 1],
      [7, 2],
    ]);
    const direct = listModel.apply([xs.a, xs.b]);
    list.forEach((t, i) => expectClose(values(t), values(direct[i])));

    const dictModel = ts.model({ inputs: { a, b }, outputs: { p, q } });
    const named = dictModel.predict(xs, { batchSize: 4 });
    expect(Object.keys(named).sort()).toEqual(['p', 'q']);
    expect(named.q.shape).toEqual([7, 2]);
    expectClose(values(named.q), values(direct[1]));
  });

  it('runs its callbacks synchronously, in order, and refuses an async hook (it could not be awaited)', () => {
    const model = mlp();
    const x = inputs(5);
    const seen: string[] = [];
    class Recorder extends Callback {
      override onPredictBegin() {
        seen.push('begin');
      }
      override onPredictBatchBegin(batch: number) {
        seen.push(`batch ${batch}`);
      }
      override onPredictBatchEnd(batch: number) {
        seen.push(`end ${batch}`);
      }
      override onPredictEnd() {
        seen.push('end');
      }
    }
    model.predict(x, { batchSize: 3, callbacks: [new Recorder()] });
    expect(seen).toEqual(['begin', 'batch 0', 'end 0', 'batch 1', 'end 1', 'end']);

    class AsyncHook extends Callback {
      override async onPredictBatchEnd() {}
    }
    expect(() => model.predict(x, { callbacks: [new AsyncHook()] })).toThrow(
      /AsyncHook\.onPredictBatchEnd returned a promise, but predict on tensors is synchronous.*Dataset/,
    );
  });

  it('releases every intermediate: only the result stays', () => {
    const model = mlp();
    const x = inputs(9);
    model.predict(x, { batchSize: 4 }).dispose(); // builds nothing new after this
    const before = liveTensors();
    const y = model.predict(x, { batchSize: 4 });
    expect(liveTensors()).toBe(before + 1);
    y.dispose();
  });

  it('an identity model (its output is its input batch) returns live tensors, in one batch or several', () => {
    const identity = ts.sequential({ layers: [layers.dropout({ rate: 0.5, inputShape: [3] })] });
    const x = inputs(4);
    for (const batchSize of [32, 3]) expect(values(identity.predict(x, { batchSize }) as Tensor)).toEqual(values(x));
  });

  it('says so when there is nothing to predict', () => {
    expect(() => mlp().predict(ts.zeros([0, 3]))).toThrow(/predict: the data has no samples/);
  });
});

describe('predict on a Dataset or iterable returns a Promise', () => {
  it('resolves to what the tensors give', async () => {
    const model = mlp();
    const x = inputs(10);
    const pending = model.predict(fromTensors(x).batch(4));
    expect(pending).toBeInstanceOf(Promise);
    const y = await pending;
    expect(y.shape).toEqual([10, 2]);
    expectClose(values(y), values(model.predict(x)));
  });

  it('reads an async generator of batches', async () => {
    const model = mlp();
    const x = inputs(6);
    const parts = [ts.slice(x, [0], [4]), ts.slice(x, [4], [2])];
    async function* batches() {
      for (const p of parts) yield p;
    }
    const y = await model.predict(batches());
    expectClose(values(y), values(model.predict(x)));
  });
});

// Compiled by `tsc --noEmit` (tsconfig includes test/): the types say which calls are synchronous.
export function typesSayWhichIsSynchronous(model: ts.Sequential, x: Tensor): void {
  const now: Tensor = model.predict(x);
  const later: Promise<Tensor> = model.predict(fromTensors(x).batch(2));
  // @ts-expect-error a Dataset's predictions are a Promise, not a Tensor
  model.predict(fromTensors(x).batch(2)).dataSync();
  void [now, later];
}
