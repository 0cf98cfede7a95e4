// Keras's habit of training on plain arrays (numpy there): nested JS arrays and typed
// arrays wherever fit / evaluate / predict and the batch methods take tensors, giving what
// the same tensors give, and leaving no tensor behind.
import * as ts from '../../src';
import { liveTensors } from '../helpers/memory';

const X = [
  [0, 0.5, 1],
  [1, 0, 0.25],
  [0.5, 0.5, 0],
  [0.75, 1, 0.5],
  [0.1, 0.2, 0.9],
];
const Y = [0, 1, 2, 1, 0];
const Y2 = [0, 1, 1, 1, 0];
const W = [1, 2, 1, 0.5, 1];

function classifier(seed: number) {
  ts.setSeed(seed);
  const m = ts.sequential({
    layers: [ts.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), ts.layers.dense({ units: 3, activation: 'softmax' })],
  });
  m.compile({ optimizer: ts.train.sgd(0.1), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

function weightsOf(m: ts.Sequential): number[][] {
  return m.getWeights().map((w) => Array.from(w.dataSync()));
}

it('fit on nested arrays (x, y, sampleWeight, validationData) trains exactly as on the same tensors', async () => {
  const a = classifier(3);
  const b = classifier(3);
  const before = liveTensors();
  const ha = await a.fit(X, Y, { epochs: 3, batchSize: 2, shuffle: false, sampleWeight: W, validationData: [X, Y, W], verbose: 0 });
  expect(liveTensors()).toBe(before);
  const [x, y, w] = [ts.tensor(X), ts.tensor(Y), ts.tensor(W)];
  const hb = await b.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, sampleWeight: w, validationData: [x, y, w], verbose: 0 });
  expect(ha.history).toEqual(hb.history);
  expect(weightsOf(a)).toEqual(weightsOf(b));
  expect(await a.evaluate(X, Y, { sampleWeight: W })).toEqual(await b.evaluate(x, y, { sampleWeight: w }));
  const pa = a.predict(X) as ts.Tensor;
  const pb = b.predict(x) as ts.Tensor;
  expect(pa.shape).toEqual([5, 3]);
  expect(pa.arraySync()).toEqual(pb.arraySync());
  ts.dispose([pa, pb, x, y, w]);
  a.dispose();
  b.dispose();
});

it('the batch methods take arrays, and typed arrays are data too', () => {
  const a = classifier(4);
  const b = classifier(4);
  const before = liveTensors();
  const la = a.trainOnBatch(X, new Float32Array(Y), { sampleWeight: new Float32Array(W) });
  const ta = a.testOnBatch(X, Y);
  const pa = a.predictOnBatch(X) as ts.Tensor;
  expect(liveTensors()).toBe(before + 1);
  const [x, y, w] = [ts.tensor(X), ts.tensor(Y), ts.tensor(W)];
  expect(la).toEqual(b.trainOnBatch(x, y, { sampleWeight: w }));
  expect(ta).toEqual(b.testOnBatch(x, y));
  const pb = b.predictOnBatch(x) as ts.Tensor;
  expect(pa.arraySync()).toEqual(pb.arraySync());
  ts.dispose([pa, pb, x, y, w]);
});

it('several inputs and outputs: a list of arrays or an object by name, each entry converted', async () => {
  ts.setSeed(5);
  const left = ts.input({ shape: [3], name: 'left' });
  const right = ts.input({ shape: [2], name: 'right' });
  const joined = ts.layers.concatenate().apply([left, right]) as ts.SymbolicTensor;
  const cls = ts.layers.dense({ units: 2, activation: 'softmax', name: 'cls' }).apply(joined) as ts.SymbolicTensor;
  const reg = ts.layers.dense({ units: 1, name: 'reg' }).apply(joined) as ts.SymbolicTensor;
  const m = ts.model({ inputs: [left, right], outputs: [cls, reg] });
  m.compile({ optimizer: 'sgd', loss: ['sparseCategoricalCrossentropy', 'meanSquaredError'] });
  const R = [
    [1, 2],
    [3, 4],
    [5, 6],
    [7, 8],
    [9, 0],
  ];
  const before = liveTensors();
  const asList = await m.evaluate([X, R], [Y2, [[1], [2], [3], [4], [5]]]);
  const byName = await m.evaluate({ left: X, right: R }, { cls: Y2, reg: [[1], [2], [3], [4], [5]] });
  const tensors = [ts.tensor(X), ts.tensor(R), ts.tensor(Y2), ts.tensor([[1], [2], [3], [4], [5]])];
  expect(asList).toEqual(await m.evaluate(tensors.slice(0, 2), tensors.slice(2)));
  expect(byName).toEqual(asList);
  ts.dispose(tensors);
  // A tensor beside an array in one list: only the array is converted (and released).
  const r = ts.tensor(R);
  const out = m.predict([X, r]) as ts.Tensor[];
  expect(out.map((t) => t.shape)).toEqual([
    [5, 2],
    [5, 1],
  ]);
  ts.dispose([...out, r]);
  expect(liveTensors()).toBe(before);
  m.dispose();
});

it('a ragged array or a non-number names the model and the argument, and leaves no tensor behind', async () => {
  const m = classifier(6);
  const before = liveTensors();
  await expect(
    m.fit(
      [
        [1, 2, 3],
        [4, 5],
      ],
      [0, 1],
      { verbose: 0 },
    ),
  ).rejects.toThrow(/sequential\w*: x: ragged nested array: expected 3 elements at \[1\]/);
  await expect(m.fit(X, [0, 1, 'two', 1, 0] as never, { verbose: 0 })).rejects.toThrow(/y: expected numbers or booleans, got 'two'/);
  await expect(m.fit(X, Y, { sampleWeight: [1, [2]] as never, verbose: 0 })).rejects.toThrow(/sampleWeight: ragged nested array/);
  await expect(m.fit(X, Y, { validationData: [X, [[0], 1] as never], verbose: 0 })).rejects.toThrow(/validationData\[1\] \(y\): ragged nested array/);
  expect(() =>
    m.predict([
      [1, 2, 3],
      [1, 2],
    ]),
  ).toThrow(/x: ragged nested array/);
  // Rows of the wrong width reach the layer's own shape check.
  expect(() => m.predict([[1, 2]])).toThrow(/expected shape=\[null, 3\], found shape=\[1, 2\]/);
  expect(liveTensors()).toBe(before);
  m.dispose();
});

it('apply takes tensors only: plain arrays are refused with the way to make one', () => {
  const dense = ts.layers.dense({ units: 2 });
  expect(() => dense.apply([[1, 2]] as never)).toThrow(/dense\w*: apply takes tensors, got nested arrays of numbers; make one with ts.tensor/);
  const m = classifier(7);
  expect(() => m.apply(new Float32Array(3) as never)).toThrow(/sequential\w*: apply takes tensors, got a typed array/);
  m.dispose();
});
