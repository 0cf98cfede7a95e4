// keras.applications.mobilenet: MobileNet (v1), depthwise-separable convolutions whose width
// alpha scales, as Keras 3.15 builds it (the same layer names, so Keras's files load).
import { BatchNormalization } from '../layers/normalization';
import { Activation } from '../layers/core';
import { Conv2D, DepthwiseConv2D } from '../layers/convolutional';
import { Dropout } from '../layers/regularization';
import { GlobalAveragePooling2D } from '../layers/pooling';
import { ReLU } from '../layers/activations_layers';
import { Reshape } from '../layers/reshaping';
import { ZeroPadding2D } from '../layers/spatial_reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { poolUnnamed } from './graph_steps';
import { checkAlpha, checkRate, sizeFromInput } from './mobile_blocks';
import { checkOptions } from '../options/check';
import { ownEntry } from '../options/own_entry';

export { decodePredictions } from './imagenet_utils';

/** Options of MobileNet: the common ones and the width, depth multiplier and dropout of the paper. */
export interface MobileNetOptions extends ApplicationOptions {
  /** The width multiplier: the filters of every layer times alpha (default 1; 'imagenet' has 0.25, 0.5, 0.75, 1). */
  alpha?: number;
  /** The depthwise convolutions' output channels per input channel (default 1; 1 with 'imagenet'). */
  depthMultiplier?: number;
  /** The dropout rate before the classifier (default 0.001). */
  dropout?: number;
}

const SIZES = [128, 160, 192, 224];
const BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet/';
const ALPHA_TEXT: Record<string, string> = { '1': '1_0', '0.75': '7_5', '0.5': '5_0', '0.25': '2_5' };
type Start = ApplicationStart<MobileNetOptions & { alpha: number; depthMultiplier: number; dropout: number }>;

// Keras's _conv_block: the first convolution, its batch norm and relu6.
function convBlock(s: Start, x: SymbolicTensor, filters: number): SymbolicTensor {
  const { dataFormat, channelAxis } = s;
  x = new Conv2D({
    filters: Math.trunc(filters * s.options.alpha),
    kernelSize: 3,
    padding: 'same',
    useBias: false,
    strides: 2,
    name: 'conv1',
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: 'conv1_bn' }).apply(x) as SymbolicTensor;
  return new ReLU({ maxValue: 6, name: 'conv1_relu' }).apply(x) as SymbolicTensor;
}

// Keras's _depthwise_conv_block: depthwise 3x3 (padded by hand at stride 2), then pointwise 1x1.
function depthwiseBlock(s: Start, x: SymbolicTensor, filters: number, id: number, strides = 1): SymbolicTensor {
  const { dataFormat, channelAxis } = s;
  if (strides !== 1)
    x = new ZeroPadding2D({
      padding: [
        [0, 1],
        [0, 1],
      ],
      name: `conv_pad_${id}`,
      dataFormat,
    }).apply(x) as SymbolicTensor;
  x = new DepthwiseConv2D({
    kernelSize: 3,
    padding: strides === 1 ? 'same' : 'valid',
    depthMultiplier: s.options.depthMultiplier,
    strides,
    useBias: false,
    name: `conv_dw_${id}`,
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: `conv_dw_${id}_bn` }).apply(x) as SymbolicTensor;
  x = new ReLU({ maxValue: 6, name: `conv_dw_${id}_relu` }).apply(x) as SymbolicTensor;
  const pointwise = Math.trunc(filters * s.options.alpha);
  x = new Conv2D({ filters: pointwise, kernelSize: 1, padding: 'same', useBias: false, name: `conv_pw_${id}`, dataFormat }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: `conv_pw_${id}_bn` }).apply(x) as SymbolicTensor;
  return new ReLU({ maxValue: 6, name: `conv_pw_${id}_relu` }).apply(x) as SymbolicTensor;
}

// [filters, stride] of blocks 1..13.
const BLOCKS: [number, number][] = [
  [64, 1],
  [128, 2],
  [128, 1],
  [256, 2],
  [256, 1],
  [512, 2],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [512, 1],
  [1024, 2],
  [1024, 1],
];

