// keras.applications.resnet and resnet_v2: ResNet50/101/152 (post-activation bottlenecks,
// the 1x1 convolution carrying the stride) and their V2 forms (pre-activation, the stride on
// the last block of a stack), built with Keras's layer names so its weight files load.
import { BatchNormalization } from '../layers/normalization';
import { Activation } from '../layers/core';
import { Conv2D } from '../layers/convolutional';
import { Add } from '../layers/merging';
import { MaxPooling2D } from '../layers/pooling';
import { ZeroPadding2D } from '../layers/spatial_reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, poolFeatures, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { averagedTop, step } from './graph_steps';

type Start = ApplicationStart<ApplicationOptions>;

const BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/resnet/';
// Keras's WEIGHTS_HASHES: [with the top, without].
const HASHES: Record<string, [string, string]> = {
  resnet50: ['2cb95161c43110f7111970584f804107', '4d473c1dd8becc155b73f8504c6f6626'],
  resnet101: ['f1aeb4b969a6efcfb50fad2f0c20cfc5', '88cf7a10940856eca736dc7b7e228a21'],
  resnet152: ['100835be76be38e30d865e96f2aaae62', 'ee4c566cf9a93f14d82f913c2dc6dd0c'],
  resnet50v2: ['3ef43a0b657b3be2300d5770ece849e0', 'fac2f116257151a9d068a22e544a4917'],
  resnet101v2: ['6343647c601c52e1368623803854d971', 'c0ed64b8031c3730f411d2eb4eea35b5'],
  resnet152v2: ['a49b44d1979771252814e80f8ec446f9', 'ed17cf2e0169df9d443503ef94b23b33'],
};

function spec(kerasName: string, weightsName: string): ApplicationSpec {
  const [top, notop] = HASHES[weightsName];
  const file = (suffix: string) => `${weightsName}_weights_tf_dim_ordering_tf_kernels${suffix}.h5`;
  return {
    op: `applications.${kerasName}`,
    optionsEntry: `applications.${kerasName}`,
    defaultName: weightsName,
    defaultSize: 224,
    minSize: 32,
    weightsBase: BASE,
    imagenet: { top: { file: file(''), hash: top }, notop: { file: file('_notop'), hash: notop } },
  };
}

const EPSILON = 1.001e-5;
const bn = (s: Start, name: string) => new BatchNormalization({ axis: s.channelAxis, epsilon: EPSILON, name });
const relu = (name: string) => new Activation({ activation: 'relu', name });
const conv = (s: Start, filters: number, kernelSize: number, name: string, extra: { strides?: number; useBias?: boolean; padding?: 'same' } = {}) =>
  new Conv2D({ filters, kernelSize, name, dataFormat: s.dataFormat, ...extra });

// Keras's residual_block_v1: 1x1 (strided), 3x3, 1x1 x4, each batch-normalized; relu after the sum.
function blockV1(s: Start, x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): SymbolicTensor {
  let shortcut = x;
  if (convShortcut) shortcut = step(bn(s, `${name}_0_bn`), step(conv(s, 4 * filters, 1, `${name}_0_conv`, { strides: stride }), x));
  x = step(conv(s, filters, 1, `${name}_1_conv`, { strides: stride }), x);
  x = step(relu(`${name}_1_relu`), step(bn(s, `${name}_1_bn`), x));
  x = step(conv(s, filters, 3, `${name}_2_conv`, { padding: 'same' }), x);
  x = step(relu(`${name}_2_relu`), step(bn(s, `${name}_2_bn`), x));
  x = step(bn(s, `${name}_3_bn`), step(conv(s, 4 * filters, 1, `${name}_3_conv`), x));
  return step(relu(`${name}_out`), step(new Add({ name: `${name}_add` }), [shortcut, x]));
}

function stackV1(s: Start, x: SymbolicTensor, filters: number, blocks: number, stride1: number, name: string): SymbolicTensor {
  x = blockV1(s, x, filters, stride1, true, `${name}_block1`);
  for (let i = 2; i <= blocks; i++) x = blockV1(s, x, filters, 1, false, `${name}_block${i}`);
  return x;
}

// Keras's residual_block_v2: batch norm and relu first; the identity shortcut of a strided
// block is an (unnamed) 1x1 max pooling; the last 1x1 convolution alone has a bias.
function blockV2(s: Start, x: SymbolicTensor, filters: number, stride: number, convShortcut: boolean, name: string): SymbolicTensor {
  const preact = step(relu(`${name}_preact_relu`), step(bn(s, `${name}_preact_bn`), x));
  let shortcut: SymbolicTensor;
  if (convShortcut) shortcut = step(conv(s, 4 * filters, 1, `${name}_0_conv`, { strides: stride }), preact);
  else shortcut = stride > 1 ? step(new MaxPooling2D({ poolSize: 1, strides: stride, dataFormat: s.dataFormat }), x) : x;
  x = step(conv(s, filters, 1, `${name}_1_conv`, { useBias: false }), preact);
  x = step(relu(`${name}_1_relu`), step(bn(s, `${name}_1_bn`), x));
  x = step(
    new ZeroPadding2D({
      padding: [
        [1, 1],
        [1, 1],
      ],
      name: `${name}_2_pad`,
      dataFormat: s.dataFormat,
    }),
    x,
  );
  x = step(conv(s, filters, 3, `${name}_2_conv`, { strides: stride, useBias: false }), x);
  x = step(relu(`${name}_2_relu`), step(bn(s, `${name}_2_bn`), x));
  x = step(conv(s, 4 * filters, 1, `${name}_3_conv`), x);
  return step(new Add({ name: `${name}_out` }), [shortcut, x]);
}

