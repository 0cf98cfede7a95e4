// layers.operation: a Keras operation node made by hand in a functional model, as
// `keras.ops.mean(x, axis=1)` or `x + 1` records one in Keras. Tessera's ops compute on
// tensors only (ts.mean on a symbolic tensor is an error), so their eager path stays as
// it is; this is the explicit, symbolic-only way, saved in .keras files as Keras writes it.
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { KerasOperation } from './keras_operation';
import { KERAS_OPERATIONS } from './keras_operation_table';
import { uniqueLayerName } from './naming';
import { SymbolicTensor } from './symbolic_tensor';

// 'notEqual', 'not_equal' and 'NotEqual' all name Keras's class NotEqual.
const className = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^[a-z]/, (c) => c.toUpperCase());

/**
 * Calls Keras's operation `op` on symbolic tensors: what `keras.ops.X(...)` records in a
 * Keras functional model. `args` are the call's positional arguments as Keras takes them
 * (symbolic tensors, and numbers or lists as constants; a GetItem index as Keras writes
 * it; a whole number meant as a float, which JS cannot tell from an int, as
 * `{class_name: '__float__', config: {value: 1}}`: `1.0 - x` on an int tensor is float32
 * in Keras, `1 - x` int32), `options` the operation's options (axis, keepdims, newshape, dtype, ...).
 * @example layers.operation('mean', [x], { axis: 1 }); layers.operation('add', [x, 1])
 */
export function operation(op: string, args: unknown[], options: Record<string, unknown> = {}): SymbolicTensor {
  if (arguments.length > 3) throw tooManyArguments('layers.operation', 3, arguments.length);
  if (typeof op !== 'string') throw new Error(`layers.operation: expected op to be an operation's name such as 'add' or 'Mean', got ${describe(op)}`);
  const cls = className(op);
  const entry = Object.hasOwn(KERAS_OPERATIONS, cls) ? KERAS_OPERATIONS[cls] : undefined;
  if (entry === undefined) throw new Error(`layers.operation: unknown operation '${op}'; known: ${Object.keys(KERAS_OPERATIONS).join(', ')}`);
  if (!Array.isArray(args)) throw new Error(`layers.operation('${op}'): expected args to be a list of arguments, got ${describe(args)}`);
  const tensors: SymbolicTensor[] = [];
  const slot = (v: unknown): unknown => {
    if (v instanceof SymbolicTensor) return { kerasTensor: tensors.push(v) - 1 };
    if (Array.isArray(v)) return v.map(slot);
    if (typeof v === 'object' && v !== null && !('class_name' in v))
      throw new Error(
        `layers.operation('${op}'): expected symbolic tensors and constants (numbers, lists) as args, got ${describe(v)}; on tensors call the op directly`,
      );
    return v;
  };
  const template = args.map(slot);
  if (tensors.length === 0) throw new Error(`layers.operation('${op}'): expected at least one symbolic tensor among args, got ${describe(args)}`);
  const layer = new KerasOperation({ name: uniqueLayerName(cls), op: cls, module: entry.module, options: options ?? {}, args: template });
  return layer.apply(tensors) as SymbolicTensor;
}
