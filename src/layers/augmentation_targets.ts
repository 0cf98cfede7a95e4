// What moves with the images under one draw of an augmentation (Keras 3's
// transform_bounding_boxes / transform_segmentation_masks): boxes through the inverse of
// the per-image output-to-input matrix (corners mapped, then the enclosing box), masks
// through the same matrix with nearest interpolation, then boxes clipped to the image
// (labels of boxes left with no area become -1, as Keras's clip_to_image_size).
import { add, div, maximum, minimum, mul, sub } from '../ops/binary';
import { clipByValue } from '../ops/clip';
import { greater, where } from '../ops/compare';
import { cast } from '../ops/cast';
import { FLOAT_DTYPES } from '../ops/convert';
import { transform, type TransformFillMode } from '../ops/image_transform';
import { reshape } from '../ops/reshape';
import { slice, split } from '../ops/slice';
import type { Tensor } from '../tensor/tensor';
import { convertBoxes } from '../utils/bounding_boxes/converters';
import { coords, joinCoords, type BoxFormat } from '../utils/bounding_boxes/formats';
import { clipToImageSize } from '../utils/bounding_boxes/geometry';

/** @internal One draw applied to the images and to what moves with them (channels-last batches). */
export interface TargetTransform {
  /** The augmented images. */
  images: Tensor;
  /** Segmentation masks moved as the images (absent: unchanged). */
  masks?: (masks: Tensor) => Tensor;
  /** 'xyxy' pixel boxes [batch, n, 4] of the input image in the output image, unclipped (absent: boxes unchanged, not even clipped, as Keras's colour layers). */
  boxes?: (xyxy: Tensor) => Tensor;
}

/** @internal The window [top, left, height, width] of each image cut out (masks too; boxes shift into it). */
export function windowTargets(images: Tensor, top: number, left: number, height: number, width: number): TargetTransform {
  const cut = (x: Tensor) => slice(x, [0, top, left, 0], [x.shape[0], height, width, x.shape[3]]);
  return { images: cut(images), masks: cut, boxes: (xyxy) => sub(xyxy, [left, top, left, top]) };
}

/** @internal [top, left, height, width] of the input (in pixels; beyond its edges where padded) that an output image shows, stretched. */
export type ResizeWindow = [number, number, number, number];

/** @internal 'xyxy' boxes moved into `window` and scaled with it to the output [height, width]. */
export function windowBoxes(xyxy: Tensor, window: ResizeWindow, size: [number, number]): Tensor {
  const [top, left, h, w] = window;
  const [sy, sx] = [size[0] / h, size[1] / w];
  return mul(sub(xyxy, [left, top, left, top]), [sx, sy, sx, sy]);
}

/** @internal A draw that changes pixel values only: boxes and masks pass as they are. */
export function keepTargets(images: Tensor): TargetTransform {
  return { images };
}

/** @internal How a matrix layer resamples points outside the image, and its output size (default the input's). */
export interface MatrixFill {
  fillMode?: TransformFillMode;
  fillValue?: number;
  outputShape?: [number, number];
}

/** @internal `f` (nearest resampling) on masks in float; it keeps mask values exact, so integer masks come back in their dtype. */
export function inFloat(masks: Tensor, f: (x: Tensor) => Tensor): Tensor {
  if (FLOAT_DTYPES.includes(masks.dtype)) return f(masks);
  return cast(f(cast(masks, 'float32')), masks.dtype);
}

/** @internal Images, masks and boxes through the [batch, 8] output-to-input matrices `m`. */
export function matrixTargets(images: Tensor, m: Tensor, interpolation: 'nearest' | 'bilinear', fill: MatrixFill = {}): TargetTransform {
  return {
    images: transform(images, m, { interpolation, ...fill }),
    masks: (masks) => inFloat(masks, (x) => transform(x, m, { interpolation: 'nearest', ...fill })),
    boxes: (xyxy) => boxesThroughMatrices(xyxy, m),
  };
}

/**
 * @internal 'xyxy' boxes [batch, n, 4] moved by the inverse of the projective matrices
 * [batch, 8] (output pixel index to input pixel index): each corner is mapped, then the
 * enclosing box taken. Box edges sit half a pixel from pixel centres, so corners go
 * through the matrix in centre coordinates.
 */
export function boxesThroughMatrices(xyxy: Tensor, m: Tensor): Tensor {
  const [a0, a1, a2, b0, b1, b2, c0, c1] = split(reshape(m, [m.shape[0], 1, 8]), 8, -1);
  // The adjugate of [[a0 a1 a2] [b0 b1 b2] [c0 c1 1]]: the inverse up to a scale the projective division cancels.
  const r0 = [sub(b1, mul(b2, c1)), sub(mul(a2, c1), a1), sub(mul(a1, b2), mul(a2, b1))];
  const r1 = [sub(mul(b2, c0), b0), sub(a0, mul(a2, c0)), sub(mul(a2, b0), mul(a0, b2))];
  const r2 = [sub(mul(b0, c1), mul(b1, c0)), sub(mul(a1, c0), mul(a0, c1)), sub(mul(a0, b1), mul(a1, b0))];
  const row = (r: Tensor[], x: Tensor, y: Tensor) => add(add(mul(r[0], x), mul(r[1], y)), r[2]);
  const [x1, y1, x2, y2] = coords(xyxy).map((c) => sub(c, 0.5));
  const corners = [
    [x1, y1],
    [x2, y1],
    [x2, y2],
    [x1, y2],
  ].map(([x, y]) => {
    const w = row(r2, x, y);
    return [add(div(row(r0, x, y), w), 0.5), add(div(row(r1, x, y), w), 0.5)];
  });
  const fold = (f: (a: Tensor, b: Tensor) => Tensor, i: number) => corners.map((c) => c[i]).reduce((a, b) => f(a, b));
  return joinCoords(fold(minimum, 0), fold(minimum, 1), fold(maximum, 0), fold(maximum, 1));
}

