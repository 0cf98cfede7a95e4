// gelu's (erf form) gradient as one kernel, for gelu and for the ops that fuse it
// (matMulBias); internal, not re-exported by the ops index.
import { isRecording, runKernel1, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { mul, sub } from './binary';
import { exp } from './unary';

/** @internal dy (Φ(x) + x φ(x)) in one pass, x gelu's input; errors name `op`. */
export function geluGrad(op: string, dy: Tensor, x: Tensor): Tensor {
  // Under an outer tape (higher-order gradients) the kernel is itself differentiated: linear
  // in dy, and d/dx (Φ(x) + x φ(x)) = φ(x) (2 - x²).
  const rule: GradRule | undefined = isRecording()
    ? {
        save: [dy, x],
        grad: ([g], [d, xs], needs) => [needs[0] ? geluGrad(op, g, xs) : null, needs[1] ? mul(mul(g, d), geluSecondDerivative(xs)) : null],
      }
    : undefined;
  return runKernel1(op, 'gelu_backward', [dy, x], [], { shape: dy.shape, dtype: dy.dtype }, rule);
}

function geluSecondDerivative(x: Tensor): Tensor {
  const x2 = mul(x, x);
  return mul(mul(exp(mul(x2, -0.5)), 1 / Math.sqrt(2 * Math.PI)), sub(2, x2));
}
