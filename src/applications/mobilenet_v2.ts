// keras.applications.mobilenet_v2: MobileNetV2, inverted residual blocks with linear
// bottlenecks, as Keras 3.15 builds it (the same layer names, so Keras's files load).
import { ReLU } from '../layers/activations_layers';
import { Conv2D, DepthwiseConv2D } from '../layers/convolutional';
import { Dense } from '../layers/dense';
import { Add } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { GlobalAveragePooling2D } from '../layers/pooling';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { poolUnnamed } from './graph_steps';
import { checkAlpha, makeDivisible, padForStride2, sizeFromInput } from './mobile_blocks';

export { decodePredictions } from './imagenet_utils';

/** Options of MobileNetV2: the common ones and the width multiplier. */
export interface MobileNetV2Options extends ApplicationOptions {
  /** The width multiplier: the filters of every block times alpha (default 1; 'imagenet' has 0.35, 0.5, 0.75, 1, 1.3, 1.4). */
  alpha?: number;
}

const SIZES = [96, 128, 160, 192, 224];
const ALPHAS = [0.35, 0.5, 0.75, 1, 1.3, 1.4];
const BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/';
type Start = ApplicationStart<MobileNetV2Options>;

// Python's str(float(alpha)) for the published widths: '1.0', '0.35'.
const floatText = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

// Keras's _inverted_res_block: 1x1 expansion (not in block 0), 3x3 depthwise, 1x1 linear projection, residual when shapes allow.
function invertedResBlock(s: Start, inputs: SymbolicTensor, alpha: number, filters: number, stride: number, expansion: number, id: number): SymbolicTensor {
  const { dataFormat, channelAxis } = s;
  const bn = (x: SymbolicTensor, name: string) =>
    new BatchNormalization({ axis: channelAxis, epsilon: 1e-3, momentum: 0.999, name }).apply(x) as SymbolicTensor;
  const inChannels = inputs.shape[channelAxis] as number;
  const pointwise = makeDivisible(Math.trunc(filters * alpha), 8);
  let x = inputs;
  let prefix = `block_${id}_`;
  if (id > 0) {
    x = new Conv2D({ filters: expansion * inChannels, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}expand`, dataFormat }).apply(
      x,
    ) as SymbolicTensor;
    x = bn(x, `${prefix}expand_BN`);
    x = new ReLU({ maxValue: 6, name: `${prefix}expand_relu` }).apply(x) as SymbolicTensor;
  } else prefix = 'expanded_conv_';
  if (stride === 2) x = padForStride2(x, 3, `${prefix}pad`, dataFormat);
  x = new DepthwiseConv2D({
    kernelSize: 3,
    strides: stride,
    useBias: false,
    padding: stride === 1 ? 'same' : 'valid',
    name: `${prefix}depthwise`,
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = bn(x, `${prefix}depthwise_BN`);
  x = new ReLU({ maxValue: 6, name: `${prefix}depthwise_relu` }).apply(x) as SymbolicTensor;
  x = new Conv2D({ filters: pointwise, kernelSize: 1, padding: 'same', useBias: false, name: `${prefix}project`, dataFormat }).apply(x) as SymbolicTensor;
  x = bn(x, `${prefix}project_BN`);
  if (inChannels === pointwise && stride === 1) return new Add({ name: `${prefix}add` }).apply([inputs, x]) as SymbolicTensor;
  return x;
}

// [filters, stride, expansion] of blocks 0..16.
const BLOCKS: [number, number, number][] = [
  [16, 1, 1],
  [24, 2, 6],
  [24, 1, 6],
  [32, 2, 6],
  [32, 1, 6],
  [32, 1, 6],
  [64, 2, 6],
  [64, 1, 6],
  [64, 1, 6],
  [64, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [96, 1, 6],
  [160, 2, 6],
  [160, 1, 6],
  [160, 1, 6],
  [320, 1, 6],
];

/**
 * MobileNetV2 (keras.applications.MobileNetV2): inverted residual blocks, width scaled by
 * alpha. Inputs are RGB images scaled to [-1, 1] (mobilenetV2.preprocessInput).
 * @example const model = await ts.applications.MobileNetV2({ alpha: 0.35, weights: null, includeTop: false, pooling: 'avg' });
 */
export async function MobileNetV2(options?: MobileNetV2Options | null): Promise<Functional> {
  const op = 'applications.MobileNetV2';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  const sized = sizeFromInput(options, SIZES, true);
  const spec: ApplicationSpec = { op, optionsEntry: op, defaultName: 'mobilenetv2', defaultSize: sized ?? 224, minSize: 32, weightsBase: BASE };
  const raw = checkOptions(op, options, op);
  const imagenet = raw.weights === undefined || raw.weights === 'imagenet';
  const alpha = checkAlpha(op, raw.alpha ?? 1);
  if (imagenet) {
    if (!ALPHAS.includes(alpha)) throw new Error(`${op}: with 'imagenet' weights, alpha must be one of ${ALPHAS.join(', ')}, got ${alpha}`);
    const rows = sized ?? 224;
    const file = (top: boolean) => ({
      file: `mobilenet_v2_weights_tf_dim_ordering_tf_kernels_${floatText(alpha)}_${rows}${top ? '' : '_no_top'}.h5`,
      hash: null,
    });
    spec.imagenet = { top: file(true), notop: file(false) };
  }
  const s = startApplication(spec, options, { alpha });
  const first = s.dataFormat === 'channelsFirst';
  let rows = s.inputShape[first ? 1 : 0];
  const cols = s.inputShape[first ? 2 : 1];
  if (imagenet && (rows !== cols || rows === null || !SIZES.includes(rows))) {
    console.warn(`${op}: the input is not square or not ${SIZES.join(', ')} pixels; the weights for 224x224 are loaded`);
    rows = 224;
  }
  if (raw.name === undefined) s.options.name = `mobilenetv2_${alpha.toFixed(2)}_${rows ?? 'None'}`;

  const { dataFormat, channelAxis, options: o } = s;
  let x = new Conv2D({ filters: makeDivisible(32 * alpha, 8), kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'Conv1', dataFormat }).apply(
    s.image,
  ) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, epsilon: 1e-3, momentum: 0.999, name: 'bn_Conv1' }).apply(x) as SymbolicTensor;
  x = new ReLU({ maxValue: 6, name: 'Conv1_relu' }).apply(x) as SymbolicTensor;
  BLOCKS.forEach(([filters, stride, expansion], id) => (x = invertedResBlock(s, x, alpha, filters, stride, expansion, id)));
  const last = alpha > 1 ? makeDivisible(1280 * alpha, 8) : 1280;
  x = new Conv2D({ filters: last, kernelSize: 1, useBias: false, name: 'Conv_1', dataFormat }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, epsilon: 1e-3, momentum: 0.999, name: 'Conv_1_bn' }).apply(x) as SymbolicTensor;
  x = new ReLU({ maxValue: 6, name: 'out_relu' }).apply(x) as SymbolicTensor;
  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ dataFormat }).apply(x) as SymbolicTensor;
    x = new Dense({ units: o.classes, activation: o.classifierActivation, name: 'predictions' }).apply(x) as SymbolicTensor;
  } else x = poolUnnamed(s, x);
  return finishApplication(spec, s, x);
}

/**
 * Scales RGB images in [0, 255] to [-1, 1], as MobileNetV2 was trained
 * (keras.applications.mobilenet_v2.preprocess_input).
 * @example ts.applications.mobilenetV2.preprocessInput(images)
 */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  const op = 'applications.mobilenetV2.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return familyPreprocess(op, 'tf', x, options);
}
