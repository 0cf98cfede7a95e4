// ROUGE-L (Lin 2004) as KerasHub's RougeL computes it (rouge_score's scorer): per sample,
// the longest common subsequence (LCS) of reference and prediction gives precision
// LCS / |prediction|, recall LCS / |reference| and their harmonic mean; the metric is the
// mean of each over the samples since the last reset.
import { classOptions } from '../options/check';
import { scalar, type TensorLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { Metric } from './metric';
import { checkBatchSizes, predictionBatch, referenceBatch, rougeTokenizer, type Token, type TokenSequence, type Tokenizer } from './token_sequences';

/** Options of RougeL. */
export interface RougeLConfig {
  /** What result() returns: 'fMeasure' (default), 'precision' or 'recall'; scores() gives all three. */
  value?: 'fMeasure' | 'precision' | 'recall';
  /** Splits texts into tokens (default: rouge_score's: lower case, letters and digits). */
  tokenizer?: Tokenizer;
  /** The name in logs (default 'rouge_l'). */
  name?: string;
}

/** The length of the longest common subsequence of a and b (dynamic programming, two rows). */
export function lcsLength(a: Token[], b: Token[]): number {
  for (const [what, v] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!Array.isArray(v)) throw new Error(`metrics.lcsLength: expected ${what} to be an array of tokens, got ${describe(v)}`);
  }
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], row[j - 1]);
    previous = row;
  }
  return previous[b.length];
}

/**
 * ROUGE-L, averaged over samples (name 'rouge_l'). updateState(yTrue, yPred): per sample
 * one reference and one prediction (texts or token arrays). result() is the F-measure
 * unless `value` says otherwise; scores() returns precision, recall and fMeasure.
 * @example const m = new metrics.RougeL(); m.updateState(['police killed the gunman'], ['police kill the gunman']); m.result() // 0.75
 */
export class RougeL extends Metric {
  /** What result() returns. */
  readonly value: 'fMeasure' | 'precision' | 'recall';
  private readonly tokenizer: Tokenizer;
  private readonly customTokenizer: boolean;
  private sums = { precision: 0, recall: 0, fMeasure: 0 };
  private count = 0;

  constructor(config?: RougeLConfig) {
    config = classOptions('metrics', RougeL, new.target, config) ?? {};
    super(config.name ?? 'rouge_l');
    this.value = config.value ?? 'fMeasure';
    if (!['fMeasure', 'precision', 'recall'].includes(this.value))
      throw new Error(`${this.name}: expected value 'fMeasure', 'precision' or 'recall', got ${describe(config.value)}`);
    if (config.tokenizer !== undefined && typeof config.tokenizer !== 'function')
      throw new Error(`${this.name}: expected tokenizer a function from a text to its tokens, got ${describe(config.tokenizer)}`);
    this.tokenizer = config.tokenizer ?? rougeTokenizer;
    this.customTokenizer = config.tokenizer !== undefined;
  }

  updateState(yTrue: TensorLike | TokenSequence[] | undefined, yPred?: TensorLike | TokenSequence[]): void {
    const references = referenceBatch(this.name, yTrue, this.tokenizer);
    const predictions = predictionBatch(this.name, yPred, this.tokenizer);
    checkBatchSizes(this.name, references, predictions);
    predictions.forEach((prediction, s) => {
      if (references[s].length !== 1) throw new Error(`${this.name}: expected one reference per sample, got ${references[s].length} for sample ${s}`);
      const reference = references[s][0];
      const lcs = lcsLength(reference, prediction);
      const precision = prediction.length === 0 ? 0 : lcs / prediction.length;
      const recall = reference.length === 0 ? 0 : lcs / reference.length;
      this.sums.precision += precision;
      this.sums.recall += recall;
      this.sums.fMeasure += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      this.count++;
    });
  }

  /** The mean precision, recall and F-measure so far (0 before any sample). */
  scores(): { precision: number; recall: number; fMeasure: number } {
    const mean = (v: number) => (this.count === 0 ? 0 : v / this.count);
    return { precision: mean(this.sums.precision), recall: mean(this.sums.recall), fMeasure: mean(this.sums.fMeasure) };
  }

  /** The chosen score (`value`), a float32 scalar. */
  result(): Tensor {
    return scalar(this.scores()[this.value]);
  }

  override resetState(): void {
    this.sums = { precision: 0, recall: 0, fMeasure: 0 };
    this.count = 0;
  }

  override getConfig(): Record<string, unknown> {
    if (this.customTokenizer) throw new Error(`${this.name}: a custom tokenizer function cannot be serialized`);
    return { ...super.getConfig(), value: this.value };
  }
}
