// Small argument checks the NumPy-style ops share.
import { checkNoHoles, describe, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** v as an integer, or an error naming the op and the argument. */
export function intArg(op: string, name: string, v: unknown, min = -Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${op}: expected ${name} to be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${describe(v)}`);
  }
  return v;
}

/** One axis or a list of them as non-negative axes (duplicates refused). */
export function axisList(op: string, name: string, v: unknown, rank: number): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (typeof v !== 'number' && !Array.isArray(v)) throw new Error(`${op}: expected ${name} to be an axis or a list of axes, got ${describe(v)}`);
  checkNoHoles(op, name, v);
  const out = list.map((a) => normalizeAxis(op, a as number, rank));
  if (new Set(out).size !== out.length) throw new Error(`${op}: expected distinct axes in ${name}, got ${describe(v)}`);
  return out;
}

/** Throws unless t has at least `rank` dimensions. */
export function checkMinRank(op: string, name: string, t: Tensor, rank: number): void {
  if (t.rank < rank) throw new Error(`${op}: expected ${name} of rank ${rank} or more, got shape [${t.shape.join(', ')}]`);
}
