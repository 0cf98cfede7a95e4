// keras.applications.mobilenet_v3: MobileNetV3Small and MobileNetV3Large (inverted residual
// blocks with squeeze-excite and hard-swish; minimalistic: 3x3 kernels, relu, no squeeze-excite),
// as Keras 3.15 builds them (the same layer names, so Keras's files load).
import { ReLU } from '../layers/activations_layers';
import { Activation } from '../layers/core';
import { Conv2D, DepthwiseConv2D } from '../layers/convolutional';
import { Rescaling } from '../layers/image_preprocessing';
import { operation } from '../layers/keras_operation_call';
import { Add, Multiply } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { GlobalAveragePooling2D } from '../layers/pooling';
import { Dropout } from '../layers/regularization';
import { Flatten } from '../layers/reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, poolFeatures, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import type { PreprocessInputOptions } from './imagenet_utils';
import { checkAlpha, checkFlag, checkRate, identityPreprocess, makeDivisible, padForStride2 } from './mobile_blocks';

export { decodePredictions } from './imagenet_utils';

/** Options of MobileNetV3Small and MobileNetV3Large. */
export interface MobileNetV3Options extends ApplicationOptions {
  /** The width multiplier of the blocks' filters (default 1; 'imagenet' has 0.75 and 1, minimalistic only 1). */
  alpha?: number;
  /** The simpler variant: 3x3 kernels, relu instead of hard-swish, no squeeze-excite (default false). */
  minimalistic?: boolean;
  /** Whether the model scales its [0, 255] input to [-1, 1] itself, by a Rescaling layer (default true). */
  includePreprocessing?: boolean;
  /** The dropout rate before the classifier (default 0.2; 0 leaves the Dropout layer out). */
  dropoutRate?: number;
}

const BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v3/';
// [with the top, without] md5 hashes of Keras's files, by model name.
const HASHES: Record<string, [string, string]> = {
  'large_224_0.75_float': ['765b44a33ad4005b3ac83185abf1d0eb', '40af19a13ebea4e2ee0c676887f69a2e'],
  'large_224_1.0_float': ['59e551e166be033d707958cf9e29a6a7', '07fb09a5933dd0c8eaafa16978110389'],
  'large_minimalistic_224_1.0_float': ['675e7b876c45c57e9e63e6d90a36599c', 'ec5221f64a2f6d1ef965a614bdae7973'],
  'small_224_0.75_float': ['cb65d4e5be93758266aa0a7f2c6708b7', 'ebdb5cc8e0b497cd13a7c275d475c819'],
  'small_224_1.0_float': ['8768d4c2e7dee89b9d02b2d03d65d862', 'd3e8ec802a04aa4fc771ee12a9a9b836'],
  'small_minimalistic_224_1.0_float': ['99cd97fb2fcdad2bf028eb838de69e37', 'cde8136e733e811080d9fcd8a252f7e4'],
};

type Act = (x: SymbolicTensor) => SymbolicTensor;
type Start = ApplicationStart<MobileNetV3Options>;
// [expansion, filters, kernel ('k': the variant's), stride, squeeze-excite?, activation ('relu' or the variant's)]
type BlockRow = [number, number, 3 | 'k', 1 | 2, boolean, 'relu' | 'act'];

const SMALL: BlockRow[] = [
  [1, 16, 3, 2, true, 'relu'],
  [72 / 16, 24, 3, 2, false, 'relu'],
  [88 / 24, 24, 3, 1, false, 'relu'],
  [4, 40, 'k', 2, true, 'act'],
  [6, 40, 'k', 1, true, 'act'],
  [6, 40, 'k', 1, true, 'act'],
  [3, 48, 'k', 1, true, 'act'],
  [3, 48, 'k', 1, true, 'act'],
  [6, 96, 'k', 2, true, 'act'],
  [6, 96, 'k', 1, true, 'act'],
  [6, 96, 'k', 1, true, 'act'],
];
const LARGE: BlockRow[] = [
  [1, 16, 3, 1, false, 'relu'],
  [4, 24, 3, 2, false, 'relu'],
  [3, 24, 3, 1, false, 'relu'],
  [3, 40, 'k', 2, true, 'relu'],
  [3, 40, 'k', 1, true, 'relu'],
  [3, 40, 'k', 1, true, 'relu'],
  [6, 80, 3, 2, false, 'act'],
  [2.5, 80, 3, 1, false, 'act'],
  [2.3, 80, 3, 1, false, 'act'],
  [2.3, 80, 3, 1, false, 'act'],
  [6, 112, 3, 1, true, 'act'],
  [6, 112, 3, 1, true, 'act'],
  [6, 160, 'k', 2, true, 'act'],
  [6, 160, 'k', 1, true, 'act'],
  [6, 160, 'k', 1, true, 'act'],
];

