// keras.applications.vgg16 and vgg19: five blocks of 3x3 'same' convolutions (relu) each
// ending in a 2x2 max pooling; the top flattens into two 4096-unit layers.
import { Conv2D } from '../layers/convolutional';
import { Dense } from '../layers/dense';
import { MaxPooling2D } from '../layers/pooling';
import { Flatten } from '../layers/reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { poolUnnamed, predictions, step } from './graph_steps';

function spec(kerasName: string, base: string, hashes: [string, string]): ApplicationSpec {
  const file = (suffix: string) => `${base}_weights_tf_dim_ordering_tf_kernels${suffix}.h5`;
  return {
    op: `applications.${kerasName}`,
    optionsEntry: `applications.${kerasName}`,
    defaultName: base,
    defaultSize: 224,
    minSize: 32,
    weightsBase: `https://storage.googleapis.com/tensorflow/keras-applications/${base}/`,
    imagenet: { top: { file: file(''), hash: hashes[0] }, notop: { file: file('_notop'), hash: hashes[1] } },
  };
}

const VGG16_SPEC = spec('VGG16', 'vgg16', ['64373286793e3c8b2b4e3219cbf3544b', '6d6bbae143d832006294945121d1f1fc']);
const VGG19_SPEC = spec('VGG19', 'vgg19', ['cbe5617147190e668d6c5d5026f83318', '253f8cb515780f3b799900260a226db6']);

async function vgg(sp: ApplicationSpec, options: ApplicationOptions | undefined, convs: number[]): Promise<Functional> {
  const s = startApplication(sp, options);
  const dataFormat = s.dataFormat;
  const filters = [64, 128, 256, 512, 512];
  let x: SymbolicTensor = s.image;
  for (let b = 1; b <= 5; b++) {
    for (let c = 1; c <= convs[b - 1]; c++) {
      x = step(new Conv2D({ filters: filters[b - 1], kernelSize: 3, activation: 'relu', padding: 'same', name: `block${b}_conv${c}`, dataFormat }), x);
    }
    x = step(new MaxPooling2D({ poolSize: 2, strides: 2, name: `block${b}_pool`, dataFormat }), x);
  }
  if (s.options.includeTop) {
    x = step(new Flatten({ name: 'flatten', dataFormat }), x);
    x = step(new Dense({ units: 4096, activation: 'relu', name: 'fc1' }), x);
    x = predictions(s, step(new Dense({ units: 4096, activation: 'relu', name: 'fc2' }), x));
  } else x = poolUnnamed(s, x);
  return finishApplication(sp, s, x);
}

/**
 * VGG16 (keras.applications.VGG16): 224x224 images by default (fixed with the top), at least
 * 32x32; inputs scaled by applications.vgg16.preprocessInput.
 * @example const model = await ts.applications.VGG16({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
 */
export function VGG16(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(VGG16_SPEC.op, 1, arguments.length);
  return vgg(VGG16_SPEC, options, [2, 2, 3, 3, 3]);
}

/** VGG19 (keras.applications.VGG19): VGG16 with four convolutions in each of the last three blocks. */
export function VGG19(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(VGG19_SPEC.op, 1, arguments.length);
  return vgg(VGG19_SPEC, options, [2, 2, 4, 4, 4]);
}

/** RGB images in [0, 255] as VGG16 expects them ('caffe' mode; keras.applications.vgg16.preprocess_input). */
export function preprocessInputVgg16(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.vgg16.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.vgg16.preprocessInput', 'caffe', x, options);
}

/** RGB images in [0, 255] as VGG19 expects them ('caffe' mode; keras.applications.vgg19.preprocess_input). */
export function preprocessInputVgg19(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.vgg19.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.vgg19.preprocessInput', 'caffe', x, options);
}