/**
 * MobileNet (v1) (keras.applications.MobileNet): depthwise-separable convolutions, width
 * scaled by alpha. Inputs are RGB images scaled to [-1, 1] (mobilenet.preprocessInput).
 * @example const model = await ts.applications.MobileNet({ alpha: 0.5, weights: null, inputShape: [128, 128, 3] });
 */
export async function MobileNet(options?: MobileNetOptions | null): Promise<Functional> {
  const op = 'applications.MobileNet';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  const sized = sizeFromInput(options, SIZES, false);
  const spec: ApplicationSpec = { op, optionsEntry: op, defaultName: 'mobilenet', defaultSize: sized ?? 224, minSize: 32, weightsBase: BASE };
  const raw = checkOptions(op, options, op);
  // Only the published widths and sizes have files; the spec names them before the frame checks 'imagenet'.
  const imagenet = (raw.weights === undefined || raw.weights === 'imagenet') as boolean;
  const alpha = checkAlpha(op, raw.alpha ?? 1);
  const depthMultiplier = raw.depthMultiplier ?? 1;
  if (!Number.isInteger(depthMultiplier) || depthMultiplier < 1)
    throw new Error(`${op}: depthMultiplier must be a positive integer, got ${describe(depthMultiplier)}`);
  const dropout = checkRate(op, 'dropout', raw.dropout ?? 1e-3);
  if (imagenet) {
    if (depthMultiplier !== 1) throw new Error(`${op}: with 'imagenet' weights, depthMultiplier must be 1, got ${depthMultiplier}`);
    if (ownEntry(ALPHA_TEXT, String(alpha)) === undefined) throw new Error(`${op}: with 'imagenet' weights, alpha must be 0.25, 0.5, 0.75 or 1, got ${alpha}`);
    const rows = sized !== null && sized !== 224 ? sized : 224;
    const file = (top: boolean) => ({ file: `mobilenet_${ALPHA_TEXT[String(alpha)]}_${rows}_tf${top ? '' : '_no_top'}.h5`, hash: null });
    spec.imagenet = { top: file(true), notop: file(false) };
  }
  const s = startApplication(spec, options, { alpha, depthMultiplier, dropout }) as Start;
  const first = s.dataFormat === 'channelsFirst';
  let rows = s.inputShape[first ? 1 : 0];
  const cols = s.inputShape[first ? 2 : 1];
  if (imagenet && (rows !== cols || rows === null || !SIZES.includes(rows))) {
    console.warn(`${op}: the input is not square or not ${SIZES.join(', ')} pixels; the weights for 224x224 are loaded`);
    rows = 224;
  }
  if (raw.name === undefined) s.options.name = `mobilenet_${alpha.toFixed(2)}_${rows ?? 'None'}`;

  let x = convBlock(s, s.image, 32);
  BLOCKS.forEach(([filters, strides], i) => (x = depthwiseBlock(s, x, filters, i + 1, strides)));
  const { dataFormat, options: o } = s;
  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ keepdims: true, dataFormat }).apply(x) as SymbolicTensor;
    x = new Dropout({ rate: dropout, name: 'dropout' }).apply(x) as SymbolicTensor;
    x = new Conv2D({ filters: o.classes, kernelSize: 1, padding: 'same', name: 'conv_preds', dataFormat }).apply(x) as SymbolicTensor;
    x = new Reshape({ targetShape: [o.classes], name: 'reshape_2' }).apply(x) as SymbolicTensor;
    x = new Activation({ activation: o.classifierActivation ?? 'linear', name: 'predictions' }).apply(x) as SymbolicTensor;
  } else x = poolUnnamed(s, x);
  return finishApplication(spec, s, x);
}

/**
 * Scales RGB images in [0, 255] to [-1, 1], as MobileNet was trained
 * (keras.applications.mobilenet.preprocess_input).
 * @example ts.applications.mobilenet.preprocessInput(images)
 */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  const op = 'applications.mobilenet.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return familyPreprocess(op, 'tf', x, options);
}
