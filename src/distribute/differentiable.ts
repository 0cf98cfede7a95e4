// A sum across ranks that gradients flow through (for synchronized batch statistics):
// every rank's upstream gradient of the global sum is summed too, which with the
// averaging of weight gradients gives the gradient of the mean loss over all ranks.
import { customGrad } from '../autograd/functional';
import type { Tensor } from '../tensor/tensor';
import { allReduceSync } from './collectives';

/** The sum of `x` over the ranks, differentiable. */
export const allReduceSumWithGrad: (x: Tensor) => Tensor = customGrad((x: Tensor) => ({
  value: allReduceSync(x, 'sum'),
  gradFunc: (dy: Tensor) => allReduceSync(dy, 'sum'),
}));
