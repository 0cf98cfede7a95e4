// stringLookup and integerLookup: tokens -> indices (or one_hot / multi_hot / count /
// tf_idf rows), with the vocabulary given or learned by adapt; invert maps indices back.
// stringLookup takes JS strings (a boundary layer, see string_input.ts); integerLookup
// takes integer tensors and is an ordinary layer (not differentiable: ids are data).
import type { DType } from '../../tensor/dtype';
import { tensor } from '../../tensor/creation';
import { describe } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { Layer, type CallOptions, type LayerArgs } from '../layer';
import { layerOptions } from '../layer_options';
import type { SymbolicShape } from '../symbolic_tensor';
import { encodeCounts, outputModeOf, type TfjsModeSpelling } from './category_encoding';
import { LOOKUP_MODES, LookupTable, checkNonNegativeInt, type LookupOutputMode } from './lookup_table';
import { BoundaryLayer } from './string_input';
import { isStringBatch, stringRows, stringsRefused, type StringBatch } from './strings';
import { checkOptionalInt } from './text_vectorization';
import { TokenCounts, emptyAdapt } from './vocabulary';
import { checkNotAdapting, runAdapt } from './adapt_run';
import { tooManyArguments } from '../../options/arity';

/** Options shared by stringLookup and integerLookup. */
export interface LookupArgs<T> extends LayerArgs {
  /** Largest vocabulary, counting the mask and OOV slots; null: unbounded. */
  maxTokens?: number | null;
  /** OOV slots (tokens hashed among them); default 1. */
  numOovIndices?: number;
  /** A token for padding, at index 0 in int mode; default null (none). */
  maskToken?: T | null;
  /** What invert returns for an OOV index. */
  oovToken?: T;
  /** A fixed vocabulary (without mask and OOV tokens) instead of adapt. */
  vocabulary?: T[] | null;
  /** With outputMode 'tf_idf' and a vocabulary: one idf weight per token. */
  idfWeights?: number[] | null;
  /** Map indices back to tokens. Default false. */
  invert?: boolean;
  /** Default 'int'. */
  outputMode?: LookupOutputMode | TfjsModeSpelling<LookupOutputMode>;
  /** Not supported: must be false. */
  sparse?: boolean;
}

/** Options of stringLookup. */
export type StringLookupArgs = LookupArgs<string>;
/** Options of integerLookup. */
export type IntegerLookupArgs = LookupArgs<number>;

function makeTable<T extends string | number>(op: string, args: LookupArgs<T>, defaultOov: T): LookupTable<T> {
  const outputMode = outputModeOf(op, args.outputMode, 'int', LOOKUP_MODES);
  const invert = args.invert ?? false;
  if (invert && outputMode !== 'int') throw new Error(`${op}: invert works with outputMode 'int' only, got '${outputMode}'`);
  if (args.sparse) throw new Error(`${op}: sparse outputs are not supported (Tessera has no sparse tensor); leave sparse false`);
  const numOovIndices = checkNonNegativeInt(op, 'numOovIndices', args.numOovIndices, 1);
  // Indices are int32: more slots would wrap around.
  if (numOovIndices > 2 ** 31 - 2) throw new Error(`${op}: expected numOovIndices to be at most 2147483646 (indices are int32), got ${numOovIndices}`);
  const table = new LookupTable<T>(op, {
    maxTokens: checkOptionalInt(op, 'maxTokens', args.maxTokens, 1),
    numOovIndices,
    maskToken: args.maskToken ?? null,
    oovToken: args.oovToken ?? defaultOov,
    outputMode,
    invert,
  });
  if (args.vocabulary !== undefined && args.vocabulary !== null && args.vocabulary.length > 0) table.set(args.vocabulary, args.idfWeights ?? null);
  else if (args.idfWeights !== undefined && args.idfWeights !== null) throw new Error(`${op}: idfWeights need a vocabulary`);
  return table;
}

/** Ids (with the input's shape) -> the table's output for its mode. */
function output<T extends string | number>(op: string, table: LookupTable<T>, ids: Int32Array, shape: number[]): Tensor {
  const mode = table.o.outputMode;
  if (mode === 'int') return tensor(ids, shape, 'int32');
  if (mode === 'tf_idf') {
    const counts = encodeCounts(op, ids, shape, table.size, 'count');
    const idf = table.idfColumns();
    const data = counts.dataSync() as Float32Array;
    const out = Float32Array.from(data, (v, i) => v * idf[i % table.size]);
    const result = tensor(out, counts.shape, 'float32');
    counts.dispose();
    return result;
  }
  return encodeCounts(op, ids, shape, table.size, mode);
}

