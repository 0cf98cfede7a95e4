// TextVectorization: raw text -> token ids (int) or one row of vocabulary-sized counts
// (multi_hot / count / tf_idf). Standardize, split and n-grams run in JS on the strings;
// the vocabulary (and idf weights) come from adapt or are given, and are saved in the
// layer's config so that a saved model still takes raw strings.
import { allocTypedArray, type DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { everyEntry } from '../../options/every_entry';
import { Tensor } from '../../tensor/tensor';
import type { LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { SymbolicShape } from '../symbolic_tensor';
import { BoundaryLayer } from './string_input';
import { isStringBatch, stringRows, type StringBatch } from './strings';
import { TokenCounts, checkVocabulary, emptyAdapt } from './vocabulary';
import { checkNotAdapting, runAdapt } from './adapt_run';
import { tooManyArguments } from '../../options/arity';
import { checkBoolean } from '../../options/check_args';
import { outputModeOf, type TfjsModeSpelling } from './category_encoding';
import { resolveTextFunction, textFunctionName } from './text_functions';

/** How text is cleaned before splitting: a built-in name, none, or a function. */
export type Standardize = 'lower_and_strip_punctuation' | 'lower' | 'strip_punctuation' | null | ((text: string) => string);
/** How cleaned text becomes tokens: a built-in name, none (the whole text is one token), or a function. */
export type Split = 'whitespace' | 'character' | null | ((text: string) => string[]);
/** What textVectorization outputs. */
export type TextOutputMode = 'int' | 'multi_hot' | 'count' | 'tf_idf';

/** Options of textVectorization. */
export interface TextVectorizationArgs extends LayerArgs {
  /** Largest vocabulary, counting the mask ('' in int mode) and OOV ('[UNK]') slots; null: unbounded. */
  maxTokens?: number | null;
  /** Default 'lower_and_strip_punctuation'. */
  standardize?: Standardize;
  /** Default 'whitespace'. */
  split?: Split;
  /** Also emit n-grams up to this length (or these lengths); null: single tokens. */
  ngrams?: number | number[] | null;
  /** Default 'int'. */
  outputMode?: TextOutputMode | TfjsModeSpelling<TextOutputMode>;
  /** In int mode, pad or cut every row to this length; null: the longest in the batch. */
  outputSequenceLength?: number | null;
  /**
   * multi_hot, count and tf_idf: rows as wide as maxTokens (which must be set) however small
   * the vocabulary, the slots past it always 0. Default false.
   */
  padToMaxTokens?: boolean;
  /** A fixed vocabulary (without the mask and OOV tokens) instead of adapt. */
  vocabulary?: string[] | null;
  /** With outputMode 'tf_idf' and a given vocabulary: one idf weight per vocabulary token. */
  idfWeights?: number[] | null;
}

const MODES: TextOutputMode[] = ['int', 'multi_hot', 'count', 'tf_idf'];
// Keras's DEFAULT_STRIP_REGEX: ASCII punctuation.
const PUNCTUATION = /[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~']/g;
const MASK = '';
const OOV = '[UNK]';

/** Turns raw strings into token ids or bag-of-words rows; adapt learns the vocabulary. */
export class TextVectorization extends BoundaryLayer {
  static override className = 'TextVectorization';
  /** Largest vocabulary, counting the special tokens (null: unbounded). */
  readonly maxTokens: number | null;
  /** How text is cleaned before splitting. */
  readonly standardize: Standardize;
  /** How cleaned text becomes tokens. */
  readonly split: Split;
  /** The n-gram lengths emitted (null: single tokens). */
  readonly ngrams: number[] | null;
  /** What the layer outputs. */
  readonly outputMode: TextOutputMode;
  /** In int mode, the fixed row length (null: the batch's longest). */
  readonly outputSequenceLength: number | null;
  /** Whether non-int rows are maxTokens wide whatever the vocabulary's size. */
  readonly padToMaxTokens: boolean;
  private vocab: string[] = [];
  private index = new Map<string, number>();
  private idf: number[] | null = null;

  constructor(args: TextVectorizationArgs = {}) {
    args = layerOptions(TextVectorization, new.target, args);
    const { maxTokens, standardize, split, ngrams, outputMode, outputSequenceLength, padToMaxTokens, vocabulary, idfWeights, ...rest } = args;
    super(rest);
    const op = this.name;
    this.maxTokens = checkOptionalInt(op, 'maxTokens', maxTokens, 1);
    this.standardize = standardize === undefined ? 'lower_and_strip_punctuation' : (resolveTextFunction(op, 'standardize', standardize) as Standardize);
    if (typeof this.standardize !== 'function' && ![null, 'lower_and_strip_punctuation', 'lower', 'strip_punctuation'].includes(this.standardize)) {
      throw new Error(
        `${op}: expected standardize to be 'lower_and_strip_punctuation', 'lower', 'strip_punctuation', null or a function, got ${describe(standardize)}`,
      );
    }
    this.split = split === undefined ? 'whitespace' : (resolveTextFunction(op, 'split', split) as Split);
    if (typeof this.split !== 'function' && ![null, 'whitespace', 'character'].includes(this.split)) {
      throw new Error(`${op}: expected split to be 'whitespace', 'character', null or a function, got ${describe(split)}`);
    }
    const n = ngrams ?? null;
    if (n !== null) {
      const list = Array.isArray(n) ? n : Array.from({ length: n }, (_, i) => i + 1);
      if (list.length === 0 || list.some((k) => !Number.isInteger(k) || k < 1))
        throw new Error(`${op}: expected ngrams to be a positive integer or a list of them, got ${describe(n)}`);
      this.ngrams = list;
    } else this.ngrams = null;
    this.outputMode = outputModeOf(op, outputMode, 'int', MODES);
    this.outputSequenceLength = checkOptionalInt(op, 'outputSequenceLength', outputSequenceLength, 1);
    if (this.outputSequenceLength !== null && this.outputMode !== 'int')
      throw new Error(`${op}: outputSequenceLength applies to outputMode 'int' only, got outputMode '${this.outputMode}'`);
    this.padToMaxTokens = checkBoolean(op, 'padToMaxTokens', padToMaxTokens ?? false);
    if (this.padToMaxTokens && this.maxTokens === null) throw new Error(`${op}: padToMaxTokens needs maxTokens (the width to pad to), got maxTokens null`);
    if (this.padToMaxTokens && this.outputMode === 'int')
      throw new Error(`${op}: padToMaxTokens applies to outputModes 'multi_hot', 'count' and 'tf_idf' only, got outputMode 'int'`);
    if (vocabulary !== undefined && vocabulary !== null && vocabulary.length > 0) this.setVocabulary(vocabulary, idfWeights ?? null);
    else if (idfWeights !== undefined && idfWeights !== null) throw new Error(`${op}: idfWeights need a vocabulary`);
  }

  /** Slots before the real tokens: mask and OOV in int mode, OOV otherwise. */
  private get specials(): string[] {
    return this.outputMode === 'int' ? [MASK, OOV] : [OOV];
  }

  /** The vocabulary with its special tokens first, as output indices refer to it. */
  getVocabulary(): string[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getVocabulary`, 0, arguments.length);
    return [...this.specials, ...this.vocab];
  }

  /** Size of the vocabulary including the special tokens (the width of non-int outputs). */
  vocabularySize(): number {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.vocabularySize`, 0, arguments.length);
    return this.specials.length + this.vocab.length;
  }

  /** Sets the vocabulary (without special tokens; a leading mask/OOV token as getVocabulary returns is accepted). */
  setVocabulary(vocabulary: string[], idfWeights: number[] | null = null): void {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.setVocabulary`, 2, arguments.length);
    const op = this.name;
    if (!Array.isArray(vocabulary) || !everyEntry(vocabulary, (t) => typeof t === 'string'))
      throw new Error(`${op}: expected the vocabulary to be an array of strings, got ${describe(vocabulary)}`);
    let v = vocabulary;
    const sp = this.specials;
    if (sp.every((s, i) => v[i] === s)) v = v.slice(sp.length);
    checkVocabulary(op, v, sp, this.maxTokens, sp.length);
    if (this.outputMode === 'tf_idf') {
      if (idfWeights === null) throw new Error(`${op}: outputMode 'tf_idf' with a given vocabulary needs idfWeights, one per token`);
      if (idfWeights.length !== v.length) throw new Error(`${op}: expected ${v.length} idfWeights (one per vocabulary token), got ${idfWeights.length}`);
      this.idf = [...idfWeights];
    } else if (idfWeights !== null) throw new Error(`${op}: idfWeights apply to outputMode 'tf_idf' only`);
    this.vocab = [...v];
    this.index = new Map(this.vocab.map((t, i) => [t, i + sp.length]));
  }

  /**
   * Learns the vocabulary (and idf weights) from texts: an array of strings (done before adapt
   * returns, as in Keras), or a Dataset of them (await the returned Promise).
   */
  adapt(data: StringBatch | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const counts = new TokenCounts();
    const add = (element: unknown): void => {
      if (element instanceof Tensor || !isStringBatch(element)) {
        if (Array.isArray(element) && element.length === 0) return;
        throw new Error(`${this.name}.adapt: expected batches of strings, got ${describe(element)}`);
      }
      for (const doc of this.tokenize(element)) counts.addDocument(doc);
    };
    const finish = (): void => {
      if (counts.documents === 0) throw emptyAdapt(this.name);
      const sp = this.specials;
      const vocab = counts.top(this.maxTokens === null ? null : this.maxTokens - sp.length, sp) as string[];
      this.vocab = [];
      this.idf = null;
      this.setVocabulary(vocab, this.outputMode === 'tf_idf' ? vocab.map((t) => counts.idf(t)) : null);
    };
    return runAdapt(this, data, { add, finish });
  }

  /** The tokens of each text: standardized, split, with n-grams appended. */
  tokenize(batch: StringBatch): string[][] {
    return stringRows(this.name, batch).map((row) => {
      if (row.length !== 1) throw new Error(`${this.name}: expected one text per sample, got a row of ${row.length} strings`);
      return this.ngramsOf(this.splitText(this.standardizeText(row[0])));
    });
  }

  private standardizeText(s: string): string {
    const st = this.standardize;
    if (typeof st === 'function') return checkString(this.name, 'standardize', st(s));
    if (st === 'lower') return s.toLowerCase();
    if (st === 'strip_punctuation') return s.replace(PUNCTUATION, '');
    if (st === 'lower_and_strip_punctuation') return s.toLowerCase().replace(PUNCTUATION, '');
    return s;
  }

  private splitText(s: string): string[] {
    const sp = this.split;
    if (typeof sp === 'function') {
      const out = sp(s);
      if (!Array.isArray(out) || out.some((t) => typeof t !== 'string'))
        throw new Error(`${this.name}: the split function must return an array of strings, got ${describe(out)}`);
      return out;
    }
    if (sp === 'whitespace') return s.split(/\s+/).filter((t) => t.length > 0);
    if (sp === 'character') return [...s];
    return [s];
  }

  private ngramsOf(tokens: string[]): string[] {
    if (this.ngrams === null) return tokens;
    const out: string[] = [];
    for (const n of this.ngrams) for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
    return out;
  }

  override encode(inputs: StringBatch | Tensor): Tensor {
    if (inputs instanceof Tensor)
      throw new Error(`${this.name}: expected JS strings (string[] or string[][]), got a ${inputs.dtype} tensor; textVectorization takes raw text`);
    checkNotAdapting(this);
    if (this.vocab.length === 0) throw new Error(`${this.name}: the layer has no vocabulary; call adapt(texts) or pass vocabulary first`);
    const docs = this.tokenize(inputs);
    if (this.outputMode === 'int') {
      const ids = docs.map((d) => d.map((t) => this.index.get(t) ?? 1));
      const len = this.outputSequenceLength ?? Math.max(1, ...ids.map((r) => r.length));
      const flat = allocTypedArray('int32', ids.length * len, this.name);
      ids.forEach((r, i) => flat.set(r.slice(0, len), i * len));
      return tensor(flat, [ids.length, len], 'int32');
    }
    const width = this.rowWidth();
    const out = allocTypedArray('float32', docs.length * width, this.name);
    docs.forEach((d, i) => {
      for (const t of d) {
        const j = this.index.get(t) ?? 0;
        if (this.outputMode === 'multi_hot') out[i * width + j] = 1;
        else out[i * width + j] += 1;
      }
    });
    if (this.outputMode === 'tf_idf') {
      const idf = this.idf!;
      // Keras weighs OOV by the mean idf of the vocabulary; padding slots (never counted) by 0.
      const weights = [idf.length ? idf.reduce((a, b) => a + b, 0) / idf.length : 0, ...idf];
      for (let i = 0; i < out.length; i++) out[i] *= weights[i % width] ?? 0;
    }
    return tensor(out, [docs.length, width], 'float32');
  }

  // The width of non-int rows: maxTokens when padding to it, else the vocabulary's size.
  private rowWidth(): number {
    return this.padToMaxTokens ? this.maxTokens! : this.vocabularySize();
  }

  override encodedShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputMode === 'int' ? [inputShape[0] ?? null, this.outputSequenceLength] : [inputShape[0] ?? null, this.rowWidth()];
  }

  override encodedDType(): DType {
    return this.outputMode === 'int' ? 'int32' : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      maxTokens: this.maxTokens,
      standardize: textFunctionName(this.name, 'standardize', this.standardize),
      split: textFunctionName(this.name, 'split', this.split),
      ngrams: this.ngrams,
      outputMode: this.outputMode,
      outputSequenceLength: this.outputSequenceLength,
      padToMaxTokens: this.padToMaxTokens,
      vocabulary: [...this.vocab],
      idfWeights: this.idf === null ? null : [...this.idf],
    };
  }
}

function checkString(op: string, what: string, v: unknown): string {
  if (typeof v !== 'string') throw new Error(`${op}: the ${what} function must return a string, got ${describe(v)}`);
  return v;
}

/** An optional integer option >= min (null/undefined: null). */
export function checkOptionalInt(op: string, key: string, v: unknown, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new Error(`${op}: expected ${key} to be an integer >= ${min} or null, got ${describe(v)}`);
  return v;
}
