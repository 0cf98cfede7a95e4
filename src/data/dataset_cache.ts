// Dataset.cache's source: the first complete pass keeps a copy of every element; later
// passes replay copies of those, so the work upstream (decoding, a map through a
// preprocessing layer) is done once, as tf.data's cache() does in memory.
import { clone } from '../ops/cast';
import { dispose, keep } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import type { PassContext } from './dataset';

// The element with each tensor replaced by a copy (kept past any tidy when `kept`): the
// consumer owns what it is given (fit disposes its batches), so the cache hands out copies.
/** @internal */
export function copyTensors<T>(e: T, kept: boolean): T {
  if (e instanceof Tensor) return (kept ? keep(clone(e)) : clone(e)) as T;
  if (Array.isArray(e)) return e.map((v: unknown) => copyTensors(v, kept)) as T;
  // A typed array stays one (Object.entries made it a plain object of its indices).
  if (ArrayBuffer.isView(e)) return ('slice' in e ? (e as unknown as Float32Array).slice() : e) as T;
  if (isPlainObject(e)) return Object.fromEntries(Object.entries(e).map(([k, v]) => [k, copyTensors(v, kept)])) as T;
  return e; // other objects (a Date, a class instance) as they are: no copy would keep what they are
}

const isPlainObject = (e: unknown): e is Record<string, unknown> =>
  e !== null && typeof e === 'object' && (Object.getPrototypeOf(e) === Object.prototype || Object.getPrototypeOf(e) === null);

function tensorsOf(e: unknown, out: Tensor[] = []): Tensor[] {
  if (e instanceof Tensor) out.push(e);
  else if (Array.isArray(e)) for (const v of e) tensorsOf(v, out);
  else if (isPlainObject(e)) for (const v of Object.values(e)) tensorsOf(v, out);
  return out;
}

/** @internal A source that reads `read` once, completely, then replays what it gave. */
export function cachedSource<T>(read: (context?: PassContext) => AsyncIterable<T>): (context?: PassContext) => AsyncIterator<T> {
  let stored: T[] | null = null;
  // Under ignoreErrors the first pass keeps the elements that survived (tf.data's cache
  // holds what its input produced); a later pass replays those.
  return async function* (context?: PassContext) {
    if (stored !== null) {
      for (const e of stored) yield copyTensors(e, false);
      return;
    }
    const filling: T[] = [];
    let complete = false;
    try {
      for await (const e of read(context)) {
        filling.push(copyTensors(e, true));
        yield e;
      }
      complete = true;
    } finally {
      // A pass cut short (take, an error) caches nothing, as tf.data discards a partial cache.
      if (complete && stored === null) stored = filling;
      else dispose(filling.flatMap((e) => tensorsOf(e)));
    }
  };
}