function stackV2(s: Start, x: SymbolicTensor, filters: number, blocks: number, stride1: number, name: string): SymbolicTensor {
  x = blockV2(s, x, filters, 1, true, `${name}_block1`);
  for (let i = 2; i < blocks; i++) x = blockV2(s, x, filters, 1, false, `${name}_block${i}`);
  return blockV2(s, x, filters, stride1, false, `${name}_block${blocks}`);
}

// Keras's ResNet(): the stem, the four stacks (blocks per stack), the top or the pooling.
async function resnet(sp: ApplicationSpec, options: ApplicationOptions | undefined, blocks: number[], preact: boolean): Promise<Functional> {
  const s = startApplication(sp, options);
  const pad = (p: number, name: string) =>
    new ZeroPadding2D({
      padding: [
        [p, p],
        [p, p],
      ],
      name,
      dataFormat: s.dataFormat,
    });
  let x = step(pad(3, 'conv1_pad'), s.image);
  x = step(conv(s, 64, 7, 'conv1_conv', { strides: 2 }), x);
  if (!preact) x = step(relu('conv1_relu'), step(bn(s, 'conv1_bn'), x));
  x = step(pad(1, 'pool1_pad'), x);
  x = step(new MaxPooling2D({ poolSize: 3, strides: 2, name: 'pool1_pool', dataFormat: s.dataFormat }), x);
  const filters = [64, 128, 256, 512];
  for (let i = 0; i < 4; i++) {
    const name = `conv${i + 2}`;
    // V1 strides the first block of every stack but the first; V2 the last of every stack but the last.
    if (preact) x = stackV2(s, x, filters[i], blocks[i], i === 3 ? 1 : 2, name);
    else x = stackV1(s, x, filters[i], blocks[i], i === 0 ? 1 : 2, name);
  }
  if (preact) x = step(relu('post_relu'), step(bn(s, 'post_bn'), x));
  return finishApplication(sp, s, s.options.includeTop ? averagedTop(s, x) : poolFeatures(s, x));
}

const RESNET50 = spec('ResNet50', 'resnet50');
const RESNET101 = spec('ResNet101', 'resnet101');
const RESNET152 = spec('ResNet152', 'resnet152');
const RESNET50V2 = spec('ResNet50V2', 'resnet50v2');
const RESNET101V2 = spec('ResNet101V2', 'resnet101v2');
const RESNET152V2 = spec('ResNet152V2', 'resnet152v2');

/**
 * ResNet50 (keras.applications.ResNet50): 224x224 images by default, at least 32x32; inputs
 * scaled by applications.resnet.preprocessInput.
 * @example const model = await ts.applications.ResNet50({ weights: null, inputShape: [64, 64, 3], includeTop: false, pooling: 'avg' });
 */
export function ResNet50(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET50.op, 1, arguments.length);
  return resnet(RESNET50, options, [3, 4, 6, 3], false);
}

/** ResNet101 (keras.applications.ResNet101): as ResNet50 with 23 blocks in its third stack. */
export function ResNet101(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET101.op, 1, arguments.length);
  return resnet(RESNET101, options, [3, 4, 23, 3], false);
}

/** ResNet152 (keras.applications.ResNet152): as ResNet50 with stacks of 3, 8, 36 and 3 blocks. */
export function ResNet152(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET152.op, 1, arguments.length);
  return resnet(RESNET152, options, [3, 8, 36, 3], false);
}

/**
 * ResNet50V2 (keras.applications.ResNet50V2): pre-activation blocks; inputs scaled by
 * applications.resnetV2.preprocessInput (to [-1, 1]).
 */
export function ResNet50V2(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET50V2.op, 1, arguments.length);
  return resnet(RESNET50V2, options, [3, 4, 6, 3], true);
}

/** ResNet101V2 (keras.applications.ResNet101V2). */
export function ResNet101V2(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET101V2.op, 1, arguments.length);
  return resnet(RESNET101V2, options, [3, 4, 23, 3], true);
}

/** ResNet152V2 (keras.applications.ResNet152V2). */
export function ResNet152V2(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(RESNET152V2.op, 1, arguments.length);
  return resnet(RESNET152V2, options, [3, 8, 36, 3], true);
}

/**
 * RGB images in [0, 255] as ResNet expects them: BGR, less ImageNet's channel means ('caffe'
 * mode of imagenetUtils.preprocessInput; keras.applications.resnet.preprocess_input).
 */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.resnet.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.resnet.preprocessInput', 'caffe', x, options);
}

/** RGB images in [0, 255] scaled to [-1, 1] as ResNetV2 expects ('tf' mode; keras.applications.resnet_v2.preprocess_input). */
export function preprocessInputV2(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.resnetV2.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.resnetV2.preprocessInput', 'tf', x, options);
}
