// keras.applications.efficientnet_v2: EfficientNetV2 (Tan & Le 2021), built as Keras 3.15
// builds it: Fused-MBConv blocks in the early stages, MBConv with squeeze-and-excitation later,
// the same layer names ('block1a_project_conv', ...), so Keras's weight files load by name.
import type { ActivationIdentifier } from '../activations';
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
import type { Functional } from '../models/functional';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { finishApplication, poolFeatures, startApplication, type ApplicationOptions, type ApplicationSpec, type ApplicationStart } from './application';

/** Options of the EfficientNetV2 architectures. */
export interface EfficientNetV2Options extends ApplicationOptions {
  /**
   * Whether the model scales pixels in [0, 255] itself (default true): the B variants to
   * ImageNet's normalization, S, M and L to [-1, 1]. Without it the model takes [-1, 1].
   */
  includePreprocessing?: boolean;
}

// One stage of Keras's DEFAULT_BLOCKS_ARGS: [kernel, repeats, in, out, expand, se ratio, strides, fused].
type Stage = [number, number, number, number, number, number, number, boolean];
const B: Stage[] = [
  [3, 1, 32, 16, 1, 0, 1, true],
  [3, 2, 16, 32, 4, 0, 2, true],
  [3, 2, 32, 48, 4, 0, 2, true],
  [3, 3, 48, 96, 4, 0.25, 2, false],
  [3, 5, 96, 112, 6, 0.25, 1, false],
  [3, 8, 112, 192, 6, 0.25, 2, false],
];
const STAGES: Record<string, Stage[]> = {
  b0: B,
  b1: B,
  b2: B,
  b3: B,
  s: [
    [3, 2, 24, 24, 1, 0, 1, true],
    [3, 4, 24, 48, 4, 0, 2, true],
    [3, 4, 48, 64, 4, 0, 2, true],
    [3, 6, 64, 128, 4, 0.25, 2, false],
    [3, 9, 128, 160, 6, 0.25, 1, false],
    [3, 15, 160, 256, 6, 0.25, 2, false],
  ],
  m: [
    [3, 3, 24, 24, 1, 0, 1, true],
    [3, 5, 24, 48, 4, 0, 2, true],
    [3, 5, 48, 80, 4, 0, 2, true],
    [3, 7, 80, 160, 4, 0.25, 2, false],
    [3, 14, 160, 176, 6, 0.25, 1, false],
    [3, 18, 176, 304, 6, 0.25, 2, false],
    [3, 5, 304, 512, 6, 0.25, 1, false],
  ],
  l: [
    [3, 4, 32, 32, 1, 0, 1, true],
    [3, 7, 32, 64, 4, 0, 2, true],
    [3, 7, 64, 96, 4, 0, 2, true],
    [3, 10, 96, 192, 4, 0.25, 2, false],
    [3, 19, 192, 224, 6, 0.25, 1, false],
    [3, 25, 224, 384, 6, 0.25, 2, false],
    [3, 7, 384, 640, 6, 0.25, 1, false],
  ],
};

interface Variant {
  width: number;
  depth: number;
  size: number;
  // md5 of Keras's 'efficientnetv2-<v>.h5' and '..._notop.h5'.
  top: string;
  notop: string;
}
const VARIANTS: Record<string, Variant> = {
  b0: { width: 1.0, depth: 1.0, size: 224, top: '21ecbf6da12460d5c40bb2f29ceb2188', notop: '893217f2bb855e2983157299931e43ff' },
  b1: { width: 1.0, depth: 1.1, size: 240, top: '069f0534ff22adf035c89e2d9547a9dc', notop: '0e80663031ca32d657f9caa404b6ec37' },
  b2: { width: 1.1, depth: 1.2, size: 260, top: '424e49f28180edbde1e94797771950a7', notop: '1dfe2e7a5d45b6632553a8961ea609eb' },
  b3: { width: 1.2, depth: 1.4, size: 300, top: '1f1fc43bd98a6e4fd8fdfd551e02c7a0', notop: 'f6abf7b5849ac99a89b50dd3fd532856' },
  s: { width: 1.0, depth: 1.0, size: 384, top: 'e1d88a8495beba45748fedd0cecbe016', notop: 'af0682fb74e8c54910f2d4393339c070' },
  m: { width: 1.0, depth: 1.0, size: 480, top: 'a3bf6aa3276309f4fc6a34aa114c95cd', notop: '1b8dc055df72dde80d614482840fe342' },
  l: { width: 1.0, depth: 1.0, size: 480, top: '27e6d408b53c7ebc868fefa357689935', notop: 'b0b66b5c863aef5b46e8608fe1711615' },
};

