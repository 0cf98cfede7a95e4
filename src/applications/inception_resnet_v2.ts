// keras.applications.inception_resnet_v2: Inception's stem and reductions around three kinds
// of residual blocks (block35 x10, block17 x20, block8 x10), each adding its scaled branches
// back through a CustomScaleLayer. Unnamed layers keep Keras's automatic names.
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
import { CustomScaleLayer } from './custom_scale_layer';
import { familyPreprocess, type FamilyPreprocessOptions } from './family_preprocess';
import { averagedTop, poolUnnamed, step } from './graph_steps';

type Start = ApplicationStart<ApplicationOptions>;

const SPEC: ApplicationSpec = {
  op: 'applications.InceptionResNetV2',
  optionsEntry: 'applications.InceptionResNetV2',
  defaultName: 'inception_resnet_v2',
  defaultSize: 299,
  minSize: 75,
  weightsBase: 'https://storage.googleapis.com/tensorflow/keras-applications/inception_resnet_v2/',
  imagenet: {
    top: { file: 'inception_resnet_v2_weights_tf_dim_ordering_tf_kernels.h5', hash: 'e693bd0210a403b3192acc6073ad2e96' },
    notop: { file: 'inception_resnet_v2_weights_tf_dim_ordering_tf_kernels_notop.h5', hash: 'd19885ff4a710c122648d3b5c3b684e4' },
  },
};

interface ConvBnOptions {
  strides?: number;
  padding?: 'same' | 'valid';
  /** null: no activation (and a bias instead of the batch norm when useBias). */
  activation?: 'relu' | null;
  useBias?: boolean;
  name?: string;
}

// Keras's conv2d_bn here: the convolution, batch norm without scale unless it has a bias, the
// activation; named name, name_bn, name_ac when a name is given.
function convBn(s: Start, x: SymbolicTensor, filters: number, kernelSize: number | number[], o: ConvBnOptions = {}): SymbolicTensor {
  const { strides = 1, padding = 'same', activation = 'relu', useBias = false, name } = o;
  x = step(new Conv2D({ filters, kernelSize, strides, padding, useBias, name, dataFormat: s.dataFormat }), x);
  if (!useBias) x = step(new BatchNormalization({ axis: s.channelAxis, scale: false, name: name === undefined ? undefined : `${name}_bn` }), x);
  if (activation !== null) x = step(new Activation({ activation, name: name === undefined ? undefined : `${name}_ac` }), x);
  return x;
}

const valid2 = { strides: 2, padding: 'valid' } as const;
const join = (s: Start, branches: SymbolicTensor[], name: string) => step(new Concatenate({ axis: s.channelAxis, name }), branches);
const maxPool = (s: Start, x: SymbolicTensor) => step(new MaxPooling2D({ poolSize: 3, strides: 2, dataFormat: s.dataFormat }), x);

type BlockType = 'block35' | 'block17' | 'block8';

// Keras's inception_resnet_block: x + scale * conv1x1(concat(branches)), then relu unless last.
function residualBlock(s: Start, x: SymbolicTensor, scale: number, type: BlockType, index: number, activation: 'relu' | null = 'relu'): SymbolicTensor {
  let branches: SymbolicTensor[];
  if (type === 'block35') {
    const b0 = convBn(s, x, 32, 1);
    const b1 = convBn(s, convBn(s, x, 32, 1), 32, 3);
    const b2 = convBn(s, convBn(s, convBn(s, x, 32, 1), 48, 3), 64, 3);
    branches = [b0, b1, b2];
  } else if (type === 'block17') {
    const b0 = convBn(s, x, 192, 1);
    const b1 = convBn(s, convBn(s, convBn(s, x, 128, 1), 160, [1, 7]), 192, [7, 1]);
    branches = [b0, b1];
  } else {
    const b0 = convBn(s, x, 192, 1);
    const b1 = convBn(s, convBn(s, convBn(s, x, 192, 1), 224, [1, 3]), 256, [3, 1]);
    branches = [b0, b1];
  }
  const name = `${type}_${index}`;
  const mixed = join(s, branches, `${name}_mixed`);
  const channels = x.shape[s.channelAxis] as number;
  const up = convBn(s, mixed, channels, 1, { activation: null, useBias: true, name: `${name}_conv` });
  x = step(new CustomScaleLayer({ scale }), [x, up]);
  return activation === null ? x : step(new Activation({ activation, name: `${name}_ac` }), x);
}

