// gradcheck: analytic gradients against central differences, in float64 on the CPU.
import { grads, mul, sum, tensor, tidy, type Tensor } from '../../src';
import { randomData } from './reference';

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Inputs to check (default: all float inputs). */
  check?: number[];
}

/**
 * Checks every gradient of f at `inputs` (float64 tensors; integer inputs are passed
 * through unchecked). Non-scalar outputs are weighted by a fixed random tensor, so
 * every output element contributes.
 */
export function gradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): void {
  const { eps = 1e-6, rtol = 1e-4, atol = 1e-7 } = options;
  const check = options.check ?? inputs.map((x, i) => (x.dtype === 'float64' ? i : -1)).filter((i) => i >= 0);
  for (const i of check) if (inputs[i].dtype !== 'float64') throw new Error(`gradcheck: input ${i} must be float64, got ${inputs[i].dtype}`);
  tidy(() => {
    const probe = f(...inputs);
    const weights = tensor(randomData(probe.size, 7, 0.5, 1.5), probe.shape, 'float64');
    const objective = (...xs: Tensor[]) => sum(mul(f(...xs), weights));
    const analytic = grads(objective)(inputs);
    for (const i of check) {
      const base = Array.from(inputs[i].dataSync());
      const got = analytic[i].dataSync();
      for (let k = 0; k < base.length; k++) {
        const at = (delta: number) =>
          tidy(() => {
            const moved = base.slice();
            moved[k] += delta;
            const xs = inputs.slice();
            xs[i] = tensor(moved, inputs[i].shape, 'float64');
            return objective(...xs).dataSync()[0];
          });
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        if (Math.abs(got[k] - numeric) > atol + rtol * Math.abs(numeric)) {
          throw new Error(`gradcheck: input ${i} element ${k}: analytic ${got[k]}, numeric ${numeric}`);
        }
      }
    }
  });
}
