// The options argument of an op: an options object (checked against the generated option
// table, so a misspelled key is an error), or TensorFlow.js's positional arguments
// (`conv2d(x, filter, strides, pad, dataFormat, dilations, dimRoundingMode)`) read into the
// same keys. Never ignored: null is no options; anything else that fits neither is an error.
import { checkOptions } from '../options/check';
import { describe } from '../tensor/shape';

/** TensorFlow.js's rounding of numeric padding's output size (dim_rounding.ts); refused by the ops that lack it. */
export type DimRoundingMode = 'floor' | 'round' | 'ceil';

const isOptionsObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

// TensorFlow.js's positional parameters that Tessera accepts only at their one supported value.
const CHANNELS_LAST = ['NHWC', 'NWC', 'NDHWC', 'channelsLast', 'channels_last'];

/**
 * The options of `op` from its arguments after the tensors: `first` is the options
 * object or the first positional argument, `rest` the positional ones after it, named
 * by `positional` (TF.js's order). `dataFormat` must be channels-last; `dimRoundingMode` is
 * kept where the op `rounds` (it reads it: dim_rounding.ts) and refused elsewhere.
 */
export function opOptions<T extends object>(op: string, first: unknown, rest: unknown[], positional: string[], rounds = false): T {
  const given = rest.findIndex((v) => v !== undefined);
  if (first === undefined || first === null || isOptionsObject(first)) {
    if (given >= 0) {
      throw new Error(
        `${op}: expected either an options object or TensorFlow.js's positional arguments (${positional.join(', ')}), got an options object and then ${describe(rest[given])}`,
      );
    }
    return checkOptions(op, first as T | null | undefined, op);
  }
  if (rest.length > positional.length - 1)
    throw new Error(`${op}: expected at most ${positional.length} arguments after the tensors (${positional.join(', ')}), got ${rest.length + 1}`);
  const out: Record<string, unknown> = {};
  [first, ...rest].forEach((value, i) => {
    if (value !== undefined) out[positional[i]] = value;
  });
  const { dataFormat, dimRoundingMode, ...options } = out;
  if (dataFormat !== undefined && !CHANNELS_LAST.includes(dataFormat as string)) {
    throw new Error(`${op}: only channels-last data (dataFormat 'NHWC' / 'NWC' / 'NDHWC') is supported, got ${describe(dataFormat)}`);
  }
  if (rounds && dimRoundingMode !== undefined) options.dimRoundingMode = dimRoundingMode;
  else if (dimRoundingMode !== undefined)
    throw new Error(
      `${op}: dimRoundingMode is not supported here (TensorFlow.js rounds the output size of numeric padding with it, and ${op} takes no numeric padding), got ${describe(dimRoundingMode)}`,
    );
  return options as T;
}
