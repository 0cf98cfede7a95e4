// The layers namespace: `layers.dense({units: 64})` factories (TensorFlow.js style), the
// classes for subclassing and instanceof, and the base machinery.
import { Activation, Identity, Lambda, Masking, type ActivationArgs, type LambdaArgs, type MaskingArgs } from './core';
import { Dense, type DenseArgs } from './dense';
import { Embedding, type EmbeddingArgs } from './embedding';
import { InputLayer } from './input_layer';
import type { LayerArgs, OutputKind } from './layer';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs } from './merging';
import { Dropout, type DropoutArgs } from './regularization';
import { AUGMENTATION_LAYERS } from './augmentation';
import { DropConnect } from './drop_connect';
import { Flatten, Permute, RepeatVector, Reshape, type PermuteArgs, type RepeatVectorArgs, type ReshapeArgs } from './reshaping';
import { registerLayer } from './serialization';
import { preprocessingLayerClasses } from './preprocessing';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax, type ELUArgs, type LeakyReLUArgs, type PReLUArgs, type ReLUArgs, type SoftmaxArgs } from './activations_layers';
import {
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
  type ConvolutionArgs,
  type ConvTransposeArgs,
  type DepthwiseConvArgs,
  type SeparableConvArgs,
} from './convolutional';
import {
  AlphaDropout,
  GaussianDropout,
  GaussianNoise,
  SpatialDropout1D,
  SpatialDropout2D,
  type AlphaDropoutArgs,
  type GaussianNoiseArgs,
  type NoiseRateArgs,
  type SpatialDropoutArgs,
} from './noise';
import { BatchNormalization, LayerNormalization, type BatchNormalizationArgs, type LayerNormalizationArgs } from './normalization';
import {
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  MaxPooling1D,
  MaxPooling2D,
  type GlobalPoolingArgs,
  type PoolingArgs,
} from './pooling';
import { GRU, LSTM, RNN, SimpleRNN, type GRUArgs, type LSTMArgs, type RNNArgs, type SimpleRNNArgs } from './recurrent';
import { GRUCell, LSTMCell, SimpleRNNCell, type GRUCellArgs, type LSTMCellArgs, type RNNCellArgs } from './rnn_cells';
import {
  Cropping1D,
  Cropping2D,
  UpSampling1D,
  UpSampling2D,
  ZeroPadding1D,
  ZeroPadding2D,
  type Cropping1DArgs,
  type Cropping2DArgs,
  type UpSampling1DArgs,
  type UpSampling2DArgs,
  type ZeroPadding1DArgs,
  type ZeroPadding2DArgs,
} from './spatial_reshaping';
import { Bidirectional, TimeDistributed, type BidirectionalArgs, type TimeDistributedArgs } from './wrappers';
import { CenterCrop, Rescaling, Resizing, type CenterCropArgs, type RescalingArgs, type ResizingArgs } from './image_preprocessing';
import { EinsumDense, type EinsumDenseArgs } from './einsum_dense';
import { MultiHeadAttention, type MultiHeadAttentionArgs } from './attention/multi_head_attention';
import { AdditiveAttention, Attention, type AdditiveAttentionArgs, type AttentionArgs } from './attention/dot_attention';
import {
  GroupNormalization,
  RMSNormalization,
  UnitNormalization,
  type GroupNormalizationArgs,
  type RMSNormalizationArgs,
  type UnitNormalizationArgs,
} from './normalization_variants';
import {
  PositionEmbedding,
  RotaryEmbedding,
  TokenAndPositionEmbedding,
  type PositionEmbeddingArgs,
  type RotaryEmbeddingArgs,
  type TokenAndPositionEmbeddingArgs,
} from './position_embeddings';
import { TransformerDecoder, TransformerEncoder, type TransformerArgs } from './transformer';

