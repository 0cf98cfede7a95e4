// keras.utils.bounding_boxes.compute_iou (pairwise IoU table) and compute_ciou
// (elementwise Complete IoU), with Keras's epsilons in the same places.
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { add, div, maximum, minimum, mul, pow, sub } from '../../ops/binary';
import { less, where } from '../../ops/compare';
import { max } from '../../ops/reduce';
import { squeeze } from '../../ops/reshape';
import { transpose } from '../../ops/transpose';
import { atan } from '../../ops/unary';
import { epsilon } from '../../config/settings';
import type { TensorLike } from '../../tensor/creation';
import { tidy } from '../../tensor/memory';
import { broadcastShapes, describe } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import { convertBoxes } from './converters';
import { boxesTensor, checkFormat, coords, imageSize, isRelative, type BoxFormat } from './formats';

/** Options of computeIou. */
export interface ComputeIouOptions {
  /** Give pairs where either box is padding (all 4 coordinates negative) the value maskVal; default false. */
  useMasking?: boolean;
  /** The IoU of masked pairs (default -1). */
  maskVal?: number;
  /** [height, width, channels] of the image: needed for relative formats. */
  imageShape?: number[] | null;
}

/** Options of computeCiou. */
export interface ComputeCiouOptions {
  /** [height, width, channels] of the image: needed for relative formats. */
  imageShape?: number[] | null;
}

// Last two axes swapped: [..., M, 1] -> [..., 1, M].
const rowOf = (t: Tensor): Tensor => transpose(t, t.rank === 2 ? [1, 0] : [0, 2, 1]);

/**
 * The IoU of every box of boxes1 with every box of boxes2 (keras.utils.bounding_boxes.compute_iou):
 * [M, 4] and [N, 4] give [M, N]; either one batched [batch, ..., 4] gives [batch, M, N].
 * @example utils.boundingBoxes.computeIou(predicted, groundTruth, 'xyxy')
 */
export function computeIou(boxes1: TensorLike, boxes2: TensorLike, boundingBoxFormat: BoxFormat, options?: ComputeIouOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('utils.boundingBoxes.computeIou', 4, arguments.length);
  const op = 'utils.boundingBoxes.computeIou';
  const { useMasking = false, maskVal = -1, imageShape } = checkOptions(op, options, op);
  const format = checkFormat(op, 'boundingBoxFormat', boundingBoxFormat);
  if (typeof useMasking !== 'boolean') throw new Error(`${op}: expected useMasking to be a boolean, got ${describe(useMasking)}`);
  if (typeof maskVal !== 'number' || !Number.isFinite(maskVal)) throw new Error(`${op}: expected maskVal to be a finite number, got ${describe(maskVal)}`);
  const size = imageSize(op, imageShape);
  if (isRelative(format) && size === undefined) throw new Error(`${op}: the relative format '${format}' needs imageShape [height, width, channels]`);
  const created: Tensor[] = [];
  try {
    const t1 = boxesTensor(op, 'boxes1', boxes1, created, [2, 3]);
    const t2 = boxesTensor(op, 'boxes2', boxes2, created, [2, 3]);
    if (t1.rank === 3 && t2.rank === 3 && t1.shape[0] !== t2.shape[0] && t1.shape[0] !== 1 && t2.shape[0] !== 1)
      throw new Error(`${op}: expected boxes1 and boxes2 to have the same batch size, got shapes [${t1.shape.join(', ')}] and [${t2.shape.join(', ')}]`);
    return tidy(() => {
      // Keras computes in yxyx.
      const a = convertBoxes(op, 'boxes1', t1, format, 'yxyx', size?.[0], size?.[1]);
      const b = convertBoxes(op, 'boxes2', t2, format, 'yxyx', size?.[0], size?.[1]);
      const [ay1, ax1, ay2, ax2] = coords(a);
      const [by1, bx1, by2, bx2] = coords(b).map(rowOf);
      const ih = maximum(sub(minimum(ay2, by2), maximum(ay1, by1)), 0);
      const iw = maximum(sub(minimum(ax2, bx2), maximum(ax1, bx1)), 0);
      const inter = mul(ih, iw);
      const areaA = mul(sub(ay2, ay1), sub(ax2, ax1)); // [..., M, 1]
      const areaB = mul(sub(by2, by1), sub(bx2, bx1)); // [..., 1, N]
      const iou = div(inter, add(sub(add(areaA, areaB), inter), epsilon()));
      if (!useMasking) return iou;
      const padA = less(max(a, -1, true), 0);
      const padB = rowOf(less(max(b, -1, true), 0));
      return where(padA, maskVal, where(padB, maskVal, iou));
    });
  } finally {
    for (const c of created) c.dispose();
  }
}