const WEIGHTS_BASE = 'https://storage.googleapis.com/tensorflow/keras-applications/efficientnet_v2/';
const CONV_INIT = { className: 'VarianceScaling', config: { scale: 2.0, mode: 'fan_out', distribution: 'truncated_normal' } };
const DENSE_INIT = { className: 'VarianceScaling', config: { scale: 1 / 3, mode: 'fan_out', distribution: 'uniform' } };
const MOMENTUM = 0.9;
const ACTIVATION: ActivationIdentifier = 'swish';
const DROP_CONNECT = 0.2;
const DROPOUT = 0.2;

// Keras's round_filters (depth divisor 8, minimum 8) and round_repeats.
const roundFilters = (filters: number, width: number) => Math.max(8, Math.floor((filters * width + 4) / 8) * 8);
const roundRepeats = (repeats: number, depth: number) => Math.ceil(depth * repeats);

interface BlockArgs {
  kernel: number;
  inputs: number;
  outputs: number;
  expand: number;
  se: number;
  strides: number;
  dropRate: number;
}

// The layers of a block, all in the start's data format.
class Builder {
  constructor(private readonly start: ApplicationStart<EfficientNetV2Options>) {}
  private get df() {
    return this.start.dataFormat;
  }
  conv(x: SymbolicTensor, filters: number, kernelSize: number, strides: number, name: string): SymbolicTensor {
    const layer = new Conv2D({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: CONV_INIT, dataFormat: this.df, name });
    return layer.apply(x) as SymbolicTensor;
  }
  bn(x: SymbolicTensor, name: string): SymbolicTensor {
    return new BatchNormalization({ axis: this.start.channelAxis, momentum: MOMENTUM, name }).apply(x) as SymbolicTensor;
  }
  act(x: SymbolicTensor, name: string): SymbolicTensor {
    return new Activation({ activation: ACTIVATION, name }).apply(x) as SymbolicTensor;
  }
  // Squeeze-and-excitation: channel weights from the pooled features.
  squeezeExcite(x: SymbolicTensor, filters: number, a: BlockArgs, name: string): SymbolicTensor {
    const df = this.df;
    let se = new GlobalAveragePooling2D({ dataFormat: df, name: `${name}se_squeeze` }).apply(x) as SymbolicTensor;
    se = new Reshape({ targetShape: df === 'channelsFirst' ? [filters, 1, 1] : [1, 1, filters], name: `${name}se_reshape` }).apply(se) as SymbolicTensor;
    const reduce = Math.max(1, Math.floor(a.inputs * a.se));
    se = new Conv2D({
      filters: reduce,
      kernelSize: 1,
      padding: 'same',
      activation: ACTIVATION,
      kernelInitializer: CONV_INIT,
      dataFormat: df,
      name: `${name}se_reduce`,
    }).apply(se) as SymbolicTensor;
    se = new Conv2D({
      filters,
      kernelSize: 1,
      padding: 'same',
      activation: 'sigmoid',
      kernelInitializer: CONV_INIT,
      dataFormat: df,
      name: `${name}se_expand`,
    }).apply(se) as SymbolicTensor;
    return new Multiply({ name: `${name}se_excite` }).apply([x, se]) as SymbolicTensor;
  }
  // The residual connection (with its per-sample dropout) where the shape is kept.
  residual(x: SymbolicTensor, inputs: SymbolicTensor, a: BlockArgs, name: string): SymbolicTensor {
    if (a.strides !== 1 || a.inputs !== a.outputs) return x;
    if (a.dropRate > 0) x = new Dropout({ rate: a.dropRate, noiseShape: [null, 1, 1, 1], name: `${name}drop` }).apply(x) as SymbolicTensor;
    return new Add({ name: `${name}add` }).apply([x, inputs]) as SymbolicTensor;
  }

