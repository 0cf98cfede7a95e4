// The generators behind tf.data's element-choosing transformations (takeWhile, unique,
// ignoreErrors, groupByWindow): each takes its input as a function that starts a pass, as
// dataset_transforms.ts's do, so Dataset's methods stay thin.
import { dispose } from '../tensor/memory';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { PassContext } from './dataset';
import type { Pass } from './dataset_transforms';

/** The tensors an element holds, to tell a function's new tensor from one of the element's. */
function tensorsIn(e: unknown, out = new Set<Tensor>()): Set<Tensor> {
  if (e instanceof Tensor) out.add(e);
  else if (Array.isArray(e)) for (const v of e) tensorsIn(v, out);
  else if (e !== null && typeof e === 'object' && !ArrayBuffer.isView(e)) for (const v of Object.values(e)) tensorsIn(v, out);
  return out;
}

/**
 * @internal What a user function gave for `element`, as a plain number or boolean: tf.data's
 * functions return scalar tensors, so a scalar tensor is read (and disposed when it is new,
 * not one of the element's); anything else is refused naming `op` and `what`.
 */
export function scalarResult(op: string, what: string, value: unknown, element: unknown): number | boolean {
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Tensor && !value.isDisposed && value.size === 1 && value.rank <= 1) {
    const v = value.dataSync()[0];
    const out = value.dtype === 'bool' ? v !== 0 : v;
    if (!tensorsIn(element).has(value)) value.dispose();
    return out;
  }
  throw new Error(`${op}: expected ${what} to return a number, a boolean or a scalar tensor, got ${describe(value)}`);
}

/** @internal tf.data's take_while: the elements up to (not including) the first the predicate refuses. */
export function takenWhile<T>(op: string, src: Pass<T>, predicate: (e: T) => unknown): Pass<T> {
  return async function* (context?: PassContext) {
    for await (const e of src(context)) {
      let go: boolean;
      try {
        const r = scalarResult(op, 'predicate', await predicate(e), e);
        if (typeof r !== 'boolean') throw new Error(`${op}: expected predicate to return a boolean, got ${describe(r)}`);
        go = r;
      } catch (error) {
        dispose(e as never);
        throw error;
      }
      if (!go) {
        dispose(e as never);
        return;
      }
      yield e;
    }
  };
}

/**
 * @internal tf.data's unique: each scalar element once, at its first appearance (integers,
 * strings, int32 scalar tensors, as tf.data's int32 / int64 / string; one kind per data set).
 * Repeats' tensors are disposed.
 */
export function uniqued<T>(op: string, src: Pass<T>): Pass<T> {
  return async function* (context?: PassContext) {
    const seen = new Set<number | string>();
    let kind: string | null = null;
    for await (const e of src(context)) {
      let key: number | string;
      let k: string;
      if (typeof e === 'number' && Number.isSafeInteger(e)) [key, k] = [e, 'an integer'];
      else if (typeof e === 'string') [key, k] = [e, 'a string'];
      else if (e instanceof Tensor && e.rank === 0 && e.dtype === 'int32') [key, k] = [e.dataSync()[0], 'an int32 scalar tensor'];
      else {
        dispose(e as never);
        throw new Error(
          `${op}: expected scalar elements (integers, strings or int32 scalar tensors, as tf.data's int32, int64 and string), got ${describe(e)}`,
        );
      }
      if (kind !== null && k !== kind) {
        dispose(e as never);
        throw new Error(`${op}: every element must be of one kind; the first was ${kind}, then came ${k}`);
      }
      kind = k;
      if (seen.has(key)) dispose(e as never);
      else {
        seen.add(key);
        yield e;
      }
    }
  };
}

/**
 * @internal tf.data's ignore_errors: upstream map and filter hand it the elements whose
 * function threw (see PassContext) and go on; `onDrop` hears of each.
 */
export function errorsIgnored<T>(src: Pass<T>, onDrop: (op: string, error: unknown) => void): Pass<T> {
  return async function* (context?: PassContext) {
    yield* src({ ...context, dropError: onDrop });
  };
}

/** groupByWindow's functions, checked. */
export interface WindowGrouping<T> {
  keyFunc: (e: T) => unknown;
  reduceFunc: (key: number, window: AsyncIterable<T>) => unknown;
  windowSizeOf: (key: number) => number | Promise<number>;
  /** A window of the items, and how many of them its reader took (the rest are disposed). */
  makeWindow: (items: T[]) => { window: AsyncIterable<T>; taken: () => number };
}

/**
 * @internal tf.data's group_by_window: elements are grouped by keyFunc's integer key; a
 * group of its window size is handed to reduceFunc as a data set, and the elements of the
 * data set it returns are yielded; at the end the partial groups, by ascending key.
 */
export function groupedByWindow<T, U>(op: string, src: Pass<T>, g: WindowGrouping<T>): Pass<U> {
  return async function* (context?: PassContext) {
    const groups = new Map<number, T[]>();
    const sizes = new Map<number, number>();
    async function* reduce(key: number, items: T[]): AsyncGenerator<U> {
      const { window, taken } = g.makeWindow(items);
      try {
        const out = await g.reduceFunc(key, window);
        if (out === null || typeof out !== 'object' || typeof (out as Partial<AsyncIterable<U>>)[Symbol.asyncIterator] !== 'function') {
          throw new Error(`${op}: expected reduceFunc to return a Dataset, got ${describe(out)}`);
        }
        yield* out as AsyncIterable<U>;
      } finally {
        dispose(items.slice(taken()) as never); // what the reduced data set never read
      }
    }
    try {
      for await (const e of src(context)) {
        let key: number;
        let size: number | undefined;
        try {
          const k = scalarResult(op, 'keyFunc', await g.keyFunc(e), e);
          if (typeof k !== 'number' || !Number.isSafeInteger(k)) throw new Error(`${op}: expected keyFunc to return an integer, got ${describe(k)}`);
          key = k;
          size = sizes.get(key);
          if (size === undefined) {
            size = await g.windowSizeOf(key);
            if (!Number.isSafeInteger(size) || size < 1)
              throw new Error(`${op}: expected the window size of key ${key} to be an integer >= 1, got ${describe(size)}`);
            sizes.set(key, size);
          }
        } catch (error) {
          dispose(e as never);
          throw error;
        }
        const group = groups.get(key) ?? [];
        group.push(e);
        groups.set(key, group);
        if (group.length === size) {
          groups.delete(key);
          yield* reduce(key, group);
        }
      }
      for (const key of [...groups.keys()].sort((a, b) => a - b)) {
        const group = groups.get(key)!;
        groups.delete(key);
        yield* reduce(key, group);
      }
    } finally {
      for (const group of groups.values()) dispose(group as never);
      groups.clear();
    }
  };
}
