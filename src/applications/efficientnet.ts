// keras.applications.efficientnet: EfficientNetB0..B7, mobile inverted bottlenecks with
// squeeze-excite, widths and depths scaled per variant, as Keras 3.15 builds them (the same
// layer names, so Keras's files load).
import { Activation } from '../layers/core';
import { Conv2D, DepthwiseConv2D } from '../layers/convolutional';
import { Dense } from '../layers/dense';
import { Rescaling } from '../layers/image_preprocessing';
import { Add, Multiply } from '../layers/merging';
import { BatchNormalization } from '../layers/normalization';
import { GlobalAveragePooling2D } from '../layers/pooling';
import { Normalization } from '../layers/preprocessing/feature_normalization';
import { Dropout } from '../layers/regularization';
import { Reshape } from '../layers/reshaping';
import type { SymbolicTensor } from '../layers/symbolic_tensor';
import { VarianceScaling } from '../initializers/variance_scaling';
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import type { Tensor } from '../tensor/tensor';
import { finishApplication, poolFeatures, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';
import type { PreprocessInputOptions } from './imagenet_utils';
import { identityPreprocess, padForStride2 } from './mobile_blocks';

export { decodePredictions } from './imagenet_utils';

/** Options of EfficientNetB0..B7: the common ones (Keras's functions take no others). */
export type EfficientNetOptions = ApplicationOptions;

const BASE = 'https://storage.googleapis.com/keras-applications/';
// width, depth, default size, top dropout, [md5 with the top, without] of each variant.
const VARIANTS: [number, number, number, number, string, string][] = [
  [1.0, 1.0, 224, 0.2, '902e53a9f72be733fc0bcb005b3ebbac', '50bc09e76180e00e4465e1a485ddc09d'],
  [1.0, 1.1, 240, 0.2, '1d254153d4ab51201f1646940f018540', '74c4e6b3e1f6a1eea24c589628592432'],
  [1.1, 1.2, 260, 0.3, 'b15cce36ff4dcbd00b6dd88e7857a6ad', '111f8e2ac8aa800a7a99e3239f7bfb39'],
  [1.2, 1.4, 300, 0.3, 'ffd1fdc53d0ce67064dc6a9c7960ede0', 'af6d107764bb5b1abb91932881670226'],
  [1.4, 1.8, 380, 0.4, '18c95ad55216b8f92d7e70b3a046e2fc', 'ebc24e6d6c33eaebbd558eafbeedf1ba'],
  [1.6, 2.2, 456, 0.4, 'ace28f2a6363774853a83a0b21b9421a', '38879255a25d3c92d5e44e04ae6cec6f'],
  [1.8, 2.6, 528, 0.5, '165f6e37dce68623721b423839de8be5', '9ecce42647a20130c1f39a5d4cb75743'],
  [2.0, 3.1, 600, 0.5, '8c03f828fec3ef71311cd463b6759d99', 'cbcfe4450ddf6f3ad90b1b398090fe4a'],
];
// kernel, repeats, filters in, filters out, expansion, stride of the seven stages (squeeze-excite 0.25 in all).
const STAGES: [number, number, number, number, number, number][] = [
  [3, 1, 32, 16, 1, 1],
  [3, 2, 16, 24, 6, 2],
  [5, 2, 24, 40, 6, 2],
  [3, 3, 40, 80, 6, 2],
  [5, 3, 80, 112, 6, 1],
  [5, 4, 112, 192, 6, 2],
  [3, 1, 192, 320, 6, 1],
];
const IMAGENET_STDDEV_RGB = [0.229, 0.224, 0.225];
const DROP_CONNECT_RATE = 0.2;
// Keras's initializers (they shape a fresh model only; pretrained weights replace them).
const convInit = () => new VarianceScaling({ scale: 2, mode: 'fanOut', distribution: 'truncatedNormal' });
const denseInit = () => new VarianceScaling({ scale: 1 / 3, mode: 'fanOut', distribution: 'uniform' });

type Start = ApplicationStart<EfficientNetOptions>;

// Keras's block: expansion, depthwise, squeeze-excite, projection, and the residual (with drop-connect).
function block(s: Start, inputs: SymbolicTensor, dropRate: number, name: string, fin: number, fout: number, kernel: number, stride: number, expand: number) {
  const { dataFormat, channelAxis } = s;
  const filters = fin * expand;
  let x = inputs;
  if (expand !== 1) {
    x = new Conv2D({ filters, kernelSize: 1, padding: 'same', useBias: false, kernelInitializer: convInit(), name: `${name}expand_conv`, dataFormat }).apply(
      x,
    ) as SymbolicTensor;
    x = new BatchNormalization({ axis: channelAxis, name: `${name}expand_bn` }).apply(x) as SymbolicTensor;
    x = new Activation({ activation: 'swish', name: `${name}expand_activation` }).apply(x) as SymbolicTensor;
  }
  if (stride === 2) x = padForStride2(x, kernel, `${name}dwconv_pad`, dataFormat);
  x = new DepthwiseConv2D({
    kernelSize: kernel,
    strides: stride,
    padding: stride === 2 ? 'valid' : 'same',
    useBias: false,
    depthwiseInitializer: convInit(),
    name: `${name}dwconv`,
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: `${name}bn` }).apply(x) as SymbolicTensor;
  x = new Activation({ activation: 'swish', name: `${name}activation` }).apply(x) as SymbolicTensor;
  const seFilters = Math.max(1, Math.trunc(fin * 0.25));
  let se = new GlobalAveragePooling2D({ name: `${name}se_squeeze`, dataFormat }).apply(x) as SymbolicTensor;
  se = new Reshape({ targetShape: channelAxis === 1 ? [filters, 1, 1] : [1, 1, filters], name: `${name}se_reshape` }).apply(se) as SymbolicTensor;
  se = new Conv2D({
    filters: seFilters,
    kernelSize: 1,
    padding: 'same',
    activation: 'swish',
    kernelInitializer: convInit(),
    name: `${name}se_reduce`,
    dataFormat,
  }).apply(se) as SymbolicTensor;
  se = new Conv2D({
    filters,
    kernelSize: 1,
    padding: 'same',
    activation: 'sigmoid',
    kernelInitializer: convInit(),
    name: `${name}se_expand`,
    dataFormat,
  }).apply(se) as SymbolicTensor;
  x = new Multiply({ name: `${name}se_excite` }).apply([x, se]) as SymbolicTensor;
  x = new Conv2D({
    filters: fout,
    kernelSize: 1,
    padding: 'same',
    useBias: false,
    kernelInitializer: convInit(),
    name: `${name}project_conv`,
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: `${name}project_bn` }).apply(x) as SymbolicTensor;
  if (stride === 1 && fin === fout) {
    // Drop-connect: whole examples of the residual branch dropped while training.
    if (dropRate > 0) x = new Dropout({ rate: dropRate, noiseShape: [null, 1, 1, 1], name: `${name}drop` }).apply(x) as SymbolicTensor;
    x = new Add({ name: `${name}add` }).apply([x, inputs]) as SymbolicTensor;
  }
  return x;
}

async function efficientNet(b: number, options: EfficientNetOptions | null | undefined): Promise<Functional> {
  const op = `applications.EfficientNetB${b}`;
  const [width, depth, size, dropoutRate, topHash, notopHash] = VARIANTS[b];
  const name = `efficientnetb${b}`;
  const spec: ApplicationSpec = {
    op,
    optionsEntry: op,
    defaultName: name,
    defaultSize: size,
    minSize: 32,
    weightsBase: BASE,
    imagenet: { top: { file: `${name}.h5`, hash: topHash }, notop: { file: `${name}_notop.h5`, hash: notopHash } },
  };
  const s = startApplication(spec, options);
  const { dataFormat, channelAxis, options: o } = s;
  // Keras names the files by the model's name (a renamed model downloads another name).
  spec.imagenet = { top: { file: `${o.name}.h5`, hash: topHash }, notop: { file: `${o.name}_notop.h5`, hash: notopHash } };
  const roundFilters = (f: number) => {
    const scaled = f * width;
    let r = Math.max(8, Math.floor((scaled + 4) / 8) * 8);
    if (r < 0.9 * scaled) r += 8;
    return r;
  };
  const roundRepeats = (r: number) => Math.ceil(depth * r);

  let x = new Rescaling({ scale: 1 / 255 }).apply(s.image) as SymbolicTensor;
  x = new Normalization({ axis: channelAxis }).apply(x) as SymbolicTensor;
  // The pretrained weights' normalization divides by the variance; this completes the standard deviation.
  if (o.weights === 'imagenet') x = new Rescaling({ scale: IMAGENET_STDDEV_RGB.map((sd) => 1 / Math.sqrt(sd)) }).apply(x) as SymbolicTensor;
  x = padForStride2(x, 3, 'stem_conv_pad', dataFormat);
  x = new Conv2D({
    filters: roundFilters(32),
    kernelSize: 3,
    strides: 2,
    padding: 'valid',
    useBias: false,
    kernelInitializer: convInit(),
    name: 'stem_conv',
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: 'stem_bn' }).apply(x) as SymbolicTensor;
  x = new Activation({ activation: 'swish', name: 'stem_activation' }).apply(x) as SymbolicTensor;
  const total = STAGES.reduce((n, st) => n + roundRepeats(st[1]), 0);
  let done = 0;
  STAGES.forEach(([kernel, repeats, fin, fout, expand, stride], i) => {
    for (let j = 0; j < roundRepeats(repeats); j++) {
      const blockIn = j === 0 ? roundFilters(fin) : roundFilters(fout);
      x = block(
        s,
        x,
        (DROP_CONNECT_RATE * done) / total,
        `block${i + 1}${String.fromCharCode(97 + j)}_`,
        blockIn,
        roundFilters(fout),
        kernel,
        j === 0 ? stride : 1,
        expand,
      );
      done++;
    }
  });
  x = new Conv2D({
    filters: roundFilters(1280),
    kernelSize: 1,
    padding: 'same',
    useBias: false,
    kernelInitializer: convInit(),
    name: 'top_conv',
    dataFormat,
  }).apply(x) as SymbolicTensor;
  x = new BatchNormalization({ axis: channelAxis, name: 'top_bn' }).apply(x) as SymbolicTensor;
  x = new Activation({ activation: 'swish', name: 'top_activation' }).apply(x) as SymbolicTensor;
  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ name: 'avg_pool', dataFormat }).apply(x) as SymbolicTensor;
    if (dropoutRate > 0) x = new Dropout({ rate: dropoutRate, name: 'top_dropout' }).apply(x) as SymbolicTensor;
    x = new Dense({ units: o.classes, activation: o.classifierActivation, kernelInitializer: denseInit(), name: 'predictions' }).apply(x) as SymbolicTensor;
  } else x = poolFeatures(s, x);
  return finishApplication(spec, s, x);
}