/**
 * The Complete IoU of boxes1 and boxes2 box by box (keras.utils.bounding_boxes.compute_ciou):
 * IoU less the normalized centre distance and an aspect-ratio term; shapes [..., 4]
 * that broadcast give [...]. Relative formats need imageShape (Keras 3.15 refuses them always).
 * @example utils.boundingBoxes.computeCiou(predicted, target, 'xyxy')
 */
export function computeCiou(boxes1: TensorLike, boxes2: TensorLike, boundingBoxFormat: BoxFormat, options?: ComputeCiouOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('utils.boundingBoxes.computeCiou', 4, arguments.length);
  const op = 'utils.boundingBoxes.computeCiou';
  const { imageShape } = checkOptions(op, options, op);
  const format = checkFormat(op, 'boundingBoxFormat', boundingBoxFormat);
  const size = imageSize(op, imageShape);
  if (isRelative(format) && size === undefined) throw new Error(`${op}: the relative format '${format}' needs imageShape [height, width, channels]`);
  const created: Tensor[] = [];
  try {
    const t1 = boxesTensor(op, 'boxes1', boxes1, created);
    const t2 = boxesTensor(op, 'boxes2', boxes2, created);
    broadcastShapes(`${op}: boxes1 and boxes2 are compared box by box`, t1.shape, t2.shape);
    return tidy(() => {
      const eps = epsilon();
      const [ax1, ay1, ax2, ay2] = coords(convertBoxes(op, 'boxes1', t1, format, 'xyxy', size?.[0], size?.[1]));
      const [bx1, by1, bx2, by2] = coords(convertBoxes(op, 'boxes2', t2, format, 'xyxy', size?.[0], size?.[1]));
      const w1 = sub(ax2, ax1),
        h1 = add(sub(ay2, ay1), eps);
      const w2 = sub(bx2, bx1),
        h2 = add(sub(by2, by1), eps);
      const inter = mul(maximum(sub(minimum(ax2, bx2), maximum(ax1, bx1)), 0), maximum(sub(minimum(ay2, by2), maximum(ay1, by1)), 0));
      const union = add(sub(add(mul(w1, h1), mul(w2, h2)), inter), eps);
      const iou = squeeze(div(inter, add(union, eps)), -1);
      const cw = sub(maximum(ax2, bx2), minimum(ax1, bx1));
      const ch = sub(maximum(ay2, by2), minimum(ay1, by1));
      const diagonal = squeeze(add(add(pow(cw, 2), pow(ch, 2)), eps), -1);
      const dx = sub(div(add(ax1, ax2), 2), div(add(bx1, bx2), 2));
      const dy = sub(div(add(ay1, ay2), 2), div(add(by1, by2), 2));
      const centres = squeeze(add(pow(dx, 2), pow(dy, 2)), -1);
      const v = squeeze(mul(4 / Math.PI ** 2, pow(sub(atan(div(w2, h2)), atan(div(w1, h1))), 2)), -1);
      const alpha = div(v, add(sub(v, iou), 1 + eps));
      return sub(iou, add(div(centres, diagonal), mul(v, alpha)));
    });
  } finally {
    for (const c of created) c.dispose();
  }
}
