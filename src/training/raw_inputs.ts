// Raw inputs (JS strings for a string-taking first layer) become tensors before the
// training loops see them: in-memory x at once, a dataset's x element by element.
import { Dataset } from '../data/dataset';
import type { Model } from '../models/model';
import type { StringBatch } from '../layers/preprocessing/strings';
import type { Tensor } from '../tensor/tensor';
import { tensorsIn, type TensorsLike } from './structures';
import { dispose } from '../tensor/memory';
import { isBatchIterable, type BatchIterable } from './data_adapter';

/** What a model's x may be: tensors, or JS strings for inputs that go into a string-taking layer. */
export type ModelInputs = TensorsLike | StringBatch | (Tensor | StringBatch)[] | { [name: string]: Tensor | StringBatch };

/** x with every raw input encoded by the model (a no-op for plain tensors and numeric models). */
export function encodeX(model: Model<any>, x: unknown): unknown {
  if (isBatchIterable(x)) return encodeDataset(model, x);
  return encode(model, x);
}

/**
 * Runs fn on x with raw inputs encoded, then releases the tensors the encoding made (in
 * memory; a dataset's encoded batches are released by the loops like any batch).
 */
export function withEncodedX<R>(model: Model<any>, x: unknown, fn: (encoded: unknown) => R): R {
  const encoded = encodeX(model, x);
  if (encoded === x || isBatchIterable(encoded)) return fn(encoded);
  const given = new Set(tensorsIn(x));
  const made = tensorsIn(encoded).filter((t) => !given.has(t));
  const release = () => dispose(made);
  let result: R;
  try {
    result = fn(encoded);
  } catch (e) {
    release();
    throw e;
  }
  if (result instanceof Promise) return result.finally(release) as R;
  release();
  return result;
}

// At the user's entry a raw tensor for a string-taking input is refused (see encodeInputs).
function encode(model: Model<any>, x: unknown): unknown {
  return (model.encodeRawInputs as (x: unknown, tensors: 'pass' | 'refuse') => unknown)(x, 'refuse');
}

function encodeElement(model: Model<any>, e: unknown): unknown {
  if (Array.isArray(e) && (e.length === 2 || e.length === 3)) return [encode(model, e[0]), ...e.slice(1)];
  if (e !== null && typeof e === 'object' && !Array.isArray(e)) {
    const o = e as Record<string, unknown>;
    if ('xs' in o) return { ...o, xs: encode(model, o.xs) };
    if ('x' in o) return { ...o, x: encode(model, o.x) };
  }
  return encode(model, e);
}

function encodeDataset(model: Model<any>, x: BatchIterable): BatchIterable {
  if (x instanceof Dataset) return x.map((e) => encodeElement(model, e));
  if (Symbol.asyncIterator in x) {
    const src = x as AsyncIterable<unknown>;
    return {
      async *[Symbol.asyncIterator]() {
        for await (const e of src) yield encodeElement(model, e);
      },
    };
  }
  const src = x as Iterable<unknown>;
  return {
    *[Symbol.iterator]() {
      for (const e of src) yield encodeElement(model, e);
    },
  };
}