const relu: Act = (x) => new ReLU().apply(x) as SymbolicTensor;
const hardSwish: Act = (x) => new Activation({ activation: 'hard_swish' }).apply(x) as SymbolicTensor;
// Keras writes hard sigmoid as relu6(x + 3) / 6 with bare ops: the same two operation nodes here.
const hardSigmoid: Act = (x) => operation('multiply', [new ReLU({ maxValue: 6 }).apply(operation('add', [x, 3.0])) as SymbolicTensor, 1.0 / 6.0]);

function bn(s: Start, x: SymbolicTensor, name: string): SymbolicTensor {
  return new BatchNormalization({ axis: s.channelAxis, epsilon: 1e-3, momentum: 0.999, name }).apply(x) as SymbolicTensor;
}

// Keras's _se_block: squeeze (mean), excite (two 1x1 convolutions), scale the input.
function seBlock(s: Start, inputs: SymbolicTensor, filters: number, prefix: string): SymbolicTensor {
  const dataFormat = s.dataFormat;
  let x = new GlobalAveragePooling2D({ keepdims: true, name: `${prefix}squeeze_excite_avg_pool`, dataFormat }).apply(inputs) as SymbolicTensor;
  x = new Conv2D({ filters: makeDivisible(filters * 0.25), kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv`, dataFormat }).apply(
    x,
  ) as SymbolicTensor;
  x = new ReLU({ name: `${prefix}squeeze_excite_relu` }).apply(x) as SymbolicTensor;
  x = new Conv2D({ filters, kernelSize: 1, padding: 'same', name: `${prefix}squeeze_excite_conv_1`, dataFormat }).apply(x) as SymbolicTensor;
  x = hardSigmoid(x);
  return new Multiply({ name: `${prefix}squeeze_excite_mul` }).apply([inputs, x]) as SymbolicTensor;
}

// Keras's _inverted_res_block of MobileNetV3.
function invertedResBlock(s: Start, x: SymbolicTensor, expansion: number, filters: number, kernel: number, stride: number, se: boolean, act: Act, id: number) {
  const dataFormat = s.dataFormat;
  const shortcut = x;
  const inFilters = x.shape[s.channelAxis] as number;
  const prefix = id > 0 ? `expanded_conv_${id}_` : 'expanded_conv_';
  if (id > 0) {
    x = new Conv2D({
      filters: makeDivisible(inFilters * expansion),
      kernelSize: 1,
      padding: 'same',
      useBias: false,
      name: `${prefix}expand`,
      dataFormat,
    }).apply(x) as SymbolicTensor;
    x = act(bn(s, x, `${prefix}expand_bn`));
  }
  if (stride === 2) x = padForStride2(x, kernel, `${prefix}depthwise_pad`, dataFormat);
  x = new DepthwiseConv2D({
    kernelSize: kernel,
    strides: stride,
    padding: stride === 1 ? 'same' : 'valid',
    useBias: false,
    name: `${prefix}depthwise`,
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = act(bn(s, x, `${prefix}depthwise_bn`));
  if (se) x = seBlock(s, x, makeDivisible(inFilters * expansion), prefix);
  x = new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project`, dataFormat }).apply(x) as SymbolicTensor;
  x = bn(s, x, `${prefix}project_bn`);
  if (stride === 1 && inFilters === filters) x = new Add({ name: `${prefix}add` }).apply([shortcut, x]) as SymbolicTensor;
  return x;
}

