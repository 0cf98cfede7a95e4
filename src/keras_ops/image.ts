// keras.ops.image: Keras's image ops, ts.image's functions except where Keras's positional
// arguments differ from ts.image's options object.
export {
  affineTransform,
  elasticTransform,
  extractPatches,
  extractPatches3d,
  hsvToRgb,
  mapCoordinates,
  perspectiveTransform,
  resize,
  rgbToGrayscale,
  rgbToHsv,
  scaleAndTranslate,
  sobelEdges,
  ssim,
} from '../image';
export { padImages, cropImages, gaussianBlur } from './image_wrappers';
