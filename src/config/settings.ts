// Keras 3's global settings (keras.config / keras.backend): floatx, the fuzz factor epsilon,
// the image data format, and fit's debugging caps. Each is read when it is used (a layer's
// constructor, a loss's call), so a setter changes what comes after it, as in Keras.
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

/** The float dtypes floatx may name. */
export type FloatX = 'float32' | 'float64';
/** The image data formats, in Tessera's spelling (Keras's snake_case is accepted by the setter). */
export type DataFormatName = 'channelsLast' | 'channelsFirst';

let FLOATX: FloatX = 'float32';
let EPSILON = 1e-7;
let IMAGE_DATA_FORMAT: DataFormatName = 'channelsLast';
let MAX_EPOCHS: number | null = null;
let MAX_STEPS_PER_EPOCH: number | null = null;

// Keras's half-precision floats have no CPU kernels here yet (issue #21).
const HALF = new Set(['float16', 'bfloat16', 'half']);

/** @internal The error for a half-precision dtype or policy asked of `op`. */
export function halfPrecisionError(op: string, what: string, value: string): Error {
  return new Error(
    `${op}: ${what} '${value}' needs half-precision tensors, which Tessera's CPU engine does not have yet (issue #21); use 'float32' or 'float64'`,
  );
}

/** @internal `value` as floatx ('float32' or 'float64'), or an error naming `op`. */
export function checkFloatX(op: string, value: unknown): FloatX {
  if (value === 'float32' || value === 'float64') return value;
  if (typeof value === 'string' && HALF.has(value)) throw halfPrecisionError(op, 'dtype', value);
  throw new Error(`${op}: expected a float dtype, 'float32' or 'float64', got ${describe(value)}`);
}

/** The default float dtype of new layers' weights and of inputs (Keras's floatx): 'float32' unless set. */
export function floatx(): FloatX {
  if (arguments.length > 0) throw tooManyArguments('config.floatx', 0, arguments.length);
  return FLOATX;
}

/**
 * Sets floatx: 'float32' or 'float64'. Layers and inputs made after it default to this dtype
 * (those made before keep theirs). 'float16' and 'bfloat16' are refused: the CPU engine has
 * no half precision yet.
 */
export function setFloatx(value: FloatX): void {
  if (arguments.length > 1) throw tooManyArguments('config.setFloatx', 1, arguments.length);
  FLOATX = checkFloatX('config.setFloatx', value);
}

/** The fuzz factor of numeric expressions (Keras's backend epsilon): 1e-7 unless set. */
export function epsilon(): number {
  if (arguments.length > 0) throw tooManyArguments('config.epsilon', 0, arguments.length);
  return EPSILON;
}

/**
 * Sets the fuzz factor the losses, metrics, constraints and layers that use Keras's
 * backend.epsilon() read when they run (e.g. crossentropy's clip to [epsilon, 1 - epsilon]).
 * Options named epsilon (batchNormalization's, the optimizers') are their own and stay.
 */
export function setEpsilon(value: number): void {
  if (arguments.length > 1) throw tooManyArguments('config.setEpsilon', 1, arguments.length);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new Error(`config.setEpsilon: expected a finite non-negative number, got ${describe(value)}`);
  EPSILON = value;
}

/** The default dataFormat of layers and ops that take one: 'channelsLast' unless set. */
export function imageDataFormat(): DataFormatName {
  if (arguments.length > 0) throw tooManyArguments('config.imageDataFormat', 0, arguments.length);
  return IMAGE_DATA_FORMAT;
}

/** @internal `value` as 'channelsLast' or 'channelsFirst' (either spelling), or an error naming `op`. */
export function checkDataFormatName(op: string, value: unknown): DataFormatName {
  if (value === 'channelsLast' || value === 'channels_last') return 'channelsLast';
  if (value === 'channelsFirst' || value === 'channels_first') return 'channelsFirst';
  throw new Error(`${op}: expected 'channelsLast' or 'channelsFirst' (or Keras's 'channels_last' / 'channels_first'), got ${describe(value)}`);
}

/**
 * Sets the default dataFormat ('channelsLast' or 'channelsFirst'; Keras's 'channels_last' and
 * 'channels_first' too). A layer resolves it when constructed and keeps it (its saved config
 * names it), as Keras's standardize_data_format does.
 */
export function setImageDataFormat(dataFormat: DataFormatName | 'channels_last' | 'channels_first'): void {
  if (arguments.length > 1) throw tooManyArguments('config.setImageDataFormat', 1, arguments.length);
  IMAGE_DATA_FORMAT = checkDataFormatName('config.setImageDataFormat', dataFormat);
}

/** @internal `value` given, else the global image data format: Keras's standardize_data_format. */
export function standardizeDataFormat(op: string, value: unknown): DataFormatName {
  return value === undefined || value === null ? IMAGE_DATA_FORMAT : checkDataFormatName(op, value);
}

function checkCap(op: string, value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new Error(`${op}: expected a positive integer or null (no cap), got ${describe(value)}`);
  return value;
}

/** The cap on fit's epochs (Keras's max_epochs), or null when there is none. */
export function maxEpochs(): number | null {
  if (arguments.length > 0) throw tooManyArguments('config.maxEpochs', 0, arguments.length);
  return MAX_EPOCHS;
}

/** Caps the epochs of every fit (for tests and debugging runs, with a warning); null clears the cap. */
export function setMaxEpochs(n: number | null): void {
  if (arguments.length !== 1)
    throw arguments.length > 1
      ? tooManyArguments('config.setMaxEpochs', 1, arguments.length)
      : new Error('config.setMaxEpochs: expected the cap, a positive integer, or null to clear it');
  MAX_EPOCHS = checkCap('config.setMaxEpochs', n);
}

/** The cap on the steps of an epoch of fit, and of evaluate and predict (Keras's max_steps_per_epoch), or null. */
export function maxStepsPerEpoch(): number | null {
  if (arguments.length > 0) throw tooManyArguments('config.maxStepsPerEpoch', 0, arguments.length);
  return MAX_STEPS_PER_EPOCH;
}

/** Caps the batches of each fit epoch, evaluate and predict (for tests and debugging, with a warning); null clears it. */
export function setMaxStepsPerEpoch(n: number | null): void {
  if (arguments.length !== 1)
    throw arguments.length > 1
      ? tooManyArguments('config.setMaxStepsPerEpoch', 1, arguments.length)
      : new Error('config.setMaxStepsPerEpoch: expected the cap, a positive integer, or null to clear it');
  MAX_STEPS_PER_EPOCH = checkCap('config.setMaxStepsPerEpoch', n);
}

/** The backend's name, as keras.config.backend() gives 'jax' or 'torch': 'tessera'. */
export function backend(): 'tessera' {
  if (arguments.length > 0) throw tooManyArguments('config.backend', 0, arguments.length);
  return 'tessera';
}