export { Layer, type LayerArgs, type AddWeightOptions, type CallOptions, type Mask, type OutputKind, type Outputs, type LayerOutput } from './layer';
export { InputSpec, type InputSpecArgs } from './input_spec';
export { SymbolicTensor, type SymbolicShape, type TensorSpec } from './symbolic_tensor';
export type { Node } from './node';
export type { Nested } from './structure';
export { registerLayer, serializeLayer, deserializeLayer, type LayerClass } from './serialization';
export { InputLayer, type InputArgs } from './input_layer';
export { Dense, type DenseArgs } from './dense';
export { Activation, Identity, Lambda, Masking, type ActivationArgs, type LambdaArgs, type LambdaFunction, type MaskingArgs } from './core';
export { Dropout, type DropoutArgs } from './regularization';
export { Flatten, Reshape, Permute, RepeatVector, type ReshapeArgs, type PermuteArgs, type RepeatVectorArgs } from './reshaping';
export { Embedding, type EmbeddingArgs } from './embedding';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, type ConcatenateArgs, type DotArgs } from './merging';
export {
  BaseConv,
  Conv,
  ConvTranspose,
  DepthwiseConv,
  SeparableConv,
  Conv1D,
  Conv2D,
  Conv1DTranspose,
  Conv2DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
  type BaseConvArgs,
  type ConvArgs,
  type ConvolutionArgs,
  type ConvTransposeArgs,
  type DepthwiseConvArgs,
  type SeparableConvArgs,
} from './convolutional';
export type { DataFormat } from './conv_utils';
export {
  UpSampling1D,
  UpSampling2D,
  ZeroPadding1D,
  ZeroPadding2D,
  Cropping1D,
  Cropping2D,
  type UpSampling1DArgs,
  type UpSampling2DArgs,
  type ZeroPadding1DArgs,
  type ZeroPadding2DArgs,
  type Cropping1DArgs,
  type Cropping2DArgs,
  type Spatial2DAmounts,
} from './spatial_reshaping';
export {
  Pooling,
  GlobalPooling,
  MaxPooling1D,
  MaxPooling2D,
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  type PoolingArgs,
  type GlobalPoolingArgs,
} from './pooling';
export { BatchNormalization, LayerNormalization, type AffineArgs, type BatchNormalizationArgs, type LayerNormalizationArgs } from './normalization';
export { RNNCell, GatedCell, SimpleRNNCell, LSTMCell, GRUCell, type RNNCellArgs, type GatedCellArgs, type LSTMCellArgs, type GRUCellArgs } from './rnn_cells';
export {
  RNN,
  CellRNN,
  SimpleRNN,
  LSTM,
  GRU,
  type RNNOptions,
  type RNNArgs,
  type RNNCallOptions,
  type SimpleRNNArgs,
  type LSTMArgs,
  type GRUArgs,
} from './recurrent';
export { Bidirectional, TimeDistributed, type BidirectionalArgs, type MergeMode, type TimeDistributedArgs } from './wrappers';
export {
  SpatialDropout,
  SpatialDropout1D,
  SpatialDropout2D,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  type SpatialDropoutArgs,
  type GaussianNoiseArgs,
  type NoiseRateArgs,
  type AlphaDropoutArgs,
} from './noise';
export {
  ImageAugmentation,
  RandomFlip,
  RandomRotation,
  RandomZoom,
  RandomTranslation,
  RandomCrop,
  RandomContrast,
  RandomBrightness,
  randomFlip,
  randomRotation,
  randomZoom,
  randomTranslation,
  randomCrop,
  randomContrast,
  randomBrightness,
  type AugmentationFactor,
  type AugmentationArgs,
  type ResamplingArgs,
  type RandomFlipArgs,
  type RandomRotationArgs,
  type RandomZoomArgs,
  type RandomTranslationArgs,
  type RandomCropArgs,
  type RandomContrastArgs,
  type RandomBrightnessArgs,
} from './augmentation';
export { DropConnect, dropConnect, type DropConnectArgs } from './drop_connect';
export { Rescaling, Resizing, CenterCrop, type RescalingArgs, type ResizingArgs, type CenterCropArgs } from './image_preprocessing';
export { EinsumDense, type EinsumDenseArgs } from './einsum_dense';
export { MultiHeadAttention, type MultiHeadAttentionArgs, type MultiHeadAttentionCallOptions } from './attention/multi_head_attention';
export { Attention, AdditiveAttention, type AttentionArgs, type AdditiveAttentionArgs, type AttentionCallOptions } from './attention/dot_attention';
export {
  GroupNormalization,
  RMSNormalization,
  UnitNormalization,
  type GroupNormalizationArgs,
  type RMSNormalizationArgs,
  type UnitNormalizationArgs,
} from './normalization_variants';
export {
  PositionEmbedding,
  RotaryEmbedding,
  TokenAndPositionEmbedding,
  type PositionEmbeddingArgs,
  type RotaryEmbeddingArgs,
  type TokenAndPositionEmbeddingArgs,
} from './position_embeddings';
export { TransformerEncoder, TransformerDecoder, type TransformerArgs, type TransformerDecoderCallOptions } from './transformer';
export { ReLU, LeakyReLU, ELU, Softmax, PReLU, type ReLUArgs, type LeakyReLUArgs, type ELUArgs, type SoftmaxArgs, type PReLUArgs } from './activations_layers';

