// Confusion counts at thresholds, accumulated in JS: Keras 3's
// update_confusion_matrix_variables (a prediction is positive when it is strictly above
// the threshold), in O(n log T) by bucketing each prediction among sorted thresholds.
import { reshape } from '../ops/reshape';
import { broadcastTo } from '../ops/tile';
import { toTensor } from '../ops/convert';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { alignRanks, shapeText } from '../losses/inputs';
import type { TypedArray } from '../tensor/dtype';
import { describe, shapesEqual } from '../tensor/shape';

/** Keras's stand-in for -infinity: what top-k filtering gives the predictions it drops. */
export const NEG_INF = -1e10;

/** Labels, predictions and weights of a batch as flat JS arrays of one length. */
export interface FlatBatch {
  labels: TypedArray;
  predictions: TypedArray;
  weights: TypedArray | null;
  /** The size of the last axis (classes), for topK and classId. */
  lastDim: number;
}

/**
 * Reads a batch: ranks aligned, shapes checked, sample weights broadcast to yPred's shape
 * (a per-sample weight [batch] weights every class of its sample).
 */
export function readBatch(op: string, yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): FlatBatch {
  return tidy(() => {
    const [p, t] = alignRanks(toTensor(op, 'yPred', yPred), toTensor(op, 'yTrue', yTrue));
    if (!shapesEqual(t.shape, p.shape)) throw new Error(`${op}: yTrue of shape ${shapeText(t.shape)} does not match yPred of shape ${shapeText(p.shape)}`);
    let weights: TypedArray | null = null;
    if (sampleWeight !== undefined && sampleWeight !== null) {
      let w = toTensor(op, 'sampleWeight', sampleWeight, 'float32');
      w = reshape(w, [...w.shape, 1]);
      [, w] = alignRanks(t, w, false);
      if (w.rank > p.rank) w = reshape(w, w.shape.slice(0, p.rank));
      weights = broadcastTo(w, [...p.shape]).dataSync();
    }
    return { labels: t.dataSync(), predictions: p.dataSync(), weights, lastDim: p.rank === 0 ? 1 : p.shape[p.rank - 1] };
  });
}

/** The batch with all but the k highest predictions of each row set to NEG_INF (ties: lower index first). */
export function keepTopK(batch: FlatBatch, k: number): FlatBatch {
  const { predictions, lastDim } = batch;
  const out = new Float64Array(predictions.length).fill(NEG_INF);
  for (let row = 0; row < predictions.length; row += lastDim) {
    const order = Array.from({ length: lastDim }, (_, j) => j).sort((a, b) => predictions[row + b] - predictions[row + a] || a - b);
    for (const j of order.slice(0, k)) out[row + j] = predictions[row + j];
  }
  return { ...batch, predictions: out };
}

/** Only the column `classId` of the last axis. */
export function selectClass(op: string, batch: FlatBatch, classId: number): FlatBatch {
  const { lastDim } = batch;
  if (!Number.isInteger(classId) || classId < 0 || classId >= lastDim) throw new Error(`${op}: classId ${classId} is not in [0, ${lastDim})`);
  const pick = (a: TypedArray) => Float64Array.from({ length: a.length / lastDim }, (_, i) => a[i * lastDim + classId]);
  return { labels: pick(batch.labels), predictions: pick(batch.predictions), weights: batch.weights && pick(batch.weights), lastDim: 1 };
}

/** True positives, false positives, true negatives and false negatives per threshold. */
export interface ConfusionCounts {
  tp: Float64Array;
  fp: Float64Array;
  tn: Float64Array;
  fn: Float64Array;
}

/** Zeroed counts for `n` thresholds. */
export function emptyCounts(n: number): ConfusionCounts {
  return { tp: new Float64Array(n), fp: new Float64Array(n), tn: new Float64Array(n), fn: new Float64Array(n) };
}

/**
 * Adds the batch's weighted counts at each threshold (label: non-zero is positive;
 * prediction: positive when > threshold) to `counts`; `clip` limits predictions to [0, 1].
 */
export function accumulateCounts(counts: ConfusionCounts, batch: FlatBatch, thresholds: readonly number[], clip = false): void {
  const n = thresholds.length;
  const order = thresholds.map((_, i) => i).sort((a, b) => thresholds[a] - thresholds[b]);
  const sorted = order.map((i) => thresholds[i]);
  // hist[k]: weight of predictions above exactly the k lowest thresholds.
  const posHist = new Float64Array(n + 1);
  const negHist = new Float64Array(n + 1);
  const { labels, predictions, weights } = batch;
  for (let i = 0; i < predictions.length; i++) {
    const w = weights === null ? 1 : weights[i];
    const p = clip ? Math.min(Math.max(predictions[i], 0), 1) : predictions[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < p) lo = mid + 1;
      else hi = mid;
    }
    (labels[i] !== 0 ? posHist : negHist)[lo] += w;
  }
  let pos = 0;
  let neg = 0;
  for (let k = 0; k <= n; k++) {
    pos += posHist[k];
    neg += negHist[k];
  }
  // Above the j-th lowest threshold: every bucket k > j.
  let tpAbove = 0;
  let fpAbove = 0;
  for (let j = n - 1; j >= 0; j--) {
    tpAbove += posHist[j + 1];
    fpAbove += negHist[j + 1];
    const i = order[j];
    counts.tp[i] += tpAbove;
    counts.fp[i] += fpAbove;
    counts.fn[i] += pos - tpAbove;
    counts.tn[i] += neg - fpAbove;
  }
}

/**
 * Keras's parse_init_thresholds: one threshold or a list, each in [0, 1]; the default
 * when none is given.
 */
export function parseThresholds(op: string, thresholds: unknown, defaultThreshold: number): number[] {
  if (thresholds === undefined || thresholds === null) return [defaultThreshold];
  const list = Array.isArray(thresholds) ? thresholds : [thresholds];
  if (list.length === 0) throw new Error(`${op}: expected at least one threshold, got []`);
  for (const t of list) {
    if (typeof t !== 'number' || !(t >= 0 && t <= 1)) throw new Error(`${op}: expected thresholds in [0, 1], got ${describe(t)}`);
  }
  return list as number[];
}

/**
 * Keras's is_evenly_distributed_thresholds: 0, 1/(n-1), ..., 1 (n >= 3). Keras counts
 * those by bucketing, which clips predictions to [0, 1] first.
 */
export function evenlyDistributed(thresholds: readonly number[]): boolean {
  const n = thresholds.length;
  if (n < 3) return false;
  return thresholds.every((t, i) => Math.abs(t - i / (n - 1)) <= 1e-8 + 1e-5 * (i / (n - 1)));
}
