// Keras's layers take their main argument positionally (`Dense(64, activation='relu')`,
// `Conv2D(32, 3)`, `Dropout(0.5)`); here every option is named in one object. A layer given
// a bare value says how to write it.
import { construct, factory, type Factory } from '../options/factory';
import { describe } from '../tensor/shape';

// Each layer's first (and second) positional parameters in Keras 3, under their option names here.
const POSITIONAL: Record<string, string[]> = {
  InputLayer: ['shape', 'batchSize', 'dtype'],
  Dense: ['units', 'activation'],
  EinsumDense: ['equation', 'outputShape'],
  Conv1D: ['filters', 'kernelSize'],
  Conv2D: ['filters', 'kernelSize'],
  ConvLSTM1D: ['filters', 'kernelSize'],
  ConvLSTM2D: ['filters', 'kernelSize'],
  ConvLSTM3D: ['filters', 'kernelSize'],
  ConvLSTM2DCell: ['filters', 'kernelSize'],
  Conv3D: ['filters', 'kernelSize'],
  Conv1DTranspose: ['filters', 'kernelSize'],
  Conv2DTranspose: ['filters', 'kernelSize'],
  Conv3DTranspose: ['filters', 'kernelSize'],
  SeparableConv1D: ['filters', 'kernelSize'],
  SeparableConv2D: ['filters', 'kernelSize'],
  DepthwiseConv1D: ['kernelSize'],
  DepthwiseConv2D: ['kernelSize'],
  Dropout: ['rate'],
  SpatialDropout1D: ['rate'],
  SpatialDropout2D: ['rate'],
  SpatialDropout3D: ['rate'],
  GaussianDropout: ['rate'],
  AlphaDropout: ['rate'],
  GaussianNoise: ['stddev'],
  LSTM: ['units', 'activation'],
  GRU: ['units', 'activation'],
  SimpleRNN: ['units', 'activation'],
  LSTMCell: ['units'],
  GRUCell: ['units'],
  SimpleRNNCell: ['units'],
  Embedding: ['inputDim', 'outputDim'],
  Activation: ['activation'],
  Reshape: ['targetShape'],
  Permute: ['dims'],
  RepeatVector: ['n'],
  MaxPooling1D: ['poolSize', 'strides'],
  MaxPooling2D: ['poolSize', 'strides'],
  MaxPooling3D: ['poolSize', 'strides'],
  AveragePooling1D: ['poolSize', 'strides'],
  AveragePooling2D: ['poolSize', 'strides'],
  AveragePooling3D: ['poolSize', 'strides'],
  UpSampling1D: ['size'],
  UpSampling2D: ['size'],
  UpSampling3D: ['size'],
  ZeroPadding1D: ['padding'],
  ZeroPadding2D: ['padding'],
  ZeroPadding3D: ['padding'],
  Cropping1D: ['cropping'],
  Cropping2D: ['cropping'],
  Cropping3D: ['cropping'],
  MultiHeadAttention: ['numHeads', 'keyDim'],
  GroupQueryAttention: ['headDim', 'numQueryHeads', 'numKeyValueHeads'],
  ActivityRegularization: ['l1', 'l2'],
  SpectralNormalization: ['layer', 'powerIterations'],
  Rescaling: ['scale', 'offset'],
  Resizing: ['height', 'width'],
  CenterCrop: ['height', 'width'],
  Masking: ['maskValue'],
  TimeDistributed: ['layer'],
  Bidirectional: ['layer'],
  LeakyReLU: ['negativeSlope'],
  ELU: ['alpha'],
  ReLU: ['maxValue'],
  Softmax: ['axis'],
  Concatenate: ['axis'],
  BatchNormalization: ['axis'],
  LayerNormalization: ['axis'],
  Dot: ['axes'],
  RandomFlip: ['mode'],
  RandomRotation: ['factor'],
  RandomZoom: ['heightFactor', 'widthFactor'],
  RandomTranslation: ['heightFactor', 'widthFactor'],
  RandomContrast: ['factor'],
  RandomBrightness: ['factor'],
  RandomGrayscale: ['factor'],
  RandomInvert: ['factor', 'valueRange'],
  Solarization: ['additionFactor', 'thresholdFactor', 'valueRange'],
  RandomPosterization: ['factor', 'valueRange'],
  RandomColorDegeneration: ['factor', 'valueRange'],
  RandomSharpness: ['factor', 'valueRange'],
  RandomSaturation: ['factor', 'valueRange'],
  RandomHue: ['factor', 'valueRange'],
  AutoContrast: ['valueRange'],
  Equalization: ['valueRange', 'bins'],
  ContrastLimitedAdaptiveHistogramEqualization: ['valueRange', 'clipLimit', 'tileGridSize', 'dataFormat'],
  MixUp: ['alpha'],
  CutMix: ['factor'],
  RandomGaussianBlur: ['factor', 'kernelSize', 'sigma', 'valueRange'],
  RandomErasing: ['factor', 'scale', 'fillValue', 'valueRange'],
  RandomShear: ['xFactor', 'yFactor', 'interpolation', 'fillMode', 'fillValue'],
  RandomPerspective: ['factor', 'scale', 'interpolation', 'fillValue'],
  RandomElasticTransform: ['factor', 'scale', 'interpolation', 'fillMode', 'fillValue', 'valueRange'],
  RandomColorJitter: ['valueRange', 'brightnessFactor', 'contrastFactor', 'saturationFactor', 'hueFactor'],
  Hashing: ['numBins'],
  StringLookup: ['maxTokens'],
  IntegerLookup: ['maxTokens'],
  TextVectorization: ['maxTokens'],
  CategoryEncoding: ['numTokens'],
};

// A layer given where the options go (Keras's TimeDistributed(Dense(8))): a value, not options.
const isLayer = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { apply?: unknown }).apply === 'function' &&
  typeof (v as { getConfig?: unknown }).getConfig === 'function';
const isBare = (v: unknown): boolean => v === null || typeof v !== 'object' || Array.isArray(v) || isLayer(v);

/**
 * @internal Throws, for a layer given bare values where its options go (`values`: the
 * arguments of the call), with the options form of Keras's call.
 */
export function refuseKerasPositional(className: string, values: readonly unknown[]): void {
  const first = values[0];
  if (first === undefined || first === null || !isBare(first)) return;
  const names = POSITIONAL[className];
  if (names === undefined) return;
  const shown = (v: unknown) => (isLayer(v) ? `<${(v as { name: string }).name}>` : describe(v).replace(/ \(a \w+\)$/, ''));
  const bare = values.slice(0, names.length).filter(isBare);
  const named = bare.map((v, i) => `${names[i]}: ${shown(v)}`).join(', ');
  throw new Error(
    `${className}: expected an options object, got ${describe(first)}; Keras's positional ${className}(${bare.map(shown).join(', ')}, ...) is written with named options here: { ${named}, ... }`,
  );
}

/** @internal A layers.x factory (options/factory.ts) that also answers Keras's positional habit. */
export function layerFactory<T, L>(cls: new (args: T) => L): Factory<T, L> {
  return factory(cls, refuseKerasPositional);
}

/** @internal What layerFactory's factories do, for a factory with overloads of its own (lstm, rnn). */
export function constructLayer<T, L>(cls: new (args: T) => L, args: readonly unknown[]): L {
  return construct(cls, args, refuseKerasPositional);
}
