// The call of an image layer on Keras's dict (flattened by apply, image_dict_input.ts): the
// layer's transform of this call applied once to images, segmentation masks and boxes;
// labels pass. Images and masks reach the transform as channels-last batches.
import { expandDims, squeeze } from '../ops/reshape';
import { transpose } from '../ops/transpose';
import type { Tensor } from '../tensor/tensor';
import type { BoxFormat } from '../utils/bounding_boxes/formats';
import { checkTargetShapes, moveBoxes, type TargetTransform } from './augmentation_targets';
import type { DataFormat } from './conv_utils';
import { BOXES_KEY, BOX_LABELS_KEY, noBoxFormat } from './image_dict_input';

/**
 * @internal `x` (flat keys) with `images` (x.images as float) and what moves with them
 * through `targets`, which sees the images as a channels-last batch.
 */
export function transformImageDict(
  layer: string,
  x: Record<string, Tensor>,
  images: Tensor,
  dataFormat: DataFormat,
  boxFormat: BoxFormat | null,
  targets: (nhwc: Tensor) => TargetTransform,
): Record<string, Tensor> {
  if (x[BOXES_KEY] !== undefined && boxFormat === null) throw noBoxFormat(layer);
  const first = dataFormat === 'channelsFirst';
  const lead = images.rank === 4 ? 1 : 0;
  const spatial = (t: Tensor) => (first ? t.shape.slice(lead + 1, lead + 3) : t.shape.slice(lead, lead + 2)) as [number, number];
  checkTargetShapes(layer, x, BOXES_KEY, BOX_LABELS_KEY, spatial(images), first);
  const batch = (t: Tensor) => (lead === 0 ? expandDims(t, 0) : t);
  const unbatch = (t: Tensor) => (lead === 0 ? squeeze(t, 0) : t);
  const nhwc = (t: Tensor) => (first ? transpose(batch(t), [0, 2, 3, 1]) : batch(t));
  const back = (t: Tensor) => unbatch(first ? transpose(t, [0, 3, 1, 2]) : t);
  const drawn = targets(nhwc(images));
  const out: Record<string, Tensor> = { ...x, images: back(drawn.images) };
  const masks = x.segmentation_masks;
  if (masks !== undefined && drawn.masks !== undefined) out.segmentation_masks = back(drawn.masks(nhwc(masks)));
  const boxes = x[BOXES_KEY];
  if (boxes !== undefined && drawn.boxes !== undefined) {
    const moved = moveBoxes(layer, batch(boxes), batch(x[BOX_LABELS_KEY]), boxFormat!, spatial(images), spatial(out.images), drawn.boxes);
    out[BOXES_KEY] = unbatch(moved.boxes);
    out[BOX_LABELS_KEY] = unbatch(moved.labels);
  }
  return out;
}

/**
 * @internal `x` (flat keys) with its images replaced by `images`, for a layer that changes
 * pixel values only: labels, boxes (in any format, so none is needed) and masks pass, checked
 * against the images laid out as `dataFormat`.
 */
export function withNewImages(layer: string, x: Record<string, Tensor>, images: Tensor, dataFormat: DataFormat): Record<string, Tensor> {
  const first = dataFormat === 'channelsFirst';
  const lead = x.images.rank === 4 ? 1 : 0;
  const spatial = (first ? x.images.shape.slice(lead + 1, lead + 3) : x.images.shape.slice(lead, lead + 2)) as [number, number];
  checkTargetShapes(layer, x, BOXES_KEY, BOX_LABELS_KEY, spatial, first);
  return { ...x, images };
}
