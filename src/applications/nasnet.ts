// keras.applications.nasnet: NASNet-A (Zoph et al. 2018), built as Keras 3.15 builds it: normal
// and reduction cells of separable convolutions and poolings, Keras's layer names (its unnamed
// activations, paddings, croppings and adds numbered in the same order), so its files load.
import { Activation } from '../layers/core';
import { Conv2D, SeparableConv2D } from '../layers/convolutional';
import { Dense } from '../layers/dense';
import { Add, Concatenate } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D } from '../layers/pooling';
import { Cropping2D, ZeroPadding2D } from '../layers/spatial_reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { imageDataFormat } from '../config/settings';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec } from './application';

/** Options of NASNetMobile and NASNetLarge. */
export type NASNetOptions = ApplicationOptions;

type T = SymbolicTensor;
const apply = (layer: { apply(x: T | T[]): unknown }, x: T | T[]): T => layer.apply(x) as T;
const bn = (x: T, name: string) => apply(new BatchNormalization({ axis: -1, momentum: 0.9997, epsilon: 1e-3, name }), x);
const relu = (x: T, name?: string) => apply(new Activation({ activation: 'relu', name }), x);
const conv1x1 = (x: T, filters: number, name: string) =>
  apply(new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: 'heNormal', name }), x);
const add = (xs: T[], name?: string) => apply(new Add({ name }), xs);
const avgPool = (x: T, size: number, strides: number, padding: 'same' | 'valid', name: string) =>
  apply(new AveragePooling2D({ poolSize: size, strides, padding, name }), x);

// Keras's imagenet_utils.correct_pad: the zero padding before a strided 'valid' conv of `kernel` (channels-last).
function correctPad(x: T, kernel: number): [[number, number], [number, number]] {
  const adjust = [x.shape[1], x.shape[2]].map((d) => (d === null ? 1 : 1 - (d % 2)));
  const c = Math.floor(kernel / 2);
  return [
    [c - adjust[0], c],
    [c - adjust[1], c],
  ];
}

// relu, separable conv, BN, relu, separable conv, BN (the first strided after Keras's padding).
function separableBlock(x: T, filters: number, kernel: number, strides: number, id: string): T {
  x = relu(x);
  let padding: 'same' | 'valid' = 'same';
  if (strides === 2) {
    x = apply(new ZeroPadding2D({ padding: correctPad(x, kernel), name: `separable_conv_1_pad_${id}` }), x);
    padding = 'valid';
  }
  x = apply(new SeparableConv2D({ filters, kernelSize: kernel, strides, padding, useBias: false, name: `separable_conv_1_${id}` }), x);
  x = relu(bn(x, `separable_conv_1_bn_${id}`));
  x = apply(new SeparableConv2D({ filters, kernelSize: kernel, padding: 'same', useBias: false, name: `separable_conv_2_${id}` }), x);
  return bn(x, `separable_conv_2_bn_${id}`);
}

// The previous cell's output `p` matched to `ip`'s size (halved by two offset paths) or to `filters` channels.
function adjustBlock(p: T | null, ip: T, filters: number, id: string): T {
  if (p === null) return ip;
  if (p.shape[2] !== ip.shape[2]) {
    p = relu(p, `adjust_relu_1_${id}`);
    let p1 = avgPool(p, 1, 2, 'valid', `adjust_avg_pool_1_${id}`);
    p1 = conv1x1(p1, Math.floor(filters / 2), `adjust_conv_1_${id}`);
    let p2 = apply(
      new ZeroPadding2D({
        padding: [
          [0, 1],
          [0, 1],
        ],
      }),
      p,
    );
    p2 = apply(
      new Cropping2D({
        cropping: [
          [1, 0],
          [1, 0],
        ],
      }),
      p2,
    );
    p2 = avgPool(p2, 1, 2, 'valid', `adjust_avg_pool_2_${id}`);
    p2 = conv1x1(p2, Math.floor(filters / 2), `adjust_conv_2_${id}`);
    return bn(apply(new Concatenate({ axis: -1 }), [p1, p2]), `adjust_bn_${id}`);
  }
  if (p.shape[3] !== filters) return bn(conv1x1(relu(p), filters, `adjust_conv_projection_${id}`), `adjust_bn_${id}`);
  return p;
}

