// dropout: zeroes elements with probability `rate` and scales the rest by 1 / (1 - rate),
// from a Philox stream so a seed gives the same mask on every device.
import { tooManyArguments } from '../options/arity';
import { nextSeed, uniformFromStream, type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { packAttrs } from '../native/op_attrs';
import { runKernel } from '../tensor/run';
import { broadcastShapes, checkShape, describe, shapesEqual } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { mul } from './binary';
import { cast } from './cast';
import { greaterEqual } from './compare';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { maskGrad } from './mask_grad';

/**
 * x with elements dropped at `rate`. `noiseShape` (broadcastable to x) shares one mask
 * value across the dimensions where it is 1 (spatial dropout).
 */
export function dropout(x: TensorLike, rate: number, noiseShape?: number[], seed?: number): Tensor {
  if (arguments.length > 4) throw tooManyArguments('dropout', 4, arguments.length);
  const op = 'dropout';
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`${op}: expected rate in [0, 1), got ${describe(rate)}`);
  const shape = noiseShape === undefined ? t.shape : checkShape(op, noiseShape, 'noiseShape');
  if (!shapesEqual(broadcastShapes(op, t.shape, shape), t.shape)) {
    throw new Error(`${op}: noiseShape [${shape.join(', ')}] does not broadcast to x's shape [${t.shape.join(', ')}]`);
  }
  if (rate === 0) return mul(t, 1);
  const stream = nextSeed(op, seed);
  if (noiseShape === undefined || shapesEqual(shape, t.shape)) {
    const [y, mask] = runKernel(
      op,
      'dropout',
      [t],
      packAttrs.dropout({ seed: stream[0], offset: stream[1], rate }),
      [
        { shape: t.shape, dtype: t.dtype },
        { shape: t.shape, dtype: 'bool' },
      ],
      {
        saveOutputs: true,
        grad: ([dy], [, m]) => [maskGrad(op, dy, m, rate)],
      },
    );
    mask.dispose();
    return y;
  }
  // A noise shape: one mask value shared along its size-1 dimensions.
  return tidy(() => {
    const u = uniformFromStream(op, shape, 0, 1, t.dtype, stream, t.device);
    const keepMask = cast(greaterEqual(u, rate), t.dtype);
    return mul(t, mul(keepMask, 1 / (1 - rate)));
  });
}
