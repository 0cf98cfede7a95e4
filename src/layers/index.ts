// The layers namespace: `layers.dense({units: 64})` factories (TensorFlow.js style), the
// classes for subclassing and instanceof, and the base machinery.
import { Activation, Identity, Lambda, Masking, type LambdaArgs } from './core';
import { Dense } from './dense';
import { constructLayer, layerFactory } from './keras_positional';
import { Embedding } from './embedding';
import { ReversibleEmbedding } from './reversible_embedding';
import { InputLayer } from './input_layer';
import type { OutputKind } from './layer';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from './merging';
import { ActivityRegularization, Dropout } from './regularization';
import { Pipeline } from './pipeline';
import { SpectralNormalization } from './spectral_normalization';
import { AUGMENTATION_LAYERS } from './augmentation';
import { COLOR_AUGMENTATION_LAYERS } from './color_augmentation';
import { HSV_AUGMENTATION_LAYERS } from './hsv_augmentation';
import { IMAGE_FILTER_LAYERS } from './image_filters';
import { WARP_AUGMENTATION_LAYERS } from './warp_augmentation';
import { RandomColorJitter } from './color_jitter';
import { Equalization } from './equalization';
import { ContrastLimitedAdaptiveHistogramEqualization } from './clahe';
import { MIXING_LAYERS } from './mixing_augmentation';
import { RandAugment } from './rand_augment';
import { AugMix } from './aug_mix';
import { DropConnect } from './drop_connect';
import { LayerScale } from './layer_scale';
import { StochasticDepth } from './stochastic_depth';
import { Flatten, Permute, RepeatVector, Reshape } from './reshaping';
import { registerLayer } from './serialization';
import { preprocessingLayerClasses } from './preprocessing';
import { FeatureSpace } from '../utils/feature_space';
import { ELU, LeakyReLU, PReLU, ReLU, Softmax } from './activations_layers';
import {
  Conv1D,
  Conv1DTranspose,
  Conv2D,
  Conv2DTranspose,
  Conv3D,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
} from './convolutional';
import { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D } from './noise';
import { BatchNormalization, LayerNormalization } from './normalization';
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
} from './pooling';
import { GRU, LSTM, RNN, SimpleRNN, type GRUArgs, type LSTMArgs, type RNNArgs, type SimpleRNNArgs } from './recurrent';
import { GRUCell, LSTMCell, SimpleRNNCell } from './rnn_cells';
import { StackedRNNCells } from './stacked_rnn_cells';
import { Cropping1D, Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D } from './spatial_reshaping';
import { Cropping3D, UpSampling3D, ZeroPadding3D } from './spatial_reshaping_3d';
import { Bidirectional, TimeDistributed, type BidirectionalArgs } from './wrappers';
import { Wrapper } from './wrapper';
import { CenterCrop, Rescaling, Resizing } from './image_preprocessing';
import { MaxNumBoundingBoxes } from './max_num_bounding_boxes';
import { MelSpectrogram } from './mel_spectrogram';
import { STFTSpectrogram } from './stft_spectrogram';
import { EinsumDense } from './einsum_dense';
import { MultiHeadAttention } from './attention/multi_head_attention';
import { GroupQueryAttention } from './attention/group_query_attention';
import { AdditiveAttention, Attention } from './attention/dot_attention';
import {
  ADAPTIVE_POOLING_LAYERS,
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
} from './adaptive_pooling';
import { GroupNormalization, RMSNormalization, UnitNormalization } from './normalization_variants';
import { PositionEmbedding, RotaryEmbedding, TokenAndPositionEmbedding } from './position_embeddings';
import { TransformerDecoder, TransformerEncoder } from './transformer';

