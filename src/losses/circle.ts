// Keras 3's Circle loss (Sun et al. 2020) for metric learning: integer labels and
// L2-normalized embeddings; similar pairs are pulled together and dissimilar ones pushed
// apart, each pair weighted by how far it is from its optimum.
import { add, maximum, mul, sub } from '../ops/binary';
import { greater, where } from '../ops/compare';
import { matMul } from '../ops/matmul';
import { toTensor } from '../ops/convert';
import { logSumExp } from '../ops/softmax';
import { softplus } from '../ops/unary';
import { fromTypedArray, type TensorLike } from '../tensor/creation';
import { allocTypedArray } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { floatPrediction, shapeText } from './inputs';

/** Options of the Circle loss class. */
export interface CircleConfig {
  /** The scale of each similarity score (default 80). */
  gamma?: number;
  /** The relaxation margin: the optimum of positives is 1 - margin, of negatives margin (default 0.4). */
  margin?: number;
  /** Leaves each embedding's similarity to itself out of the positives (default true). */
  removeDiagonal?: boolean;
}

/** Options of circle. */
export interface CircleOptions extends CircleConfig {
  /** The labels of refEmbeddings (default: yTrue). */
  refLabels?: TensorLike;
  /** The embeddings compared against (default: yPred). */
  refEmbeddings?: TensorLike;
}

// A big finite stand-in for Keras's -inf outside the masks: the log-sum-exp of a row with
// no pairs is then finite, softplus of it 0, and the gradient 0 instead of NaN.
const NO_PAIR = -1e30;

function integerLabels(op: string, name: string, labels: TensorLike, count: number, what: string): ArrayLike<number> {
  const t = toTensor(op, name, labels);
  const flat = t.rank === 1 || (t.rank === 2 && t.shape[1] === 1);
  if (!flat || t.shape[0] !== count)
    throw new Error(`${op}: expected ${name} of shape [${count}] or [${count}, 1] (one label per ${what}), got ${shapeText(t.shape)}`);
  const values = t.dataSync();
  for (let i = 0; i < values.length; i++)
    if (!Number.isInteger(Number(values[i]))) throw new Error(`${op}: expected integer labels in ${name}, got ${values[i]} at index ${i}`);
  return values;
}

function embeddings(op: string, name: string, x: TensorLike): Tensor {
  const e = floatPrediction(op, x);
  if (e.rank !== 2) throw new Error(`${op}: expected ${name} of shape [batch, dims] (L2-normalized embeddings), got ${shapeText(e.shape)}`);
  return e;
}

/** @internal The per-sample circle losses and which count (loss > 0, Keras's mask). */
export function circleMasked(yTrue: TensorLike, yPred: TensorLike, options: CircleOptions): { values: Tensor; mask: Tensor } {
  const op = 'circle';
  options = checkOptions(op, options, 'losses.circle');
  const { gamma = 80, margin = 0.4, removeDiagonal = true } = options;
  for (const [name, v] of [
    ['gamma', gamma],
    ['margin', margin],
  ] as const)
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: expected ${name} to be a finite number, got ${describe(v)}`);
  if (typeof removeDiagonal !== 'boolean') throw new Error(`${op}: expected removeDiagonal to be true or false, got ${describe(removeDiagonal)}`);
  return tidy(() => {
    const x = embeddings(op, 'yPred', yPred);
    const ref = options.refEmbeddings === undefined ? x : embeddings(op, 'refEmbeddings', options.refEmbeddings);
    if (ref.shape[1] !== x.shape[1]) throw new Error(`${op}: refEmbeddings of shape ${shapeText(ref.shape)} do not have yPred's ${x.shape[1]} dimensions`);
    const [n, m] = [x.shape[0], ref.shape[0]];
    const labels = integerLabels(op, 'yTrue', yTrue, n, 'embedding of yPred');
    const refLabels = options.refLabels === undefined ? labels : integerLabels(op, 'refLabels', options.refLabels, m, 'embedding of refEmbeddings');
    const pos = allocTypedArray('bool', n * m);
    const neg = allocTypedArray('bool', n * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const same = Number(labels[i]) === Number(refLabels[j]);
        pos[i * m + j] = same && !(removeDiagonal && i === j) ? 1 : 0;
        neg[i * m + j] = same ? 0 : 1;
      }
    const posMask = fromTypedArray(pos, [n, m], 'bool', x.device);
    const negMask = fromTypedArray(neg, [n, m], 'bool', x.device);
    const distances = maximum(sub(1, matMul(x, ref, false, true)), 0);
    const posWeights = maximum(where(posMask, add(distances, margin), 0), 0);
    const negWeights = maximum(where(negMask, sub(1 + margin, distances), 0), 0);
    const posScores = mul(mul(posWeights, sub(margin, distances)), -gamma);
    const negScores = mul(mul(negWeights, sub(1 - margin, distances)), gamma);
    const pLoss = logSumExp(where(posMask, posScores, NO_PAIR), 1);
    const nLoss = logSumExp(where(negMask, negScores, NO_PAIR), 1);
    const values = softplus(add(pLoss, nLoss));
    return { values, mask: greater(values, 0) };
  });
}

/**
 * Circle loss per embedding: softplus(logsumexp of the scaled positive-pair scores +
 * logsumexp of the negative-pair scores), over cosine distances to refEmbeddings.
 * yTrue: integer labels [batch]; yPred: L2-normalized embeddings [batch, dims].
 */
export function circle(yTrue: TensorLike, yPred: TensorLike, options: CircleOptions = {}): Tensor {
  if (arguments.length > 3) throw tooManyArguments('circle', 3, arguments.length);
  return tidy(() => circleMasked(yTrue, yPred, options).values);
}