// The table of built-in layer classes that deserializeLayer knows.
for (const cls of [
  InputLayer,
  Dense,
  Activation,
  Identity,
  Lambda,
  Masking,
  Dropout,
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  Embedding,
  Add,
  Subtract,
  Multiply,
  Average,
  Maximum,
  Minimum,
  Concatenate,
  Dot,
  Conv1D,
  Conv2D,
  Conv1DTranspose,
  Conv2DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
  UpSampling1D,
  UpSampling2D,
  ZeroPadding1D,
  ZeroPadding2D,
  Cropping1D,
  Cropping2D,
  MaxPooling1D,
  MaxPooling2D,
  AveragePooling1D,
  AveragePooling2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  BatchNormalization,
  LayerNormalization,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  RNN,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  TimeDistributed,
  SpatialDropout1D,
  SpatialDropout2D,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  ReLU,
  LeakyReLU,
  ELU,
  Softmax,
  PReLU,
  Rescaling,
  Resizing,
  CenterCrop,
  EinsumDense,
  MultiHeadAttention,
  Attention,
  AdditiveAttention,
  GroupNormalization,
  RMSNormalization,
  UnitNormalization,
  PositionEmbedding,
  RotaryEmbedding,
  TokenAndPositionEmbedding,
  TransformerEncoder,
  TransformerDecoder,
])
  registerLayer(cls);
for (const cls of [...AUGMENTATION_LAYERS, DropConnect]) registerLayer(cls);
for (const cls of preprocessingLayerClasses) registerLayer(cls);
export * from './preprocessing';

/** x * scale + offset (pixels to [0, 1] with scale 1 / 255). @example layers.rescaling({scale: 1 / 255}) */
export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
/** Resizes images to [height, width], optionally cropping to the aspect ratio first. */
export const resizing = (args: ResizingArgs): Resizing => new Resizing(args);
/** The central [height, width] window of each image. */
export const centerCrop = (args: CenterCropArgs): CenterCrop => new CenterCrop(args);
/** A fully connected layer: activation(x W + b). @example layers.dense({units: 64, activation: 'relu'}) */
export const dense = (args: DenseArgs): Dense => new Dense(args);
/** Applies an activation function. */
export const activation = (args: ActivationArgs): Activation => new Activation(args);
/** Randomly zeroes inputs at `rate` during training. */
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
/** [batch, ...] -> [batch, product of the rest]. */
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
/** Reshapes each example to targetShape (one entry may be -1). */
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
/** Permutes the non-batch dimensions (1-based dims). */
export const permute = (args: PermuteArgs): Permute => new Permute(args);
/** [batch, features] -> [batch, n, features]. */
export const repeatVector = (args: RepeatVectorArgs): RepeatVector => new RepeatVector(args);
/** Returns its input unchanged. */
export const identity = (args?: LayerArgs): Identity => new Identity(args);
/** A TypeScript function as a layer (not serializable). */
export const lambda = <K extends OutputKind = 'single'>(args: LambdaArgs): Lambda<K> => new Lambda<K>(args);
/** Masks timesteps whose features all equal maskValue. */
export const masking = (args?: MaskingArgs): Masking => new Masking(args);
/** Integer ids -> dense vectors; maskZero makes id 0 padding. */
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
/** Sums a list of inputs. */
export const add = (args?: LayerArgs): Add => new Add(args);
/** inputs[0] - inputs[1]. */
export const subtract = (args?: LayerArgs): Subtract => new Subtract(args);
/** Multiplies a list of inputs elementwise. */
export const multiply = (args?: LayerArgs): Multiply => new Multiply(args);
/** The mean of a list of inputs. */
export const average = (args?: LayerArgs): Average => new Average(args);
/** The elementwise maximum of a list of inputs. */
export const maximum = (args?: LayerArgs): Maximum => new Maximum(args);
/** The elementwise minimum of a list of inputs. */
export const minimum = (args?: LayerArgs): Minimum => new Minimum(args);
/** Joins a list of inputs along an axis (default -1). */
export const concatenate = (args?: ConcatenateArgs): Concatenate => new Concatenate(args);
/** The per-example dot product of two inputs along `axes`. */
export const dot = (args: DotArgs): Dot => new Dot(args);