function outputShape(table: LookupTable<string> | LookupTable<number>, s: SymbolicShape): SymbolicShape {
  const mode = table.o.outputMode;
  if (mode === 'int') return s;
  if (mode === 'one_hot') return s.length === 2 && s[1] === 1 ? [s[0], table.size] : [...s, table.size];
  return [s[0] ?? null, table.size];
}

// adapt's last step: the counted tokens become the vocabulary.
function adaptTable<T extends string | number>(op: string, table: LookupTable<T>, counts: TokenCounts): void {
  if (counts.documents === 0) throw emptyAdapt(op);
  table.adapt(counts);
}

function config<T extends string | number>(table: LookupTable<T>): Record<string, unknown> {
  const o = table.o;
  return {
    maxTokens: o.maxTokens,
    numOovIndices: o.numOovIndices,
    maskToken: o.maskToken,
    oovToken: o.oovToken,
    outputMode: o.outputMode,
    invert: o.invert,
    sparse: false,
    vocabulary: table.tokens,
    idfWeights: table.idf === null ? null : [...table.idf],
  };
}

/** Maps strings to indices through a vocabulary (adapt or given). */
export class StringLookup extends BoundaryLayer {
  static override className = 'StringLookup';
  /** @internal The token <-> index table. */
  readonly table: LookupTable<string>;

  constructor(args: StringLookupArgs = {}) {
    args = layerOptions(StringLookup, new.target, args);
    const { maxTokens, numOovIndices, maskToken, oovToken, vocabulary, idfWeights, invert, outputMode, sparse, ...rest } = args;
    super(rest);
    this.table = makeTable(this.name, { maxTokens, numOovIndices, maskToken, oovToken, vocabulary, idfWeights, invert, outputMode, sparse }, '[UNK]');
  }

