// The base class of weight constraints, in a file of its own so that the map from
// variables to constraints (of_variable.ts) needs nothing of the constraints themselves.
import type { Tensor } from '../tensor/tensor';

/** A projection of a weight onto an allowed set. */
export abstract class Constraint {
  /** The name configs use for this class. */
  static className = 'Constraint';
  /** The constrained value of w (a new tensor). */
  abstract apply(w: Tensor): Tensor;
  /** The options this constraint was made with. */
  getConfig(): Record<string, unknown> {
    return {};
  }
}
