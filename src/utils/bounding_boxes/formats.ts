// The box formats of keras.utils.bounding_boxes and the checks every function shares:
// a known format name, boxes with a last dimension of 4, image sizes as positive numbers.
import { toTensor } from '../../ops/convert';
import { concat } from '../../ops/concat';
import { split } from '../../ops/slice';
import type { TensorLike } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';

/** Keras 3's bounding-box formats (keras.utils.bounding_boxes.convert_format). */
export const BOX_FORMATS = ['xyxy', 'yxyx', 'xywh', 'center_xywh', 'center_yxhw', 'rel_xyxy', 'rel_yxyx', 'rel_xywh', 'rel_center_xywh'] as const;

/**
 * A bounding-box format: 'xyxy' [left, top, right, bottom], 'yxyx' [top, left, bottom,
 * right], 'xywh' [left, top, width, height], 'center_xywh' [centerX, centerY, width,
 * height], 'center_yxhw' [centerY, centerX, height, width], and 'rel_' versions of the
 * first four corner/size formats with coordinates divided by the image width and height.
 */
export type BoxFormat = (typeof BOX_FORMATS)[number];

/** Boxes with their class labels, as Keras's bounding-box dicts ({boxes, labels}). */
export interface BoundingBoxes {
  /** The boxes, [..., 4]. */
  boxes: Tensor;
  /** One label per box (the boxes' shape without its last dimension). */
  labels?: Tensor;
}

/** The format `f` names, lower-cased as Keras does; an error naming `op` otherwise. */
export function checkFormat(op: string, what: string, f: unknown): BoxFormat {
  const lower = typeof f === 'string' ? f.toLowerCase() : f;
  if (typeof lower !== 'string' || !(BOX_FORMATS as readonly string[]).includes(lower)) {
    throw new Error(`${op}: expected ${what} to be one of ${BOX_FORMATS.map((n) => `'${n}'`).join(', ')}, got ${describe(f)}`);
  }
  return lower as BoxFormat;
}

/** Whether a format's coordinates are fractions of the image size. */
export const isRelative = (f: BoxFormat): boolean => f.startsWith('rel_');

/** `x` as a tensor of boxes: last dimension 4 (and rank in `ranks` when given). */
export function boxesTensor(op: string, arg: string, x: TensorLike, created: Tensor[], ranks?: readonly number[]): Tensor {
  const t = toTensor(op, arg, x);
  let problem: string | undefined;
  if (t.rank === 0 || t.shape[t.rank - 1] !== 4) problem = `to have a last dimension of 4`;
  else if (ranks !== undefined && !ranks.includes(t.rank)) problem = 'to be unbatched [boxes, 4] or batched [batch, boxes, 4]';
  if (problem !== undefined) {
    const shape = t.shape.join(', ');
    if (t !== x) t.dispose(); // made here from an array
    throw new Error(`${op}: expected ${arg} ${problem}, got shape [${shape}]`);
  }
  if (t !== x) created.push(t);
  return t;
}

/** `v` as an image size (a positive finite number), or undefined when not given. */
export function optionalSize(op: string, what: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new Error(`${op}: expected ${what} to be a positive number, got ${describe(v)}`);
  return v;
}

/** `v` as a finite number (an offset). */
export function finiteNumber(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${op}: expected ${what} to be a finite number, got ${describe(v)}`);
  return v;
}

/** [height, width] of Keras's image_shape (height, width, channels), or undefined. */
export function imageSize(op: string, v: unknown): [number, number] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length !== 3) throw new Error(`${op}: expected imageShape to be [height, width, channels], got ${describe(v)}`);
  const ok = (x: unknown, integer: boolean) => typeof x === 'number' && Number.isFinite(x) && x > 0 && (!integer || Number.isInteger(x));
  if (!ok(v[0], false) || !ok(v[1], false) || !ok(v[2], true)) {
    throw new Error(`${op}: expected imageShape to be [height, width, channels] (positive numbers, channels an integer), got ${describe(v)}`);
  }
  return [v[0] as number, v[1] as number];
}

/** The four coordinates of boxes [..., 4], each [..., 1]. */
export const coords = (boxes: Tensor): [Tensor, Tensor, Tensor, Tensor] => split(boxes, 4, -1) as [Tensor, Tensor, Tensor, Tensor];

/** Four [..., 1] coordinates joined back into boxes [..., 4]. */
export const joinCoords = (a: Tensor, b: Tensor, c: Tensor, d: Tensor): Tensor => concat([a, b, c, d], -1);

/** Whether `x` is a {boxes, labels} object (not a tensor or an array). */
export function isBoxDict(x: unknown): x is BoundingBoxes {
  return x !== null && typeof x === 'object' && !(x instanceof Tensor) && !Array.isArray(x) && !ArrayBuffer.isView(x);
}
