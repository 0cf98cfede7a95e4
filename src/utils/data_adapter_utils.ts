// Keras 3's pack_x_y_sample_weight / unpack_x_y_sample_weight (the (x, y, sampleWeight)
// convention of a custom trainStep) and is_keras_tensor. Arrays play Python's tuples;
// null plays None.
import { SymbolicTensor } from '../layers/symbolic_tensor';
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';

/**
 * Packs into the form fit expects: x alone (an array x wrapped as [x]), [x, y], or
 * [x, y, sampleWeight]; null or missing parts are left out.
 * @example const data = ts.utils.packXYSampleWeight(x, y)
 */
export function packXYSampleWeight(x: unknown, y: unknown = null, sampleWeight: unknown = null): unknown {
  if (arguments.length > 3) throw tooManyArguments('utils.packXYSampleWeight', 3, arguments.length);
  if (y === null || y === undefined) return Array.isArray(x) ? [x] : x;
  if (sampleWeight === null || sampleWeight === undefined) return [x, y];
  return [x, y, sampleWeight];
}

/**
 * Splits a batch into [x, y, sampleWeight], null for the parts it lacks: an array of 1 to 3
 * items is [x], [x, y] or [x, y, sampleWeight]; anything else is x alone.
 * @example const [x, y, sampleWeight] = ts.utils.unpackXYSampleWeight(data)
 */
export function unpackXYSampleWeight(data: unknown): [unknown, unknown, unknown] {
  if (arguments.length > 1) throw tooManyArguments('utils.unpackXYSampleWeight', 1, arguments.length);
  if (!Array.isArray(data)) return [data, null, null];
  if (data.length >= 1 && data.length <= 3) return [data[0], data[1] ?? null, data[2] ?? null];
  throw new Error(
    `utils.unpackXYSampleWeight: expected data as x, [x], [x, y] or [x, y, sampleWeight], got an array of ${data.length} items: ${describe(data)}`,
  );
}

/**
 * Whether x is a symbolic tensor of a functional model (Keras's KerasTensor), as ts.input makes.
 * @example ts.utils.isKerasTensor(ts.input({ shape: [3] })) // true
 */
export function isKerasTensor(x: unknown): boolean {
  if (arguments.length > 1) throw tooManyArguments('utils.isKerasTensor', 1, arguments.length);
  return x instanceof SymbolicTensor;
}

/**
 * Keras 3's get_source_inputs: the input tensors (made by `input()`) that a symbolic tensor
 * is computed from, each once, in the order Keras finds them (depth-first over each layer
 * call's inputs). A tensor made by input() gives itself.
 * @example const a = ts.input({ shape: [3] }); ts.utils.getSourceInputs(ts.layers.dense({ units: 2 }).apply(a)) // [a]
 */
export function getSourceInputs(tensor: SymbolicTensor): SymbolicTensor[] {
  const op = 'utils.getSourceInputs';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  if (!(tensor instanceof SymbolicTensor))
    throw new Error(`${op}: expected a symbolic tensor (made by ts.input() or by applying layers to one), got ${describe(tensor)}`);
  const out: SymbolicTensor[] = [];
  const seen = new Set<number>();
  const visited = new Set<unknown>();
  // Iterative, so that a deep graph does not overflow the stack.
  const stack: SymbolicTensor[] = [tensor];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.node.isInput) {
      if (!seen.has(t.id)) {
        seen.add(t.id);
        out.push(t);
      }
      continue;
    }
    if (visited.has(t.node)) continue;
    visited.add(t.node);
    for (let i = t.node.inputs.length - 1; i >= 0; i--) stack.push(t.node.inputs[i]);
  }
  return out;
}
