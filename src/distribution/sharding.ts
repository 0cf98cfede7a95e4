// Each rank's share of the data: contiguous row ranges of the tensors (ranks in order, so
// gathering in rank order restores the original order), and Datasets split by index.
import { tooManyArguments } from '../options/arity';
import { currentWorld } from '../distribute/backend';
import { slice } from '../ops/slice';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { TensorsLike } from '../training/structures';

/** The rows [start, start + count) of this rank: equal shares when `dropRemainder` (training, so every rank runs the same number of steps), else the first ranks get one more. */
export function shardRange(rows: number, dropRemainder: boolean): { start: number; count: number } {
  if (arguments.length > 2) throw tooManyArguments('distribution.shardRange', 2, arguments.length);
  if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`distribution.shardRange: expected rows to be an integer >= 0, got ${describe(rows)}`);
  if (typeof dropRemainder !== 'boolean') throw new Error(`distribution.shardRange: expected dropRemainder to be a boolean, got ${describe(dropRemainder)}`);
  const { rank, size } = currentWorld();
  const base = Math.floor(rows / size);
  if (dropRemainder) return { start: rank * base, count: base };
  const extra = rows % size;
  return { start: rank * base + Math.min(rank, extra), count: base + (rank < extra ? 1 : 0) };
}

function sliceRows(t: unknown, start: number, count: number): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`distribution.shardTensors: expected tensors (a tensor, or an array or object of them), got ${describe(t)}`);
  return slice(t, [start, ...t.shape.slice(1).map(() => 0)], [count, ...t.shape.slice(1)]);
}

/** This rank's rows of every tensor in `x` (a tensor, a list or an object of tensors). */
export function shardTensors<T extends TensorsLike | undefined>(x: T, start: number, count: number): T {
  if (arguments.length > 3) throw tooManyArguments('distribution.shardTensors', 3, arguments.length);
  if (x === undefined) return x;
  for (const [what, v] of [
    ['start', start],
    ['count', count],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new Error(`distribution.shardTensors: expected ${what} to be an integer >= 0, got ${describe(v)}`);
  }
  if (x === null || typeof x !== 'object')
    throw new Error(`distribution.shardTensors: expected tensors (a tensor, or an array or object of them), got ${describe(x)}`);
  if (x instanceof Tensor) return sliceRows(x, start, count) as T;
  if (Array.isArray(x)) return x.map((t) => sliceRows(t, start, count)) as T;
  return Object.fromEntries(Object.entries(x as Record<string, Tensor>).map(([k, t]) => [k, sliceRows(t, start, count)])) as T;
}

/** The tensors a shard created (to release them after fit). */
export function tensorsOf(x: TensorsLike | undefined): Tensor[] {
  if (x === undefined) return [];
  if (x instanceof Tensor) return [x];
  if (Array.isArray(x)) return x;
  return Object.values(x);
}

/**
 * This rank's elements of a Dataset or iterable: its own `shard(numShards, index)` when it
 * has one, else every size-th element starting at rank (split by index).
 */
export function shardIterable<T>(data: AsyncIterable<T> | Iterable<T>): AsyncIterable<T> | Iterable<T> {
  if (arguments.length > 1) throw tooManyArguments('distribution.shardIterable', 1, arguments.length);
  const iterable = data !== null && typeof data === 'object' && (Symbol.asyncIterator in data || Symbol.iterator in data);
  if (!iterable) throw new Error(`distribution.shardIterable: expected a Dataset or an (async) iterable, got ${describe(data)}`);
  const { rank, size } = currentWorld();
  const withShard = data as { shard?: (n: number, i: number) => AsyncIterable<T> };
  if (typeof withShard.shard === 'function') return withShard.shard(size, rank);
  return {
    async *[Symbol.asyncIterator]() {
      let i = 0;
      for await (const element of data as AsyncIterable<T>) {
        if (i++ % size === rank) yield element;
      }
    },
  };
}
