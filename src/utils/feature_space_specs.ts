// What FeatureSpace is made of: a Feature (an input dtype, the preprocessing layer that
// encodes it, how its output is encoded further) and a Cross (features hashed together),
// with Keras 3's presets (keras.utils.FeatureSpace.float_normalized etc.), each building
// the preprocessing layer Keras builds for it.
import { Identity } from '../layers/core';
import { Rescaling } from '../layers/image_preprocessing';
import type { Layer } from '../layers/layer';
import { Discretization } from '../layers/preprocessing/discretization';
import { Normalization } from '../layers/preprocessing/feature_normalization';
import { Hashing } from '../layers/preprocessing/hashing';
import { IntegerLookup, StringLookup } from '../layers/preprocessing/lookup_layers';
import { deserializeLayer, serializeLayer } from '../layers/serialization';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { isSerialized, type Serialized } from '../serialization/registry';
import { describe } from '../tensor/shape';

/** How a feature's preprocessed output is encoded: kept ('int', 'float') or one-hot. */
export type FeatureOutputMode = 'int' | 'one_hot' | 'float';
/** The dtype a feature's raw values have (its input()'s dtype). */
export type FeatureDType = 'float32' | 'int32' | 'string';

const FEATURE_MODES = ['int', 'one_hot', 'float'];
const CROSS_MODES = ['int', 'one_hot'];
const DTYPES = ['float32', 'int32', 'string'];

