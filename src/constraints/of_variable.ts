// Which constraint each layer weight carries. Kept beside the variable rather than in
// it, so that optimizers (which see only variables) can look it up: after an update,
// `v.assign(constraintOf(v).apply(v))`. Its own file, so that the setter (for
// Layer.addWeight) stays out of the public `constraints` namespace.
import { describe } from '../tensor/shape';
import { Variable } from '../tensor/tensor';
import type { Constraint } from './constraint';
import { tooManyArguments } from '../options/arity';

const constraintsOfVariables = new WeakMap<Variable, Constraint>();

/** The constraint a layer attached to `variable` with addWeight, if any. */
export function constraintOf(variable: Variable): Constraint | undefined {
  if (arguments.length > 1) throw tooManyArguments('constraints.constraintOf', 1, arguments.length);
  if (!(variable instanceof Variable)) throw new Error(`constraints.constraintOf: expected a Variable, got ${describe(variable)}`);
  return constraintsOfVariables.get(variable);
}

/** @internal Attaches a constraint to a variable (Layer.addWeight). */
export function setConstraintOf(variable: Variable, constraint: Constraint): void {
  constraintsOfVariables.set(variable, constraint);
}
