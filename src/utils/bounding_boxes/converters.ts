// keras.utils.bounding_boxes.convert_format: boxes from one format to another through
// xyxy, as Keras's BoundingBox.convert_format (same arithmetic, so the same roundings).
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { add, div, mul, sub } from '../../ops/binary';
import { cast, clone } from '../../ops/cast';
import type { TensorLike } from '../../tensor/creation';
import { checkDType, isFloatDType, type DType } from '../../tensor/dtype';
import { tidy } from '../../tensor/memory';
import { describe } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import { boxesTensor, checkFormat, coords, isBoxDict, isRelative, joinCoords, optionalSize, type BoundingBoxes, type BoxFormat } from './formats';

/** Options of convertFormat. */
export interface ConvertFormatOptions {
  /** Image height: needed when either format is relative ('rel_...'). */
  height?: number | null;
  /** Image width: needed when either format is relative ('rel_...'). */
  width?: number | null;
  /** The result's float dtype (default 'float32'). */
  dtype?: DType;
}

type Size = number | undefined;

// [x1, y1, x2, y2] of boxes in format f (h, w: the image size for relative formats).
function toXyxy(b: Tensor, f: BoxFormat, h: Size, w: Size): Tensor {
  if (f === 'xyxy') return b;
  const [p, q, r, s] = coords(b);
  switch (f) {
    case 'yxyx':
      return joinCoords(q, p, s, r);
    case 'xywh':
      return joinCoords(p, q, add(p, r), add(q, s));
    case 'center_xywh':
    case 'center_yxhw': {
      const [cx, cy, bw, bh] = f === 'center_xywh' ? [p, q, r, s] : [q, p, s, r];
      const hw = div(bw, 2),
        hh = div(bh, 2);
      return joinCoords(sub(cx, hw), sub(cy, hh), add(cx, hw), add(cy, hh));
    }
    case 'rel_xyxy':
      return joinCoords(mul(p, w!), mul(q, h!), mul(r, w!), mul(s, h!));
    case 'rel_yxyx':
      return joinCoords(mul(q, w!), mul(p, h!), mul(s, w!), mul(r, h!));
    case 'rel_xywh':
      return joinCoords(mul(p, w!), mul(q, h!), mul(add(p, r), w!), mul(add(q, s), h!));
    case 'rel_center_xywh': {
      const hw = div(r, 2),
        hh = div(s, 2);
      return joinCoords(mul(sub(p, hw), w!), mul(sub(q, hh), h!), mul(add(p, hw), w!), mul(add(q, hh), h!));
    }
  }
}

// Boxes [x1, y1, x2, y2] in format f.
function fromXyxy(b: Tensor, f: BoxFormat, h: Size, w: Size): Tensor {
  if (f === 'xyxy') return b;
  const [x1, y1, x2, y2] = coords(b);
  const bw = () => sub(x2, x1),
    bh = () => sub(y2, y1);
  // Keras: x1 + (x2 - x1) / 2, not (x1 + x2) / 2 (the float roundings differ).
  const cx = () => add(x1, div(bw(), 2)),
    cy = () => add(y1, div(bh(), 2));
  switch (f) {
    case 'yxyx':
      return joinCoords(y1, x1, y2, x2);
    case 'xywh':
      return joinCoords(x1, y1, bw(), bh());
    case 'center_xywh':
      return joinCoords(cx(), cy(), bw(), bh());
    case 'center_yxhw':
      return joinCoords(cy(), cx(), bh(), bw());
    case 'rel_xyxy':
      return joinCoords(div(x1, w!), div(y1, h!), div(x2, w!), div(y2, h!));
    case 'rel_yxyx':
      return joinCoords(div(y1, h!), div(x1, w!), div(y2, h!), div(x2, w!));
    case 'rel_xywh':
      return joinCoords(div(x1, w!), div(y1, h!), div(bw(), w!), div(bh(), h!));
    case 'rel_center_xywh':
      return joinCoords(div(cx(), w!), div(cy(), h!), div(bw(), w!), div(bh(), h!));
  }
}

/** @internal convertFormat on a tensor, options checked (shared with iou and deltas). */
export function convertBoxes(
  op: string,
  arg: string,
  boxes: TensorLike,
  source: unknown,
  target: unknown,
  height: Size,
  width: Size,
  dtype: DType = 'float32',
): Tensor {
  let s = checkFormat(op, 'source', source);
  let t = checkFormat(op, 'target', target);
  const created: Tensor[] = [];
  const b = boxesTensor(op, arg, boxes, created);
  if ((isRelative(s) || isRelative(t)) && (height === undefined || width === undefined)) {
    for (const c of created) c.dispose();
    throw new Error(
      `${op}: converting between '${s}' and '${t}' needs the image height and width (relative formats are fractions of them), got height ${describe(height)} and width ${describe(width)}`,
    );
  }
  const out = tidy(() => {
    const x = b.dtype === dtype ? b : cast(b, dtype);
    if (s === t) return x === b ? clone(b) : x;
    // Relative to relative: the image size cancels, as Keras (no scaling at all).
    if (isRelative(s) && isRelative(t)) {
      s = s.slice(4) as BoxFormat;
      t = t.slice(4) as BoxFormat;
    }
    return fromXyxy(toXyxy(x, s, height, width), t, height, width);
  });
  for (const c of created) c.dispose();
  return out;
}

/**
 * Boxes converted from format `source` to `target` (keras.utils.bounding_boxes.convert_format):
 * a tensor [..., 4], or {boxes, labels} whose boxes are converted (a new object, labels kept).
 * Relative formats ('rel_...') need the image height and width.
 * @example utils.boundingBoxes.convertFormat(boxes, 'xyxy', 'rel_xywh', { height: 200, width: 300 })
 */
export function convertFormat(boxes: TensorLike, source: BoxFormat, target: BoxFormat, options?: ConvertFormatOptions | null): Tensor;
export function convertFormat(boxes: BoundingBoxes, source: BoxFormat, target: BoxFormat, options?: ConvertFormatOptions | null): BoundingBoxes;
export function convertFormat(
  boxes: TensorLike | BoundingBoxes,
  source: BoxFormat,
  target: BoxFormat,
  options?: ConvertFormatOptions | null,
): Tensor | BoundingBoxes {
  if (arguments.length > 4) throw tooManyArguments('utils.boundingBoxes.convertFormat', 4, arguments.length);
  const op = 'utils.boundingBoxes.convertFormat';
  const { height, width, dtype = 'float32' } = checkOptions(op, options, op);
  checkDType(op, dtype);
  if (!isFloatDType(dtype)) throw new Error(`${op}: expected dtype to be a float dtype, got ${describe(dtype)}`);
  const h = optionalSize(op, 'height', height),
    w = optionalSize(op, 'width', width);
  if (isBoxDict(boxes)) {
    if (!('boxes' in boxes))
      throw new Error(`${op}: expected a tensor of boxes or a {boxes, labels} object, got an object with keys [${Object.keys(boxes).join(', ')}]`);
    return { ...boxes, boxes: convertBoxes(op, 'boxes.boxes', boxes.boxes, source, target, h, w, dtype) };
  }
  return convertBoxes(op, 'boxes', boxes, source, target, h, w, dtype);
}
