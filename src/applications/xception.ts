// keras.applications.xception: an entry flow of strided separable blocks with 1x1-convolved
// shortcuts, eight middle blocks of three separable convolutions, and an exit flow. The
// shortcuts' layers are unnamed in Keras (conv2d, batch_normalization, add, ...): the same
// automatic names here, so Keras's weight files pair with them.
import { Activation } from '../layers/core';
import { Conv2D, SeparableConv2D } from '../layers/convolutional';
import { Add } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { MaxPooling2D } from '../layers/pooling';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { averagedTop, poolUnnamed, step } from './graph_steps';

type Start = ApplicationStart<ApplicationOptions>;

const SPEC: ApplicationSpec = {
  op: 'applications.Xception',
  optionsEntry: 'applications.Xception',
  defaultName: 'xception',
  defaultSize: 299,
  minSize: 71,
  weightsBase: 'https://storage.googleapis.com/tensorflow/keras-applications/xception/',
  imagenet: {
    top: { file: 'xception_weights_tf_dim_ordering_tf_kernels.h5', hash: '0a58e3b7378bc2990ea3b43d5981f1f6' },
    notop: { file: 'xception_weights_tf_dim_ordering_tf_kernels_notop.h5', hash: 'b0042744bf5b25fce3cb969f33bebb97' },
  },
};

const bn = (s: Start, name?: string) => new BatchNormalization({ axis: s.channelAxis, name });
const relu = (name: string) => new Activation({ activation: 'relu', name });
const sep = (s: Start, filters: number, name: string) =>
  new SeparableConv2D({ filters, kernelSize: 3, padding: 'same', useBias: false, name, dataFormat: s.dataFormat });

// The 1x1 strided shortcut of a downsampling block (unnamed layers).
function shortcut(s: Start, x: SymbolicTensor, filters: number): SymbolicTensor {
  const conv = new Conv2D({ filters, kernelSize: 1, strides: 2, padding: 'same', useBias: false, dataFormat: s.dataFormat });
  return step(bn(s), step(conv, x));
}

// A downsampling block: [relu], separable, bn, relu, separable, bn, max pooling, plus the shortcut.
function downBlock(s: Start, x: SymbolicTensor, block: number, filters: [number, number], firstRelu: boolean): SymbolicTensor {
  const residual = shortcut(s, x, filters[1]);
  const p = `block${block}`;
  if (firstRelu) x = step(relu(`${p}_sepconv1_act`), x);
  x = step(bn(s, `${p}_sepconv1_bn`), step(sep(s, filters[0], `${p}_sepconv1`), x));
  x = step(relu(`${p}_sepconv2_act`), x);
  x = step(bn(s, `${p}_sepconv2_bn`), step(sep(s, filters[1], `${p}_sepconv2`), x));
  x = step(new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'same', name: `${p}_pool`, dataFormat: s.dataFormat }), x);
  return step(new Add({}), [x, residual]);
}

async function xception(options: ApplicationOptions | undefined): Promise<Functional> {
  const s = startApplication(SPEC, options);
  const conv = (filters: number, strides: number, name: string) =>
    new Conv2D({ filters, kernelSize: 3, strides, useBias: false, name, dataFormat: s.dataFormat });
  let x = step(conv(32, 2, 'block1_conv1'), s.image);
  x = step(relu('block1_conv1_act'), step(bn(s, 'block1_conv1_bn'), x));
  x = step(conv(64, 1, 'block1_conv2'), x);
  x = step(relu('block1_conv2_act'), step(bn(s, 'block1_conv2_bn'), x));
  x = downBlock(s, x, 2, [128, 128], false);
  x = downBlock(s, x, 3, [256, 256], true);
  x = downBlock(s, x, 4, [728, 728], true);
  for (let block = 5; block <= 12; block++) {
    const residual = x;
    for (let k = 1; k <= 3; k++) {
      const p = `block${block}_sepconv${k}`;
      x = step(bn(s, `${p}_bn`), step(sep(s, 728, p), step(relu(`${p}_act`), x)));
    }
    x = step(new Add({}), [x, residual]);
  }
  x = downBlock(s, x, 13, [728, 1024], true);
  x = step(relu('block14_sepconv1_act'), step(bn(s, 'block14_sepconv1_bn'), step(sep(s, 1536, 'block14_sepconv1'), x)));
  x = step(relu('block14_sepconv2_act'), step(bn(s, 'block14_sepconv2_bn'), step(sep(s, 2048, 'block14_sepconv2'), x)));
  return finishApplication(SPEC, s, s.options.includeTop ? averagedTop(s, x) : poolUnnamed(s, x));
}

/**
 * Xception (keras.applications.Xception): 299x299 images by default, at least 71x71; inputs
 * scaled by applications.xception.preprocessInput (to [-1, 1]).
 * @example const model = await ts.applications.Xception({ weights: null, includeTop: false, inputShape: [71, 71, 3] });
 */
export function Xception(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(SPEC.op, 1, arguments.length);
  return xception(options);
}

/** RGB images in [0, 255] scaled to [-1, 1] as Xception expects ('tf' mode; keras.applications.xception.preprocess_input). */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.xception.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.xception.preprocessInput', 'tf', x, options);
}
