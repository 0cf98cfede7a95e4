// keras.preprocessing.image: Keras 3 keeps load_img, save_img, img_to_array and array_to_img
// here (smart_resize too, which Tessera has not).
export { loadImage as loadImg, saveImage as saveImg } from '../data';
export { imgToArray, arrayToImg } from '../utils/image_utils';