// Keras's MobileNetV3: the stem, the blocks of `rows`, the last convolutions and the top.
async function mobileNetV3(op: string, type: 'small' | 'large', rows: BlockRow[], lastPoint: number, options: MobileNetV3Options | null | undefined) {
  const spec: ApplicationSpec = {
    op,
    optionsEntry: op,
    defaultName: type === 'small' ? 'MobileNetV3Small' : 'MobileNetV3Large',
    defaultSize: 224,
    minSize: 32,
    weightsBase: BASE,
  };
  const raw = checkOptions(op, options, op);
  const alpha = checkAlpha(op, raw.alpha ?? 1);
  const minimalistic = checkFlag(op, 'minimalistic', raw.minimalistic ?? false);
  const includePreprocessing = checkFlag(op, 'includePreprocessing', raw.includePreprocessing ?? true);
  const dropoutRate = checkRate(op, 'dropoutRate', raw.dropoutRate ?? 0.2);
  if (raw.weights === undefined || raw.weights === 'imagenet') {
    if (minimalistic ? alpha !== 1 : alpha !== 0.75 && alpha !== 1)
      throw new Error(`${op}: with 'imagenet' weights, alpha must be 0.75 or 1 (1 when minimalistic), got ${alpha}${minimalistic ? ' with minimalistic' : ''}`);
    const model = `${type}${minimalistic ? '_minimalistic' : ''}_224_${alpha === 1 ? '1.0' : '0.75'}_float`;
    spec.imagenet = {
      top: { file: `weights_mobilenet_v3_${model}.h5`, hash: HASHES[model][0] },
      notop: { file: `weights_mobilenet_v3_${model}_no_top_v2.h5`, hash: HASHES[model][1] },
    };
  }
  // Keras takes any size (no default 224) unless the top with 'imagenet' needs it: no flattening required.
  spec.requireFlatten = () => false;
  const s = startApplication(spec, options, { alpha, minimalistic, includePreprocessing, dropoutRate });
  const first = s.dataFormat === 'channelsFirst';
  const [h, w] = first ? s.inputShape.slice(1) : s.inputShape.slice(0, 2);
  if (spec.imagenet !== undefined && (h !== w || h !== 224))
    console.warn(`${op}: the input is not square or not 224 pixels; the weights for 224x224 are loaded`);
  const { dataFormat, channelAxis, options: o } = s;
  const kernel = minimalistic ? 3 : 5;
  const act = minimalistic ? relu : hardSwish;

  let x = s.image;
  if (includePreprocessing) x = new Rescaling({ scale: 1 / 127.5, offset: -1 }).apply(x) as SymbolicTensor;
  x = new Conv2D({ filters: 16, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv', dataFormat }).apply(x) as SymbolicTensor;
  x = act(bn(s, x, 'conv_bn'));
  rows.forEach(([expansion, filters, k, stride, se, a], id) => {
    x = invertedResBlock(s, x, expansion, makeDivisible(filters * alpha), k === 'k' ? kernel : k, stride, se && !minimalistic, a === 'relu' ? relu : act, id);
  });
  const lastConv = makeDivisible((x.shape[channelAxis] as number) * 6);
  x = new Conv2D({ filters: lastConv, kernelSize: 1, padding: 'same', useBias: false, name: 'conv_1', dataFormat }).apply(x) as SymbolicTensor;
  x = act(bn(s, x, 'conv_1_bn'));
  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ keepdims: true, dataFormat }).apply(x) as SymbolicTensor;
    const points = alpha > 1 ? makeDivisible(lastPoint * alpha) : lastPoint;
    x = act(new Conv2D({ filters: points, kernelSize: 1, padding: 'same', name: 'conv_2', dataFormat }).apply(x) as SymbolicTensor);
    if (dropoutRate > 0) x = new Dropout({ rate: dropoutRate }).apply(x) as SymbolicTensor;
    x = new Conv2D({ filters: o.classes, kernelSize: 1, padding: 'same', name: 'logits', dataFormat }).apply(x) as SymbolicTensor;
    x = new Flatten().apply(x) as SymbolicTensor;
    x = new Activation({ activation: o.classifierActivation ?? 'linear', name: 'predictions' }).apply(x) as SymbolicTensor;
  } else x = poolFeatures(s, x);
  return finishApplication(spec, s, x);
}

/**
 * MobileNetV3Small (keras.applications.MobileNetV3Small). The model takes RGB images in
 * [0, 255] (it rescales them itself unless includePreprocessing is false).
 * @example const model = await ts.applications.MobileNetV3Small({ weights: null, minimalistic: true });
 */
export async function MobileNetV3Small(options?: MobileNetV3Options | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.MobileNetV3Small', 1, arguments.length);
  return mobileNetV3('applications.MobileNetV3Small', 'small', SMALL, 1024, options);
}

/**
 * MobileNetV3Large (keras.applications.MobileNetV3Large). The model takes RGB images in
 * [0, 255] (it rescales them itself unless includePreprocessing is false).
 * @example const model = await ts.applications.MobileNetV3Large({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function MobileNetV3Large(options?: MobileNetV3Options | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.MobileNetV3Large', 1, arguments.length);
  return mobileNetV3('applications.MobileNetV3Large', 'large', LARGE, 1280, options);
}

/**
 * The input as it is: MobileNetV3 models rescale inside (keras.applications.mobilenet_v3.preprocess_input).
 * @example ts.applications.mobilenetV3.preprocessInput(images)
 */
export function preprocessInput(x: Tensor, options?: Pick<PreprocessInputOptions, 'dataFormat'> | null): Tensor {
  const op = 'applications.mobilenetV3.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return identityPreprocess(op, x, options);
}
