// Preprocessing layers (Keras 3 names): text and tabular. Their factories and classes,
// re-exported by layers/index.ts; registered there for deserialization.
import { layerFactory } from '../keras_positional';
import { CategoryEncoding } from './category_encoding';
import { Discretization } from './discretization';
import { Normalization } from './feature_normalization';
import { HashedCrossing } from './hashed_crossing';
import { Hashing } from './hashing';
import { IntegerLookup, StringLookup } from './lookup_layers';
import { TextVectorization } from './text_vectorization';

export { TextVectorization, type TextVectorizationArgs, type Standardize, type Split, type TextOutputMode } from './text_vectorization';
export { StringLookup, IntegerLookup, type LookupArgs, type StringLookupArgs, type IntegerLookupArgs } from './lookup_layers';
export type { LookupOutputMode } from './lookup_table';
export { Hashing, type HashingArgs } from './hashing';
export { HashedCrossing, type HashedCrossingArgs } from './hashed_crossing';
export { CategoryEncoding, type CategoryEncodingArgs, type CountMode } from './category_encoding';
export { Discretization, type DiscretizationArgs } from './discretization';
export { Normalization, type NormalizationArgs } from './feature_normalization';
export { BoundaryLayer } from './string_input';
export type { StringBatch } from './strings';

/** The preprocessing layer classes deserializeLayer knows. */
export const preprocessingLayerClasses = [
  TextVectorization,
  StringLookup,
  IntegerLookup,
  Hashing,
  HashedCrossing,
  CategoryEncoding,
  Discretization,
  Normalization,
];

/** Raw text -> token ids or bag-of-words rows; adapt(texts) learns the vocabulary. @example layers.textVectorization({maxTokens: 10000, outputSequenceLength: 64}) */
export const textVectorization = layerFactory(TextVectorization);
/** Strings -> vocabulary indices (or one_hot / multi_hot / count / tf_idf rows). */
export const stringLookup = layerFactory(StringLookup);
/** Integers -> vocabulary indices (or encoded rows); invert maps back. */
export const integerLookup = layerFactory(IntegerLookup);
/** Strings or integers -> numBins bins by Keras's FarmHash Fingerprint64. */
export const hashing = layerFactory(Hashing);
/** Two or more categorical features -> one bin of their cross, by Keras's hash. @example layers.hashedCrossing({numBins: 5}).apply([['A', 'B'], [101, 101]]) */
export const hashedCrossing = layerFactory(HashedCrossing);
/** Integer ids -> one_hot / multi_hot / count rows of width numTokens. */
export const categoryEncoding = layerFactory(CategoryEncoding);
/** Numbers -> bucket indices by binBoundaries (or numBins quantiles from adapt). */
export const discretization = layerFactory(Discretization);
/** (x - mean) / sqrt(variance) per feature; adapt computes mean and variance. */
export const normalization = layerFactory(Normalization);
