// tf.data's padded_batch and bucket_by_sequence_length: a group of elements whose tensors
// differ in shape is padded, leaf by leaf, to one shape and then stacked as batch() does.
import { pad } from '../ops/pad';
import { isArrayData, tensor, type TensorValues } from '../tensor/creation';
import { dispose } from '../tensor/memory';
import { checkAllocation } from '../tensor/dtype';
import { checkElementCount, describe, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { collate } from './collate';
import type { Element, PassContext } from './dataset';
import type { Pass } from './dataset_transforms';

/** Per leaf: its padded shape (one number for a vector), a dimension null (or -1) to pad to the longest in the batch. */
export type PaddedShapes = number | (number | null)[] | PaddedShapes[] | { [key: string]: PaddedShapes };
/** The value padding fills with: one number for every leaf, or one per leaf. */
export type PaddingValues = number | PaddingValues[] | { [key: string]: PaddingValues };

type Path = (string | number)[];

const isStructure = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);
const isTuple = (v: unknown): v is unknown[] => Array.isArray(v) && !isArrayData(v);
const show = (path: Path) =>
  path.length === 0
    ? 'the element'
    : `the element's ${path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .replace(/^\./, '')}`;

function leafPaths(e: unknown, path: Path = [], out: Path[] = []): Path[] {
  if (isTuple(e)) e.forEach((v, i) => leafPaths(v, [...path, i], out));
  else if (isStructure(e)) for (const k of Object.keys(e)) leafPaths(e[k], [...path, k], out);
  else out.push(path);
  return out;
}

const at = (v: unknown, path: Path): unknown =>
  path.reduce<unknown>((o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Record<string, unknown>)[k]), v);

function rebuilt(e: unknown, path: Path, leaves: Map<string, Tensor>): unknown {
  if (isTuple(e)) return e.map((v, i) => rebuilt(v, [...path, i], leaves));
  if (isStructure(e)) return Object.fromEntries(Object.keys(e).map((k) => [k, rebuilt(e[k], [...path, k], leaves)]));
  return leaves.get(JSON.stringify(path));
}

/** @internal What pads a group: the user's shapes and values, and a fill for dimensions left null. */
export interface PadSpec {
  paddedShapes?: PaddedShapes;
  paddingValues?: PaddingValues;
  /** A null dimension's size (bucketBySequenceLength's boundary), instead of the batch's longest. */
  fill?: (dim: number, shapeGiven: boolean) => number | null;
}

/**
 * @internal Pads each leaf of a group of like-structured elements to one shape and stacks
 * them (the group's tensors are disposed); `start` is the first element's index, for errors.
 */
export function padAndCollate(op: string, group: Element[], start: number, spec: PadSpec): Element {
  const made: Tensor[] = [];
  try {
    const paths = leafPaths(group[0]);
    group.forEach((e, i) => {
      const p = leafPaths(e);
      if (JSON.stringify(p) !== JSON.stringify(paths)) throw new Error(`${op}: element ${start + i} is not structured as element ${start}`);
    });
    const padded = group.map(() => new Map<string, Tensor>());
    // Every leaf's target is checked before any is padded: a huge paddedShapes is refused
    // naming the op and the size, not by the allocator inside pad or concat.
    const plans = paths.map((path) => {
      const leaves = group.map((e, i) => asTensor(op, at(e, path), path, start + i, made));
      const rank = leaves[0].rank;
      leaves.forEach((t, i) => {
        if (t.rank !== rank) throw new Error(`${op}: ${show(path)} has rank ${t.rank} in element ${start + i} but rank ${rank} in element ${start}`);
      });
      const target = targetShape(op, path, leaves, spec);
      const batched = [group.length, ...target];
      const what = `the padded batch of ${show(path)}`;
      checkElementCount(op, batched, what);
      checkAllocation(op, leaves[0].dtype, sizeOf(batched), `${what} [${batched.join(', ')}]`);
      return { path, leaves, target };
    });
    for (const { path, leaves, target } of plans) {
      const value = paddingValue(op, spec.paddingValues, path);
      leaves.forEach((t, i) => {
        const out = pad(
          t,
          target.map((n, d) => [0, n - t.shape[d]]),
          value,
        );
        made.push(out);
        padded[i].set(JSON.stringify(path), out);
      });
    }
    const rows = group.map((e, i) => rebuilt(e, [], padded[i]) as Element);
    // collate stacks (and disposes) the padded rows; the inputs and their conversions go here.
    const keep = new Set(padded.flatMap((m) => [...m.values()]));
    dispose(made.filter((t) => !keep.has(t)));
    dispose(group as never);
    return collate(rows, start);
  } catch (err) {
    dispose(made);
    dispose(group as never);
    throw err;
  }
}

function asTensor(op: string, leaf: unknown, path: Path, index: number, made: Tensor[]): Tensor {
  if (leaf instanceof Tensor) return leaf;
  if (typeof leaf === 'number' || isArrayData(leaf)) {
    const t = tensor(leaf as TensorValues);
    made.push(t);
    return t;
  }
  throw new Error(`${op}: can only pad tensors, numbers and arrays of numbers, got ${describe(leaf)} at ${show(path)} of element ${index}`);
}

