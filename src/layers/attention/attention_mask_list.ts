// Keras's Attention and AdditiveAttention take mask=[query_mask, value_mask] (Keras allows a
// third entry and ignores it). In a functional model the given masks become named inputs of
// the node, {query, value, key?, queryMask?, valueMask?}, so the graph keeps them and the
// config writes them back as Keras's mask list (functional_config).
import { Tensor } from '../../tensor/tensor';
import { describe } from '../../tensor/shape';
import { SymbolicTensor, formatShape, type SymbolicShape, type TensorSpec } from '../symbolic_tensor';

/** The names of the inputs of a node whose masks were given, in Keras's list order. */
export const ATTENTION_INPUT_KEYS = ['query', 'value', 'key'] as const;
/** The names of the given masks in such a node, in the order of Keras's mask list. */
export const ATTENTION_MASK_KEYS = ['queryMask', 'valueMask'] as const;

/** The inputs and padding masks of one call, however they were given. */
export interface AttentionParts<T> {
  query: T;
  value: T;
  key: T;
  queryMask: T | null;
  valueMask: T | null;
  /** Whether the masks were given by hand (a node's named inputs), not carried from the inputs. */
  named: boolean;
}

const isLeaf = (v: unknown): v is Tensor | SymbolicTensor => v instanceof Tensor || v instanceof SymbolicTensor;

/** @internal [queryMask, valueMask] from a mask option: a list of 2, or 3 with no key mask. */
export function checkMaskList(op: string, mask: unknown): (Tensor | SymbolicTensor | null)[] {
  if (!Array.isArray(mask) || mask.length < 2 || mask.length > 3)
    throw new Error(
      `${op}: expected mask to be a list [queryMask, valueMask] (as Keras's mask=[query_mask, value_mask]), got ${Array.isArray(mask) ? `a list of ${mask.length}` : describe(mask)}`,
    );
  mask.forEach((m, i) => {
    if (m != null && !isLeaf(m)) throw new Error(`${op}: expected mask[${i}] to be a Tensor, a SymbolicTensor or null, got ${describe(m)}`);
  });
  if (mask[2] != null) throw new Error(`${op}: got a key mask (mask[2]), which Keras's attention layers ignore; mask the keys with the value mask, mask[1]`);
  return [mask[0] ?? null, mask[1] ?? null];
}

/** @internal Whether inputs are given by name, as {query, value, key?, queryMask?, valueMask?}. */
export function isNamedForm(inputs: unknown): inputs is Record<string, unknown> {
  return typeof inputs === 'object' && inputs !== null && Object.getPrototypeOf(inputs) === Object.prototype;
}

/** @internal The named form of a call whose masks were given: null masks are left out. */
export function namedForm<T>(inputs: T[], queryMask: T | null, valueMask: T | null): Record<string, T> {
  const out: Record<string, T> = {};
  inputs.forEach((x, i) => (out[ATTENTION_INPUT_KEYS[i]] = x));
  if (queryMask !== null) out.queryMask = queryMask;
  if (valueMask !== null) out.valueMask = valueMask;
  return out;
}

/** @internal Checks the keys of the named form. */
export function checkNamedForm(op: string, inputs: Record<string, unknown>): void {
  const valid: readonly string[] = [...ATTENTION_INPUT_KEYS, ...ATTENTION_MASK_KEYS];
  const wrong = Object.keys(inputs).filter((k) => !valid.includes(k));
  if (wrong.length > 0 || !('query' in inputs) || !('value' in inputs))
    throw new Error(
      `${op}: expected inputs [query, value(, key)] or {query, value, key?, queryMask?, valueMask?}, got an object with keys ${Object.keys(inputs).join(', ')}`,
    );
}

/** @internal The parts of a call: named inputs, or a list with the masks of options.mask. */
export function partsOf<T>(inputs: unknown, mask: unknown): AttentionParts<T> {
  if (isNamedForm(inputs)) {
    const p = inputs as Record<string, T>;
    return { query: p.query, value: p.value, key: p.key ?? p.value, queryMask: p.queryMask ?? null, valueMask: p.valueMask ?? null, named: true };
  }
  const [query, value, key = value] = inputs as T[];
  const masks = (Array.isArray(mask) ? mask : [mask ?? null]) as (T | null)[];
  return { query, value, key, queryMask: masks[0] ?? null, valueMask: masks[1] ?? null, named: false };
}

/** @internal The shapes build sees: [query, value, key?] without the masks. */
export function inputShapesOf(inputs: Record<string, TensorSpec>): SymbolicShape[] {
  return ATTENTION_INPUT_KEYS.filter((k) => k in inputs).map((k) => inputs[k].shape);
}

/**
 * @internal Checks a padding mask against its input: boolean, [batch, T] of the input
 * (unknown dimensions match anything).
 */
export function checkPaddingMask(layer: string, which: 'query' | 'value', mask: { shape: SymbolicShape; dtype: string }, input: SymbolicShape): void {
  if (mask.dtype !== 'bool')
    throw new Error(
      `${layer}: expected the ${which} mask to be boolean (true where a step is real), got dtype '${mask.dtype}'; make one with ops.notEqual(mask, 0) or ops.cast(mask, 'bool')`,
    );
  const want = [input[0], input[1]];
  const fits = mask.shape.length === 2 && mask.shape.every((d, i) => d === null || want[i] === null || d === want[i]);
  if (!fits)
    throw new Error(`${layer}: expected the ${which} mask of shape ${formatShape(want)} ([batch, T] of the ${which}), got shape ${formatShape(mask.shape)}`);
}
