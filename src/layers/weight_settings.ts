// The initializer / regularizer / constraint triple that each weight of a layer takes
// (kernelInitializer, kernelRegularizer, kernelConstraint, ...), resolved once and
// serialized under the same keys.
import * as constraints from '../constraints';
import * as initializers from '../initializers';
import * as regularizers from '../regularizers';
import type { Shape } from '../tensor/shape';
import type { Variable } from '../tensor/tensor';
import type { Layer } from './layer';
import { describe } from '../tensor/shape';
import { everyEntry } from '../options/every_entry';

/** @internal How one weight of a layer is initialized, regularized and constrained. */
export class WeightSettings {
  readonly initializer: initializers.Initializer;
  readonly regularizer: regularizers.Regularizer | null;
  readonly constraint: constraints.Constraint | null;

  /** Reads `${prefix}Initializer`, `${prefix}Regularizer` and `${prefix}Constraint` from a layer's args. */
  constructor(
    op: string,
    private readonly prefix: string,
    args: object,
    defaultInitializer: string,
  ) {
    const a = args as Record<string, unknown>;
    this.initializer = initializers.get((a[`${prefix}Initializer`] ?? defaultInitializer) as initializers.InitializerIdentifier, op);
    const reg = a[`${prefix}Regularizer`] as regularizers.RegularizerIdentifier | null | undefined;
    this.regularizer = reg ? regularizers.get(reg, op) : null;
    const con = a[`${prefix}Constraint`] as constraints.ConstraintIdentifier | null | undefined;
    this.constraint = con ? constraints.get(con, op) : null;
  }

  /** Creates the weight on `layer`. */
  create(layer: Layer<any>, name: string, shape: Shape): Variable {
    return layer.addWeight(name, shape, layer.dtype, this.initializer, this.regularizer, true, this.constraint);
  }

  /** The three settings under their config keys. */
  config(): Record<string, unknown> {
    return {
      [`${this.prefix}Initializer`]: initializers.serialize(this.initializer),
      [`${this.prefix}Regularizer`]: this.regularizer && regularizers.serialize(this.regularizer),
      [`${this.prefix}Constraint`]: this.constraint && constraints.serialize(this.constraint),
    };
  }
}

export { checkPositiveInt } from '../options/check_args';

/** @internal An axis option (one integer or a non-empty array of them), copied; default -1. */
export function checkAxisOption(op: string, value: unknown): number | number[] {
  const axis = value ?? -1;
  const list = Array.isArray(axis) ? axis : [axis];
  if (list.length === 0 || !everyEntry(list, Number.isInteger))
    throw new Error(`${op}: expected axis to be an integer or a non-empty array of integers, got ${describe(value)}`);
  return Array.isArray(axis) ? [...axis] : (axis as number);
}
