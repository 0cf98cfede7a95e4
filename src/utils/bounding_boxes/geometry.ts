// keras.utils.bounding_boxes.clip_to_image_size, crop and pad: boxes kept inside an image,
// moved into a crop of it, or moved by padding added at its top and left.
import { tooManyArguments } from '../../options/arity';
import { checkOptions } from '../../options/check';
import { add, mul, sub } from '../../ops/binary';
import { clipByValue } from '../../ops/clip';
import { greater, where } from '../../ops/compare';
import { squeeze } from '../../ops/reshape';
import { toTensor } from '../../ops/convert';
import type { TensorLike } from '../../tensor/creation';
import { tidy } from '../../tensor/memory';
import { describe } from '../../tensor/shape';
import type { Tensor } from '../../tensor/tensor';
import { boxesTensor, checkFormat, coords, finiteNumber, isBoxDict, joinCoords, optionalSize, type BoundingBoxes, type BoxFormat } from './formats';

/** Options of clipToImageSize. */
export interface ClipToImageSizeOptions {
  /** Image height (needed for 'xyxy'). */
  height?: number | null;
  /** Image width (needed for 'xyxy'). */
  width?: number | null;
  /** 'xyxy' (default) or 'rel_xyxy', the formats Keras 3.15 clips. */
  boundingBoxFormat?: BoxFormat;
}

/** Options of crop and pad. */
export interface BoxGeometryOptions {
  /** 'xyxy', the only format Keras 3.15 crops and pads (the default). */
  boundingBoxFormat?: BoxFormat;
}

// Keras's crop and pad take 'xyxy' only (NotImplementedError for others).
function checkXyxyOptions(op: string, options: BoxGeometryOptions | null | undefined): void {
  const { boundingBoxFormat = 'xyxy' } = checkOptions(op, options, op);
  const format = checkFormat(op, 'boundingBoxFormat', boundingBoxFormat);
  if (format !== 'xyxy')
    throw new Error(`${op}: only 'xyxy' boxes are supported (as Keras 3.15), got '${format}'; convert them with utils.boundingBoxes.convertFormat first`);
}

// crop's and pad's moves: 'xyxy' boxes with mapX applied to their x coordinates and mapY to their y.
function mapXyxy(op: string, boxes: TensorLike, mapX: (x: Tensor) => Tensor, mapY: (y: Tensor) => Tensor): Tensor {
  const created: Tensor[] = [];
  try {
    const b = boxesTensor(op, 'boxes', boxes, created);
    return tidy(() => {
      const [x1, y1, x2, y2] = coords(b);
      return joinCoords(mapX(x1), mapY(y1), mapX(x2), mapY(y2));
    });
  } finally {
    for (const c of created) c.dispose();
  }
}

/**
 * {boxes, labels} with the boxes clipped to the image (keras.utils.bounding_boxes.clip_to_image_size):
 * 'xyxy' to [0, width] x [0, height], 'rel_xyxy' to [0, 1]; a box left with no area gets label -1.
 * @example utils.boundingBoxes.clipToImageSize({ boxes, labels }, { height: 100, width: 120 })
 */
