// Token sequences for the text metrics (BLEU, ROUGE-L): texts split into tokens, token-id
// arrays and int tensors read as they are, batches of references unpacked.
import type { TensorLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { everyEntry } from '../options/every_entry';

/** A token: a string, or a token id. */
export type Token = string | number;
/** One text (split by the metric's tokenizer) or its tokens (strings or token ids). */
export type TokenSequence = string | Token[];
/** A function from a text to its tokens. */
export type Tokenizer = (text: string) => string[];

const isToken = (v: unknown): v is Token => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));

/** A batch as a JS array: a tensor's rows, a lone text as a batch of one. */
function batchOf(metric: string, arg: string, value: unknown): unknown[] {
  if (value instanceof Tensor) {
    if (value.rank < 2) throw new Error(`${metric}: expected ${arg} token ids of rank 2 or more ([batch, length]), got shape [${value.shape.join(', ')}]`);
    return value.arraySync() as unknown[];
  }
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) throw new Error(`${metric}: expected ${arg} a batch (an array or a tensor of token ids), got ${describe(value)}`);
  return value;
}

function sequence(metric: string, arg: string, value: unknown, tokenize: Tokenizer): Token[] {
  if (typeof value === 'string') return tokenize(value);
  if (Array.isArray(value) && everyEntry(value, isToken)) return value;
  throw new Error(`${metric}: expected each ${arg} a text or an array of tokens (strings or numbers), got ${describe(value)}`);
}

/** The predictions of a batch: one token sequence per sample. */
export function predictionBatch(metric: string, yPred: TensorLike | TokenSequence[] | undefined, tokenize: Tokenizer): Token[][] {
  return batchOf(metric, 'yPred', yPred).map((p) => sequence(metric, 'yPred', p, tokenize));
}

/**
 * The references of a batch: per sample a list of references. A sample is one text, one
 * array of token ids, a list of texts, or a list of token arrays (a list of string
 * tokens must be wrapped in a list: [['the', 'cat']], since ['the', 'cat'] are two texts).
 */
export function referenceBatch(metric: string, yTrue: unknown, tokenize: Tokenizer): Token[][][] {
  return batchOf(metric, 'yTrue', yTrue).map((sample) => {
    if (typeof sample === 'string') return [tokenize(sample)];
    if (Array.isArray(sample) && sample.length > 0 && everyEntry(sample, (t) => typeof t === 'number')) return [sample as number[]];
    if (Array.isArray(sample) && sample.length > 0) return sample.map((r) => sequence(metric, 'reference', r, tokenize));
    throw new Error(`${metric}: expected each yTrue sample a text, token ids, or a non-empty list of references, got ${describe(sample)}`);
  });
}

/** Splits on whitespace (BLEU's default). */
export const whitespaceTokenizer: Tokenizer = (text) => text.split(/\s+/).filter((t) => t.length > 0);

/** rouge_score's tokenizer: lower case, anything but letters and digits separates. */
export const rougeTokenizer: Tokenizer = (text) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);

export function checkBatchSizes(metric: string, references: unknown[], predictions: unknown[]): void {
  if (references.length !== predictions.length)
    throw new Error(`${metric}: expected as many references as predictions, got ${references.length} and ${predictions.length}`);
}
