// Adaptive average and max pooling (keras.ops.adaptive_average_pool / adaptive_max_pool):
// each spatial axis of length L is cut into `out` bins [floor(i L / out), ceil((i + 1) L / out)),
// PyTorch's rule, which Keras follows. The bins are rectangular, so the mean (or max) over a
// bin is the mean (or max) over one axis after another: each axis is pooled in turn with
// slice + mean/max + concat, whose gradients autograd already has.
import { tooManyArguments } from '../options/arity';
import { tidy } from '../tensor/memory';
import { describe } from '../tensor/shape';
import type { TensorLike } from '../tensor/creation';
import type { Tensor } from '../tensor/tensor';
import { concat } from './concat';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { asOp } from './op_name';
import { max, mean } from './reduce';
import { slice } from './slice';
import { imageDataFormat } from '../config/settings';
import { everyEntry } from '../options/every_entry';

/** Layout of pooled tensors: channels after the spatial axes or before (default config.imageDataFormat()). */
export type AdaptivePoolDataFormat = 'channelsLast' | 'channelsFirst';

// Each output position is one slice and one reduction, so a size in the billions would
// allocate without end: more bins than this on one axis is refused.
const MAX_BINS = 65536;
const MAX_POSITIONS = 2 ** 24;

function adaptivePool(op: string, reduce: typeof mean, x: TensorLike, outputSize: number | number[], dataFormat: AdaptivePoolDataFormat): Tensor {
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (t.rank < 3 || t.rank > 5)
    throw new Error(`${op}: expected x of rank 3, 4 or 5 (batch, 1 to 3 spatial axes, channels), got shape [${t.shape.join(', ')}]`);
  if (dataFormat !== 'channelsLast' && dataFormat !== 'channelsFirst')
    throw new Error(`${op}: expected dataFormat 'channelsLast' or 'channelsFirst', got ${describe(dataFormat)}`);
  const n = t.rank - 2;
  const sizes = typeof outputSize === 'number' ? new Array<number>(n).fill(outputSize) : outputSize;
  if (!Array.isArray(sizes) || sizes.length !== n || !everyEntry(sizes, (s) => Number.isInteger(s) && s >= 1 && s <= MAX_BINS))
    throw new Error(
      `${op}: expected outputSize to be a positive integer or ${n} positive integers for ${n} spatial axes, each at most ${MAX_BINS}, got ${describe(outputSize)}`,
    );
  // Every axis's bins are sliced from the result of the last: [46341, 46341] ran for minutes.
  const positions = sizes.reduce((p, s) => p * s, 1);
  if (positions > MAX_POSITIONS)
    throw new Error(`${op}: outputSize [${sizes.join(', ')}] is ${positions} output positions per image and channel, more than ${MAX_POSITIONS} (2^24)`);
  const first = dataFormat === 'channelsLast' ? 1 : 2;
  return asOp(op, () =>
    tidy(() => {
      let y = t;
      for (let k = 0; k < n; k++) {
        const axis = first + k;
        const length = y.shape[axis];
        const out = sizes[k];
        if (length === 0) throw new Error(`${op}: spatial axis ${axis} of x (shape [${t.shape.join(', ')}]) is empty`);
        const bins: Tensor[] = [];
        for (let i = 0; i < out; i++) {
          const start = Math.floor((i * length) / out);
          const end = Math.ceil(((i + 1) * length) / out);
          const begin = y.shape.map((_, d) => (d === axis ? start : 0));
          const size = y.shape.map((s, d) => (d === axis ? end - start : s));
          bins.push(reduce(slice(y, begin, size), axis, true));
        }
        y = bins.length === 1 ? bins[0] : concat(bins, axis);
      }
      return y;
    }),
  );
}

/**
 * Average pooling to a fixed output size per spatial axis (1-D, 2-D or 3-D from x's rank),
 * with PyTorch's bins: [floor(i L / out), ceil((i + 1) L / out)).
 */
export function adaptiveAveragePool(x: TensorLike, outputSize: number | number[], dataFormat: AdaptivePoolDataFormat = imageDataFormat()): Tensor {
  if (arguments.length > 3) throw tooManyArguments('adaptiveAveragePool', 3, arguments.length);
  return adaptivePool('adaptiveAveragePool', mean, x, outputSize, dataFormat);
}

/**
 * Max pooling to a fixed output size per spatial axis (1-D, 2-D or 3-D from x's rank),
 * with PyTorch's bins: [floor(i L / out), ceil((i + 1) L / out)).
 */
export function adaptiveMaxPool(x: TensorLike, outputSize: number | number[], dataFormat: AdaptivePoolDataFormat = imageDataFormat()): Tensor {
  if (arguments.length > 3) throw tooManyArguments('adaptiveMaxPool', 3, arguments.length);
  return adaptivePool('adaptiveMaxPool', max, x, outputSize, dataFormat);
}
