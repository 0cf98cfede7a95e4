// keras.applications.densenet: DenseNet121/169/201, four dense blocks (each block's output
// concatenated onto its input, growth 32) with halving transitions between them. Keras
// builds it channels-last only.
import { Activation } from '../layers/core';
import { Conv2D } from '../layers/convolutional';
import { Concatenate } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { AveragePooling2D, MaxPooling2D } from '../layers/pooling';
import { ZeroPadding2D } from '../layers/spatial_reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { imageDataFormat } from '../config/settings';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, poolFeatures, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { averagedTop, step } from './graph_steps';

type Start = ApplicationStart<ApplicationOptions>;

function spec(kerasName: string, base: string, hashes: [string, string]): ApplicationSpec {
  const file = (suffix: string) => `${base}_weights_tf_dim_ordering_tf_kernels${suffix}.h5`;
  return {
    op: `applications.${kerasName}`,
    optionsEntry: `applications.${kerasName}`,
    defaultName: base,
    defaultSize: 224,
    minSize: 32,
    weightsBase: 'https://storage.googleapis.com/tensorflow/keras-applications/densenet/',
    imagenet: { top: { file: file(''), hash: hashes[0] }, notop: { file: file('_notop'), hash: hashes[1] } },
  };
}

const DENSENET121 = spec('DenseNet121', 'densenet121', ['9d60b8095a5708f2dcce2bca79d332c7', '30ee3e1110167f948a6b9946edeeb738']);
const DENSENET169 = spec('DenseNet169', 'densenet169', ['d699b8f76981ab1b30698df4c175e90b', 'b8c4d4c20dd625c148057b9ff1c1176b']);
const DENSENET201 = spec('DenseNet201', 'densenet201', ['1ceb130c1ea1b78c3bf6114dbdfd8807', 'c13680b51ded0fb44dff2d8f86ac8bb1']);

const EPSILON = 1.001e-5;
const bn = (s: Start, name: string) => new BatchNormalization({ axis: s.channelAxis, epsilon: EPSILON, name });
const relu = (name: string) => new Activation({ activation: 'relu', name });
const conv = (filters: number, kernelSize: number, name: string, padding: 'same' | 'valid' = 'valid') =>
  new Conv2D({ filters, kernelSize, padding, useBias: false, name });

// Keras's conv_block: bn, relu, 1x1 (4 x growth), bn, relu, 3x3 (growth), concatenated on x.
function convBlock(s: Start, x: SymbolicTensor, name: string): SymbolicTensor {
  let y = step(conv(128, 1, `${name}_1_conv`), step(relu(`${name}_0_relu`), step(bn(s, `${name}_0_bn`), x)));
  y = step(conv(32, 3, `${name}_2_conv`, 'same'), step(relu(`${name}_1_relu`), step(bn(s, `${name}_1_bn`), y)));
  return step(new Concatenate({ axis: s.channelAxis, name: `${name}_concat` }), [x, y]);
}

// Keras's transition_block: bn, relu, 1x1 to half the channels, 2x2 average pooling.
function transition(s: Start, x: SymbolicTensor, name: string): SymbolicTensor {
  x = step(relu(`${name}_relu`), step(bn(s, `${name}_bn`), x));
  x = step(conv(Math.trunc((x.shape[s.channelAxis] as number) * 0.5), 1, `${name}_conv`), x);
  return step(new AveragePooling2D({ poolSize: 2, strides: 2, name: `${name}_pool` }), x);
}

async function densenet(sp: ApplicationSpec, options: ApplicationOptions | undefined, blocks: number[]): Promise<Functional> {
  if (imageDataFormat() === 'channelsFirst')
    throw new Error(`${sp.op}: DenseNet does not support the channelsFirst image data format (as Keras); set config.setImageDataFormat('channelsLast')`);
  const s = startApplication(sp, options);
  let x = step(
    new ZeroPadding2D({
      padding: [
        [3, 3],
        [3, 3],
      ],
    }),
    s.image,
  );
  x = step(relu('conv1_relu'), step(bn(s, 'conv1_bn'), step(new Conv2D({ filters: 64, kernelSize: 7, strides: 2, useBias: false, name: 'conv1_conv' }), x)));
  x = step(
    new ZeroPadding2D({
      padding: [
        [1, 1],
        [1, 1],
      ],
    }),
    x,
  );
  x = step(new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1' }), x);
  for (let b = 0; b < 4; b++) {
    for (let i = 1; i <= blocks[b]; i++) x = convBlock(s, x, `conv${b + 2}_block${i}`);
    if (b < 3) x = transition(s, x, `pool${b + 2}`);
  }
  x = step(relu('relu'), step(bn(s, 'bn'), x));
  return finishApplication(sp, s, s.options.includeTop ? averagedTop(s, x) : poolFeatures(s, x));
}

/**
 * DenseNet121 (keras.applications.DenseNet121): 224x224 images by default, at least 32x32,
 * channels last; inputs scaled by applications.densenet.preprocessInput ('torch' mode).
 * @example const model = await ts.applications.DenseNet121({ weights: null, includeTop: false, inputShape: [32, 32, 3] });
 */
export function DenseNet121(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(DENSENET121.op, 1, arguments.length);
  return densenet(DENSENET121, options, [6, 12, 24, 16]);
}

/** DenseNet169 (keras.applications.DenseNet169): dense blocks of 6, 12, 32 and 32. */
export function DenseNet169(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(DENSENET169.op, 1, arguments.length);
  return densenet(DENSENET169, options, [6, 12, 32, 32]);
}

/** DenseNet201 (keras.applications.DenseNet201): dense blocks of 6, 12, 48 and 32. */
export function DenseNet201(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(DENSENET201.op, 1, arguments.length);
  return densenet(DENSENET201, options, [6, 12, 48, 32]);
}

/**
 * RGB images in [0, 255] as DenseNet expects them: scaled to [0, 1], then normalized by
 * ImageNet's channel means and deviations ('torch' mode; keras.applications.densenet.preprocess_input).
 */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.densenet.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.densenet.preprocessInput', 'torch', x, options);
}
