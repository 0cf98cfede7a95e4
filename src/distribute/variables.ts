// Rank 0's values of variables (a model's weights, an optimizer's state) copied to every
// rank, so all ranks start from the same point.
import { tooManyArguments } from '../options/arity';
import { noGrad } from '../tensor/run';
import { Tensor, Variable } from '../tensor/tensor';
import type { Optimizer } from '../optimizers/optimizer';
import { broadcastSync } from './collectives';
import { currentWorld } from './backend';

/** Sets each variable to rank `root`'s value. */
export function broadcastVariables(variables: Variable[], root = 0): void {
  if (arguments.length > 2) throw tooManyArguments('distribute.broadcastVariables', 2, arguments.length);
  if (currentWorld().size === 1) return;
  for (const v of variables) {
    const value = broadcastSync(v, root);
    noGrad(() => v.assign(value));
    value.dispose();
  }
}

/**
 * Sets the optimizer's state (iterations and slots) to rank `root`'s. Every rank must
 * have built the same slots (the same model and optimizer do).
 */
export function broadcastOptimizerState(optimizer: Optimizer, root = 0): void {
  if (arguments.length > 2) throw tooManyArguments('distribute.broadcastOptimizerState', 2, arguments.length);
  if (currentWorld().size === 1) return;
  const weights = optimizer.getWeights();
  const synced = weights.map(({ name, tensor }) => ({ name, tensor: broadcastSync(tensor as Tensor, root) }));
  optimizer.setWeights(synced);
  for (const { tensor } of synced) tensor.dispose();
}
