// Keras 3's image preprocessing layers also take {images, labels, bounding_boxes,
// segmentation_masks} and move boxes and masks with the images. Tessera's take images
// only: such an object is refused by name here, not half-read (it crashed deep inside).

/** @internal Throws, naming the layer, when `inputs` is an object of named inputs (Keras's dict input). */
export function refuseImageDict(layer: string, inputs: unknown): void {
  if (inputs === null || typeof inputs !== 'object' || Object.getPrototypeOf(inputs) !== Object.prototype) return;
  throw new Error(
    `${layer}: expected a tensor of images, got an object with keys [${Object.keys(inputs).join(', ')}]; ` +
      "Keras 3's {images, labels, bounding_boxes, segmentation_masks} input is not supported by this layer yet " +
      '(boxes and masks would not follow the images): apply it to the images tensor',
  );
}
