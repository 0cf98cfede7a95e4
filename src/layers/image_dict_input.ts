// Keras 3's image preprocessing layers also take {images, labels, bounding_boxes: {boxes,
// labels}, segmentation_masks} and move boxes and masks with the images. In Tessera, eagerly,
// the colour layers, Rescaling and CLAHE (boxes and masks pass as they are), RandomFlip,
// RandomTranslation, RandomZoom, RandomRotation, RandomShear, RandomPerspective, RandomCrop and
// RandAugment (boxes and masks follow the drawn transforms), Resizing and CenterCrop (they
// follow the window), AugMix and MixUp (masks mixed as the images), CutMix and
// RandomElasticTransform (masks follow; boxes refused by name, as Keras raises) take it.
// Symbolic dicts (functional models) are refused by name.
// apply flattens one level of keys, so the nested boxes travel as two flat keys.
import { describe } from '../tensor/shape';
import { SymbolicTensor } from './symbolic_tensor';

/** Keras's input of images with what moves with them (the layers return the same keys). */
export interface ImageDict<T> {
  /** Images [batch, height, width, channels], or one image [height, width, channels] (channels first under that dataFormat). */
  images: T;
  /** Per-image labels: passed through unchanged. */
  labels?: T;
  /** Boxes [batch, n, 4] (or [n, 4]) in the layer's boundingBoxFormat, and their labels [batch, n] (or [n]). */
  bounding_boxes?: { boxes: T; labels: T };
  /** Masks laid out as the images (nearest interpolation under the images' transform). */
  segmentation_masks?: T;
}

/** @internal The flat keys the nested boxes and their labels travel under. */
export const BOXES_KEY = 'bounding_boxes/boxes',
  BOX_LABELS_KEY = 'bounding_boxes/labels';

const KEYS = ['images', 'labels', 'bounding_boxes', 'segmentation_masks'];

/** @internal Whether `x` is a plain object (Keras's dict), not a tensor or an array. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && Object.getPrototypeOf(x) === Object.prototype;
}

/** @internal Throws, naming the layer, when `inputs` is an object of named inputs (Keras's dict input). */
export function refuseImageDict(layer: string, inputs: unknown): void {
  if (!isPlainObject(inputs)) return;
  throw new Error(
    `${layer}: expected a tensor of images, got an object with keys [${Object.keys(inputs).join(', ')}]; ` +
      "Keras 3's {images, labels, bounding_boxes, segmentation_masks} input is not supported by this layer yet " +
      '(boxes and masks would not follow the images): apply it to the images tensor',
  );
}

/**
 * @internal Checks Keras's dict (known keys, images, {boxes, labels}, a box format when
 * boxes come; undefined: each layer checks its own, as in a pipeline) and flattens it to one
 * level of keys; eager tensors only.
 */
export function flattenImageDict(layer: string, inputs: Record<string, unknown>, boxFormat: string | null | undefined): Record<string, unknown> {
  const unknown = Object.keys(inputs).filter((k) => !KEYS.includes(k));
  if (unknown.length > 0)
    throw new Error(`${layer}: unknown key(s) [${unknown.join(', ')}] in the input object; expected keys among [${KEYS.join(', ')}] (as Keras 3)`);
  if (inputs.images === undefined) throw new Error(`${layer}: the input object has no 'images' (got keys [${Object.keys(inputs).join(', ')}])`);
  const { bounding_boxes: bb, ...rest } = inputs;
  // Images first: layers that cast their input cast the first one alone (image_preprocessing.ts).
  const flat: Record<string, unknown> = { images: inputs.images, ...rest };
  if (bb !== undefined) {
    if (boxFormat === null) throw noBoxFormat(layer);
    if (!isPlainObject(bb) || !('boxes' in bb) || !('labels' in bb) || Object.keys(bb).length !== 2)
      throw new Error(
        `${layer}: expected bounding_boxes to be {boxes, labels}, got ${isPlainObject(bb) ? `keys [${Object.keys(bb).join(', ')}]` : describe(bb)}`,
      );
    flat[BOXES_KEY] = bb.boxes;
    flat[BOX_LABELS_KEY] = bb.labels;
  }
  if (Object.values(flat).some((v) => v instanceof SymbolicTensor))
    throw new Error(
      `${layer}: the {images, bounding_boxes, ...} input works on tensors (eagerly, as in dataset.map), not in a functional model; apply the layer to the images there`,
    );
  return flat;
}

/** @internal The error for boxes given to a layer that cannot move them (Keras raises NotImplementedError there). */
export function boxesRefused(layer: string, why: string): Error {
  return new Error(
    `${layer}: bounding_boxes are not supported by this layer (Keras 3 raises NotImplementedError too): ${why}; ` +
      'give {images, labels, segmentation_masks} without bounding_boxes',
  );
}

/** @internal The error for boxes given to a layer made without boundingBoxFormat (as Keras raises). */
export function noBoxFormat(layer: string): Error {
  return new Error(
    `${layer}: the input has 'bounding_boxes' but the layer has no boundingBoxFormat; make the layer with one, e.g. boundingBoxFormat: 'xyxy' (as Keras's bounding_box_format)`,
  );
}

/**
 * @internal Whether `layer` takes the dict: the augmentation and resizing layers say so
 * through their takesImageDict (protected; read here for Pipeline, which runs them).
 */
export function layerTakesImageDict(layer: object): boolean {
  const takes = (layer as { takesImageDict?: () => boolean }).takesImageDict;
  return typeof takes === 'function' && takes.call(layer);
}

/** @internal The flat result back in Keras's nesting. */
export function nestImageDict<T>(flat: Record<string, T>): ImageDict<T> {
  const { [BOXES_KEY]: boxes, [BOX_LABELS_KEY]: labels, ...rest } = flat;
  return (boxes === undefined ? rest : { ...rest, bounding_boxes: { boxes, labels } }) as unknown as ImageDict<T>;
}

/**
 * @internal apply's route for a layer that may take Keras's dict: `apply` on the inputs as
 * they are, or on the checked, flattened dict (its result nested back); refused unless `takes`.
 */
export function routeImageDict(
  layer: string,
  inputs: unknown,
  takes: boolean,
  boxFormat: string | null | undefined,
  apply: (inputs: unknown) => unknown,
): unknown {
  if (!isPlainObject(inputs)) return apply(inputs);
  if (!takes) refuseImageDict(layer, inputs);
  return nestImageDict(apply(flattenImageDict(layer, inputs, boxFormat)) as Record<string, unknown>);
}
