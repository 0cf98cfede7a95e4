// TensorFlow.js's tf.losses functions (weighted, reduced) against TensorFlow.js itself (the
// devDependency, its cpu backend) on the same inputs: every function, every reduction,
// without weights and with a scalar, a per-sample and a full weight tensor (some zero).
import * as tf from '@tensorflow/tfjs';
import * as ts from '../../src';

tf.setBackend('cpu');

let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const values = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * random());

const [B, C] = [5, 3];
const labels01 = values(B * C, 0, 1).map((v) => (v > 0.5 ? 1 : 0));
const probs = values(B * C, 0.05, 0.95);
const reals = values(B * C, -2, 2);
const reals2 = values(B * C, -2, 2);
const oneHot = Array.from({ length: B }, (_, i) => Array.from({ length: C }, (_, j) => (j === i % C ? 1 : 0))).flat();
const unit = (v: number[]) => {
  const rows = [];
  for (let i = 0; i < B; i++) {
    const r = v.slice(i * C, (i + 1) * C);
    const n = Math.hypot(...r);
    rows.push(...r.map((x) => x / n));
  }
  return rows;
};

// Per loss: its arguments before the weights and after them (as TF.js orders them), and
// the losses' shape (softmaxCrossEntropy and cosineDistance reduce the class axis).
type Case = { name: string; a: number[]; b: number[]; lossShape: number[]; before?: unknown[]; after?: unknown[] };
const cases: Case[] = [
  { name: 'absoluteDifference', a: reals, b: reals2, lossShape: [B, C] },
  { name: 'hingeLoss', a: labels01, b: reals, lossShape: [B, C] },
  { name: 'huberLoss', a: reals, b: reals2, lossShape: [B, C], after: [0.7] },
  { name: 'logLoss', a: labels01, b: probs, lossShape: [B, C], after: [1e-6] },
  { name: 'sigmoidCrossEntropy', a: labels01, b: reals, lossShape: [B, C], after: [0.1] },
  { name: 'softmaxCrossEntropy', a: oneHot, b: reals, lossShape: [B], after: [0.2] },
  { name: 'cosineDistance', a: unit(reals), b: unit(reals2), lossShape: [B, 1], before: [1] },
];

const weightsFor = (shape: number[]) => ({
  none: null,
  scalar: [2.5],
  'per sample (one zero)': shape.length === 1 ? [1, 0, 2, 0.5, 1] : [1, 0, 2, 0.5, 1].map((w) => [w]),
  full: shape.length === 1 ? [0, 1, 2, 3, 4] : Array.from({ length: B }, (_, i) => Array.from({ length: shape[1] }, (_, j) => (i + j) % 3)),
});

const reductions = ['NONE', 'MEAN', 'SUM', 'SUM_BY_NONZERO_WEIGHTS'] as const;

describe.each(cases)('losses.$name', ({ name, a, b, lossShape, before = [], after = [] }) => {
  const table = Object.entries(weightsFor(lossShape)).flatMap(([w, weights]) => reductions.map((r) => [w, r, weights] as const));
  it.each(table)('weights %s, Reduction.%s: as TensorFlow.js', (_, reduction, weights) => {
    const theirs = (tf.losses as unknown as Record<string, (...args: unknown[]) => tf.Tensor>)[name];
    const ours = (ts.losses as unknown as Record<string, (...args: unknown[]) => ts.Tensor>)[name];
    const tfW =
      weights === null ? undefined : Array.isArray(weights) && weights.length === 1 ? tf.scalar(weights[0] as number) : tf.tensor(weights as number[]);
    const tsW =
      weights === null ? undefined : Array.isArray(weights) && weights.length === 1 ? ts.scalar(weights[0] as number) : ts.tensor(weights as number[]);
    const expected = theirs(tf.tensor(a, [B, C]), tf.tensor(b, [B, C]), ...before, tfW, ...after, tf.Reduction[reduction]);
    const got = ours(ts.tensor(a, [B, C]), ts.tensor(b, [B, C]), ...before, tsW, ...after, ts.Reduction[reduction]);
    expect(got.shape).toEqual(expected.shape);
    const e = Array.from(expected.dataSync());
    Array.from(got.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(e[i], 5));
  });
});

it('computeWeightedLoss as TensorFlow.js, and the default reduction (SUM_BY_NONZERO_WEIGHTS)', () => {
  const losses = [
    [1, 2],
    [3, 4],
  ];
  const w = [[0], [2]];
  for (const r of reductions) {
    const e = tf.losses.computeWeightedLoss(tf.tensor(losses), tf.tensor(w), tf.Reduction[r]).dataSync();
    expect(Array.from(ts.losses.computeWeightedLoss(losses, w, ts.Reduction[r]).dataSync())).toEqual(Array.from(e));
  }
  expect(ts.losses.computeWeightedLoss(losses, w).dataSync()[0]).toBeCloseTo((3 * 2 + 4 * 2) / 2);
  expect(ts.losses.absoluteDifference([1, 2], [2, 4]).dataSync()[0]).toBeCloseTo(1.5);
});

it('says what is wrong: reductions, shapes, weights, options', () => {
  expect(() => ts.losses.absoluteDifference([1, 2], [1, 2], null, 'sum' as never)).toThrow(
    /absoluteDifference: expected reduction to be one of Reduction.NONE, MEAN, SUM, SUM_BY_NONZERO_WEIGHTS \(0 to 3\), got 'sum' \(a string\); Keras's reduction names are the Loss classes'/,
  );
  expect(() => ts.losses.hingeLoss([1, 0], [1, 0, 1])).toThrow(/hingeLoss: labels of shape \[2\] does not match predictions of shape \[3\]/);
  expect(() => ts.losses.logLoss([[1, 0]], [[0.5, 0.5]], [1, 2, 3])).toThrow(/logLoss: expected weights of rank 0 or 2/);
  expect(() => ts.losses.logLoss([[1, 0]], [[0.5, 0.5]], [[1, 2, 3]])).toThrow(/logLoss: weights of shape \[1, 3\] do not broadcast to the losses' \[1, 2\]/);
  expect(() => ts.losses.huberLoss([1], [2], null, -1)).toThrow(/huberLoss: expected delta to be positive, got -1/);
  expect(() => ts.losses.softmaxCrossEntropy([[1, 0]], [[1, 2]], null, 2)).toThrow(/softmaxCrossEntropy: expected labelSmoothing in \[0, 1\], got 2/);
  expect(() => ts.losses.softmaxCrossEntropy([[1, 0]], [[1, 2]], null, 0, ts.Reduction.MEAN)).not.toThrow();
});

it('gradients flow to the logits (a TensorFlow.js custom loop)', () => {
  const logits = ts.tensor([[1, 2, 0.5]]);
  const g = ts.grad((x: ts.Tensor) => ts.losses.softmaxCrossEntropy([[0, 1, 0]], x))(logits);
  const tg = tf.grad((x: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.tensor([[0, 1, 0]]), x))(tf.tensor([[1, 2, 0.5]]));
  Array.from(g.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(tg.dataSync()[i], 5));
});
