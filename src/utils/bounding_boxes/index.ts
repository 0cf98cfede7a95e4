// ts.utils.boundingBoxes: Keras 3's keras.utils.bounding_boxes (formats, IoU, geometry,
// anchor deltas) in TensorFlow.js's camelCase spelling.
export { convertFormat, type ConvertFormatOptions } from './converters';
export { computeIou, computeCiou, type ComputeIouOptions, type ComputeCiouOptions } from './iou';
export { clipToImageSize, crop, pad, type ClipToImageSizeOptions, type BoxGeometryOptions } from './geometry';
export { affineTransform, type AffineTransformOptions, type AffineParameter } from './affine';
export { encodeBoxToDeltas, decodeDeltasToBoxes, type EncodeBoxToDeltasOptions, type DecodeDeltasToBoxesOptions, type DeltaFormat } from './deltas';
export { BOX_FORMATS, type BoxFormat, type BoundingBoxes } from './formats';
