// The order in which backward finishes a model's gradients, learned from its first
// data-parallel step (PyTorch DDP rebuilds its buckets the same way), so that buckets
// planned in that order fill as backward goes. The variables' own order can hold a
// small bucket back to the end: a fused dense op finishes a layer's kernel and bias
// together, so in bench:train's MLP the bucket of the last two layers waited for the
// first layer's bias, computed with its 0.8 MB kernel at the very end of backward.
// Every rank must plan the same buckets: an observed order is used only once all ranks
// have agreed on it (one small all-reduce per model); if they disagree, the default plan
// stays. Keyed by the gradients' dtypes and shapes, which are the same on every rank.
import type { DType } from '../tensor/dtype';
import { allReduceNumbers } from './collectives';

type Specs = readonly { shape: readonly number[]; dtype: DType }[];

interface Learned {
  observed: number[];
  agreed?: number[] | null; // null: the ranks disagreed
}

const learned = new Map<string, Learned>();
const MAX_KEYS = 64; // models trained in one process; the oldest is forgotten first

function keyOf(specs: Specs): string {
  return specs.map((s) => `${s.dtype}[${s.shape.join(',')}]`).join(';');
}

/** @internal True when every rank observed `order` (`reduced`: MAX over ranks of [order, -order]). */
export function ordersAgree(order: readonly number[], reduced: readonly number[]): boolean {
  return reduced.length === 2 * order.length && order.every((v, i) => reduced[i] === v && -reduced[order.length + i] === v);
}

/**
 * The arrival order every rank agreed on for gradients of these specs, or undefined (plan
 * in the default order). A collective the first time after recordOrder: every rank calls
 * it at the same point of the same step (before backward).
 */
export function agreedOrder(specs: Specs): number[] | undefined {
  const entry = learned.get(keyOf(specs));
  if (entry === undefined) return undefined;
  if (entry.agreed === undefined) {
    const o = entry.observed;
    entry.agreed = ordersAgree(o, allReduceNumbers([...o, ...o.map((v) => -v)], 'max')) ? o : null;
  }
  return entry.agreed ?? undefined;
}

/** Keeps the first complete arrival order seen for these specs (a step that finished). */
export function recordOrder(specs: Specs, arrival: readonly number[]): void {
  const key = keyOf(specs);
  if (learned.has(key) || arrival.length !== specs.length) return;
  if (learned.size >= MAX_KEYS) learned.delete(learned.keys().next().value as string);
  learned.set(key, { observed: [...arrival] });
}

/** @internal Forgets every learned order (tests). */
export function forgetOrders(): void {
  learned.clear();
}
