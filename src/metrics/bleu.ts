// Corpus BLEU (Papineni et al. 2002) as KerasHub's Bleu computes it (the TensorFlow NMT
// compute_bleu): n-gram matches clipped by the most a single reference has, summed over
// the corpus; the geometric mean of the n-gram precisions up to maxOrder, times the
// brevity penalty exp(1 - r / c) when the c hypothesis tokens are fewer than the r tokens
// of the shortest references. smooth adds 1 to every order's matches and counts (Lin and
// Och 2004, "smoothing 1" of KerasHub and NMT).
import { classOptions } from '../options/check';
import { scalar, type TensorLike } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { Metric } from './metric';
import { checkBatchSizes, predictionBatch, referenceBatch, whitespaceTokenizer, type Token, type TokenSequence, type Tokenizer } from './token_sequences';

/** Options of BLEU. */
export interface BLEUConfig {
  /** The longest n-gram counted (default 4). */
  maxOrder?: number;
  /** Add-one smoothing of every order's precision (default false). */
  smooth?: boolean;
  /** Splits texts into tokens (default: on whitespace). */
  tokenizer?: Tokenizer;
  /** The name in logs (default 'bleu'). */
  name?: string;
}

/** The n-grams of orders 1..maxOrder of a sequence, with their counts. */
function ngramCounts(tokens: Token[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      // JSON keeps 1 and '1' apart and orders apart (the key holds n tokens).
      const key = JSON.stringify(tokens.slice(i, i + n));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/**
 * Corpus BLEU over every update since the last reset (name 'bleu').
 * updateState(yTrue, yPred): per sample yPred is one text or token array, yTrue one
 * reference or a list of them (texts or token arrays; int tensors of token ids too).
 * @example const m = new metrics.BLEU(); m.updateState(['the cat sat'], ['the cat sat']); m.result() // 1
 */
export class BLEU extends Metric {
  /** The longest n-gram counted. */
  readonly maxOrder: number;
  /** Whether every order's precision is add-one smoothed. */
  readonly smooth: boolean;
  private readonly tokenizer: Tokenizer;
  private readonly customTokenizer: boolean;
  private matches: number[] = [];
  private possible: number[] = [];
  private translationLength = 0;
  private referenceLength = 0;

  constructor(config?: BLEUConfig) {
    config = classOptions('metrics', BLEU, new.target, config) ?? {};
    super(config.name ?? 'bleu');
    this.maxOrder = config.maxOrder ?? 4;
    if (!Number.isInteger(this.maxOrder) || this.maxOrder < 1)
      throw new Error(`${this.name}: expected maxOrder a positive integer, got ${describe(config.maxOrder)}`);
    this.smooth = config.smooth ?? false;
    if (typeof this.smooth !== 'boolean') throw new Error(`${this.name}: expected smooth true or false, got ${describe(config.smooth)}`);
    if (config.tokenizer !== undefined && typeof config.tokenizer !== 'function')
      throw new Error(`${this.name}: expected tokenizer a function from a text to its tokens, got ${describe(config.tokenizer)}`);
    this.tokenizer = config.tokenizer ?? whitespaceTokenizer;
    this.customTokenizer = config.tokenizer !== undefined;
    this.resetState();
  }

  updateState(yTrue: TensorLike | TokenSequence[] | TokenSequence[][] | undefined, yPred?: TensorLike | TokenSequence[]): void {
    const references = referenceBatch(this.name, yTrue, this.tokenizer);
    const predictions = predictionBatch(this.name, yPred, this.tokenizer);
    checkBatchSizes(this.name, references, predictions);
    predictions.forEach((hypothesis, s) => {
      const refs = references[s];
      this.referenceLength += Math.min(...refs.map((r) => r.length));
      this.translationLength += hypothesis.length;
      // The most each n-gram occurs in any one reference: the clip of its matches.
      const clip = new Map<string, number>();
      for (const r of refs) for (const [key, count] of ngramCounts(r, this.maxOrder)) clip.set(key, Math.max(clip.get(key) ?? 0, count));
      for (const [key, count] of ngramCounts(hypothesis, this.maxOrder)) {
        const order = (JSON.parse(key) as Token[]).length;
        this.matches[order - 1] += Math.min(count, clip.get(key) ?? 0);
      }
      for (let n = 1; n <= this.maxOrder; n++) this.possible[n - 1] += Math.max(0, hypothesis.length - n + 1);
    });
  }

  /** The BLEU score in [0, 1], a float32 scalar. */
  result(): Tensor {
    return scalar(this.score());
  }

  /** The BLEU score as a number. */
  score(): number {
    const precisions = this.matches.map((m, i) => (this.smooth ? (m + 1) / (this.possible[i] + 1) : this.possible[i] > 0 ? m / this.possible[i] : 0));
    if (Math.min(...precisions) <= 0 || this.translationLength === 0) return 0;
    const geometricMean = Math.exp(precisions.reduce((s, p) => s + Math.log(p), 0) / this.maxOrder);
    const ratio = this.translationLength / this.referenceLength;
    const brevityPenalty = ratio > 1 ? 1 : Math.exp(1 - 1 / ratio);
    return geometricMean * brevityPenalty;
  }

  override resetState(): void {
    this.matches = new Array(this.maxOrder).fill(0);
    this.possible = new Array(this.maxOrder).fill(0);
    this.translationLength = 0;
    this.referenceLength = 0;
  }

  override getConfig(): Record<string, unknown> {
    if (this.customTokenizer) throw new Error(`${this.name}: a custom tokenizer function cannot be serialized`);
    return { ...super.getConfig(), maxOrder: this.maxOrder, smooth: this.smooth };
  }
}
