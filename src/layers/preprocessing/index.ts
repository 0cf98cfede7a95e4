// Preprocessing layers (Keras 3 names): text and tabular. Their factories and classes,
// re-exported by layers/index.ts; registered there for deserialization.
import { TextVectorization, type TextVectorizationArgs } from './text_vectorization';

export { TextVectorization, type TextVectorizationArgs, type Standardize, type Split, type TextOutputMode } from './text_vectorization';
export { BoundaryLayer } from './string_input';
export type { StringBatch } from './strings';

/** The preprocessing layer classes deserializeLayer knows. */
export const preprocessingLayerClasses = [TextVectorization];

/** Raw text -> token ids or bag-of-words rows; adapt(texts) learns the vocabulary. @example layers.textVectorization({maxTokens: 10000, outputSequenceLength: 64}) */
export const textVectorization = (args?: TextVectorizationArgs): TextVectorization => new TextVectorization(args);