function targetShape(op: string, path: Path, leaves: Tensor[], spec: PadSpec): number[] {
  const longest = leaves[0].shape.map((_, d) => Math.max(...leaves.map((t) => t.shape[d])));
  const found = spec.paddedShapes === undefined ? undefined : at(spec.paddedShapes, path);
  // tf.data's padded_shapes=5 for a vector: one number is a rank-1 shape.
  const given = typeof found === 'number' ? [found] : found;
  if (spec.paddedShapes !== undefined) {
    if (!Array.isArray(given) || given.length !== longest.length || !given.every((n) => n === null || n === -1 || (Number.isInteger(n) && n >= 0))) {
      throw new Error(
        `${op}: expected paddedShapes at ${show(path)} to be ${longest.length} dimensions (integers >= 0, or null / -1 for the longest), got ${describe(given)}`,
      );
    }
  }
  return longest.map((n, d) => {
    const g = given === undefined ? null : (given as (number | null)[])[d];
    const want = g === null || g === -1 ? (spec.fill?.(d, given !== undefined) ?? n) : g;
    if (want < n) throw new Error(`${op}: ${show(path)} has ${n} entries along dimension ${d}, more than its padded size ${want}`);
    return want;
  });
}

function paddingValue(op: string, values: PaddingValues | undefined, path: Path): number {
  if (values === undefined) return 0;
  const v = typeof values === 'number' ? values : at(values, path);
  if (typeof v !== 'number') throw new Error(`${op}: expected paddingValues to be a number or give a number at ${show(path)}, got ${describe(v)}`);
  return v;
}

/** @internal padded_batch's pass: groups of batchSize, each padded and stacked. */
export function paddedBatched(op: string, src: Pass<Element>, batchSize: number, dropRemainder: boolean, spec: PadSpec): Pass<Element> {
  return async function* (context?: PassContext) {
    let group: Element[] = [];
    let start = 0;
    // As batch(): padAndCollate owns a group handed to it; one still gathering is freed here.
    try {
      for await (const e of src(context)) {
        group.push(e);
        if (group.length === batchSize) {
          const full = group;
          group = [];
          yield padAndCollate(op, full, start, spec);
          start += batchSize;
        }
      }
      const rest = group;
      group = [];
      if (rest.length > 0 && !dropRemainder) yield padAndCollate(op, rest, start, spec);
      else dispose(rest as never);
    } finally {
      dispose(group as never);
    }
  };
}

/** @internal bucket_by_sequence_length's arguments, checked. */
export interface Buckets {
  boundaries: number[];
  batchSizes: number[];
  padToBucketBoundary: boolean;
  noPadding: boolean;
  dropRemainder: boolean;
}

/**
 * @internal tf.data's bucket_by_sequence_length: an element of length L goes to the first
 * bucket whose boundary exceeds L (the last bucket past every boundary); a full bucket is
 * padded and yielded; at the end the partial buckets follow, lowest bucket first (as
 * tf.data's group_by_window flushes them).
 */
export function bucketed(op: string, src: Pass<Element>, lengthOf: (e: Element) => number | Promise<number>, b: Buckets, spec: PadSpec): Pass<Element> {
  return async function* (context?: PassContext) {
    const groups = new Map<number, { items: Element[]; start: number }>();
    let index = 0;
    const batchOf = (bucket: number, items: Element[], start: number): Element => {
      if (b.noPadding) return collate(items, start);
      if (!b.padToBucketBoundary) return padAndCollate(op, items, start, spec);
      if (bucket === b.boundaries.length) {
        dispose(items as never);
        throw new Error(`${op}: with padToBucketBoundary every element's length must be < the last boundary ${b.boundaries[b.boundaries.length - 1]}`);
      }
      // The boundary - 1: every null dimension of paddedShapes, or when none are given, each leaf's first.
      const fill = (d: number, shapeGiven: boolean) => (shapeGiven || d === 0 ? b.boundaries[bucket] - 1 : null);
      return padAndCollate(op, items, start, { ...spec, fill });
    };
    try {
      for await (const e of src(context)) {
        let length: unknown;
        try {
          length = await lengthOf(e);
        } catch (err) {
          // Not in a group yet: the finally below would not free it.
          dispose(e as never);
          throw err;
        }
        if (typeof length !== 'number' || !Number.isInteger(length)) {
          dispose(e as never);
          throw new Error(`${op}: expected elementLengthFunc to return an integer, got ${describe(length)} for element ${index}`);
        }
        let bucket = b.boundaries.findIndex((x) => length < x);
        if (bucket < 0) bucket = b.boundaries.length;
        const g = groups.get(bucket) ?? { items: [], start: index };
        if (g.items.length === 0) g.start = index;
        g.items.push(e);
        groups.set(bucket, g);
        index++;
        if (g.items.length === b.batchSizes[bucket]) {
          const items = g.items;
          g.items = [];
          yield batchOf(bucket, items, g.start);
        }
      }
      for (const bucket of [...groups.keys()].sort((x, y) => x - y)) {
        const g = groups.get(bucket)!;
        const items = g.items;
        g.items = [];
        if (items.length === 0) continue;
        if (b.dropRemainder) dispose(items as never);
        else yield batchOf(bucket, items, g.start);
      }
    } finally {
      for (const g of groups.values()) dispose(g.items as never);
    }
  };
}