  // MBConv: 1x1 expansion, depthwise conv, squeeze-and-excitation, 1x1 projection.
  mbConv(inputs: SymbolicTensor, a: BlockArgs, name: string): SymbolicTensor {
    const filters = a.inputs * a.expand;
    let x = inputs;
    if (a.expand !== 1) x = this.act(this.bn(this.conv(x, filters, 1, 1, `${name}expand_conv`), `${name}expand_bn`), `${name}expand_activation`);
    const dw = new DepthwiseConv2D({
      kernelSize: a.kernel,
      strides: a.strides,
      depthwiseInitializer: CONV_INIT,
      padding: 'same',
      dataFormat: this.df,
      useBias: false,
      name: `${name}dwconv2`,
    });
    x = this.act(this.bn(dw.apply(x) as SymbolicTensor, `${name}bn`), `${name}activation`);
    if (a.se > 0 && a.se <= 1) x = this.squeezeExcite(x, filters, a, name);
    x = this.bn(this.conv(x, a.outputs, 1, 1, `${name}project_conv`), `${name}project_bn`);
    return this.residual(x, inputs, a, name);
  }

  // Fused-MBConv: the expansion and depthwise conv fused into one full conv.
  fusedMbConv(inputs: SymbolicTensor, a: BlockArgs, name: string): SymbolicTensor {
    const filters = a.inputs * a.expand;
    let x = inputs;
    if (a.expand !== 1) x = this.act(this.bn(this.conv(x, filters, a.kernel, a.strides, `${name}expand_conv`), `${name}expand_bn`), `${name}expand_activation`);
    if (a.se > 0 && a.se <= 1) x = this.squeezeExcite(x, filters, a, name);
    const expanded = a.expand !== 1;
    x = this.bn(this.conv(x, a.outputs, expanded ? 1 : a.kernel, expanded ? 1 : a.strides, `${name}project_conv`), `${name}project_bn`);
    if (!expanded) x = this.act(x, `${name}project_activation`);
    return this.residual(x, inputs, a, name);
  }
}

async function efficientNetV2(fn: string, key: string, options: EfficientNetV2Options | undefined): Promise<Functional> {
  const v = VARIANTS[key];
  const defaultName = `efficientnetv2-${key}`;
  const spec: ApplicationSpec = {
    op: `applications.${fn}`,
    optionsEntry: `applications.${fn}`,
    defaultName,
    defaultSize: v.size,
    minSize: 32,
    weightsBase: WEIGHTS_BASE,
    imagenet: { top: { file: `${defaultName}.h5`, hash: v.top }, notop: { file: `${defaultName}_notop.h5`, hash: v.notop } },
  };
  const start = startApplication<EfficientNetV2Options>(spec, options, { includePreprocessing: true });
  const o = start.options;
  if (typeof o.includePreprocessing !== 'boolean')
    throw new Error(`${spec.op}: includePreprocessing must be true or false, got ${describe(o.includePreprocessing)}`);
  const b = new Builder(start);
  let x = start.image;
  if (o.includePreprocessing) {
    // Keras picks the scaling by the variant (its name): the B variants normalize 3-channel images as EfficientNet (v1) did.
    const channels = start.inputShape[start.channelAxis - 1];
    if (key.startsWith('b') && channels === 3) {
      x = new Rescaling({ scale: 1 / 255 }).apply(x) as SymbolicTensor;
      const normalization = new Normalization({ mean: [0.485, 0.456, 0.406], variance: [0.229 ** 2, 0.224 ** 2, 0.225 ** 2], axis: start.channelAxis });
      x = normalization.apply(x) as SymbolicTensor;
    } else x = new Rescaling({ scale: 1 / 128, offset: -1 }).apply(x) as SymbolicTensor;
  }
  const stages = STAGES[key];
  x = b.act(b.bn(b.conv(x, roundFilters(stages[0][2], v.width), 3, 2, 'stem_conv'), 'stem_bn'), 'stem_activation');
  const total = stages.reduce((s, st) => s + st[1], 0);
  let index = 0;
  stages.forEach(([kernel, repeats, inF, outF, expand, se, strides, fused], i) => {
    const outputs = roundFilters(outF, v.width);
    for (let j = 0; j < roundRepeats(repeats, v.depth); j++) {
      const a: BlockArgs = {
        kernel,
        inputs: j === 0 ? roundFilters(inF, v.width) : outputs,
        outputs,
        expand,
        se,
        strides: j === 0 ? strides : 1,
        dropRate: (DROP_CONNECT * index) / total,
      };
      const name = `block${i + 1}${String.fromCharCode(97 + j)}_`;
      x = fused ? b.fusedMbConv(x, a, name) : b.mbConv(x, a, name);
      index++;
    }
  });
  x = b.act(b.bn(b.conv(x, roundFilters(1280, v.width), 1, 1, 'top_conv'), 'top_bn'), 'top_activation');
  if (o.includeTop) {
    x = new GlobalAveragePooling2D({ dataFormat: start.dataFormat, name: 'avg_pool' }).apply(x) as SymbolicTensor;
    x = new Dropout({ rate: DROPOUT, name: 'top_dropout' }).apply(x) as SymbolicTensor;
    const dense = new Dense({
      units: o.classes,
      activation: o.classifierActivation ?? 'linear',
      kernelInitializer: DENSE_INIT,
      biasInitializer: 'zeros',
      name: 'predictions',
    });
    x = dense.apply(x) as SymbolicTensor;
  } else x = poolFeatures(start, x);
  return finishApplication(spec, start, x);
}

