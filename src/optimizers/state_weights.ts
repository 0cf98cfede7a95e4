// The checks of Optimizer.setWeights: Keras 3 assigns each saved value to a variable of a
// fixed shape and refuses another shape; Tessera names the optimizer, the weight (name and
// position in the list), the shape it holds and what came, instead of reading the first
// element of whatever came or casting a bool into a float slot.
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { NamedTensor } from './optimizer';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** @internal `weights` as a list of {name, tensor} with distinct names, or an error naming `owner`. */
export function checkNamedTensors(owner: string, weights: unknown): NamedTensor[] {
  if (!Array.isArray(weights)) throw new Error(`${owner}.setWeights: expected an array of {name, tensor}, got ${describe(weights)}`);
  const seen = new Set<string>();
  weights.forEach((w, i) => {
    if (!isObj(w) || typeof w.name !== 'string') throw new Error(`${owner}.setWeights: weight ${i}: expected {name, tensor}, got ${describe(w)}`);
    if (!(w.tensor instanceof Tensor)) throw new Error(`${owner}.setWeights: weight ${i} ('${w.name}'): expected a Tensor, got ${describe(w.tensor)}`);
    if (seen.has(w.name)) throw new Error(`${owner}.setWeights: weight ${i}: '${w.name}' is given twice`);
    seen.add(w.name);
  });
  return weights as NamedTensor[];
}

/** @internal The value of weight `i`, a scalar (shape []); `whole` asks for a count (iterations, a step counter). */
export function scalarWeight(owner: string, weights: NamedTensor[], i: number, whole: boolean): number {
  const { name, tensor } = weights[i];
  const at = `${owner}.setWeights: weight ${i} ('${name}')`;
  if (tensor.shape.length !== 0) throw new Error(`${at}: expected shape [] (a scalar), got shape [${tensor.shape.join(', ')}]`);
  if (tensor.dtype === 'bool') throw new Error(`${at}: expected a number, got a bool tensor`);
  const value = tensor.dataSync()[0];
  if (whole && (!Number.isInteger(value) || value < 0)) throw new Error(`${at}: expected a whole number >= 0, got ${value}`);
  if (!Number.isFinite(value)) throw new Error(`${at}: expected a finite number, got ${value}`);
  return value;
}

/** @internal Checks weight `i` against the slot it restores: the same shape, a number dtype. */
export function checkSlotWeight(owner: string, weights: NamedTensor[], i: number, shape: readonly number[]): void {
  const { name, tensor } = weights[i];
  const at = `${owner}.setWeights: weight ${i} ('${name}')`;
  if (tensor.shape.length !== shape.length || tensor.shape.some((d, k) => d !== shape[k]))
    throw new Error(`${at}: expected shape [${shape.join(', ')}], got shape [${tensor.shape.join(', ')}]`);
  if (tensor.dtype === 'bool') throw new Error(`${at}: expected a number tensor, got a bool tensor`);
}

/**
 * @internal Checks each weight that `current` (the wrapper's getWeights()) names against
 * that one's shape, so that a wrapper's errors name it and the weight's place in its list
 * before it hands the weights on to the optimizers it wraps. Releases `current`.
 */
export function checkLike(owner: string, weights: NamedTensor[], current: NamedTensor[]): void {
  const shapes = new Map(current.map((w) => [w.name, w.tensor.shape]));
  current.forEach((w) => w.tensor.dispose());
  weights.forEach((w, i) => {
    const shape = shapes.get(w.name);
    if (shape === undefined) return;
    if (shape.length === 0) scalarWeight(owner, weights, i, /(^|\/)iterations$|^step_counter$/.test(w.name));
    else checkSlotWeight(owner, weights, i, shape);
  });
}
