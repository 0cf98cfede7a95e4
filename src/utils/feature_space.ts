// FeatureSpace: Keras 3's keras.utils.FeatureSpace, one-stop preprocessing of structured data.
// Each feature (a column) goes through its preprocessing layer (normalization, discretization,
// stringLookup, integerLookup, hashing, rescaling, identity: the existing layers), chosen
// crosses of features are hashed by hashedCrossing, integer outputs are one-hot encoded by
// categoryEncoding, and everything is concatenated in Keras's order (features by sorted name,
// then crosses by sorted name). The same layers run eagerly (apply on a dict of columns) and in
// a functional model (getInputs / getEncodedFeatures), as in Keras.
import { Concatenate } from '../layers/merging';
import { input } from '../layers/input_layer';
import { Layer, type CallOptions, type LayerArgs } from '../layers/layer';
import { CategoryEncoding } from '../layers/preprocessing/category_encoding';
import { Discretization } from '../layers/preprocessing/discretization';
import { Normalization } from '../layers/preprocessing/feature_normalization';
import { HashedCrossing } from '../layers/preprocessing/hashed_crossing';
import { Hashing } from '../layers/preprocessing/hashing';
import { IntegerLookup, StringLookup } from '../layers/preprocessing/lookup_layers';
import { SymbolicTensor } from '../layers/symbolic_tensor';
import { buildSublayer } from '../layers/wrappers';
import { tooManyArguments } from '../options/arity';
import { classOptions } from '../options/check';
import { ownEntry, setOwn } from '../options/own_entry';
import { isSerialized, type Serialized } from '../serialization/registry';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { tidy } from '../tensor/memory';
import { columnOf, readColumns } from './feature_space_columns';
import {
  Cross,
  Feature,
  presetFeature,
  presets,
  type CategoricalFeatureArgs,
  type DiscretizedFeatureArgs,
  type FeatureDType,
  type FeatureOutputMode,
  type FeaturePreset,
  type HashedFeatureArgs,
  type RescaledFeatureArgs,
} from './feature_space_specs';

export { Cross, Feature, type FeatureDType, type FeatureOutputMode, type FeaturePreset };

/** Options of FeatureSpace. */
export interface FeatureSpaceArgs extends LayerArgs {
  /** Each feature's type by name: a Feature (FeatureSpace.floatNormalized() etc.) or a preset's name ('float_normalized'). */
  features: Record<string, Feature | FeaturePreset | Serialized>;
  /** 'concat' (default): one vector per sample; 'dict': each feature encoded on its own, by name. */
  outputMode?: 'concat' | 'dict';
  /** Features to cross: lists of names (hashed into crossingDim bins) or FeatureSpace.cross(...). */
  crosses?: (string[] | Cross | Serialized)[] | null;
  /** Bins of a cross given by names. Default 32. */
  crossingDim?: number;
  /** Bins of the 'integer_hashed' and 'string_hashed' presets. Default 32. */
  hashingDim?: number;
  /** Bins of the 'float_discretized' preset. Default 32. */
  numDiscretizationBins?: number;
}

/** A column's encoded output, eager or symbolic. */
type Out = Tensor | SymbolicTensor;

const positiveInt = (op: string, key: string, v: unknown, fallback: number): number => {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || (n as number) < 1) throw new Error(`${op}: expected ${key} to be a positive integer, got ${describe(v)}`);
  return n as number;
};

/** Preprocesses and encodes a dict of structured-data features (Keras's FeatureSpace). */
export class FeatureSpace extends Layer {
  static override className = 'FeatureSpace';
  /** The features by name. */
  readonly features: Record<string, Feature>;
  /** The crosses. */
  readonly crosses: Cross[];
  /** 'concat' or 'dict'. */
  readonly outputMode: 'concat' | 'dict';
  /** Bins of a cross given by names. */
  readonly crossingDim: number;
  /** Bins of the hashed presets. */
  readonly hashingDim: number;
  /** Bins of the 'float_discretized' preset. */
  readonly numDiscretizationBins: number;
  /** Each feature's preprocessing layer, by feature name. */
  readonly preprocessors: Record<string, Layer<any>>;
  /** Each cross's hashedCrossing layer, by cross name ('a_X_b'). */
  readonly crossers: Record<string, HashedCrossing>;
  /** The categoryEncoding layers of the one-hot outputs, by feature or cross name (made once adapted). */
  readonly oneHotEncoders: Record<string, CategoryEncoding> = {};
  private readonly inputsByName: Record<string, SymbolicTensor> = {};
  private concat: Concatenate | null = null;
  private encoded: SymbolicTensor | Record<string, SymbolicTensor> | null = null;
  private adapted = false;
  private encodersMade = false;

