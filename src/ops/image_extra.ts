// TensorFlow.js's tf.image functions that Tessera lacked: flipLeftRight, grayscaleToRGB and
// rgbToGrayscale (compositions, so they have gradients), and the non-max suppression family
// (greedy, with TensorFlow's soft-NMS score decay), which reads boxes and scores on the host.
import { tooManyArguments } from '../options/arity';
import { fromTypedArray, tensor, type TensorLike } from '../tensor/creation';
import { allocTypedArray, isFloatDType } from '../tensor/dtype';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { mul } from './binary';
import { cast } from './cast';
import { FLOAT_DTYPES, NUMERIC_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { sum } from './reduce';
import { reverse } from './reverse';
import { round } from './unary';
import { tile } from './tile';

// The image as a tensor, given to body inside tidy, errors named `op`.
function imageOp(op: string, image: TensorLike, body: (t: Tensor) => Tensor): Tensor {
  return asOp(op, () => tidy(() => body(toTensor(op, 'image', image))));
}

function shapeOf(t: Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

/** Images [batch, height, width, channels] mirrored left to right. */
export function flipLeftRight(image: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('image.flipLeftRight', 1, arguments.length);
  return imageOp('image.flipLeftRight', image, (t) => {
    if (t.rank !== 4) throw new Error(`image.flipLeftRight: expected images [batch, height, width, channels], got shape ${shapeOf(t)}`);
    return reverse(t, 2);
  });
}

/** An image [..., 1] as RGB [..., 3] (the grey value in each channel). */
export function grayscaleToRGB(image: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('image.grayscaleToRGB', 1, arguments.length);
  return imageOp('image.grayscaleToRGB', image, (t) => {
    if (t.rank < 2 || t.shape[t.rank - 1] !== 1) throw new Error(`image.grayscaleToRGB: expected an image [..., 1] of rank 2 or more, got shape ${shapeOf(t)}`);
    return tile(t, [...t.shape.slice(0, -1).map(() => 1), 3]);
  });
}

/**
 * An RGB image [..., 3] as greyscale [..., 1]: 0.2989 R + 0.5870 G + 0.1140 B (TensorFlow's
 * weights), rounded back to an integer dtype.
 */
export function rgbToGrayscale(image: TensorLike): Tensor {
  if (arguments.length > 1) throw tooManyArguments('image.rgbToGrayscale', 1, arguments.length);
  const op = 'image.rgbToGrayscale';
  return imageOp(op, image, (t) => {
    checkInputDType(op, 'image', t, NUMERIC_DTYPES);
    if (t.rank < 2 || t.shape[t.rank - 1] !== 3) throw new Error(`${op}: expected an RGB image [..., 3] of rank 2 or more, got shape ${shapeOf(t)}`);
    const float = isFloatDType(t.dtype) ? t : cast(t, 'float32');
    const grey = sum(mul(float, tensor([0.2989, 0.587, 0.114], [3], float.dtype)), -1, true);
    return isFloatDType(t.dtype) ? grey : cast(round(grey), t.dtype);
  });
}

// ---- non-max suppression --------------------------------------------------------------

interface Suppression {
  selected: number[];
  scores: number[];
}

function boxesAndScores(op: string, boxes: TensorLike, scores: TensorLike): [Float64Array, Float64Array] {
  return tidy(() => {
    const b = toTensor(op, 'boxes', boxes);
    const s = toTensor(op, 'scores', scores);
    checkInputDType(op, 'boxes', b, FLOAT_DTYPES);
    checkInputDType(op, 'scores', s, FLOAT_DTYPES);
    if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${op}: expected boxes [numBoxes, 4] (y1, x1, y2, x2), got shape [${b.shape.join(', ')}]`);
    if (s.rank !== 1 || s.shape[0] !== b.shape[0]) throw new Error(`${op}: expected scores [${b.shape[0]}] (one per box), got shape [${s.shape.join(', ')}]`);
    return [Float64Array.from(b.dataSync()), Float64Array.from(s.dataSync())];
  });
}

const INT32_MAX = 2 ** 31 - 1;

function checkSettings(op: string, maxOutputSize: unknown, iouThreshold: unknown, scoreThreshold: unknown, softNmsSigma: unknown): void {
  // An int32 scalar in TensorFlow; the padded form allocates that many indices.
  if (!Number.isInteger(maxOutputSize) || (maxOutputSize as number) < 0 || (maxOutputSize as number) > INT32_MAX)
    throw new Error(`${op}: expected maxOutputSize to be an integer in [0, ${INT32_MAX}], got ${describe(maxOutputSize)}`);
  if (typeof iouThreshold !== 'number' || !(iouThreshold >= 0 && iouThreshold <= 1))
    throw new Error(`${op}: expected iouThreshold in [0, 1], got ${describe(iouThreshold)}`);
  if (typeof scoreThreshold !== 'number' || Number.isNaN(scoreThreshold))
    throw new Error(`${op}: expected scoreThreshold to be a number, got ${describe(scoreThreshold)}`);
  if (typeof softNmsSigma !== 'number' || !(softNmsSigma >= 0)) throw new Error(`${op}: expected softNmsSigma >= 0, got ${describe(softNmsSigma)}`);
}

// Intersection over union of boxes i and j, whichever corners each gives first.
function iou(boxes: Float64Array, i: number, j: number): number {
  const [ay1, ax1, ay2, ax2] = [boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3]];
  const [by1, bx1, by2, bx2] = [boxes[4 * j], boxes[4 * j + 1], boxes[4 * j + 2], boxes[4 * j + 3]];
  const areaA = (Math.max(ay1, ay2) - Math.min(ay1, ay2)) * (Math.max(ax1, ax2) - Math.min(ax1, ax2));
  const areaB = (Math.max(by1, by2) - Math.min(by1, by2)) * (Math.max(bx1, bx2) - Math.min(bx1, bx2));
  if (areaA <= 0 || areaB <= 0) return 0;
  const h = Math.max(Math.min(Math.max(ay1, ay2), Math.max(by1, by2)) - Math.max(Math.min(ay1, ay2), Math.min(by1, by2)), 0);
  const w = Math.max(Math.min(Math.max(ax1, ax2), Math.max(bx1, bx2)) - Math.max(Math.min(ax1, ax2), Math.min(bx1, bx2)), 0);
  const inter = h * w;
  return inter / (areaA + areaB - inter);
}

// TensorFlow's greedy selection: take the best remaining candidate; a box overlapping a
// selected one by more than iouThreshold is dropped, and with softNmsSigma > 0 every overlap
// decays its score by exp(-iou^2 / (2 sigma)) and sends it back to the queue instead.
function suppress(
  boxes: Float64Array,
  scores: Float64Array,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
  softNmsSigma: number,
): Suppression {
  // A sigma so small that -0.5 / sigma is -Infinity decays any overlap to 0; no overlap
  // keeps its score (not -Infinity * 0 = NaN).
  const scale = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const decay = (overlap: number) => (overlap === 0 ? 1 : Math.exp(scale * overlap * overlap));
  const candidates: Array<{ score: number; index: number; checkedUpTo: number }> = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] > scoreThreshold) candidates.push({ score: scores[i], index: i, checkedUpTo: 0 });
  // Highest score first; on ties the lower index, as TensorFlow's stable order.
  const better = (a: { score: number; index: number }, b: { score: number; index: number }) => b.score - a.score || a.index - b.index;
  candidates.sort(better);
  const selected: number[] = [];
  const selectedScores: number[] = [];
  // The queue's head by index: shift() would make thousands of boxes quadratic.
  let head = 0;
  while (selected.length < maxOutputSize && head < candidates.length) {
    const c = candidates[head++];
    const original = c.score;
    if (original <= scoreThreshold) break;
    let ignore = false;
    for (let k = selected.length - 1; k >= c.checkedUpTo; k--) {
      const overlap = iou(boxes, c.index, selected[k]);
      if (overlap >= iouThreshold) {
        ignore = true;
        break;
      }
      if (scale !== 0) c.score *= decay(overlap);
      if (c.score <= scoreThreshold) break;
    }
    c.checkedUpTo = selected.length;
    if (ignore || c.score <= scoreThreshold) continue;
    if (c.score === original) {
      selected.push(c.index);
      selectedScores.push(c.score);
    } else if (c.score > scoreThreshold) {
      // Decayed: back into the queue at its new place. A NaN score (a NaN box) is dropped,
      // as TensorFlow does; requeued, it would never be selected nor leave.
      let at = head;
      while (at < candidates.length && !(better(c, candidates[at]) < 0)) at++;
      candidates.splice(at, 0, c);
    }
  }
  return { selected, scores: selectedScores };
}

function run(
  op: string,
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
  softNmsSigma: number,
): Suppression {
  checkSettings(op, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  const [b, s] = boxesAndScores(op, boxes, scores);
  return suppress(b, s, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
}

const indices = (list: number[]) => fromTypedArray(Int32Array.from(list), [list.length], 'int32');

/**
 * The indices (int32) of at most maxOutputSize boxes [y1, x1, y2, x2] in descending score,
 * dropping each box that overlaps a kept one by more than iouThreshold (intersection over union).
 */
export function nonMaxSuppression(boxes: TensorLike, scores: TensorLike, maxOutputSize: number, iouThreshold = 0.5, scoreThreshold = -Infinity): Tensor {
  if (arguments.length > 5) throw tooManyArguments('image.nonMaxSuppression', 5, arguments.length);
  return indices(run('image.nonMaxSuppression', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0).selected);
}

/** nonMaxSuppression, resolved as a Promise (TensorFlow.js's async form). */
export async function nonMaxSuppressionAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = -Infinity,
): Promise<Tensor> {
  if (arguments.length > 5) throw tooManyArguments('image.nonMaxSuppressionAsync', 5, arguments.length);
  return indices(run('image.nonMaxSuppressionAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0).selected);
}

/** nonMaxSuppression with soft-NMS (softNmsSigma > 0 decays overlapping scores), and the kept boxes' scores. */
export function nonMaxSuppressionWithScore(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = -Infinity,
  softNmsSigma = 0,
): { selectedIndices: Tensor; selectedScores: Tensor } {
  if (arguments.length > 6) throw tooManyArguments('image.nonMaxSuppressionWithScore', 6, arguments.length);
  const r = run('image.nonMaxSuppressionWithScore', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
  return { selectedIndices: indices(r.selected), selectedScores: fromTypedArray(Float32Array.from(r.scores), [r.scores.length], 'float32') };
}

/** nonMaxSuppressionWithScore, resolved as a Promise. */
export async function nonMaxSuppressionWithScoreAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = -Infinity,
  softNmsSigma = 0,
): Promise<{ selectedIndices: Tensor; selectedScores: Tensor }> {
  if (arguments.length > 6) throw tooManyArguments('image.nonMaxSuppressionWithScoreAsync', 6, arguments.length);
  return nonMaxSuppressionWithScore(boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, softNmsSigma);
}

// The padded forms: indices padded by zeros to maxOutputSize, and how many are real.
function padded(
  op: string,
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold: number,
  scoreThreshold: number,
  padToMaxOutputSize: boolean,
): { selectedIndices: Tensor; validOutputs: Tensor } {
  if (typeof padToMaxOutputSize !== 'boolean') throw new Error(`${op}: expected padToMaxOutputSize to be true or false, got ${describe(padToMaxOutputSize)}`);
  const { selected } = run(op, boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, 0);
  const validOutputs = fromTypedArray(Int32Array.of(selected.length), [], 'int32');
  if (!padToMaxOutputSize) return { selectedIndices: indices(selected), validOutputs };
  // Zeros after the selected: a refused allocation is a clear error, not a heap abort.
  const out = allocTypedArray('int32', maxOutputSize, op);
  out.set(selected);
  return { selectedIndices: fromTypedArray(out, [maxOutputSize], 'int32'), validOutputs };
}

/** nonMaxSuppression with the indices padded by zeros to maxOutputSize when padToMaxOutputSize, and how many are real. */
export function nonMaxSuppressionPadded(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = -Infinity,
  padToMaxOutputSize = false,
): { selectedIndices: Tensor; validOutputs: Tensor } {
  if (arguments.length > 6) throw tooManyArguments('image.nonMaxSuppressionPadded', 6, arguments.length);
  return padded('image.nonMaxSuppressionPadded', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, padToMaxOutputSize);
}

/** nonMaxSuppressionPadded, resolved as a Promise. */
export async function nonMaxSuppressionPaddedAsync(
  boxes: TensorLike,
  scores: TensorLike,
  maxOutputSize: number,
  iouThreshold = 0.5,
  scoreThreshold = -Infinity,
  padToMaxOutputSize = false,
): Promise<{ selectedIndices: Tensor; validOutputs: Tensor }> {
  if (arguments.length > 6) throw tooManyArguments('image.nonMaxSuppressionPaddedAsync', 6, arguments.length);
  return padded('image.nonMaxSuppressionPaddedAsync', boxes, scores, maxOutputSize, iouThreshold, scoreThreshold, padToMaxOutputSize);
}
