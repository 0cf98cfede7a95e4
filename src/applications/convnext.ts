// keras.applications.convnext: ConvNeXt (Liu et al. 2022, "A ConvNet for the 2020s"), built
// as Keras 3.15 builds it: layer names, nested stem / downsampling Sequentials and the
// ImageNet normalization layer included, so Keras's weight files load by name.
import { imageDataFormat } from '../config/settings';
import { Activation } from '../layers/core';
import { Conv2D } from '../layers/convolutional';
import { Dense } from '../layers/dense';
import { operation } from '../layers/keras_operation_call';
import { LayerScale } from '../layers/layer_scale';
import { LayerNormalization } from '../layers/normalization';
import { GlobalAveragePooling2D, GlobalMaxPooling2D } from '../layers/pooling';
import { Normalization } from '../layers/preprocessing/feature_normalization';
import { StochasticDepth } from '../layers/stochastic_depth';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import type { Functional } from '../models/functional';
import { Sequential } from '../models/sequential';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { finishApplication, startApplication, type ApplicationOptions, type ApplicationSpec } from './application';

/** Options of the ConvNeXt architectures. */
export interface ConvNeXtOptions extends ApplicationOptions {
  /** Whether the model starts with a Normalization layer by ImageNet's mean and variance, taking pixels in [0, 255] (default true; needed for 'imagenet' weights). */
  includePreprocessing?: boolean;
}

interface Variant {
  depths: [number, number, number, number];
  dims: [number, number, number, number];
  top: string;
  notop: string;
}

// Keras's MODEL_CONFIGS and WEIGHTS_HASHES (sha256 of '<name>.h5' and '<name>_notop.h5').
const VARIANTS: Record<string, Variant> = {
  tiny: {
    depths: [3, 3, 9, 3],
    dims: [96, 192, 384, 768],
    top: '8ae6e78ce2933352b1ef4008e6dd2f17bc40771563877d156bc6426c7cf503ff',
    notop: 'd547c096cabd03329d7be5562c5e14798aa39ed24b474157cef5e85ab9e49ef1',
  },
  small: {
    depths: [3, 3, 27, 3],
    dims: [96, 192, 384, 768],
    top: 'ce1277d8f1ee5a0ef0e171469089c18f5233860ceaf9b168049cb9263fd7483c',
    notop: '6fc8009faa2f00c1c1dfce59feea9b0745eb260a7dd11bee65c8e20843da6eab',
  },
  base: {
    depths: [3, 3, 27, 3],
    dims: [128, 256, 512, 1024],
    top: '52cbb006d3dadd03f6e095a8ca1aca47aecdd75acb4bc74bce1f5c695d0086e6',
    notop: '40a20c5548a5e9202f69735ecc06c990e6b7c9d2de39f0361e27baeb24cb7c45',
  },
  large: {
    depths: [3, 3, 27, 3],
    dims: [192, 384, 768, 1536],
    top: '070c5ed9ed289581e477741d3b34beffa920db8cf590899d6d2c67fba2a198a6',
    notop: '96f02b6f0753d4f543261bc9d09bed650f24dd6bc02ddde3066135b63d23a1cd',
  },
  xlarge: {
    depths: [3, 3, 27, 3],
    dims: [256, 512, 1024, 2048],
    top: 'c1f5ccab661354fc3a79a10fa99af82f0fbf10ec65cb894a3ae0815f17a889ee',
    notop: 'de3f8a54174130e0cecdc71583354753d557fcf1f4487331558e2a16ba0cfe05',
  },
};

