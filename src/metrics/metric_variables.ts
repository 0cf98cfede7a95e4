// The state variables of a user's Keras-style metric (Keras 3's Metric.add_variable):
// non-trainable Variables the metric owns, each with a copy of its initial value so that
// resetState can restore it, released by the metric's dispose().
import * as initializers from '../initializers';
import { variable } from '../tensor/creation';
import { checkDType, type DType } from '../tensor/dtype';
import { keep, tidy } from '../tensor/memory';
import { checkShape, describe, type Shape } from '../tensor/shape';
import type { Tensor, Variable } from '../tensor/tensor';
import { uniqueVariableName } from '../layers/naming';

/** Options of Metric.addVariable and Metric.addWeight (Keras 3's add_variable). */
export interface AddVariableOptions {
  /** The variable's shape (default [] for addWeight, a scalar; addVariable needs it). */
  shape?: Shape;
  /** Its initial value, which resetState restores (default 'zeros'). */
  initializer?: initializers.InitializerIdentifier;
  /** Default the metric's dtype. */
  dtype?: DType;
  /** Default variable, variable_1, ... */
  name?: string;
}

/** The variables one metric made, in the order it made them. */
export class MetricVariables {
  private readonly entries: { name: string; variable: Variable; initial: Tensor }[] = [];

  /** The variables, as Keras 3's metric.variables lists them. */
  get list(): Variable[] {
    return this.entries.map((e) => e.variable);
  }

  /** A new non-trainable Variable of `owner` (the metric's name), named uniquely within it. */
  add(op: string, owner: string, shape: unknown, initializer: initializers.InitializerIdentifier | undefined, dtype: unknown, name: unknown): Variable {
    const s = checkShape(op, shape);
    const dt = checkDType(op, dtype);
    if (name !== undefined && (typeof name !== 'string' || name.length === 0))
      throw new Error(`${op}: expected name to be a non-empty string, got ${describe(name)}`);
    const varName = (name as string | undefined) ?? this.freeName();
    if (this.entries.some((e) => e.name === varName)) throw new Error(`${op}: the metric already has a variable named '${varName}'`);
    const init = initializers.get(initializer ?? 'zeros', op);
    // Kept out of any tidy the metric is made in: resetState reads it for the metric's life.
    const initial = keep(tidy(() => init.apply([...s], dt)));
    const v = variable(initial, false, uniqueVariableName(`${owner}/${varName}`));
    this.entries.push({ name: varName, variable: v, initial });
    return v;
  }

  /** Whether `t` is one of these variables. */
  owns(t: unknown): boolean {
    return this.entries.some((e) => e.variable === t);
  }

  /** Restores every variable's initial value. */
  reset(): void {
    for (const e of this.entries) e.variable.assign(e.initial);
  }

  /** Releases the variables and their initial values. */
  dispose(): void {
    for (const e of this.entries.splice(0)) {
      e.variable.dispose();
      e.initial.dispose();
    }
  }

  // Keras 3's default names: variable, variable_1, ...
  private freeName(): string {
    const taken = new Set(this.entries.map((e) => e.name));
    let name = 'variable';
    for (let i = 1; taken.has(name); i++) name = `variable_${i}`;
    return name;
  }
}