  constructor(args: FeatureSpaceArgs) {
    if (arguments.length > 1) throw tooManyArguments('utils.FeatureSpace', 1, arguments.length);
    // Reached as utils.FeatureSpace, so its options are that entry's.
    args = classOptions('utils', FeatureSpace, new.target, args);
    const { features, outputMode, crosses, crossingDim, hashingDim, numDiscretizationBins, ...rest } = args;
    super(rest);
    if (features === null || typeof features !== 'object' || Array.isArray(features) || Object.keys(features).length === 0) {
      throw new Error(`${this.name}: expected features to be a non-empty object of feature types by name, got ${describe(features)}`);
    }
    this.crossingDim = positiveInt(this.name, 'crossingDim', crossingDim, 32);
    this.hashingDim = positiveInt(this.name, 'hashingDim', hashingDim, 32);
    this.numDiscretizationBins = positiveInt(this.name, 'numDiscretizationBins', numDiscretizationBins, 32);
    const defaults = { hashingDim: this.hashingDim, numDiscretizationBins: this.numDiscretizationBins };
    this.features = {};
    for (const [name, f] of Object.entries(features)) {
      if (f instanceof Feature) setOwn(this.features, name, f);
      else if (isSerialized(f) && f.className === 'Feature') setOwn(this.features, name, new Feature(f.config as never));
      else if (typeof f === 'string') setOwn(this.features, name, presetFeature(this.name, name, f, defaults));
      else throw new Error(`${this.name}: feature '${name}' must be a Feature or a preset's name, got ${describe(f)}`);
    }
    if (crosses !== undefined && crosses !== null && !Array.isArray(crosses)) {
      throw new Error(`${this.name}: expected crosses to be a list of crosses (lists of feature names or FeatureSpace.cross(...)), got ${describe(crosses)}`);
    }
    this.crosses = (crosses ?? []).map((c) => this.crossOf(c));
    const seen = new Set<string>();
    for (const c of this.crosses) {
      if (seen.has(c.name)) throw new Error(`${this.name}: the cross ${c.name} is given twice`);
      seen.add(c.name);
    }
    if (outputMode !== undefined && outputMode !== 'concat' && outputMode !== 'dict') {
      throw new Error(`${this.name}: expected outputMode to be 'concat' or 'dict', got ${describe(outputMode)}`);
    }
    this.outputMode = outputMode ?? 'concat';
    this.preprocessors = Object.fromEntries(Object.entries(this.features).map(([n, f]) => [n, f.preprocessor]));
    // Every column is fed as [batch, 1]: normalization's statistics are one number per feature.
    for (const p of Object.values(this.preprocessors)) if (p instanceof Normalization && !p.built) buildSublayer(p, [null, 1]);
    this.crossers = Object.fromEntries(this.crosses.map((c) => [c.name, new HashedCrossing({ numBins: c.crossingDim, name: c.name })]));
  }

  private crossOf(c: unknown): Cross {
    const cross = c instanceof Cross ? c : isSerialized(c) && c.className === 'Cross' ? new Cross(c.config as never) : null;
    if (cross === null && !Array.isArray(c))
      throw new Error(`${this.name}: expected each cross to be a list of feature names or FeatureSpace.cross(...), got ${describe(c)}`);
    const names = cross?.featureNames ?? (c as string[]);
    const unknown = names.filter((n) => !Object.hasOwn(this.features, n));
    if (unknown.length > 0) {
      throw new Error(
        `${this.name}: the cross ${describe(names)} names feature${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} ` +
          `that features does not define (${Object.keys(this.features).join(', ')})`,
      );
    }
    return cross ?? new Cross({ featureNames: names, crossingDim: this.crossingDim });
  }

  // ---- presets (Keras's FeatureSpace classmethods) ------------------------------------