/** 1-D convolution over [batch, steps, channels]. @example layers.conv1d({filters: 16, kernelSize: 3, padding: 'causal'}) */
export const conv1d = (args: ConvolutionArgs): Conv1D => new Conv1D(args);
/** 2-D convolution over [batch, height, width, channels]. @example layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}) */
export const conv2d = (args: ConvolutionArgs): Conv2D => new Conv2D(args);
/** Transposed 1-D convolution (upsamples steps by the stride). */
export const conv1dTranspose = (args: ConvTransposeArgs): Conv1DTranspose => new Conv1DTranspose(args);
/** Transposed 2-D convolution (upsamples images by the strides). */
export const conv2dTranspose = (args: ConvTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
/** Depthwise 1-D convolution: each channel with its own depthMultiplier kernels. */
export const depthwiseConv1d = (args: DepthwiseConvArgs): DepthwiseConv1D => new DepthwiseConv1D(args);
/** Depthwise 2-D convolution: each channel with its own depthMultiplier kernels. */
export const depthwiseConv2d = (args: DepthwiseConvArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
/** Depthwise then pointwise 1-D convolution. */
export const separableConv1d = (args: SeparableConvArgs): SeparableConv1D => new SeparableConv1D(args);
/** Depthwise then pointwise 2-D convolution. */
export const separableConv2d = (args: SeparableConvArgs): SeparableConv2D => new SeparableConv2D(args);
/** Repeats each step `size` times. */
export const upSampling1d = (args?: UpSampling1DArgs): UpSampling1D => new UpSampling1D(args);
/** Scales images up by integer factors ('nearest' or 'bilinear'). */
export const upSampling2d = (args?: UpSampling2DArgs): UpSampling2D => new UpSampling2D(args);
/** Zero steps at the start and end of sequences. */
export const zeroPadding1d = (args?: ZeroPadding1DArgs): ZeroPadding1D => new ZeroPadding1D(args);
/** Zero rows and columns around images. */
export const zeroPadding2d = (args?: ZeroPadding2DArgs): ZeroPadding2D => new ZeroPadding2D(args);
/** Removes steps at the start and end of sequences. */
export const cropping1d = (args?: Cropping1DArgs): Cropping1D => new Cropping1D(args);
/** Removes rows and columns at the borders of images. */
export const cropping2d = (args?: Cropping2DArgs): Cropping2D => new Cropping2D(args);
/** Max over windows of sequences. */
export const maxPooling1d = (args?: PoolingArgs): MaxPooling1D => new MaxPooling1D(args);
/** Max over windows of images. @example layers.maxPooling2d({poolSize: 2}) */
export const maxPooling2d = (args?: PoolingArgs): MaxPooling2D => new MaxPooling2D(args);
/** Mean over windows of sequences. */
export const averagePooling1d = (args?: PoolingArgs): AveragePooling1D => new AveragePooling1D(args);
/** Mean over windows of images. */
export const averagePooling2d = (args?: PoolingArgs): AveragePooling2D => new AveragePooling2D(args);
/** Mean over steps (masked steps left out). */
export const globalAveragePooling1d = (args?: GlobalPoolingArgs): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
/** Mean over pixels. */
export const globalAveragePooling2d = (args?: GlobalPoolingArgs): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
/** Max over steps. */
export const globalMaxPooling1d = (args?: GlobalPoolingArgs): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
/** Max over pixels. */
export const globalMaxPooling2d = (args?: GlobalPoolingArgs): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
/** Batch normalization (Keras 3: moving statistics updated in training). */
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
/** Layer normalization over `axis`. */
export const layerNormalization = (args?: LayerNormalizationArgs): LayerNormalization => new LayerNormalization(args);
/** The cell of simpleRNN, for rnn({cell}). */
export const simpleRNNCell = (args: RNNCellArgs): SimpleRNNCell => new SimpleRNNCell(args);
/** The cell of lstm, for rnn({cell}). */
export const lstmCell = (args: LSTMCellArgs): LSTMCell => new LSTMCell(args);
/** The cell of gru, for rnn({cell}). */
export const gruCell = (args: GRUCellArgs): GRUCell => new GRUCell(args);

/** A recurrent layer running `cell` over time (returnState: apply returns [output, ...states]). */
export function rnn(args: RNNArgs & { returnState: true }): RNN<'list'>;
export function rnn(args: RNNArgs): RNN;
export function rnn(args: RNNArgs): RNN<any> {
  return new RNN(args);
}
/** A fully connected recurrent layer. @example layers.simpleRNN({units: 16}) */
export function simpleRNN(args: SimpleRNNArgs & { returnState: true }): SimpleRNN<'list'>;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN<any> {
  return new SimpleRNN(args);
}
/** Long short-term memory. @example layers.lstm({units: 32, returnSequences: true}) */
export function lstm(args: LSTMArgs & { returnState: true }): LSTM<'list'>;
export function lstm(args: LSTMArgs): LSTM;
export function lstm(args: LSTMArgs): LSTM<any> {
  return new LSTM(args);
}
/** Gated recurrent unit. @example layers.gru({units: 32}) */
export function gru(args: GRUArgs & { returnState: true }): GRU<'list'>;
export function gru(args: GRUArgs): GRU;
export function gru(args: GRUArgs): GRU<any> {
  return new GRU(args);
}
/** Runs a recurrent layer both ways and merges the outputs (mergeMode null or returnState: a list). */
export function bidirectional(args: BidirectionalArgs & { mergeMode: null }): Bidirectional<'list'>;
export function bidirectional(args: BidirectionalArgs & { layer: RNN<'list'> }): Bidirectional<'list'>;
export function bidirectional(args: BidirectionalArgs): Bidirectional;
export function bidirectional(args: BidirectionalArgs): Bidirectional<any> {
  return new Bidirectional(args);
}
/** Applies a layer to every timestep. */
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
/** Drops whole channels of sequences in training. */
export const spatialDropout1d = (args: SpatialDropoutArgs): SpatialDropout1D => new SpatialDropout1D(args);
/** Drops whole channels of images in training. */
export const spatialDropout2d = (args: SpatialDropoutArgs): SpatialDropout2D => new SpatialDropout2D(args);
/** Adds Gaussian noise in training. */
export const gaussianNoise = (args: GaussianNoiseArgs): GaussianNoise => new GaussianNoise(args);
/** Multiplies by Gaussian noise of mean 1 in training. */
export const gaussianDropout = (args: NoiseRateArgs): GaussianDropout => new GaussianDropout(args);
/** Dropout that keeps SELU's self-normalization, in training. */
export const alphaDropout = (args: AlphaDropoutArgs): AlphaDropout => new AlphaDropout(args);
/** ReLU with maxValue, negativeSlope and threshold. */
export const reLU = (args?: ReLUArgs): ReLU => new ReLU(args);
/** Leaky ReLU (negativeSlope default 0.3). */
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
/** Exponential linear unit. */
export const elu = (args?: ELUArgs): ELU => new ELU(args);
/** Softmax over `axis`, honouring a mask. */
export const softmax = (args?: SoftmaxArgs): Softmax => new Softmax(args);
/** Parametric ReLU with a learned slope. */
export const prelu = (args?: PReLUArgs): PReLU => new PReLU(args);

/** A dense layer whose product is an einsum equation. @example layers.einsumDense({equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd'}) */
export const einsumDense = (args: EinsumDenseArgs): EinsumDense => new EinsumDense(args);
/** Multi-head attention (Keras 3). @example layers.multiHeadAttention({numHeads: 4, keyDim: 32}).apply(x, {value: x, useCausalMask: true}) */
export const multiHeadAttention = (args: MultiHeadAttentionArgs): MultiHeadAttention => new MultiHeadAttention(args);
/** Group normalization (Keras 3). */
export const groupNormalization = (args?: GroupNormalizationArgs): GroupNormalization => new GroupNormalization(args);
/** Root-mean-square normalization (Keras 3). */
export const rmsNormalization = (args?: RMSNormalizationArgs): RMSNormalization => new RMSNormalization(args);
/** Scales vectors to unit L2 norm (Keras 3). */
export const unitNormalization = (args?: UnitNormalizationArgs): UnitNormalization => new UnitNormalization(args);
/** A learned embedding per position (KerasHub). */
export const positionEmbedding = (args: PositionEmbeddingArgs): PositionEmbedding => new PositionEmbedding(args);
/** Rotary position embedding (KerasHub). */
export const rotaryEmbedding = (args?: RotaryEmbeddingArgs): RotaryEmbedding => new RotaryEmbedding(args);
/** Token embedding plus learned positions (KerasHub). */
export const tokenAndPositionEmbedding = (args: TokenAndPositionEmbeddingArgs): TokenAndPositionEmbedding => new TokenAndPositionEmbedding(args);
/** A Transformer encoder block (KerasHub). */
export const transformerEncoder = (args: TransformerArgs): TransformerEncoder => new TransformerEncoder(args);
/** A Transformer decoder block (KerasHub); without an encoder sequence, a GPT block. */
export const transformerDecoder = (args: TransformerArgs): TransformerDecoder => new TransformerDecoder(args);
/** Dot-product attention over [query, value(, key)] (Keras 3). */
export const attention = (args?: AttentionArgs): Attention => new Attention(args);
/** Additive (Bahdanau) attention over [query, value(, key)] (Keras 3). */
export const additiveAttention = (args?: AdditiveAttentionArgs): AdditiveAttention => new AdditiveAttention(args);