export { Layer, type LayerArgs, type AddWeightOptions, type CallOptions, type Mask, type OutputKind, type Outputs, type LayerOutput } from './layer';
export { InputSpec, type InputSpecArgs } from './input_spec';
export { SymbolicTensor, type SymbolicShape, type TensorSpec } from './symbolic_tensor';
export type { Node } from './node';
export type { Nested } from './structure';
export { registerLayer, serializeLayer, deserializeLayer, type LayerClass } from './serialization';
export { InputLayer, type InputArgs } from './input_layer';
/** Keras's keras.layers.Input, the same as ts.input: a symbolic input of a functional model. @example layers.input({shape: [28, 28, 1]}) */
export { input } from './input_layer';
/** Keras's own spelling, keras.layers.Input (a function, as in Keras): the same as layers.input. @example layers.Input({shape: [784]}) */
export { input as Input } from './input_layer';
export { Dense, type DenseArgs } from './dense';
export { Activation, Identity, Lambda, Masking, type ActivationArgs, type LambdaArgs, type LambdaFunction, type MaskingArgs } from './core';
/** Keras's operations on symbolic tensors (keras.ops.X in a functional model), saved as Keras writes them. */
export { operation } from './keras_operation_call';
export { Dropout, ActivityRegularization, type DropoutArgs, type ActivityRegularizationArgs } from './regularization';
export { Pipeline, type PipelineArgs } from './pipeline';
export { SpectralNormalization, type SpectralNormalizationArgs } from './spectral_normalization';
export { Flatten, Reshape, Permute, RepeatVector, type FlattenArgs, type ReshapeArgs, type PermuteArgs, type RepeatVectorArgs } from './reshaping';
export { Embedding, type EmbeddingArgs } from './embedding';
export { ReversibleEmbedding, type ReversibleEmbeddingArgs, type ReversibleEmbeddingCallOptions } from './reversible_embedding';
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
  Conv3D,
  Conv3DTranspose,
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
  UpSampling3D,
  ZeroPadding3D,
  Cropping3D,
  type UpSampling3DArgs,
  type ZeroPadding3DArgs,
  type Cropping3DArgs,
  type Spatial3DAmounts,
} from './spatial_reshaping_3d';
export {
  Pooling,
  GlobalPooling,
  MaxPooling1D,
  MaxPooling2D,
  AveragePooling1D,
  AveragePooling2D,
  MaxPooling3D,
  AveragePooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  type PoolingArgs,
  type GlobalPoolingArgs,
} from './pooling';
export { BatchNormalization, LayerNormalization, type AffineArgs, type BatchNormalizationArgs, type LayerNormalizationArgs } from './normalization';
export { RNNCell, GatedCell, SimpleRNNCell, LSTMCell, GRUCell, type RNNCellArgs, type GatedCellArgs, type LSTMCellArgs, type GRUCellArgs } from './rnn_cells';
export { StackedRNNCells, type StackedRNNCellsArgs } from './stacked_rnn_cells';
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
export { Wrapper, type WrapperArgs } from './wrapper';
export {
  SpatialDropout,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
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
export {
  RandomGrayscale,
  RandomInvert,
  Solarization,
  RandomPosterization,
  RandomColorDegeneration,
  RandomSharpness,
  randomGrayscale,
  randomInvert,
  solarization,
  randomPosterization,
  randomColorDegeneration,
  randomSharpness,
  type RandomGrayscaleArgs,
  type RandomInvertArgs,
  type SolarizationArgs,
  type RandomPosterizationArgs,
  type RandomColorDegenerationArgs,
  type RandomSharpnessArgs,
} from './color_augmentation';
export { RandomSaturation, RandomHue, randomSaturation, randomHue, type RandomSaturationArgs, type RandomHueArgs } from './hsv_augmentation';
export {
  AutoContrast,
  RandomGaussianBlur,
  RandomErasing,
  autoContrast,
  randomGaussianBlur,
  randomErasing,
  type AutoContrastArgs,
  type RandomGaussianBlurArgs,
  type RandomErasingArgs,
} from './image_filters';
export {
  RandomShear,
  RandomPerspective,
  RandomElasticTransform,
  randomShear,
  randomPerspective,
  randomElasticTransform,
  type RandomShearArgs,
  type RandomPerspectiveArgs,
  type RandomElasticTransformArgs,
} from './warp_augmentation';
export { RandomColorJitter, randomColorJitter, type RandomColorJitterArgs } from './color_jitter';
export { Equalization, equalization, type EqualizationArgs } from './equalization';
export {
  ContrastLimitedAdaptiveHistogramEqualization,
  contrastLimitedAdaptiveHistogramEqualization,
  type ContrastLimitedAdaptiveHistogramEqualizationArgs,
} from './clahe';
export { MixUp, CutMix, mixUp, cutMix, type MixUpArgs, type CutMixArgs } from './mixing_augmentation';
export { RandAugment, randAugment, type RandAugmentArgs } from './rand_augment';
export { AugMix, augMix, type AugMixArgs } from './aug_mix';
export { DropConnect, dropConnect, type DropConnectArgs } from './drop_connect';
export { LayerScale, layerScale, type LayerScaleArgs } from './layer_scale';
export { StochasticDepth, stochasticDepth, type StochasticDepthArgs } from './stochastic_depth';
export { Rescaling, Resizing, CenterCrop, type RescalingArgs, type ResizingArgs, type CenterCropArgs } from './image_preprocessing';
export { MaxNumBoundingBoxes, type MaxNumBoundingBoxesArgs, type ImagesWithBoxes } from './max_num_bounding_boxes';
export { MelSpectrogram, type MelSpectrogramArgs } from './mel_spectrogram';
export { STFTSpectrogram, type STFTSpectrogramArgs, type SpectrogramMode } from './stft_spectrogram';
export { EinsumDense, type EinsumDenseArgs } from './einsum_dense';
export { MultiHeadAttention, type MultiHeadAttentionArgs, type MultiHeadAttentionCallOptions } from './attention/multi_head_attention';
export { GroupQueryAttention, type GroupQueryAttentionArgs, type GroupQueryAttentionCallOptions } from './attention/group_query_attention';
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
  ActivityRegularization,
  Pipeline,
  Flatten,
  Reshape,
  Permute,
  RepeatVector,
  Embedding,
  ReversibleEmbedding,
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
  Conv3D,
  Conv3DTranspose,
  DepthwiseConv1D,
  DepthwiseConv2D,
  SeparableConv1D,
  SeparableConv2D,
  UpSampling1D,
  UpSampling2D,
  UpSampling3D,
  ZeroPadding1D,
  ZeroPadding2D,
  ZeroPadding3D,
  Cropping1D,
  Cropping2D,
  Cropping3D,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  BatchNormalization,
  LayerNormalization,
  SimpleRNNCell,
  LSTMCell,
  GRUCell,
  StackedRNNCells,
  RNN,
  SimpleRNN,
  LSTM,
  GRU,
  Bidirectional,
  Wrapper,
  TimeDistributed,
  SpectralNormalization,
  SpatialDropout1D,
  SpatialDropout2D,
  SpatialDropout3D,
  GaussianNoise,
  GaussianDropout,
  AlphaDropout,
  ReLU,
  LeakyReLU,
  ELU,
  Softmax,
  PReLU,
  Rescaling,
  MelSpectrogram,
  STFTSpectrogram,
  Resizing,
  CenterCrop,
  MaxNumBoundingBoxes,
  EinsumDense,
  MultiHeadAttention,
  GroupQueryAttention,
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
// Keras's ConvNeXt defines these in keras.applications.convnext; its files name them so.
for (const cls of [LayerScale, StochasticDepth]) registerLayer(cls);
// Keras 3.15 writes GroupQueryAttention; earlier Keras 3 wrote its Python class name.
registerLayer(GroupQueryAttention, 'GroupedQueryAttention');
for (const cls of [
  ...AUGMENTATION_LAYERS,
  ...COLOR_AUGMENTATION_LAYERS,
  ...HSV_AUGMENTATION_LAYERS,
  ...IMAGE_FILTER_LAYERS,
  ...WARP_AUGMENTATION_LAYERS,
  RandomColorJitter,
  Equalization,
  ContrastLimitedAdaptiveHistogramEqualization,
  ...MIXING_LAYERS,
  RandAugment,
  AugMix,
  DropConnect,
])
  registerLayer(cls);
for (const cls of preprocessingLayerClasses) registerLayer(cls);
// Keras saves a FeatureSpace as a layer; registered here so the list of names starts with the core layers.
registerLayer(FeatureSpace);
export * from './preprocessing';

/** x * scale + offset (pixels to [0, 1] with scale 1 / 255). @example layers.rescaling({scale: 1 / 255}) */
export const rescaling = layerFactory(Rescaling);
/** Raw audio -> mel spectrograms [..., numMelBins, frames], as Keras 3's MelSpectrogram. @example layers.melSpectrogram({numMelBins: 64, samplingRate: 8000, sequenceStride: 256, fftLength: 2048}) */
export const melSpectrogram = layerFactory(MelSpectrogram);
/** Signals [batch, time, channels] -> spectrograms by trainable DFT kernels, as Keras 3's STFTSpectrogram. @example layers.stftSpectrogram({mode: 'log', frameLength: 256, frameStep: 128, fftLength: 512}) */
export const stftSpectrogram = layerFactory(STFTSpectrogram);
/** Preprocessing layers applied in sequence, as a layer (Keras 3; training mode unless told). @example layers.pipeline([layers.randomFlip(), layers.rescaling({scale: 1 / 255})]) */
export const pipeline = layerFactory(Pipeline);
/** Resizes images to [height, width], optionally cropping to the aspect ratio first. */
export const resizing = layerFactory(Resizing);
/** The central [height, width] window of each image. */
export const centerCrop = layerFactory(CenterCrop);
/** Cuts or pads the boxes and labels of {images, bounding_boxes} to maxNumber per image (Keras 3). @example layers.maxNumBoundingBoxes({maxNumber: 10}) */
export const maxNumBoundingBoxes = layerFactory(MaxNumBoundingBoxes);
/** A fully connected layer: activation(x W + b). @example layers.dense({units: 64, activation: 'relu'}) */
export const dense = layerFactory(Dense);
/** Applies an activation function. */
export const activation = layerFactory(Activation);
/** Randomly zeroes inputs at `rate` during training. */
export const dropout = layerFactory(Dropout);
/** The identity, adding an L1/L2 penalty of its input to the losses (Keras 3). @example layers.activityRegularization({l1: 1e-4}) */
export const activityRegularization = layerFactory(ActivityRegularization);
/** [batch, ...] -> [batch, product of the rest]. */
export const flatten = layerFactory(Flatten);
/** Reshapes each example to targetShape (one entry may be -1). */
export const reshape = layerFactory(Reshape);
/** Permutes the non-batch dimensions (1-based dims). */
export const permute = layerFactory(Permute);
/** [batch, features] -> [batch, n, features]. */
export const repeatVector = layerFactory(RepeatVector);
/** Returns its input unchanged. */
export const identity = layerFactory(Identity);
/** A TypeScript function as a layer (not serializable). */
export const lambda = layerFactory(Lambda as new (args: LambdaArgs) => Lambda) as <K extends OutputKind = 'single'>(args: LambdaArgs) => Lambda<K>;
/** Masks timesteps whose features all equal maskValue. */
export const masking = layerFactory(Masking);
/** Integer ids -> dense vectors; maskZero makes id 0 padding. */
export const embedding = layerFactory(Embedding);
/** An embedding that also maps hidden states back to vocabulary logits (Keras 3). @example const e = layers.reversibleEmbedding({inputDim: 100, outputDim: 32}); e.apply(e.apply(ids), {reverse: true}) */
export const reversibleEmbedding = layerFactory(ReversibleEmbedding);
/** Sums a list of inputs. */
export const add = layerFactory(Add);
/** inputs[0] - inputs[1]. */
export const subtract = layerFactory(Subtract);
/** Multiplies a list of inputs elementwise. */
export const multiply = layerFactory(Multiply);
/** The mean of a list of inputs. */
export const average = layerFactory(Average);
/** The elementwise maximum of a list of inputs. */
export const maximum = layerFactory(Maximum);
/** The elementwise minimum of a list of inputs. */
export const minimum = layerFactory(Minimum);
/** Joins a list of inputs along an axis (default -1). */
export const concatenate = layerFactory(Concatenate);
/** The per-example dot product of two inputs along `axes`. */
export const dot = layerFactory(Dot);

/** 1-D convolution over [batch, steps, channels]. @example layers.conv1d({filters: 16, kernelSize: 3, padding: 'causal'}) */
export const conv1d = layerFactory(Conv1D);
/** 2-D convolution over [batch, height, width, channels]. @example layers.conv2d({filters: 32, kernelSize: 3, activation: 'relu'}) */
export const conv2d = layerFactory(Conv2D);
/** 3-D convolution over [batch, depth, height, width, channels]. @example layers.conv3d({filters: 8, kernelSize: 3, padding: 'same'}) */
export const conv3d = layerFactory(Conv3D);
/** Transposed 1-D convolution (upsamples steps by the stride). */
export const conv1dTranspose = layerFactory(Conv1DTranspose);
/** Transposed 2-D convolution (upsamples images by the strides). */
export const conv2dTranspose = layerFactory(Conv2DTranspose);
/** Transposed 3-D convolution (upsamples volumes by the strides). */
export const conv3dTranspose = layerFactory(Conv3DTranspose);
/** Depthwise 1-D convolution: each channel with its own depthMultiplier kernels. */
export const depthwiseConv1d = layerFactory(DepthwiseConv1D);
/** Depthwise 2-D convolution: each channel with its own depthMultiplier kernels. */
export const depthwiseConv2d = layerFactory(DepthwiseConv2D);
/** Depthwise then pointwise 1-D convolution. */
export const separableConv1d = layerFactory(SeparableConv1D);
/** Depthwise then pointwise 2-D convolution. */
export const separableConv2d = layerFactory(SeparableConv2D);
/** Repeats each step `size` times. */
export const upSampling1d = layerFactory(UpSampling1D);
/** Scales images up by integer factors ('nearest' or 'bilinear'). */
export const upSampling2d = layerFactory(UpSampling2D);
/** Scales volumes up by integer factors (nearest). */
export const upSampling3d = layerFactory(UpSampling3D);
/** Zero steps at the start and end of sequences. */
export const zeroPadding1d = layerFactory(ZeroPadding1D);
/** Zero rows and columns around images. */
export const zeroPadding2d = layerFactory(ZeroPadding2D);
/** Zeros around volumes along depth, rows and columns. */
export const zeroPadding3d = layerFactory(ZeroPadding3D);
/** Removes steps at the start and end of sequences. */
export const cropping1d = layerFactory(Cropping1D);
/** Removes rows and columns at the borders of images. */
export const cropping2d = layerFactory(Cropping2D);
/** Removes slices at the borders of volumes. */
export const cropping3d = layerFactory(Cropping3D);
/** TensorFlow.js's tf.layers.inputLayer: the input of a sequential, as input() ({inputShape} or {shape}). */
export const inputLayer = layerFactory(InputLayer);
/** Max over windows of sequences. */
export const maxPooling1d = layerFactory(MaxPooling1D);
/** Max over windows of images. @example layers.maxPooling2d({poolSize: 2}) */
export const maxPooling2d = layerFactory(MaxPooling2D);
/** Max over windows of volumes. @example layers.maxPooling3d({poolSize: 2}) */
export const maxPooling3d = layerFactory(MaxPooling3D);
/** Mean over windows of sequences. */
export const averagePooling1d = layerFactory(AveragePooling1D);
/** Mean over windows of images. */
export const averagePooling2d = layerFactory(AveragePooling2D);
/** Mean over windows of volumes. */
export const averagePooling3d = layerFactory(AveragePooling3D);
/** Mean over steps (masked steps left out). */
export const globalAveragePooling1d = layerFactory(GlobalAveragePooling1D);
/** Mean over pixels. */
export const globalAveragePooling2d = layerFactory(GlobalAveragePooling2D);
/** Mean over voxels. */
export const globalAveragePooling3d = layerFactory(GlobalAveragePooling3D);
/** Max over steps. */
export const globalMaxPooling1d = layerFactory(GlobalMaxPooling1D);
/** Max over pixels. */
export const globalMaxPooling2d = layerFactory(GlobalMaxPooling2D);
/** Max over voxels. */
export const globalMaxPooling3d = layerFactory(GlobalMaxPooling3D);
/** Batch normalization (Keras 3: moving statistics updated in training). */
export const batchNormalization = layerFactory(BatchNormalization);
/** Layer normalization over `axis`. */
export const layerNormalization = layerFactory(LayerNormalization);
/** The cell of simpleRNN, for rnn({cell}). */
export const simpleRNNCell = layerFactory(SimpleRNNCell);
/** The cell of lstm, for rnn({cell}). */
export const lstmCell = layerFactory(LSTMCell);
/** The cell of gru, for rnn({cell}). */
export const gruCell = layerFactory(GRUCell);
/** Cells stacked into one, for rnn({cell}) (rnn({cell: [a, b]}) makes one too). */
export const stackedRNNCells = layerFactory(StackedRNNCells);

/** A recurrent layer running `cell` over time (returnState: apply returns [output, ...states]). */
export function rnn(args: RNNArgs & { returnState: true }): RNN<'list'>;
export function rnn(args: RNNArgs): RNN;
export function rnn(...args: unknown[]): RNN<any> {
  return constructLayer(RNN as new (args: RNNArgs) => RNN<any>, args);
}
/** A fully connected recurrent layer. @example layers.simpleRNN({units: 16}) */
export function simpleRNN(args: SimpleRNNArgs & { returnState: true }): SimpleRNN<'list'>;
export function simpleRNN(args: SimpleRNNArgs): SimpleRNN;
export function simpleRNN(...args: unknown[]): SimpleRNN<any> {
  return constructLayer(SimpleRNN as new (args: SimpleRNNArgs) => SimpleRNN<any>, args);
}
/** Long short-term memory. @example layers.lstm({units: 32, returnSequences: true}) */
export function lstm(args: LSTMArgs & { returnState: true }): LSTM<'list'>;
export function lstm(args: LSTMArgs): LSTM;
export function lstm(...args: unknown[]): LSTM<any> {
  return constructLayer(LSTM as new (args: LSTMArgs) => LSTM<any>, args);
}
/** Gated recurrent unit. @example layers.gru({units: 32}) */
export function gru(args: GRUArgs & { returnState: true }): GRU<'list'>;
export function gru(args: GRUArgs): GRU;
export function gru(...args: unknown[]): GRU<any> {
  return constructLayer(GRU as new (args: GRUArgs) => GRU<any>, args);
}
/** Runs a recurrent layer both ways and merges the outputs (mergeMode null or returnState: a list). */
export function bidirectional(args: BidirectionalArgs & { mergeMode: null }): Bidirectional<'list'>;
export function bidirectional(args: BidirectionalArgs & { layer: RNN<'list'> }): Bidirectional<'list'>;
export function bidirectional(args: BidirectionalArgs): Bidirectional;
export function bidirectional(...args: unknown[]): Bidirectional<any> {
  return constructLayer(Bidirectional as new (args: BidirectionalArgs) => Bidirectional<any>, args);
}
/** Applies a layer to every timestep. */
export const timeDistributed = layerFactory(TimeDistributed);
/** Keeps a wrapped layer's kernel divided by its largest singular value (power iteration in training; Keras 3). @example layers.spectralNormalization({layer: layers.dense({units: 10})}) */
export const spectralNormalization = layerFactory(SpectralNormalization);
/** Drops whole channels of sequences in training. */
export const spatialDropout1d = layerFactory(SpatialDropout1D);
/** Drops whole channels of images in training. */
export const spatialDropout2d = layerFactory(SpatialDropout2D);
/** Drops whole channels of volumes in training. */
export const spatialDropout3d = layerFactory(SpatialDropout3D);
/** Adds Gaussian noise in training. */
export const gaussianNoise = layerFactory(GaussianNoise);
/** Multiplies by Gaussian noise of mean 1 in training. */
export const gaussianDropout = layerFactory(GaussianDropout);
/** Dropout that keeps SELU's self-normalization, in training. */
export const alphaDropout = layerFactory(AlphaDropout);
/** ReLU with maxValue, negativeSlope and threshold. */
export const reLU = layerFactory(ReLU);
/** Leaky ReLU (negativeSlope default 0.3). */
export const leakyReLU = layerFactory(LeakyReLU);
/** Exponential linear unit. */
export const elu = layerFactory(ELU);
/** Softmax over `axis`, honouring a mask. */
export const softmax = layerFactory(Softmax);
/** Parametric ReLU with a learned slope. */
export const prelu = layerFactory(PReLU);

/** A dense layer whose product is an einsum equation. @example layers.einsumDense({equation: 'abc,cd->abd', outputShape: [null, 64], biasAxes: 'd'}) */
export const einsumDense = layerFactory(EinsumDense);
/** Multi-head attention (Keras 3). @example layers.multiHeadAttention({numHeads: 4, keyDim: 32}).apply(x, {value: x, useCausalMask: true}) */
export const multiHeadAttention = layerFactory(MultiHeadAttention);
/** Grouped-query attention (Keras 3): fewer key/value heads than query heads. @example layers.groupQueryAttention({headDim: 16, numQueryHeads: 8, numKeyValueHeads: 2}).apply(x, {value: x}) */
export const groupQueryAttention = layerFactory(GroupQueryAttention);
/** Group normalization (Keras 3). */
export const groupNormalization = layerFactory(GroupNormalization);
/** Root-mean-square normalization (Keras 3). */
export const rmsNormalization = layerFactory(RMSNormalization);
/** Scales vectors to unit L2 norm (Keras 3). */
export const unitNormalization = layerFactory(UnitNormalization);
/** A learned embedding per position (KerasHub). */
export const positionEmbedding = layerFactory(PositionEmbedding);
/** Rotary position embedding (KerasHub). */
export const rotaryEmbedding = layerFactory(RotaryEmbedding);
/** Token embedding plus learned positions (KerasHub). */
export const tokenAndPositionEmbedding = layerFactory(TokenAndPositionEmbedding);
/** A Transformer encoder block (KerasHub). */
export const transformerEncoder = layerFactory(TransformerEncoder);
/** A Transformer decoder block (KerasHub); without an encoder sequence, a GPT block. */
export const transformerDecoder = layerFactory(TransformerDecoder);
/** Dot-product attention over [query, value(, key)] (Keras 3). */
export const attention = layerFactory(Attention);
/** Additive (Bahdanau) attention over [query, value(, key)] (Keras 3). */
export const additiveAttention = layerFactory(AdditiveAttention);

// TensorFlow.js's shorter names for the pooling and cropping factories.
export {
  maxPooling1d as maxPool1d,
  maxPooling2d as maxPool2d,
  maxPooling3d as maxPool3d,
  averagePooling1d as avgPool1d,
  averagePooling2d as avgPool2d,
  averagePooling3d as avgPool3d,
  averagePooling1d as avgPooling1d,
  averagePooling2d as avgPooling2d,
  averagePooling3d as avgPooling3d,
  globalAveragePooling1d as globalAvgPool1d,
  globalAveragePooling2d as globalAvgPool2d,
  globalAveragePooling3d as globalAvgPool3d,
  globalMaxPooling1d as globalMaxPool1d,
  globalMaxPooling2d as globalMaxPool2d,
  globalMaxPooling3d as globalMaxPool3d,
  cropping2d as cropping2D,
};

export {
  AdaptivePooling,
  AdaptiveAveragePooling1D,
  AdaptiveAveragePooling2D,
  AdaptiveAveragePooling3D,
  AdaptiveMaxPooling1D,
  AdaptiveMaxPooling2D,
  AdaptiveMaxPooling3D,
  type AdaptivePoolingArgs,
} from './adaptive_pooling';
for (const cls of ADAPTIVE_POOLING_LAYERS) registerLayer(cls);
/** Average pooling of steps to a fixed count (Keras 3's AdaptiveAveragePooling1D). */
export const adaptiveAveragePooling1d = layerFactory(AdaptiveAveragePooling1D);
/** Average pooling of pixels to a fixed grid (Keras 3's AdaptiveAveragePooling2D). */
export const adaptiveAveragePooling2d = layerFactory(AdaptiveAveragePooling2D);
/** Average pooling of voxels to a fixed grid (Keras 3's AdaptiveAveragePooling3D). */
export const adaptiveAveragePooling3d = layerFactory(AdaptiveAveragePooling3D);
/** Max pooling of steps to a fixed count (Keras 3's AdaptiveMaxPooling1D). */
export const adaptiveMaxPooling1d = layerFactory(AdaptiveMaxPooling1D);
/** Max pooling of pixels to a fixed grid (Keras 3's AdaptiveMaxPooling2D). */
export const adaptiveMaxPooling2d = layerFactory(AdaptiveMaxPooling2D);
/** Max pooling of voxels to a fixed grid (Keras 3's AdaptiveMaxPooling3D). */
export const adaptiveMaxPooling3d = layerFactory(AdaptiveMaxPooling3D);
export * from './conv_lstm_index';
// Keras's longer names for the convolution factories (keras.layers.Convolution2D ...).
export {
  conv1d as convolution1d,
  conv2d as convolution2d,
  conv3d as convolution3d,
  conv1dTranspose as convolution1dTranspose,
  conv2dTranspose as convolution2dTranspose,
  conv3dTranspose as convolution3dTranspose,
  separableConv1d as separableConvolution1d,
  separableConv2d as separableConvolution2d,
};

// Keras's short class names, the same classes as the long ones (keras.layers.MaxPool2D is MaxPooling2D).
export {
  AveragePooling1D as AvgPool1D,
  AveragePooling2D as AvgPool2D,
  AveragePooling3D as AvgPool3D,
  MaxPooling1D as MaxPool1D,
  MaxPooling2D as MaxPool2D,
  MaxPooling3D as MaxPool3D,
  GlobalAveragePooling1D as GlobalAvgPool1D,
  GlobalAveragePooling2D as GlobalAvgPool2D,
  GlobalAveragePooling3D as GlobalAvgPool3D,
  GlobalMaxPooling1D as GlobalMaxPool1D,
  GlobalMaxPooling2D as GlobalMaxPool2D,
  GlobalMaxPooling3D as GlobalMaxPool3D,
  Conv1D as Convolution1D,
  Conv2D as Convolution2D,
  Conv3D as Convolution3D,
  Conv1DTranspose as Convolution1DTranspose,
  Conv2DTranspose as Convolution2DTranspose,
  Conv3DTranspose as Convolution3DTranspose,
  SeparableConv1D as SeparableConvolution1D,
  SeparableConv2D as SeparableConvolution2D,
};
export { serialize, deserialize, type DeserializeOptions } from './keras_serialize';