  /** A feature with a preprocessing layer of your own: `outputMode` 'float' keeps its output, 'one_hot' encodes its integers. */
  static feature(args: { dtype: FeatureDType; preprocessor: Layer<any>; outputMode: FeatureOutputMode }): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.feature', 1, arguments.length);
    return new Feature(args);
  }
  /** Features crossed by hashing into crossingDim bins. */
  static cross(args: { featureNames: string[]; crossingDim: number; outputMode?: 'int' | 'one_hot' }): Cross {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.cross', 1, arguments.length);
    return new Cross(args);
  }
  /** Plain float values (an identity layer). */
  static float(args: { name?: string } = {}): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.float', 1, arguments.length);
    return presets.float(args);
  }
  /** Floats standardized by a normalization layer (mean and variance from adapt). */
  static floatNormalized(args: { name?: string } = {}): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.floatNormalized', 1, arguments.length);
    return presets.floatNormalized(args);
  }
  /** Floats rescaled: x * scale + offset. */
  static floatRescaled(args: RescaledFeatureArgs = {}): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.floatRescaled', 1, arguments.length);
    return presets.floatRescaled(args);
  }
  /** Floats bucketed by a discretization layer (quantiles from adapt, or binBoundaries), one-hot by default. */
  static floatDiscretized(args: DiscretizedFeatureArgs): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.floatDiscretized', 1, arguments.length);
    return presets.floatDiscretized(args);
  }
  /** Integers indexed by an integerLookup layer (vocabulary from adapt), one-hot by default. */
  static integerCategorical(args: CategoricalFeatureArgs = {}): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.integerCategorical', 1, arguments.length);
    return presets.integerCategorical(args);
  }
  /** Strings indexed by a stringLookup layer (vocabulary from adapt), one-hot by default. */
  static stringCategorical(args: CategoricalFeatureArgs = {}): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.stringCategorical', 1, arguments.length);
    return presets.stringCategorical(args);
  }
  /** Integers hashed into numBins bins, one-hot by default. */
  static integerHashed(args: HashedFeatureArgs): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.integerHashed', 1, arguments.length);
    return presets.integerHashed(args);
  }
  /** Strings hashed into numBins bins, one-hot by default. */
  static stringHashed(args: HashedFeatureArgs): Feature {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.stringHashed', 1, arguments.length);
    return presets.stringHashed(args);
  }

  // ---- adapt ---------------------------------------------------------------------------

  // Keras's list: every preprocessor with an adapt, except a normalization given its
  // statistics, and (unlike Keras, whose adapt then fails) a discretization given its boundaries.
  private adaptable(): string[] {
    return Object.keys(this.features).filter((name) => {
      const p = this.preprocessors[name] as Layer<any> & { adapt?: unknown };
      if (p instanceof Normalization && p.mean === null) return false;
      if (p instanceof Discretization && p.numBins === null) return false;
      return typeof p.adapt === 'function';
    });
  }

  /**
   * Adapts every feature's preprocessing layer on a Dataset (or async iterable) of feature
   * dicts, batched or not: each column's batches go to its layer's adapt, as Keras's do.
   */
  async adapt(dataset: AsyncIterable<unknown>): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${this.name}.adapt`, 1, arguments.length);
    const names = this.adaptable();
    const columns = await readColumns(this.name, dataset, this.features, names);
    for (const name of names) {
      const batches = columns[name];
      const p = this.preprocessors[name] as Layer<any> & { adapt(data: AsyncIterable<unknown>): Promise<void> };
      try {
        await p.adapt(
          (async function* () {
            yield* batches;
          })(),
        );
      } finally {
        for (const b of batches) if (b instanceof Tensor) b.dispose();
      }
    }
    this.adapted = true;
    // Adapted again with other vocabularies: fresh encoders (a model built before keeps its own).
    if (this.encodersMade && Object.entries(this.oneHotEncoders).some(([name, e]) => e.numTokens !== this.cardinality(name, 'one_hot'))) {
      for (const name of Object.keys(this.oneHotEncoders)) delete this.oneHotEncoders[name];
      this.encodersMade = false;
      this.encoded = null;
    }
    this.makeEncoders();
  }

  private checkAdapted(what: string): void {
    if (this.adapted) return;
    if (this.adaptable().length === 0) {
      this.adapted = true;
      return;
    }
    throw new Error(`${this.name}: call adapt(dataset) (and await it) before ${what}; features ${this.adaptable().join(', ')} learn from the data`);
  }

  // ---- the encoding, eager or symbolic ---------------------------------------------------

  private featureNames(): string[] {
    return Object.keys(this.features).sort();
  }

  private crossNames(): string[] {
    return this.crosses.map((c) => c.name).sort();
  }

  // The number of values a one-hot output of `name` needs (Keras's cardinality rules).
  private cardinality(name: string, outputMode: string): number {
    const p = ownEntry(this.preprocessors, name) ?? ownEntry(this.crossers, name)!;
    if (p instanceof IntegerLookup || p instanceof StringLookup) return p.vocabularySize();
    if (p instanceof CategoryEncoding) return p.numTokens;
    // Keras's width is numBins even when adapt finds fewer distinct boundaries.
    if (p instanceof Discretization) return p.numBins ?? p.binBoundaries!.length + 1;
    if (p instanceof HashedCrossing || p instanceof Hashing) return p.numBins;
    throw new Error(
      `${this.name}: feature '${name}' has outputMode '${outputMode}', but its preprocessor ${p.name} is not one whose number of values is known ` +
        "(a lookup, hashing, discretization or categoryEncoding layer); use outputMode 'int' or 'float'",
    );
  }

  private makeEncoders(): void {
    if (this.encodersMade) return;
    const specs: [string, string][] = [
      ...this.featureNames().map((n): [string, string] => [n, this.features[n].outputMode]),
      ...this.crossNames().map((n): [string, string] => [n, this.crosses.find((c) => c.name === n)!.outputMode]),
    ];
    for (const [name, mode] of specs) {
      if (mode !== 'one_hot') continue;
      const encoder = new CategoryEncoding({ numTokens: this.cardinality(name, mode), outputMode: 'multi_hot', name: `${this.name}_${name}_one_hot` });
      setOwn(this.oneHotEncoders, name, encoder);
    }
    if (this.outputMode === 'concat') this.concat = new Concatenate({ axis: -1, name: `${this.name}_concat` });
    this.encodersMade = true;
  }

  // Preprocess, cross, encode and merge columns already shaped [batch, 1] (tensors, rows of strings or symbolic inputs).
  private encode(columns: Record<string, unknown>): Out | Record<string, Out> {
    const pre: Record<string, Out> = {};
    for (const name of this.featureNames()) setOwn(pre, name, (this.preprocessors[name] as Layer<any>).apply(columns[name] as never) as Out);
    const crossed: Record<string, Out> = {};
    for (const c of this.crosses) setOwn(crossed, c.name, this.crossers[c.name].apply(c.featureNames.map((n) => pre[n]) as never) as Out);
    const all: [string, Out][] = [
      ...this.featureNames().map((n): [string, Out] => [n, pre[n]]),
      ...this.crossNames().map((n): [string, Out] => [n, crossed[n]]),
    ];
    const encoded = all.map(([name, x]): [string, Out] => {
      const encoder = ownEntry(this.oneHotEncoders, name);
      if (encoder === undefined) return [name, x];
      if (x.dtype !== 'int32') {
        throw new Error(`${this.name}: feature '${name}' has outputMode 'one_hot', so its preprocessor must return integers, but it returns ${x.dtype}`);
      }
      return [name, encoder.apply(x as never) as Out];
    });
    if (this.outputMode === 'dict') return Object.fromEntries(encoded);
    for (const [name, x] of encoded) {
      if (x.dtype !== 'float32') {
        throw new Error(
          `${this.name}: cannot concatenate feature '${name}': it is not encoded (it has dtype ${x.dtype}); give it outputMode 'one_hot', or use the FeatureSpace's outputMode 'dict'`,
        );
      }
    }
    const list = encoded.map(([, x]) => x);
    return list.length === 1 ? list[0] : (this.concat!.apply(list as never) as Out);
  }

  /** Keras input()s of the features by name, each [null, 1] of the feature's dtype: the inputs of a functional model. */
  getInputs(): Record<string, SymbolicTensor> {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getInputs`, 0, arguments.length);
    this.checkNotDisposed();
    // As Keras's get_inputs: the inputs belong to the adapted space.
    this.checkAdapted('getInputs()');
    if (Object.keys(this.inputsByName).length === 0) {
      for (const [name, f] of Object.entries(this.features)) {
        if (f.preprocessor instanceof Hashing && f.dtype !== 'string') {
          throw new Error(
            `${this.name}: feature '${name}' hashes integers, which in Tessera runs before a model (hashing takes raw values there): ` +
              `apply the FeatureSpace in a Dataset map instead of building a model on getInputs()`,
          );
        }
        setOwn(this.inputsByName, name, input({ shape: [1], dtype: f.dtype as never, name }));
      }
    }
    return { ...this.inputsByName };
  }

  /** The encoded features as symbolic tensors (one, or a dict in outputMode 'dict'), from getInputs(): build a model on them. */
  getEncodedFeatures(): SymbolicTensor | Record<string, SymbolicTensor> {
    if (arguments.length > 0) throw tooManyArguments(`${this.name}.getEncodedFeatures`, 0, arguments.length);
    this.checkAdapted('getEncodedFeatures()');
    this.makeEncoders();
    if (this.encoded === null) this.encoded = this.encode(this.getInputs()) as SymbolicTensor | Record<string, SymbolicTensor>;
    return this.encoded;
  }

  /**
   * Encodes a dict of raw columns, by feature name: numbers, number arrays, strings, string
   * arrays or tensors, batched ([batch] or [batch, 1]) or one sample (then so is the result).
   * @example fs.apply({age: [63, 41], thal: ['fixed', 'normal']})  // [2, width]
   */
  override apply(data: any, options?: CallOptions): any {
    if (arguments.length > 2) throw tooManyArguments(`${this.name}.apply`, 2, arguments.length);
    void options;
    this.checkNotDisposed();
    if (data === null || typeof data !== 'object' || Object.getPrototypeOf(data) !== Object.prototype) {
      throw new Error(`${this.name}: a FeatureSpace is applied to a dict of columns by feature name, got ${describe(data)}`);
    }
    if (Object.values(data).some((v) => v instanceof SymbolicTensor)) {
      throw new Error(`${this.name}: to build a model use getInputs() and getEncodedFeatures(), not apply on symbolic tensors`);
    }
    const unknown = Object.keys(data).filter((k) => !Object.hasOwn(this.features, k));
    if (unknown.length > 0)
      throw new Error(
        `${this.name}: got column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')} that features does not define (${Object.keys(this.features).join(', ')})`,
      );
    const missing = Object.keys(this.features).filter((k) => !Object.hasOwn(data, k));
    if (missing.length > 0) throw new Error(`${this.name}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((u) => `'${u}'`).join(', ')}`);
    this.checkAdapted('apply');
    this.makeEncoders();
    return tidy(() => {
      let single: boolean | null = null;
      const columns: Record<string, unknown> = {};
      for (const [name, v] of Object.entries(data)) {
        const c = columnOf(this.name, name, this.features[name].dtype, v);
        if (single !== null && single !== c.single) throw new Error(`${this.name}: got a batch for some columns and one sample for others (column '${name}')`);
        single = c.single;
        setOwn(columns, name, c.values);
      }
      const out = this.encode(columns) as Tensor | Record<string, Tensor>;
      if (!single) return out;
      // One sample in, one out (Keras squeezes the batch of one it added).
      if (out instanceof Tensor) return out.reshape(out.shape.slice(1));
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.shape.length === 2 && t.shape[0] === 1 ? t.reshape(t.shape.slice(1)) : t]));
    });
  }

  override call(inputs: Tensor | Tensor[] | { [name: string]: Tensor }, options: CallOptions): Tensor {
    void inputs;
    void options;
    throw new Error(`${this.name}: a FeatureSpace is not a layer of a model; use getInputs() and getEncodedFeatures() to build one`);
  }

  /** The config: features and crosses as {className, config}, and the space's options. */
  override getConfig(): Record<string, unknown> {
    return {
      name: this.name,
      features: Object.fromEntries(Object.entries(this.features).map(([n, f]) => [n, { className: 'Feature', config: f.getConfig() }])),
      outputMode: this.outputMode,
      crosses: this.crosses.map((c) => ({ className: 'Cross', config: c.getConfig() })),
      crossingDim: this.crossingDim,
      hashingDim: this.hashingDim,
      numDiscretizationBins: this.numDiscretizationBins,
    };
  }

  /**
   * A FeatureSpace from its config. The lookups' vocabularies and discretization boundaries
   * come in the config; normalization statistics are weights (setWeights, or a weights file).
   * Like Keras's load, it counts as adapted when its learned state came with the config.
   */
  static override fromConfig<T extends Layer<any>>(this: new (args: any) => T, config: Record<string, unknown>): T {
    const fs = new this(config) as unknown as FeatureSpace;
    const learned = (p: Layer<any>) =>
      p instanceof IntegerLookup || p instanceof StringLookup ? !p.table.isEmpty : p instanceof Discretization ? p.binBoundaries !== null : true;
    if (Object.values(fs.preprocessors).every(learned)) {
      fs.adapted = true;
      fs.makeEncoders();
    }
    return fs as unknown as T;
  }
}
