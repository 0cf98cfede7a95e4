// Aligning what users pass (one tensor, a list, or an object keyed by name) with a
// model's ordered inputs and outputs.
import { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';

/** One tensor, a list of tensors, or tensors keyed by input / output name. */
export type TensorsLike = Tensor | Tensor[] | { [name: string]: Tensor };

/** `value` as a list ordered like `names` (one entry per name). */
export function toList<T>(op: string, what: string, value: T | T[] | { [name: string]: T }, names: string[], isItem: (v: unknown) => v is T): T[] {
  if (isItem(value)) {
    if (names.length > 1)
      throw new Error(`${op}: the model has ${names.length} ${what}s (${names.join(', ')}); got one ${what} — pass a list or an object keyed by name`);
    return [value];
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length)
      throw new Error(`${op}: expected ${names.length} ${what}${names.length === 1 ? '' : 's'} (${names.join(', ')}), got a list of ${value.length}`);
    value.forEach((v, i) => {
      if (!isItem(v)) throw new Error(`${op}: ${what} ${i} is ${describe(v)}, expected a Tensor`);
    });
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const obj = value as { [name: string]: T };
    for (const k of Object.keys(obj))
      if (!names.includes(k)) throw new Error(`${op}: '${k}' is not a ${what} of the model; its ${what}s are ${names.join(', ')}`);
    return names.map((n) => {
      if (!(n in obj)) throw new Error(`${op}: ${what} '${n}' is missing (the model's ${what}s are ${names.join(', ')})`);
      return obj[n];
    });
  }
  throw new Error(`${op}: expected the ${what}s as a Tensor, a list or an object keyed by name, got ${describe(value)}`);
}

export const isTensor = (v: unknown): v is Tensor => v instanceof Tensor;

/** Every tensor in a value (tensor, list, object). */
export function tensorsIn(value: unknown, open = new Set<object>()): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (value === null || typeof value !== 'object') return [];
  // A list or object inside itself is walked once: its tensors are all found on the first pass.
  if (open.has(value)) return [];
  open.add(value);
  const found = (Array.isArray(value) ? value : Object.values(value)).flatMap((v) => tensorsIn(v, open));
  open.delete(value);
  return found;
}
