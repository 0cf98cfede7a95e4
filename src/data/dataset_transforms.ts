// The generators behind tf.data's restructuring transformations (enumerate, unbatch,
// flatMap, interleave, window, scan): each takes its input as a function that starts a
// pass, so Dataset's methods stay thin and this file needs no Dataset class.
import { isArrayData } from '../tensor/creation';
import { dispose } from '../tensor/memory';
import { reshape } from '../ops/reshape';
import { slice } from '../ops/slice';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { copyTensors } from './dataset_cache';
import type { PassContext } from './dataset';

/** @internal One pass over a data set's elements (the context goes upstream: see ignoreErrors). */
export type Pass<T> = (context?: PassContext) => AsyncGenerator<T>;

/** @internal [index, element] pairs, counting from start; `index` makes each index (a number or a tensor). */
export function enumerated<T, I>(src: Pass<T>, start: number, index: (i: number) => I): Pass<[I, T]> {
  return async function* (context?: PassContext) {
    let i = start;
    for await (const e of src(context)) yield [index(i++), e];
  };
}

// batch() stacks strings into a plain array of them: a batched leaf, not a tuple.
const isTuple = (v: unknown): v is unknown[] => Array.isArray(v) && !isArrayData(v) && !isStrings(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

const isStructure = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);

// The number of rows of one batched leaf: a tensor's first dimension, a numeric array's length.
function rowCount(op: string, leaf: unknown, path: string): number {
  const at = path === '' ? 'the element' : `the element's ${path}`;
  if (leaf instanceof Tensor) {
    if (leaf.rank === 0) throw new Error(`${op}: cannot unbatch a scalar tensor (${at})`);
    return leaf.shape[0];
  }
  if (isArrayData(leaf) || isStrings(leaf)) return leaf.length;
  throw new Error(`${op}: expected ${at} to be a tensor, an array of numbers or of strings with a batch dimension, got ${describe(leaf)}`);
}

// Row i of a leaf: a tensor's slice along axis 0 (a view that keeps the storage), or an entry.
function rowOf(leaf: unknown, i: number): unknown {
  if (!(leaf instanceof Tensor)) return (leaf as ArrayLike<unknown>)[i];
  const row = slice(leaf, [i], [1]);
  const out = reshape(row, leaf.shape.slice(1));
  row.dispose();
  return out;
}

// A batched element split into its rows, structured as it; every leaf must have as many rows.
function splitRows(op: string, e: unknown): unknown[] {
  const counts: [string, number][] = [];
  const count = (v: unknown, path: string): void => {
    if (isTuple(v)) v.forEach((x, i) => count(x, `${path}[${i}]`));
    else if (isStructure(v)) for (const [k, x] of Object.entries(v)) count(x, path === '' ? k : `${path}.${k}`);
    else counts.push([path === '' ? 'the element' : path, rowCount(op, v, path)]);
  };
  count(e, '');
  if (counts.some(([, n]) => n !== counts[0][1])) {
    throw new Error(`${op}: every part of an element needs the same batch dimension, got ${counts.map(([p, n]) => `${p}: ${n}`).join(', ')}`);
  }
  const pick = (v: unknown, i: number): unknown => {
    if (isTuple(v)) return v.map((x) => pick(x, i));
    if (isStructure(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, pick(x, i)]));
    return rowOf(v, i);
  };
  const n = counts.length === 0 ? 0 : counts[0][1];
  return Array.from({ length: n }, (_, i) => pick(e, i));
}

/** @internal Each batched element split back into its rows (the batch's tensors are disposed). */
export function unbatched<T>(op: string, src: Pass<T>): Pass<unknown> {
  return async function* (context?: PassContext) {
    for await (const e of src(context)) {
      let rows: unknown[];
      try {
        rows = splitRows(op, e);
      } finally {
        dispose(e as never); // the rows are views that keep the storage
      }
      // Stopped early (take): the rows not handed out are disposed.
      let given = 0;
      try {
        while (given < rows.length) yield rows[given++];
      } finally {
        dispose(rows.slice(given) as never);
      }
    }
  };
}

/** @internal The elements of the data set fn makes of each element, one after another. */
export function flatMapped<T, U>(op: string, src: Pass<T>, fn: (e: T) => AsyncIterable<U> | Promise<AsyncIterable<U>>): Pass<U> {
  return async function* (context?: PassContext) {
    for await (const e of src(context)) {
      const inner = await innerOf(op, fn, e, context);
      if (inner !== null) yield* { [Symbol.asyncIterator]: () => openInner(inner, context) };
    }
  };
}