  /** Every index's token: mask, OOV, then the vocabulary. */
  getVocabulary(): string[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getVocabulary`, 0, arguments.length);
    return this.table.full();
  }

  /** Size of the vocabulary including the mask and OOV slots. */
  vocabularySize(): number {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.vocabularySize`, 0, arguments.length);
    return this.table.size;
  }

  /** Sets the vocabulary (real tokens; a leading mask/OOV as getVocabulary returns is accepted). */
  setVocabulary(vocabulary: string[], idfWeights: number[] | null = null): void {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.setVocabulary`, 2, arguments.length);
    this.table.set(vocabulary, idfWeights);
  }

  /**
   * Learns the vocabulary from strings: string[] / string[][] (done before adapt returns, as
   * in Keras) or a Dataset of them (await the returned Promise).
   */
  adapt(data: StringBatch | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const counts = new TokenCounts();
    const add = (e: unknown): void => {
      if (Array.isArray(e) && e.length === 0) return;
      if (!isStringBatch(e)) throw new Error(`${this.name}.adapt: expected batches of strings, got ${describe(e)}`);
      for (const row of stringRows(this.name, e)) counts.addDocument(row);
    };
    return runAdapt(this, data, { add, finish: () => adaptTable(this.name, this.table, counts) });
  }

  override encode(inputs: StringBatch | Tensor): Tensor {
    if (this.table.o.invert) throw new Error(`${this.name}: with invert the layer maps ids to strings; call invertIds(ids)`);
    if (inputs instanceof Tensor) throw new Error(`${this.name}: expected JS strings, got a ${inputs.dtype} tensor (use integerLookup for integers)`);
    checkNotAdapting(this);
    if (this.table.isEmpty) throw new Error(`${this.name}: the layer has no vocabulary; call adapt(data) or pass vocabulary first`);
    const rows = stringRows(this.name, inputs);
    const width = rows[0].length;
    if (rows.some((r) => r.length !== width))
      throw new Error(`${this.name}: expected rows of equal length, got lengths ${[...new Set(rows.map((r) => r.length))].join(', ')}`);
    const ids = Int32Array.from(rows.flat(), (t) => this.table.lookup(t));
    const shape = typeof (inputs as unknown[])[0] === 'string' ? [rows.length] : [rows.length, width];
    return output(this.name, this.table, ids, shape);
  }

  /** invert: indices (a tensor) -> their strings, nested like the tensor. */
  invertIds(ids: Tensor): string[] | string[][] {
    const flat = Array.from(ids.dataSync(), (i) => this.table.reverse(i));
    if (ids.rank === 1) return flat;
    if (ids.rank !== 2) throw new Error(`${this.name}: invertIds takes ids of rank 1 or 2, got shape [${ids.shape}]`);
    const w = ids.shape[1];
    return Array.from({ length: ids.shape[0] }, (_, r) => flat.slice(r * w, (r + 1) * w));
  }

  override encodedShape(inputShape: SymbolicShape): SymbolicShape {
    return outputShape(this.table, inputShape);
  }

  override encodedDType(): DType {
    return this.table.o.outputMode === 'int' ? 'int32' : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...config(this.table) };
  }
}

/** Maps integers to indices through a vocabulary (adapt or given); invert maps back. */
export class IntegerLookup extends Layer {
  static override className = 'IntegerLookup';
  /** @internal The token <-> index table. */
  readonly table: LookupTable<number>;

  constructor(args: IntegerLookupArgs = {}) {
    args = layerOptions(IntegerLookup, new.target, args);
    const { maxTokens, numOovIndices, maskToken, oovToken, vocabulary, idfWeights, invert, outputMode, sparse, ...rest } = args;
    super({ inputDType: 'int32', ...rest });
    for (const [k, v] of [
      ['maskToken', maskToken],
      ['oovToken', oovToken],
    ] as const) {
      if (v !== undefined && v !== null && !Number.isInteger(v)) throw new Error(`${this.name}: expected ${k} to be an integer, got ${describe(v)}`);
    }
    if (vocabulary?.some((v) => !Number.isInteger(v))) throw new Error(`${this.name}: expected the vocabulary to hold integers, got ${describe(vocabulary)}`);
    this.table = makeTable(this.name, { maxTokens, numOovIndices, maskToken, oovToken, vocabulary, idfWeights, invert, outputMode, sparse }, -1);
  }

  /** Every index's token: mask, OOV, then the vocabulary. */
  getVocabulary(): number[] {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getVocabulary`, 0, arguments.length);
    return this.table.full();
  }

  /** Size of the vocabulary including the mask and OOV slots. */
  vocabularySize(): number {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.vocabularySize`, 0, arguments.length);
    return this.table.size;
  }

  /** Sets the vocabulary (real tokens; a leading mask/OOV as getVocabulary returns is accepted). */
  setVocabulary(vocabulary: number[], idfWeights: number[] | null = null): void {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.setVocabulary`, 2, arguments.length);
    this.table.set(vocabulary, idfWeights);
  }

  /**
   * Learns the vocabulary from integers: a tensor or a number array (done before adapt
   * returns, as in Keras), or a Dataset of them (await the returned Promise).
   */
  adapt(data: Tensor | number[] | number[][] | AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const counts = new TokenCounts();
    const add = (e: unknown): void => {
      if (isStringBatch(e)) throw stringsRefused(this.name);
      const t = e instanceof Tensor ? e : Array.isArray(e) ? tensor(e as number[], undefined, 'int32') : null;
      if (t === null) throw new Error(`${this.name}.adapt: expected integer tensors or arrays, got ${describe(e)}`);
      const values = Array.from(t.dataSync());
      if (t !== e) t.dispose();
      if (values.some((v) => !Number.isInteger(v))) throw new Error(`${this.name}.adapt: expected integers, got a non-integer value`);
      const perRow = t.rank <= 1 ? 1 : values.length / t.shape[0];
      for (let i = 0; i < values.length; i += perRow) counts.addDocument(values.slice(i, i + perRow));
    };
    return runAdapt(this, data, { add, finish: () => adaptTable(this.name, this.table, counts) });
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void options;
    const x = inputs as Tensor;
    if (this.table.isEmpty) throw new Error(`${this.name}: the layer has no vocabulary; call adapt(data) or pass vocabulary first`);
    const values = x.dataSync();
    if (this.table.o.invert)
      return tensor(
        Int32Array.from(values, (i) => this.table.reverse(i)),
        x.shape,
        'int32',
      );
    const ids = Int32Array.from(values, (v) => {
      if (!Number.isInteger(v)) throw new Error(`${this.name}: expected integers, got ${v}`);
      return this.table.lookup(v);
    });
    return output(this.name, this.table, ids, x.shape);
  }

  override computeOutputShape(inputShape: SymbolicShape | SymbolicShape[]): SymbolicShape {
    return outputShape(this.table, inputShape as SymbolicShape);
  }

  protected override outputDType(): DType {
    return this.table.o.outputMode === 'int' ? 'int32' : 'float32';
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...config(this.table) };
  }
}
