// keras.applications.inception_v3: a convolutional stem, then the 'mixed0'..'mixed10'
// modules of parallel branches joined along the channels. Each convolution is Keras's
// conv2d_bn (no bias, batch norm without scale, relu), all unnamed but the modules' joins:
// the automatic names conv2d, batch_normalization, activation, ... in Keras's order.
import { Activation } from '../layers/core';
import { Conv2D } from '../layers/convolutional';
import { Concatenate } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { AveragePooling2D, MaxPooling2D } from '../layers/pooling';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { averagedTop, poolUnnamed, step } from './graph_steps';

type Start = ApplicationStart<ApplicationOptions>;

const SPEC: ApplicationSpec = {
  op: 'applications.InceptionV3',
  optionsEntry: 'applications.InceptionV3',
  defaultName: 'inception_v3',
  defaultSize: 299,
  minSize: 75,
  weightsBase: 'https://storage.googleapis.com/tensorflow/keras-applications/inception_v3/',
  imagenet: {
    top: { file: 'inception_v3_weights_tf_dim_ordering_tf_kernels.h5', hash: '9a0d58056eeedaa3f26cb7ebd46da564' },
    notop: { file: 'inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5', hash: 'bcbd6486424b2319ff4ef7d526e38f63' },
  },
};

// Keras's conv2d_bn: a [rows, cols] convolution without bias, batch norm without scale, relu.
function convBn(s: Start, x: SymbolicTensor, filters: number, rows: number, cols: number, strides = 1, padding: 'same' | 'valid' = 'same'): SymbolicTensor {
  x = step(new Conv2D({ filters, kernelSize: [rows, cols], strides, padding, useBias: false, dataFormat: s.dataFormat }), x);
  x = step(new BatchNormalization({ axis: s.channelAxis, scale: false }), x);
  return step(new Activation({ activation: 'relu' }), x);
}

const avg3 = (s: Start, x: SymbolicTensor) => step(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same', dataFormat: s.dataFormat }), x);
const max3 = (s: Start, x: SymbolicTensor) => step(new MaxPooling2D({ poolSize: 3, strides: 2, dataFormat: s.dataFormat }), x);
const join = (s: Start, branches: SymbolicTensor[], name?: string) => step(new Concatenate({ axis: s.channelAxis, name }), branches);

// mixed0-2: 1x1, 5x5, double 3x3 and pooled branches.
function module35(s: Start, x: SymbolicTensor, poolFilters: number, name: string): SymbolicTensor {
  const b1 = convBn(s, x, 64, 1, 1);
  const b5 = convBn(s, convBn(s, x, 48, 1, 1), 64, 5, 5);
  const b3 = convBn(s, convBn(s, convBn(s, x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
  const bp = convBn(s, avg3(s, x), poolFilters, 1, 1);
  return join(s, [b1, b5, b3, bp], name);
}

// mixed4-7: factorized 7x7 branches with `c` channels inside.
function module17(s: Start, x: SymbolicTensor, c: number, name: string): SymbolicTensor {
  const b1 = convBn(s, x, 192, 1, 1);
  let b7 = convBn(s, x, c, 1, 1);
  b7 = convBn(s, convBn(s, b7, c, 1, 7), 192, 7, 1);
  let bd = convBn(s, x, c, 1, 1);
  bd = convBn(s, convBn(s, bd, c, 7, 1), c, 1, 7);
  bd = convBn(s, convBn(s, bd, c, 7, 1), 192, 1, 7);
  const bp = convBn(s, avg3(s, x), 192, 1, 1);
  return join(s, [b1, b7, bd, bp], name);
}

// mixed9-10: branches that split into 1x3 and 3x1 halves.
function module8(s: Start, x: SymbolicTensor, i: number): SymbolicTensor {
  const b1 = convBn(s, x, 320, 1, 1);
  const b3 = convBn(s, x, 384, 1, 1);
  const b3joined = join(s, [convBn(s, b3, 384, 1, 3), convBn(s, b3, 384, 3, 1)], `mixed9_${i}`);
  const bd = convBn(s, convBn(s, x, 448, 1, 1), 384, 3, 3);
  const bdJoined = join(s, [convBn(s, bd, 384, 1, 3), convBn(s, bd, 384, 3, 1)]);
  const bp = convBn(s, avg3(s, x), 192, 1, 1);
  return join(s, [b1, b3joined, bdJoined, bp], `mixed${9 + i}`);
}

async function inceptionV3(options: ApplicationOptions | undefined): Promise<Functional> {
  const s = startApplication(SPEC, options);
  let x = convBn(s, s.image, 32, 3, 3, 2, 'valid');
  x = convBn(s, x, 32, 3, 3, 1, 'valid');
  x = max3(s, convBn(s, x, 64, 3, 3));
  x = convBn(s, x, 80, 1, 1, 1, 'valid');
  x = max3(s, convBn(s, x, 192, 3, 3, 1, 'valid'));
  x = module35(s, x, 32, 'mixed0');
  x = module35(s, x, 64, 'mixed1');
  x = module35(s, x, 64, 'mixed2');
  // mixed3: strided 3x3, strided double 3x3 and max pooling.
  const b3 = convBn(s, x, 384, 3, 3, 2, 'valid');
  const bd = convBn(s, convBn(s, convBn(s, x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, 'valid');
  x = join(s, [b3, bd, max3(s, x)], 'mixed3');
  x = module17(s, x, 128, 'mixed4');
  x = module17(s, x, 160, 'mixed5');
  x = module17(s, x, 160, 'mixed6');
  x = module17(s, x, 192, 'mixed7');
  // mixed8: strided 3x3 and 7x7-then-3x3 branches, max pooling.
  const c3 = convBn(s, convBn(s, x, 192, 1, 1), 320, 3, 3, 2, 'valid');
  let c7 = convBn(s, convBn(s, convBn(s, x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
  c7 = convBn(s, c7, 192, 3, 3, 2, 'valid');
  x = join(s, [c3, c7, max3(s, x)], 'mixed8');
  x = module8(s, x, 0);
  x = module8(s, x, 1);
  return finishApplication(SPEC, s, s.options.includeTop ? averagedTop(s, x) : poolUnnamed(s, x));
}

/**
 * InceptionV3 (keras.applications.InceptionV3): 299x299 images by default, at least 75x75;
 * inputs scaled by applications.inceptionV3.preprocessInput (to [-1, 1]).
 * @example const model = await ts.applications.InceptionV3({ weights: null, includeTop: false, inputShape: [75, 75, 3] });
 */
export function InceptionV3(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(SPEC.op, 1, arguments.length);
  return inceptionV3(options);
}

/** RGB images in [0, 255] scaled to [-1, 1] as InceptionV3 expects ('tf' mode; keras.applications.inception_v3.preprocess_input). */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.inceptionV3.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.inceptionV3.preprocessInput', 'tf', x, options);
}