function normalCell(ip: T, pIn: T | null, filters: number, id: string): [T, T] {
  const p = adjustBlock(pIn, ip, filters, id);
  const h = bn(conv1x1(relu(ip), filters, `normal_conv_1_${id}`), `normal_bn_1_${id}`);
  const x1 = add([separableBlock(h, filters, 5, 1, `normal_left1_${id}`), separableBlock(p, filters, 3, 1, `normal_right1_${id}`)], `normal_add_1_${id}`);
  const x2 = add([separableBlock(p, filters, 5, 1, `normal_left2_${id}`), separableBlock(p, filters, 3, 1, `normal_right2_${id}`)], `normal_add_2_${id}`);
  const x3 = add([avgPool(h, 3, 1, 'same', `normal_left3_${id}`), p], `normal_add_3_${id}`);
  const x4 = add([avgPool(p, 3, 1, 'same', `normal_left4_${id}`), avgPool(p, 3, 1, 'same', `normal_right4_${id}`)], `normal_add_4_${id}`);
  const x5 = add([separableBlock(h, filters, 3, 1, `normal_left5_${id}`), h], `normal_add_5_${id}`);
  return [apply(new Concatenate({ axis: -1, name: `normal_concat_${id}` }), [p, x1, x2, x3, x4, x5]), ip];
}

function reductionCell(ip: T, pIn: T | null, filters: number, id: string): [T, T] {
  const p = adjustBlock(pIn, ip, filters, id);
  const h = bn(conv1x1(relu(ip), filters, `reduction_conv_1_${id}`), `reduction_bn_1_${id}`);
  const h3 = apply(new ZeroPadding2D({ padding: correctPad(h, 3), name: `reduction_pad_1_${id}` }), h);
  const x1 = add(
    [separableBlock(h, filters, 5, 2, `reduction_left1_${id}`), separableBlock(p, filters, 7, 2, `reduction_right1_${id}`)],
    `reduction_add_1_${id}`,
  );
  const x2 = add(
    [
      apply(new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'valid', name: `reduction_left2_${id}` }), h3),
      separableBlock(p, filters, 7, 2, `reduction_right2_${id}`),
    ],
    `reduction_add_2_${id}`,
  );
  const x3 = add([avgPool(h3, 3, 2, 'valid', `reduction_left3_${id}`), separableBlock(p, filters, 5, 2, `reduction_right3_${id}`)], `reduction_add3_${id}`);
  const x4 = add([x2, avgPool(x1, 3, 1, 'same', `reduction_left4_${id}`)]);
  const x5 = add(
    [
      separableBlock(x1, filters, 3, 1, `reduction_left4_${id}`),
      apply(new MaxPooling2D({ poolSize: 3, strides: 2, padding: 'valid', name: `reduction_right5_${id}` }), h3),
    ],
    `reduction_add4_${id}`,
  );
  return [apply(new Concatenate({ axis: -1, name: `reduction_concat_${id}` }), [x2, x3, x4, x5]), ip];
}

/** @internal A NASNet-A configuration (Keras's NASNet arguments). */
export interface NASNetConfig {
  /** Keras's penultimate_filters (a multiple of 96). */
  penultimate: number;
  /** Normal cells between reductions (num_blocks). */
  blocks: number;
  /** The stem conv's filters. */
  stemFilters: number;
  /** Whether the cells after a reduction take the cell before it as their previous input (skip_reduction). */
  skipReduction: boolean;
}

