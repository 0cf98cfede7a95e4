// keras.ops.image: Keras's image ops with Keras's positional arguments. mapCoordinates and
// scaleAndTranslate are ts.image's own (already positional); the rest take what ts.image
// takes in an options object as positional arguments.
export { mapCoordinates, scaleAndTranslate } from '../image';
export { padImages, cropImages, gaussianBlur } from './image_wrappers';
export {
  affineTransform,
  elasticTransform,
  extractPatches,
  extractPatches3d,
  hsvToRgb,
  rgbToHsv,
  rgbToGrayscale,
  perspectiveTransform,
  resize,
  sobelEdges,
  ssim,
} from './image_options';
