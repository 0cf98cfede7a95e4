// Ops built from other ops that record as one node with a hand-written gradient, so the
// tape saves two tensors instead of every intermediate.
import { tidy } from '../tensor/memory';
import { noGrad, recordOp, type GradRule } from '../tensor/run';
import { Tensor } from '../tensor/tensor';
import { asOp } from './op_name';

/**
 * Runs `forward` without recording, releases its intermediates, and records the result
 * as one op of `inputs` with `rule`; errors of the ops in `forward` name `name`.
 */
export function compositeOp(name: string, inputs: Tensor[], forward: () => Tensor, rule: (output: Tensor) => GradRule): Tensor {
  const y = asOp(name, () => noGrad(() => tidy(forward)));
  recordOp(name, inputs, [y], rule(y));
  return y;
}