/** @internal NASNet of any configuration: the variants, and the tests' small twin of NASNetLarge. */
export async function nasnet(spec: ApplicationSpec, c: NASNetConfig, options: NASNetOptions | undefined): Promise<Functional> {
  if (imageDataFormat() === 'channelsFirst')
    throw new Error(`${spec.op}: NASNet does not support channels-first images (as in Keras); set config.setImageDataFormat('channelsLast')`);
  // Keras fixes the default size without the top too (not a free size as other architectures).
  const given = options !== null && typeof options === 'object' ? options : {};
  const fixed = given.includeTop === false && given.inputShape == null && given.inputTensor == null;
  const start = startApplication<NASNetOptions>(spec, fixed ? { ...given, inputShape: [spec.defaultSize, spec.defaultSize, 3] } : options);
  const o = start.options;
  if (o.weights === 'imagenet' && start.inputShape.includes(null))
    throw new Error(`${spec.op}: with 'imagenet' weights the inputShape must be static (no null sizes), got ${describe(start.inputShape)}`);
  const multiplier = 2;
  const filters = Math.floor(c.penultimate / 24);
  let x = apply(
    new Conv2D({ filters: c.stemFilters, kernelSize: 3, strides: 2, padding: 'valid', useBias: false, kernelInitializer: 'heNormal', name: 'stem_conv1' }),
    start.image,
  );
  x = bn(x, 'stem_bn1');
  let p: T | null = null;
  [x, p] = reductionCell(x, p, Math.floor(filters / multiplier ** 2), 'stem_1');
  [x, p] = reductionCell(x, p, Math.floor(filters / multiplier), 'stem_2');
  for (let i = 0; i < c.blocks; i++) [x, p] = normalCell(x, p, filters, `${i}`);
  let p0: T;
  [x, p0] = reductionCell(x, p, filters * multiplier, `reduce_${c.blocks}`);
  if (!c.skipReduction) p = p0;
  for (let i = 0; i < c.blocks; i++) [x, p] = normalCell(x, p, filters * multiplier, `${c.blocks + i + 1}`);
  [x, p0] = reductionCell(x, p, filters * multiplier ** 2, `reduce_${2 * c.blocks}`);
  if (!c.skipReduction) p = p0;
  for (let i = 0; i < c.blocks; i++) [x, p] = normalCell(x, p, filters * multiplier ** 2, `${2 * c.blocks + i + 1}`);
  x = relu(x);
  if (o.includeTop) {
    x = apply(new GlobalAveragePooling2D({}), x);
    x = apply(new Dense({ units: o.classes, activation: o.classifierActivation ?? 'linear', name: 'predictions' }), x);
  } else if (o.pooling === 'avg') x = apply(new GlobalAveragePooling2D({}), x);
  else if (o.pooling === 'max') x = apply(new GlobalMaxPooling2D({}), x);
  return finishApplication(spec, start, x);
}

const WEIGHTS_BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/nasnet/';

/**
 * Instantiates NASNetMobile (5.3M parameters with the top; 224x224, also without the top
 * unless inputShape is given). Takes images scaled by nasnet.preprocessInput (to [-1, 1]).
 */
export function NASNetMobile(options?: NASNetOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.NASNetMobile', 1, arguments.length);
  const spec: ApplicationSpec = {
    op: 'applications.NASNetMobile',
    optionsEntry: 'applications.NASNetMobile',
    defaultName: 'nasnet_mobile',
    defaultSize: 224,
    minSize: 32,
    weightsBase: WEIGHTS_BASE,
    // Keras's URLs and md5s (Keras caches them as nasnet_mobile.h5 and nasnet_mobile_no_top.h5).
    imagenet: {
      top: { file: 'NASNet-mobile.h5', hash: '020fb642bf7360b370c678b08e0adf61' },
      notop: { file: 'NASNet-mobile-no-top.h5', hash: '1ed92395b5b598bdda52abe5c0dbfd63' },
    },
  };
  return nasnet(spec, { penultimate: 1056, blocks: 4, stemFilters: 32, skipReduction: false }, options);
}

/** Instantiates NASNetLarge (88.9M parameters with the top; 331x331, also without the top unless inputShape is given). */
export function NASNetLarge(options?: NASNetOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.NASNetLarge', 1, arguments.length);
  const spec: ApplicationSpec = {
    op: 'applications.NASNetLarge',
    optionsEntry: 'applications.NASNetLarge',
    defaultName: 'nasnet_large',
    defaultSize: 331,
    minSize: 32,
    weightsBase: WEIGHTS_BASE,
    imagenet: {
      top: { file: 'NASNet-large.h5', hash: '11577c9a518f0070763c2b964a382f17' },
      notop: { file: 'NASNet-large-no-top.h5', hash: 'd81d89dc07e6e56530c4e77faddd61b5' },
    },
  };
  return nasnet(spec, { penultimate: 4032, blocks: 6, stemFilters: 96, skipReduction: true }, options);
}