// fn's data set for one input element; under ignoreErrors, null when fn threw (the input
// element is dropped, as map drops one).
async function innerOf<T, U>(
  op: string,
  fn: (e: T) => AsyncIterable<U> | Promise<AsyncIterable<U>>,
  e: T,
  context?: PassContext,
): Promise<AsyncIterable<U> | null> {
  let inner: AsyncIterable<U>;
  try {
    inner = await fn(e);
  } catch (error) {
    if (context?.dropError === undefined) throw error;
    dispose(e as never);
    context.dropError(op, error);
    return null;
  }
  return checkInner(op, inner);
}

// A Dataset takes the pass's context (its own maps drop their failures under ignoreErrors);
// another async iterable ignores it.
const openInner = <U>(inner: AsyncIterable<U>, context?: PassContext): AsyncIterator<U> =>
  (inner[Symbol.asyncIterator] as (context?: PassContext) => AsyncIterator<U>).call(inner, context);

function checkInner<U>(op: string, inner: unknown): AsyncIterable<U> {
  if (inner === null || typeof inner !== 'object' || typeof (inner as Partial<AsyncIterable<U>>)[Symbol.asyncIterator] !== 'function') {
    throw new Error(`${op}: expected fn to return a Dataset, got ${describe(inner)}`);
  }
  return inner as AsyncIterable<U>;
}

/**
 * @internal tf.data's interleave: cycleLength data sets open at once, blockLength elements
 * from each in turn; a finished one's slot takes the next input element's data set when the
 * cycle comes back to it (tf.data's order, element for element).
 */
export function interleaved<T, U>(
  op: string,
  src: Pass<T>,
  fn: (e: T) => AsyncIterable<U> | Promise<AsyncIterable<U>>,
  cycleLength: number,
  blockLength: number,
): Pass<U> {
  return async function* (context?: PassContext) {
    const input = src(context);
    // The open data sets by cycle position (a Map: a huge cycleLength holds only what is open).
    const slots = new Map<number, AsyncIterator<U>>();
    let endOfInput = false;
    let cycle = 0;
    let block = 0;
    const next = () => {
      block = 0;
      cycle = (cycle + 1) % cycleLength;
    };
    try {
      while (!endOfInput || slots.size > 0) {
        const slot = slots.get(cycle);
        if (slot !== undefined) {
          const r = await slot.next();
          if (!r.done) {
            if (++block === blockLength) next();
            yield r.value;
            continue;
          }
          slots.delete(cycle);
          next();
        } else if (!endOfInput) {
          const r = await input.next();
          if (r.done) endOfInput = true;
          else {
            const inner = await innerOf(op, fn, r.value, context);
            if (inner !== null) slots.set(cycle, openInner(inner, context));
          }
        } else {
          // Input ended: step over the empty positions to the next open one at once.
          const open = [...slots.keys()].sort((a, b) => a - b);
          block = 0;
          cycle = open.find((k) => k > cycle) ?? open[0];
        }
      }
    } finally {
      await Promise.all([...slots.values()].map((s) => s.return?.()));
      await input.return(undefined);
    }
  };
}

/**
 * @internal tf.data's window: window k holds elements k*shift + j*stride (j < size); a
 * window is yielded once its last element is read (or the input ends: a short window unless
 * dropRemainder). Each window gets its own copies of the tensors, so windows that overlap
 * can be disposed one by one; an element no later window needs is disposed.
 */
export function windowed<T>(src: Pass<T>, size: number, shift: number, stride: number, dropRemainder: boolean): Pass<T[]> {
  return async function* (context?: PassContext) {
    const held = new Map<number, T>(); // input index -> element, for the windows to come
    let start = 0; // the next window's first index
    let n = 0; // elements read
    const windowAt = (first: number): T[] => {
      const out: T[] = [];
      for (let j = 0; j < size && first + j * stride < n; j++) out.push(copyTensors(held.get(first + j * stride) as T, false));
      return out;
    };
    const advance = () => {
      start += shift;
      for (const i of [...held.keys()]) {
        if (i < start) {
          dispose(held.get(i) as never);
          held.delete(i);
        }
      }
    };
    try {
      for await (const e of src(context)) {
        held.set(n++, e);
        while (start + (size - 1) * stride < n) {
          yield windowAt(start);
          advance();
        }
      }
      while (!dropRemainder && start < n) {
        yield windowAt(start);
        advance();
      }
    } finally {
      dispose([...held.values()] as never);
      held.clear();
    }
  };
}

/** @internal tf.data's scan: fn(state, element) gives [newState, output]; the outputs are yielded. */
export function scanned<T, S, U>(op: string, src: Pass<T>, initialState: S, fn: (state: S, e: T) => [S, U] | Promise<[S, U]>): Pass<U> {
  return async function* (context?: PassContext) {
    let state = initialState;
    for await (const e of src(context)) {
      const r = await fn(state, e);
      if (!Array.isArray(r) || r.length !== 2) throw new Error(`${op}: expected scanFunc to return [newState, output], got ${describe(r)}`);
      state = r[0];
      yield r[1];
    }
  };
}