/** Instantiates EfficientNetV2B0 (7.2M parameters with the top; 224x224). Pixels in [0, 255]: the model scales them itself. */
export function EfficientNetV2B0(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2B0', 1, arguments.length);
  return efficientNetV2('EfficientNetV2B0', 'b0', options);
}

/** Instantiates EfficientNetV2B1 (8.2M parameters with the top; 240x240). */
export function EfficientNetV2B1(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2B1', 1, arguments.length);
  return efficientNetV2('EfficientNetV2B1', 'b1', options);
}

/** Instantiates EfficientNetV2B2 (10.2M parameters with the top; 260x260). */
export function EfficientNetV2B2(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2B2', 1, arguments.length);
  return efficientNetV2('EfficientNetV2B2', 'b2', options);
}

/** Instantiates EfficientNetV2B3 (14.5M parameters with the top; 300x300). */
export function EfficientNetV2B3(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2B3', 1, arguments.length);
  return efficientNetV2('EfficientNetV2B3', 'b3', options);
}

/** Instantiates EfficientNetV2S (21.6M parameters with the top; 384x384). */
export function EfficientNetV2S(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2S', 1, arguments.length);
  return efficientNetV2('EfficientNetV2S', 's', options);
}

/** Instantiates EfficientNetV2M (54.4M parameters with the top; 480x480). */
export function EfficientNetV2M(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2M', 1, arguments.length);
  return efficientNetV2('EfficientNetV2M', 'm', options);
}

/** Instantiates EfficientNetV2L (119.0M parameters with the top; 480x480). */
export function EfficientNetV2L(options?: EfficientNetV2Options): Promise<Functional> {
  if (arguments.length > 1) throw tooManyArguments('applications.EfficientNetV2L', 1, arguments.length);
  return efficientNetV2('EfficientNetV2L', 'l', options);
}

/** @internal Each block's name prefix and output channels in a variant ('b0', ..., 'l'): what the tests compare with Keras's layers. */
export function efficientNetV2Blocks(key: string): [string, number][] {
  const v = VARIANTS[key];
  const out: [string, number][] = [];
  STAGES[key].forEach(([, repeats, , outF], i) => {
    for (let j = 0; j < roundRepeats(repeats, v.depth); j++) out.push([`block${i + 1}${String.fromCharCode(97 + j)}_`, roundFilters(outF, v.width)]);
  });
  return out;
}