const WEIGHTS_BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/convnext/';
// ImageNet's mean and std of pixels in [0, 255] (Keras's PreStem).
const MEAN = [0.485 * 255, 0.456 * 255, 0.406 * 255];
const VARIANCE = [(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2];
const EPSILON = 1e-6;
const LAYER_SCALE_INIT = 1e-6;

function specOf(fn: string, key: string): ApplicationSpec {
  const name = `convnext_${key}`;
  const v = VARIANTS[key];
  return {
    op: `applications.${fn}`,
    optionsEntry: `applications.${fn}`,
    defaultName: name,
    defaultSize: 224,
    minSize: 32,
    weightsBase: WEIGHTS_BASE,
    imagenet: { top: { file: `${name}.h5`, hash: v.top }, notop: { file: `${name}_notop.h5`, hash: v.notop } },
  };
}

// One residual block: depthwise 7x7 conv, LayerNorm, the MLP as two Dense, layer scale, drop path.
function block(x: SymbolicTensor, dim: number, dropPathRate: number, name: string): SymbolicTensor {
  let y = new Conv2D({ filters: dim, kernelSize: 7, padding: 'same', groups: dim, name: `${name}_depthwise_conv` }).apply(x) as SymbolicTensor;
  y = new LayerNormalization({ epsilon: EPSILON, name: `${name}_layernorm` }).apply(y) as SymbolicTensor;
  y = new Dense({ units: 4 * dim, name: `${name}_pointwise_conv_1` }).apply(y) as SymbolicTensor;
  y = new Activation({ activation: 'gelu', name: `${name}_gelu` }).apply(y) as SymbolicTensor;
  y = new Dense({ units: dim, name: `${name}_pointwise_conv_2` }).apply(y) as SymbolicTensor;
  y = new LayerScale({ initValues: LAYER_SCALE_INIT, projectionDim: dim, name: `${name}_layer_scale` }).apply(y) as SymbolicTensor;
  // Keras keeps a named linear Activation where the drop path would be (rate 0 in every variant).
  const last =
    dropPathRate > 0
      ? new StochasticDepth({ dropPathRate, name: `${name}_stochastic_depth` })
      : new Activation({ activation: 'linear', name: `${name}_identity` });
  // Keras writes `inputs + layer(x)`: an operation node, not an Add layer.
  return operation('add', [x, last.apply(y) as SymbolicTensor]);
}

async function convNeXt(fn: string, key: string, options: ConvNeXtOptions | undefined): Promise<Functional> {
  const spec = specOf(fn, key);
  if (imageDataFormat() === 'channelsFirst')
    throw new Error(`${spec.op}: ConvNeXt does not support channels-first images (as in Keras); set config.setImageDataFormat('channelsLast')`);
  const start = startApplication<ConvNeXtOptions>(spec, options, { includePreprocessing: true });
  const o = start.options;
  if (typeof o.includePreprocessing !== 'boolean')
    throw new Error(`${spec.op}: includePreprocessing must be true or false, got ${describe(o.includePreprocessing)}`);
  if (o.weights === 'imagenet' && !o.name.includes(spec.defaultName))
    throw new Error(`${spec.op}: with 'imagenet' weights the model's name must contain '${spec.defaultName}' (as Keras asks), got '${o.name}'`);
  const { depths, dims } = VARIANTS[key];
  const name = o.name;
  let x = start.image;
  // Keras normalizes only 3-channel images (its mean and variance have three values).
  if (o.includePreprocessing && start.inputShape[2] === 3)
    x = new Normalization({ mean: MEAN, variance: VARIANCE, name: `${name}_prestem_normalization` }).apply(x) as SymbolicTensor;

  const stem = new Sequential({
    layers: [
      new Conv2D({ filters: dims[0], kernelSize: 4, strides: 4, name: `${name}_stem_conv` }),
      new LayerNormalization({ epsilon: EPSILON, name: `${name}_stem_layernorm` }),
    ],
    name: `${name}_stem`,
  });
  const downsampling = [0, 1, 2].map(
    (i) =>
      new Sequential({
        layers: [
          new LayerNormalization({ epsilon: EPSILON, name: `${name}_downsampling_layernorm_${i}` }),
          new Conv2D({ filters: dims[i + 1], kernelSize: 2, strides: 2, name: `${name}_downsampling_conv_${i}` }),
        ],
        name: `${name}_downsampling_block_${i}`,
      }),
  );
  // Every Keras variant has drop_path_rate 0: no block drops its path.
  [stem, ...downsampling].forEach((down, i) => {
    x = down.apply(x) as SymbolicTensor;
    for (let j = 0; j < depths[i]; j++) x = block(x, dims[i], 0, `${name}_stage_${i}_block_${j}`);
  });

  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ name: `${name}_head_gap` }).apply(x) as SymbolicTensor;
    x = new LayerNormalization({ epsilon: EPSILON, name: `${name}_head_layernorm` }).apply(x) as SymbolicTensor;
    x = new Dense({ units: o.classes, activation: o.classifierActivation ?? 'linear', name: `${name}_head_dense` }).apply(x) as SymbolicTensor;
  } else {
    // Keras's own pooling here (automatic names, not avg_pool), then a LayerNormalization even without pooling.
    if (o.pooling === 'avg') x = new GlobalAveragePooling2D({}).apply(x) as SymbolicTensor;
    else if (o.pooling === 'max') x = new GlobalMaxPooling2D({}).apply(x) as SymbolicTensor;
    x = new LayerNormalization({ epsilon: EPSILON }).apply(x) as SymbolicTensor;
  }
  return finishApplication(spec, start, x);
}

/** Instantiates ConvNeXtTiny (28.6M parameters with the top). Pixels in [0, 255]: the model normalizes them itself. */
export function ConvNeXtTiny(options?: ConvNeXtOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.ConvNeXtTiny', 1, arguments.length);
  return convNeXt('ConvNeXtTiny', 'tiny', options);
}

/** Instantiates ConvNeXtSmall (50.2M parameters with the top). */
export function ConvNeXtSmall(options?: ConvNeXtOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.ConvNeXtSmall', 1, arguments.length);
  return convNeXt('ConvNeXtSmall', 'small', options);
}

/** Instantiates ConvNeXtBase (88.6M parameters with the top). */
export function ConvNeXtBase(options?: ConvNeXtOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.ConvNeXtBase', 1, arguments.length);
  return convNeXt('ConvNeXtBase', 'base', options);
}

/** Instantiates ConvNeXtLarge (197.8M parameters with the top). */
export function ConvNeXtLarge(options?: ConvNeXtOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.ConvNeXtLarge', 1, arguments.length);
  return convNeXt('ConvNeXtLarge', 'large', options);
}

/** Instantiates ConvNeXtXLarge (350.2M parameters with the top). */
export function ConvNeXtXLarge(options?: ConvNeXtOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.ConvNeXtXLarge', 1, arguments.length);
  return convNeXt('ConvNeXtXLarge', 'xlarge', options);
}

/** @internal Each stage's [blocks, width] of a variant ('tiny', ...): what the tests compare with Keras's layers. */
export function convNeXtStages(key: string): [number, number][] {
  const v = VARIANTS[key];
  return v.depths.map((d, i) => [d, v.dims[i]]);
}