/**
 * EfficientNetB0 (keras.applications.EfficientNetB0; default input 224x224). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB0({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB0(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB0', 1, arguments.length);
  return efficientNet(0, options);
}

/**
 * EfficientNetB1 (keras.applications.EfficientNetB1; default input 240x240). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB1({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB1(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB1', 1, arguments.length);
  return efficientNet(1, options);
}

/**
 * EfficientNetB2 (keras.applications.EfficientNetB2; default input 260x260). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB2({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB2(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB2', 1, arguments.length);
  return efficientNet(2, options);
}

/**
 * EfficientNetB3 (keras.applications.EfficientNetB3; default input 300x300). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB3({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB3(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB3', 1, arguments.length);
  return efficientNet(3, options);
}

/**
 * EfficientNetB4 (keras.applications.EfficientNetB4; default input 380x380). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB4({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB4(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB4', 1, arguments.length);
  return efficientNet(4, options);
}

/**
 * EfficientNetB5 (keras.applications.EfficientNetB5; default input 456x456). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB5({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB5(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB5', 1, arguments.length);
  return efficientNet(5, options);
}

/**
 * EfficientNetB6 (keras.applications.EfficientNetB6; default input 528x528). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB6({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB6(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB6', 1, arguments.length);
  return efficientNet(6, options);
}

/**
 * EfficientNetB7 (keras.applications.EfficientNetB7; default input 600x600). The model takes
 * RGB images in [0, 255]: it rescales and normalizes them itself.
 * @example const model = await ts.applications.EfficientNetB7({ weights: null, includeTop: false, pooling: 'avg' });
 */
export async function EfficientNetB7(options?: EfficientNetOptions | null): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetB7', 1, arguments.length);
  return efficientNet(7, options);
}

/**
 * The input as it is: EfficientNet models rescale inside (keras.applications.efficientnet.preprocess_input).
 * @example ts.applications.efficientnet.preprocessInput(images)
 */
export function preprocessInput(x: Tensor, options?: Pick<PreprocessInputOptions, 'dataFormat'> | null): Tensor {
  const op = 'applications.efficientnet.preprocessInput';
  if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
  return identityPreprocess(op, x, options);
}