async function inceptionResNetV2(options: ApplicationOptions | undefined): Promise<Functional> {
  const s = startApplication(SPEC, options);
  let x = convBn(s, s.image, 32, 3, valid2);
  x = convBn(s, x, 32, 3, { padding: 'valid' });
  x = maxPool(s, convBn(s, x, 64, 3));
  x = convBn(s, x, 80, 1, { padding: 'valid' });
  x = maxPool(s, convBn(s, x, 192, 3, { padding: 'valid' }));
  // mixed_5b: Inception-A.
  const a0 = convBn(s, x, 96, 1);
  const a1 = convBn(s, convBn(s, x, 48, 1), 64, 5);
  const a2 = convBn(s, convBn(s, convBn(s, x, 64, 1), 96, 3), 96, 3);
  const ap = convBn(s, step(new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same', dataFormat: s.dataFormat }), x), 64, 1);
  x = join(s, [a0, a1, a2, ap], 'mixed_5b');
  for (let i = 1; i <= 10; i++) x = residualBlock(s, x, 0.17, 'block35', i);
  // mixed_6a: Reduction-A.
  const r0 = convBn(s, x, 384, 3, valid2);
  const r1 = convBn(s, convBn(s, convBn(s, x, 256, 1), 256, 3), 384, 3, valid2);
  x = join(s, [r0, r1, maxPool(s, x)], 'mixed_6a');
  for (let i = 1; i <= 20; i++) x = residualBlock(s, x, 0.1, 'block17', i);
  // mixed_7a: Reduction-B.
  const q0 = convBn(s, convBn(s, x, 256, 1), 384, 3, valid2);
  const q1 = convBn(s, convBn(s, x, 256, 1), 288, 3, valid2);
  const q2 = convBn(s, convBn(s, convBn(s, x, 256, 1), 288, 3), 320, 3, valid2);
  x = join(s, [q0, q1, q2, maxPool(s, x)], 'mixed_7a');
  for (let i = 1; i <= 9; i++) x = residualBlock(s, x, 0.2, 'block8', i);
  x = residualBlock(s, x, 1.0, 'block8', 10, null);
  x = convBn(s, x, 1536, 1, { name: 'conv_7b' });
  return finishApplication(SPEC, s, s.options.includeTop ? averagedTop(s, x) : poolUnnamed(s, x));
}

/**
 * InceptionResNetV2 (keras.applications.InceptionResNetV2): 299x299 images by default, at
 * least 75x75; inputs scaled by applications.inceptionResnetV2.preprocessInput (to [-1, 1]).
 * @example const model = await ts.applications.InceptionResNetV2({ weights: null, includeTop: false, inputShape: [75, 75, 3] });
 */
export function InceptionResNetV2(options?: ApplicationOptions): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments(SPEC.op, 1, arguments.length);
  return inceptionResNetV2(options);
}

/** RGB images in [0, 255] scaled to [-1, 1] ('tf' mode; keras.applications.inception_resnet_v2.preprocess_input). */
export function preprocessInput(x: Tensor, options?: FamilyPreprocessOptions | null): Tensor {
  if (arguments.length > 2) throw tooManyArguments('applications.inceptionResnetV2.preprocessInput', 2, arguments.length);
  return familyPreprocess('applications.inceptionResnetV2.preprocessInput', 'tf', x, options);
}
