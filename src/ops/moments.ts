// moments: mean and variance over axes.
import { tooManyArguments } from '../options/arity';
import { type TensorLike } from '../tensor/creation';
import { tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import { sub } from './binary';
import { FLOAT_DTYPES, checkInputDType, toTensor } from './convert';
import { mean } from './reduce';
import { reshape } from './reshape';
import { square } from './unary';
import { normalizeAxes, reducedShape } from '../tensor/shape';

/** Mean and (biased) variance of x over `axes` (all when omitted). */
export function moments(x: TensorLike, axes?: number | number[], keepDims = false): { mean: Tensor; variance: Tensor } {
  if (arguments.length > 3) throw tooManyArguments('moments', 3, arguments.length);
  const op = 'moments';
  const t = toTensor(op, 'x', x);
  checkInputDType(op, 'x', t, FLOAT_DTYPES);
  const list = normalizeAxes(op, axes, t.rank);
  const out = reducedShape(t.shape, list, keepDims);
  return tidy(() => {
    const m = mean(t, list, true);
    const variance = mean(square(sub(t, m)), list, keepDims);
    return { mean: reshape(m, out), variance };
  });
}
