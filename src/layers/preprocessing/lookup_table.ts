// The token <-> index table of stringLookup and integerLookup, laid out as Keras's
// IndexLookup: [mask (int mode only, when set)] [OOV slots] [vocabulary].
import { describe } from '../../tensor/shape';
import { hashBucketFast } from './farmhash';
import { TokenCounts, checkVocabulary } from './vocabulary';

/** Output modes of the lookup layers. */
export type LookupOutputMode = 'int' | 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';
export const LOOKUP_MODES: LookupOutputMode[] = ['int', 'one_hot', 'multi_hot', 'count', 'tf_idf'];

/** The lookup layers' shared options. */
export interface LookupOptions<T> {
  maxTokens: number | null;
  numOovIndices: number;
  maskToken: T | null;
  oovToken: T;
  outputMode: LookupOutputMode;
  invert: boolean;
}

export class LookupTable<T extends string | number> {
  private vocab: T[] = [];
  private index = new Map<T, number>();
  idf: number[] | null = null;

  constructor(
    private readonly op: string,
    readonly o: LookupOptions<T>,
  ) {}

  /** Whether the mask occupies index 0 (int mode, or invert, with a mask token). */
  get hasMaskSlot(): boolean {
    return this.o.maskToken !== null && (this.o.outputMode === 'int' || this.o.invert);
  }

  get oovStart(): number {
    return this.hasMaskSlot ? 1 : 0;
  }

  get tokenStart(): number {
    return this.oovStart + this.o.numOovIndices;
  }

  get size(): number {
    return this.tokenStart + this.vocab.length;
  }

  get isEmpty(): boolean {
    return this.vocab.length === 0;
  }

  /** The real tokens (without mask and OOV). */
  get tokens(): T[] {
    return [...this.vocab];
  }

  /** Every index's token: mask, OOV slots, then the vocabulary. */
  full(): T[] {
    const head: T[] = this.hasMaskSlot ? [this.o.maskToken as T] : [];
    for (let i = 0; i < this.o.numOovIndices; i++) head.push(this.o.oovToken);
    return [...head, ...this.vocab];
  }

  set(vocabulary: T[], idf: number[] | null): void {
    let v = vocabulary;
    // A vocabulary as getVocabulary returns it (with its special tokens first) is accepted.
    // Compared slot by slot, not by full(): numOovIndices may be huge, and the list then with it.
    const n = this.tokenStart;
    const headToken = (i: number): T => (i < this.oovStart ? (this.o.maskToken as T) : this.o.oovToken);
    let same = n > 0 && v.length >= n;
    for (let i = 0; same && i < n; i++) same = v[i] === headToken(i);
    if (same) v = v.slice(n);
    checkVocabulary(this.op, v, [this.o.maskToken, this.o.oovToken], this.o.maxTokens, this.tokenStart);
    if (this.o.outputMode === 'tf_idf') {
      if (idf === null) throw new Error(`${this.op}: outputMode 'tf_idf' with a given vocabulary needs idfWeights, one per token`);
      if (idf.length !== v.length) throw new Error(`${this.op}: expected ${v.length} idfWeights (one per vocabulary token), got ${idf.length}`);
      this.idf = [...idf];
    } else if (idf !== null) throw new Error(`${this.op}: idfWeights apply to outputMode 'tf_idf' only`);
    this.vocab = [...v];
    this.index = new Map(this.vocab.map((t, i) => [t, i + this.tokenStart]));
  }

  adapt(counts: TokenCounts): void {
    const limit = this.o.maxTokens === null ? null : this.o.maxTokens - this.tokenStart;
    const vocab = counts.top(limit, [this.o.maskToken, this.o.oovToken]) as T[];
    this.vocab = [];
    this.set(vocab, this.o.outputMode === 'tf_idf' ? vocab.map((t) => counts.idf(t)) : null);
  }

  lookup(token: T): number {
    if (this.hasMaskSlot && token === this.o.maskToken) return 0;
    const i = this.index.get(token);
    if (i !== undefined) return i;
    const n = this.o.numOovIndices;
    if (n === 0) throw new Error(`${this.op}: the token ${JSON.stringify(token)} is not in the vocabulary and numOovIndices is 0`);
    if (n === 1) return this.oovStart;
    const slot = typeof token === 'string' ? hashBucketFast(token, n) : (((token as number) % n) + n) % n;
    return this.oovStart + slot;
  }

  reverse(id: number): T {
    if (!Number.isInteger(id) || id < 0 || id >= this.size) throw new Error(`${this.op}: expected ids in [0, ${this.size}) to invert, got ${describe(id)}`);
    return this.full()[id];
  }

  /** tf_idf weights per output column: OOV columns take the mean idf, as Keras does. */
  idfColumns(): number[] {
    const idf = this.idf ?? [];
    const mean = idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0;
    return [...new Array<number>(this.tokenStart).fill(mean), ...idf];
  }
}

export function checkNonNegativeInt(op: string, key: string, v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${op}: expected ${key} to be an integer >= 0, got ${describe(v)}`);
  return v;
}
