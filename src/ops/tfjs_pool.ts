// TensorFlow.js's pool: max or average pooling with dilations, done as TensorFlow does it,
// batchToSpaceND(pool(spaceToBatchND(x))), so its gradient is those ops'.
import { tooManyArguments } from '../options/arity';
import type { TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { describe, quoted } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { toTensor } from './convert';
import { asOp } from './op_name';
import type { DimRoundingMode } from './op_options';
import { explicitPads, pair, type ExplicitPadding } from './padding';
import { avgPool, maxPool } from './pooling';
import { reshape } from './reshape';
import { batchToSpaceND, spaceToBatchND } from './space_depth';

/**
 * Max or average pooling of NHWC images (rank 4, or rank 3 without the batch) with
 * `dilations` (taps that many pixels apart), as TensorFlow.js's pool: strides default
 * to 1, and strides and dilations may not both exceed 1.
 * @example pool(x, [2, 2], 'max', 'same', [2, 2])
 */
export function pool(
  input: TensorLike,
  windowShape: number | [number, number],
  poolingType: 'avg' | 'max',
  pad: 'valid' | 'same' | number | ExplicitPadding,
  dilations?: number | [number, number] | null,
  strides?: number | [number, number] | null,
  dimRoundingMode?: DimRoundingMode,
): Tensor {
  if (arguments.length > 7) throw tooManyArguments('pool', 7, arguments.length);
  const op = 'pool';
  if (poolingType !== 'avg' && poolingType !== 'max') throw new Error(`${op}: expected poolingType 'avg' or 'max', got ${quoted(poolingType)}`);
  const explicit = pad === 0 ? null : explicitPads(op, pad);
  const padding = pad === 0 ? 'valid' : pad;
  const window = pair(op, 'windowShape', windowShape);
  const rate = pair(op, 'dilations', dilations ?? 1);
  const step = pair(op, 'strides', strides ?? 1);
  if ((rate[0] > 1 || rate[1] > 1) && (step[0] > 1 || step[1] > 1)) {
    throw new Error(`${op}: either strides or dilations must be 1, got strides [${step.join(', ')}] and dilations [${rate.join(', ')}]`);
  }
  // TensorFlow.js drops numeric and explicit padding when dilating (it pools 'valid').
  if (explicit && (rate[0] > 1 || rate[1] > 1)) {
    throw new Error(
      `${op}: numeric or explicit padding takes dilations 1 (TensorFlow.js ignores it with dilations), got pad ${describe(pad)} and dilations [${rate.join(', ')}]`,
    );
  }
  return asOp(op, () =>
    tidy(() => {
      const t = toTensor(op, 'input', input);
      if (t.rank !== 3 && t.rank !== 4) throw new Error(`${op}: expected input of rank 3 or 4 (NHWC), got shape [${t.shape.join(', ')}]`);
      const x4 = t.rank === 3 ? reshape(t, [1, ...t.shape]) : t;
      const run = (x: Tensor, p: 'valid' | 'same' | number | ExplicitPadding) => {
        const rest = dimRoundingMode === undefined ? [] : [dimRoundingMode];
        return poolingType === 'max' ? maxPool(x, window, step, p, ...rest) : avgPool(x, window, step, p, ...rest);
      };
      let y: Tensor;
      if (rate[0] === 1 && rate[1] === 1) y = run(x4, padding);
      else {
        // TensorFlow's with_space_to_batch: 'same' pads half the dilated window's extent
        // (more at the end), then each axis up to a multiple of its rate; crops undo the latter.
        const base = window.map((k, i) => {
          if (padding !== 'same') return [0, 0];
          const extra = k + (k - 1) * (rate[i] - 1) - 1;
          return [Math.floor(extra / 2), extra - Math.floor(extra / 2)];
        });
        const size = [x4.shape[1], x4.shape[2]];
        const endExtra = rate.map((r, i) => (r - ((size[i] + base[i][0] + base[i][1]) % r)) % r);
        const paddings = base.map(([s, e], i) => [s, e + endExtra[i]]);
        const crops = endExtra.map((e) => [0, e]);
        y = batchToSpaceND(run(spaceToBatchND(x4, rate, paddings), 'valid'), rate, crops);
      }
      return t.rank === 3 ? reshape(y, y.shape.slice(1)) : y;
    }),
  );
}
