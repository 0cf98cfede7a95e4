// frame: overlapping windows of a signal's last axis (TensorFlow.js's tf.signal.frame,
// of any rank as TensorFlow's): [..., samples] -> [..., frames, frameLength], a gather.
import { tooManyArguments } from '../options/arity';
import { checkBoolean, checkInteger } from '../options/check_args';
import { checkInputDType, NUMERIC_DTYPES, toTensor } from '../ops/convert';
import { gather } from '../ops/gather';
import { pad } from '../ops/pad';
import { tensor, type TensorLike } from '../tensor/creation';
import { allocTypedArray, checkAllocation } from '../tensor/dtype';
import { sizeOf } from '../tensor/shape';
import { tidy } from '../tensor/memory';
import { checkNumber } from '../tensor/ranges';
import type { Tensor } from '../tensor/tensor';

/**
 * Frames of `frameLength` samples, `frameStep` apart, from the last axis. Without padEnd
 * only whole frames; with it, frames run on past the end filled with padValue.
 * @example signal.frame([1, 2, 3], 2, 1)  // [[1, 2], [2, 3]]
 */
export function frame(signal: TensorLike, frameLength: number, frameStep: number, padEnd = false, padValue = 0): Tensor {
  if (arguments.length > 5) throw tooManyArguments('signal.frame', 5, arguments.length);
  const op = 'signal.frame';
  const length = checkInteger(op, 'frameLength', frameLength, 1);
  const step = checkInteger(op, 'frameStep', frameStep, 1);
  checkBoolean(op, 'padEnd', padEnd);
  checkNumber(op, 'padValue', padValue);
  return tidy(() => {
    const x = toTensor(op, 'signal', signal);
    checkInputDType(op, 'signal', x, NUMERIC_DTYPES);
    if (x.rank === 0) throw new Error(`${op}: expected a signal of rank >= 1, got a scalar`);
    const axis = x.rank - 1;
    const samples = x.shape[axis];
    const frames = padEnd ? Math.ceil(samples / step) : samples >= length ? 1 + Math.floor((samples - length) / step) : 0;
    const needed = frames === 0 ? samples : (frames - 1) * step + length;
    checkAllocation(op, x.dtype, sizeOf([...x.shape.slice(0, axis), frames, length]));
    checkAllocation(op, x.dtype, sizeOf([...x.shape.slice(0, axis), needed]), 'the padded signal');
    const source =
      needed > samples
        ? pad(
            x,
            x.shape.map((_, i) => (i === axis ? [0, needed - samples] : [0, 0])),
            padValue,
          )
        : x;
    const indices = allocTypedArray('int32', frames * length, op);
    for (let f = 0; f < frames; f++) for (let j = 0; j < length; j++) indices[f * length + j] = f * step + j;
    return gather(source, tensor(indices, [frames, length], 'int32'), axis);
  });
}