/**
 * @internal Boxes in `format` moved by `move` (on 'xyxy' pixels) from an image of
 * `inSize` to one of `outSize`, clipped to it; labels of boxes left with no area become -1.
 */
export function moveBoxes(
  op: string,
  boxes: Tensor,
  labels: Tensor,
  format: BoxFormat,
  inSize: [number, number],
  outSize: [number, number],
  move: (xyxy: Tensor) => Tensor,
): { boxes: Tensor; labels: Tensor } {
  const xyxy = convertBoxes(
    op,
    'bounding_boxes.boxes',
    boxes,
    format,
    'xyxy',
    inSize[0],
    inSize[1],
    FLOAT_DTYPES.includes(boxes.dtype) ? boxes.dtype : 'float32',
  );
  const clipped = clipToImageSize({ boxes: move(xyxy), labels }, { height: outSize[0], width: outSize[1], boundingBoxFormat: 'xyxy' });
  return { boxes: convertBoxes(op, 'bounding_boxes.boxes', clipped.boxes, 'xyxy', format, outSize[0], outSize[1], xyxy.dtype), labels: clipped.labels! };
}

/** @internal Checks boxes, box labels and masks against the images (batched or not); throws naming the layer and key. */
export function checkTargetShapes(
  layer: string,
  x: Record<string, Tensor>,
  boxesKey: string,
  labelsKey: string,
  spatial: [number, number],
  channelsFirst: boolean,
): void {
  const rank = x.images.rank;
  const lead = rank === 4 ? 1 : 0;
  const boxes = x[boxesKey],
    labels = x[labelsKey];
  const shape = (t: Tensor) => `[${t.shape.join(', ')}]`;
  if (boxes !== undefined) {
    if (boxes.rank !== lead + 2 || boxes.shape[lead + 1] !== 4 || (lead === 1 && boxes.shape[0] !== x.images.shape[0]))
      throw new Error(
        `${layer}: expected bounding_boxes.boxes of shape [${lead ? `${x.images.shape[0]}, ` : ''}numBoxes, 4] for images of shape ${shape(x.images)}, got ${shape(boxes)}`,
      );
    if (labels.shape.join() !== boxes.shape.slice(0, -1).join())
      throw new Error(`${layer}: expected bounding_boxes.labels of shape [${boxes.shape.slice(0, -1).join(', ')}] (one per box), got ${shape(labels)}`);
  }
  const masks = x.segmentation_masks;
  if (masks !== undefined) {
    const [h, w] = channelsFirst ? masks.shape.slice(lead + 1) : masks.shape.slice(lead, lead + 2);
    if (masks.rank !== rank || (lead === 1 && masks.shape[0] !== x.images.shape[0]) || h !== spatial[0] || w !== spatial[1])
      throw new Error(
        `${layer}: expected segmentation_masks laid out as the images ${shape(x.images)} (same rank, batch, height and width), got ${shape(masks)}`,
      );
  }
}

/**
 * @internal Draws applied one after another (each `step` gets the previous images; sizes
 * stay): images, masks and boxes through each in turn. Between steps boxes are clipped to
 * the image, and a box left with no area shrinks to a point, so it stays without area and
 * its label becomes -1 at the end (as Keras's clip after each sub-layer).
 */
export function chainTargets(images: Tensor, steps: ((images: Tensor) => TargetTransform)[]): TargetTransform {
  const [, h, w] = images.shape;
  const masks: ((m: Tensor) => Tensor)[] = [],
    boxes: ((b: Tensor) => Tensor)[] = [];
  let current = images;
  for (const step of steps) {
    const drawn = step(current);
    current = drawn.images;
    if (drawn.masks !== undefined) masks.push(drawn.masks);
    if (drawn.boxes !== undefined) boxes.push(drawn.boxes);
  }
  const out: TargetTransform = { images: current };
  if (masks.length > 0) out.masks = (m) => masks.reduce((x, f) => f(x), m);
  if (boxes.length > 0) out.boxes = (b) => boxes.reduce((x, f) => clipOrCollapse(f(x), h, w), b);
  return out;
}

// 'xyxy' boxes clipped to [0, w] x [0, h]; one with no area left becomes the point at its first corner.
function clipOrCollapse(xyxy: Tensor, h: number, w: number): Tensor {
  const [x1, y1, x2, y2] = coords(xyxy);
  const [cx1, cy1, cx2, cy2] = [clipByValue(x1, 0, w), clipByValue(y1, 0, h), clipByValue(x2, 0, w), clipByValue(y2, 0, h)];
  const kept = greater(mul(sub(cx2, cx1), sub(cy2, cy1)), 0);
  return joinCoords(cx1, cy1, where(kept, cx2, cx1), where(kept, cy2, cy1));
}