function oneOf<T extends string>(op: string, key: string, value: unknown, allowed: string[]): T {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new Error(`${op}: expected ${key} to be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** One feature of a FeatureSpace: its raw dtype, its preprocessing layer and its output encoding. */
export class Feature {
  /** The raw values' dtype. */
  readonly dtype: FeatureDType;
  /** The layer that preprocesses the raw values (adapted by FeatureSpace.adapt when it has adapt). */
  readonly preprocessor: Layer<any>;
  /** 'one_hot' encodes the preprocessor's integer output; 'int' and 'float' keep it. */
  readonly outputMode: FeatureOutputMode;

  constructor(args: { dtype: FeatureDType; preprocessor: Layer<any> | Serialized; outputMode: FeatureOutputMode }) {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.feature', 1, arguments.length);
    args = checkOptions('FeatureSpace.feature', args, 'utils.Feature');
    this.dtype = oneOf('FeatureSpace.feature', 'dtype', args.dtype, DTYPES);
    const p = isSerialized(args.preprocessor) ? deserializeLayer(args.preprocessor) : args.preprocessor;
    if (p === null || typeof p !== 'object' || typeof (p as Layer<any>).apply !== 'function' || typeof (p as Layer<any>).getConfig !== 'function') {
      throw new Error(`FeatureSpace.feature: expected preprocessor to be a Layer, got ${describe(args.preprocessor)}`);
    }
    this.preprocessor = p;
    this.outputMode = oneOf('FeatureSpace.feature', 'outputMode', args.outputMode, FEATURE_MODES);
  }

  /** {dtype, preprocessor: {className, config}, outputMode}. */
  getConfig(): Record<string, unknown> {
    return { dtype: this.dtype, preprocessor: serializeLayer(this.preprocessor), outputMode: this.outputMode };
  }
}

/** Features crossed by hashing their values (after preprocessing) into crossingDim bins. */
export class Cross {
  /** The crossed features, by name. */
  readonly featureNames: string[];
  /** Number of hash bins. */
  readonly crossingDim: number;
  /** 'one_hot' (default) or the bin ids ('int'). */
  readonly outputMode: 'int' | 'one_hot';

  constructor(args: { featureNames: string[]; crossingDim: number; outputMode?: 'int' | 'one_hot' }) {
    if (arguments.length > 1) throw tooManyArguments('FeatureSpace.cross', 1, arguments.length);
    args = checkOptions('FeatureSpace.cross', args, 'utils.Cross');
    const names = args.featureNames;
    if (!Array.isArray(names) || names.length < 2 || names.some((n) => typeof n !== 'string')) {
      throw new Error(`FeatureSpace.cross: expected featureNames to be two or more feature names, got ${describe(names)}`);
    }
    // hashedCrossing's bins are int32.
    if (!Number.isInteger(args.crossingDim) || args.crossingDim < 1 || args.crossingDim > 2 ** 31) {
      throw new Error(`FeatureSpace.cross: expected crossingDim to be a positive integer <= 2^31, got ${describe(args.crossingDim)}`);
    }
    this.featureNames = [...names];
    this.crossingDim = args.crossingDim;
    this.outputMode = oneOf('FeatureSpace.cross', 'outputMode', args.outputMode ?? 'one_hot', CROSS_MODES);
  }

  /** Keras's name of the cross: the feature names joined by '_X_'. */
  get name(): string {
    return this.featureNames.join('_X_');
  }

  /** {featureNames, crossingDim, outputMode}. */
  getConfig(): Record<string, unknown> {
    return { featureNames: [...this.featureNames], crossingDim: this.crossingDim, outputMode: this.outputMode };
  }
}

// A preset's layer name: Keras's `${name}_preprocessor`, or the layer's own automatic name.
const named = (name: string | undefined) => (name === undefined ? {} : { name: `${name}_preprocessor` });

/** Options of the categorical presets. */
export interface CategoricalFeatureArgs {
  /** Largest vocabulary (counting the OOV slots); default null: unbounded. */
  maxTokens?: number | null;
  /** OOV slots; default 1. */
  numOovIndices?: number;
  /** Default 'one_hot'. */
  outputMode?: 'int' | 'one_hot';
  /** The feature's name (its layer is `${name}_preprocessor`). */
  name?: string;
}

/** Options of the hashed presets. */
export interface HashedFeatureArgs {
  /** Number of hash bins. */
  numBins: number;
  /** Default 'one_hot'. */
  outputMode?: 'int' | 'one_hot';
  /** The feature's name (its layer is `${name}_preprocessor`). */
  name?: string;
}

/** Options of floatDiscretized. */
export interface DiscretizedFeatureArgs {
  /** Buckets adapt makes (ignored with binBoundaries). */
  numBins: number;
  /** Fixed boundaries instead of adapt. */
  binBoundaries?: number[] | null;
  /** Default 'one_hot'. */
  outputMode?: 'int' | 'one_hot';
  /** The feature's name (its layer is `${name}_preprocessor`). */
  name?: string;
}

/** Options of floatRescaled. */
export interface RescaledFeatureArgs {
  /** Default 1. */
  scale?: number;
  /** Default 0. */
  offset?: number;
  /** The feature's name (its layer is `${name}_preprocessor`). */
  name?: string;
}

type Named = { name?: string };

const CATEGORICAL_KEYS = ['maxTokens', 'numOovIndices', 'outputMode', 'name'];
const HASHED_KEYS = ['numBins', 'outputMode', 'name'];

// The presets by their Keras string names; each checks its own options.
export const presets = {
  float(args: Named = {}): Feature {
    args = checkOptions('FeatureSpace.float', args, ['name']);
    return new Feature({ dtype: 'float32', preprocessor: new Identity({ dtype: 'float32', ...named(args.name) }), outputMode: 'float' });
  },
  floatRescaled(args: RescaledFeatureArgs = {}): Feature {
    args = checkOptions('FeatureSpace.floatRescaled', args, ['scale', 'offset', 'name']);
    const preprocessor = new Rescaling({ scale: args.scale ?? 1, offset: args.offset ?? 0, ...named(args.name) });
    return new Feature({ dtype: 'float32', preprocessor, outputMode: 'float' });
  },
  floatNormalized(args: Named = {}): Feature {
    args = checkOptions('FeatureSpace.floatNormalized', args, ['name']);
    return new Feature({ dtype: 'float32', preprocessor: new Normalization({ axis: -1, ...named(args.name) }), outputMode: 'float' });
  },
  floatDiscretized(args: DiscretizedFeatureArgs): Feature {
    args = checkOptions('FeatureSpace.floatDiscretized', args, ['numBins', 'binBoundaries', 'outputMode', 'name']);
    const given = args.binBoundaries !== undefined && args.binBoundaries !== null;
    // Tessera's discretization takes one of the two (Keras's ignores numBins beside boundaries).
    const bins = given ? { binBoundaries: args.binBoundaries } : { numBins: args.numBins };
    return new Feature({ dtype: 'float32', preprocessor: new Discretization({ ...bins, ...named(args.name) }), outputMode: args.outputMode ?? 'one_hot' });
  },
  integerCategorical(args: CategoricalFeatureArgs = {}): Feature {
    args = checkOptions('FeatureSpace.integerCategorical', args, CATEGORICAL_KEYS);
    const preprocessor = new IntegerLookup({ maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1, ...named(args.name) });
    return new Feature({ dtype: 'int32', preprocessor, outputMode: args.outputMode ?? 'one_hot' });
  },
  stringCategorical(args: CategoricalFeatureArgs = {}): Feature {
    args = checkOptions('FeatureSpace.stringCategorical', args, CATEGORICAL_KEYS);
    const preprocessor = new StringLookup({ maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1, ...named(args.name) });
    return new Feature({ dtype: 'string', preprocessor, outputMode: args.outputMode ?? 'one_hot' });
  },
  integerHashed(args: HashedFeatureArgs): Feature {
    args = checkOptions('FeatureSpace.integerHashed', args, HASHED_KEYS);
    return new Feature({ dtype: 'int32', preprocessor: new Hashing({ numBins: args.numBins, ...named(args.name) }), outputMode: args.outputMode ?? 'one_hot' });
  },
  stringHashed(args: HashedFeatureArgs): Feature {
    args = checkOptions('FeatureSpace.stringHashed', args, HASHED_KEYS);
    return new Feature({
      dtype: 'string',
      preprocessor: new Hashing({ numBins: args.numBins, ...named(args.name) }),
      outputMode: args.outputMode ?? 'one_hot',
    });
  },
};

/** A preset's Keras string name. */
export type FeaturePreset =
  'float' | 'float_normalized' | 'float_rescaled' | 'float_discretized' | 'integer_categorical' | 'string_categorical' | 'integer_hashed' | 'string_hashed';

/** The defaults a string preset takes from its FeatureSpace. */
export interface PresetDefaults {
  hashingDim: number;
  numDiscretizationBins: number;
}

/** The Feature a string preset names, for feature `name`, with the space's defaults (Keras's _standardize_feature). */
export function presetFeature(op: string, name: string, preset: string, d: PresetDefaults): Feature {
  switch (preset) {
    case 'float':
      return presets.float({ name });
    case 'float_normalized':
      return presets.floatNormalized({ name });
    case 'float_rescaled':
      return presets.floatRescaled({ name });
    case 'float_discretized':
      return presets.floatDiscretized({ numBins: d.numDiscretizationBins, name });
    case 'integer_categorical':
      return presets.integerCategorical({ name });
    case 'string_categorical':
      return presets.stringCategorical({ name });
    case 'integer_hashed':
      return presets.integerHashed({ numBins: d.hashingDim, name });
    case 'string_hashed':
      return presets.stringHashed({ numBins: d.hashingDim, name });
    default:
      throw new Error(
        `${op}: feature '${name}' has an unknown type ${describe(preset)}; expected a Feature (FeatureSpace.floatNormalized() etc.) or one of ` +
          "'float', 'float_normalized', 'float_rescaled', 'float_discretized', 'integer_categorical', 'string_categorical', 'integer_hashed', 'string_hashed'",
      );
  }
}