export function clipToImageSize(boundingBoxes: BoundingBoxes, options?: ClipToImageSizeOptions | null): BoundingBoxes {
  if (arguments.length > 2) throw tooManyArguments('utils.boundingBoxes.clipToImageSize', 2, arguments.length);
  const op = 'utils.boundingBoxes.clipToImageSize';
  const { height, width, boundingBoxFormat = 'xyxy' } = checkOptions(op, options, op);
  const format = checkFormat(op, 'boundingBoxFormat', boundingBoxFormat);
  if (format !== 'xyxy' && format !== 'rel_xyxy')
    throw new Error(
      `${op}: only 'xyxy' and 'rel_xyxy' boxes are clipped (as Keras 3.15), got '${format}'; convert them with utils.boundingBoxes.convertFormat first`,
    );
  if (!isBoxDict(boundingBoxes) || !('boxes' in boundingBoxes)) throw new Error(`${op}: expected a {boxes, labels} object, got ${describe(boundingBoxes)}`);
  const h = optionalSize(op, 'height', height),
    w = optionalSize(op, 'width', width);
  if (format === 'xyxy' && (h === undefined || w === undefined))
    throw new Error(`${op}: 'xyxy' boxes need the image height and width, got height ${describe(height)} and width ${describe(width)}`);
  const created: Tensor[] = [];
  try {
    const boxes = boxesTensor(op, 'boundingBoxes.boxes', boundingBoxes.boxes, created);
    const given = boundingBoxes.labels;
    const labels = given === undefined || given === null ? undefined : toTensor(op, 'boundingBoxes.labels', given, undefined, created);
    if (labels !== undefined && labels.shape.join() !== boxes.shape.slice(0, -1).join()) {
      throw new Error(
        `${op}: expected boundingBoxes.labels of shape [${boxes.shape.slice(0, -1).join(', ')}] (one per box), got shape [${labels.shape.join(', ')}]`,
      );
    }
    const [maxX, maxY] = format === 'xyxy' ? [w!, h!] : [1, 1];
    return tidy(() => {
      const [x1, y1, x2, y2] = coords(boxes);
      const cx1 = clipByValue(x1, 0, maxX),
        cy1 = clipByValue(y1, 0, maxY);
      const cx2 = clipByValue(x2, 0, maxX),
        cy2 = clipByValue(y2, 0, maxY);
      const out: BoundingBoxes = { ...boundingBoxes, boxes: joinCoords(cx1, cy1, cx2, cy2) };
      if (labels !== undefined) out.labels = where(greater(squeeze(mul(sub(cx2, cx1), sub(cy2, cy1)), -1), 0), labels, -1);
      return out;
    });
  } finally {
    for (const c of created) c.dispose();
  }
}

/**
 * 'xyxy' boxes moved into the crop of the image at (top, left) of size height x width
 * and clipped to it (keras.utils.bounding_boxes.crop).
 * @example utils.boundingBoxes.crop(boxes, 10, 20, 40, 30)
 */
export function crop(boxes: TensorLike, top: number, left: number, height: number, width: number, options?: BoxGeometryOptions | null): Tensor {
  if (arguments.length > 6) throw tooManyArguments('utils.boundingBoxes.crop', 6, arguments.length);
  const op = 'utils.boundingBoxes.crop';
  checkXyxyOptions(op, options);
  const t0 = finiteNumber(op, 'top', top),
    l0 = finiteNumber(op, 'left', left);
  const h = optionalSize(op, 'height', height),
    w = optionalSize(op, 'width', width);
  if (h === undefined || w === undefined)
    throw new Error(`${op}: expected the crop's height and width, got height ${describe(height)} and width ${describe(width)}`);
  return mapXyxy(
    op,
    boxes,
    (x) => clipByValue(sub(x, l0), 0, w),
    (y) => clipByValue(sub(y, t0), 0, h),
  );
}

/**
 * 'xyxy' boxes moved by `top` rows and `left` columns of padding added to the image
 * (keras.utils.bounding_boxes.pad).
 * @example utils.boundingBoxes.pad(boxes, 8, 4)
 */
export function pad(boxes: TensorLike, top: number, left: number, options?: BoxGeometryOptions | null): Tensor {
  if (arguments.length > 4) throw tooManyArguments('utils.boundingBoxes.pad', 4, arguments.length);
  const op = 'utils.boundingBoxes.pad';
  checkXyxyOptions(op, options);
  const t0 = finiteNumber(op, 'top', top),
    l0 = finiteNumber(op, 'left', left);
  return mapXyxy(
    op,
    boxes,
    (x) => add(x, l0),
    (y) => add(y, t0),
  );
}
