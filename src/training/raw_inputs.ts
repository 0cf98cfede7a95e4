// Raw inputs become tensors before the training loops see them: JS strings for a
// string-taking first layer, and plain arrays of numbers (Keras's numpy habit,
// array_data.ts) for x, y, sampleWeight and validationData; in-memory data at once, a
// dataset's strings element by element.
import { Dataset } from '../data/dataset';
import type { Model } from '../models/model';
import type { StringBatch } from '../layers/preprocessing/strings';
import type { Tensor } from '../tensor/tensor';
import { tensorsIn, type TensorsLike } from './structures';
import { dispose } from '../tensor/memory';
import { isBatchIterable, type BatchIterable } from './data_adapter';
import { PyDataset } from '../utils/py_dataset';
import { isArrayData, type ArrayData } from '../tensor/creation';
import { tensorsFromArrays } from './array_data';

/**
 * What a model's x may be: tensors, plain arrays of numbers, or JS strings for inputs that
 * go into a string-taking layer.
 */
export type ModelInputs = TensorsLike | ArrayData | StringBatch | (Tensor | ArrayData | StringBatch)[] | { [name: string]: Tensor | ArrayData | StringBatch };

/**
 * What a model's y may be: tensors, or plain arrays of numbers; null for none (Keras's
 * y=None: a trainStep that reads x only, as a VAE's).
 */
export type ModelTargets = TensorsLike | ArrayData | (Tensor | ArrayData)[] | { [name: string]: Tensor | ArrayData } | null;

// A model's inputs or outputs, by name; 1 where not known yet (an unbuilt Sequential, a subclass).
function countOf(names: unknown): number {
  return Array.isArray(names) && names.length > 0 ? names.length : 1;
}

/** x with every raw input encoded by the model (a no-op for plain tensors and numeric models). */
export function encodeX(model: Model<any>, x: unknown): unknown {
  if (isBatchIterable(x)) return encodeDataset(model, x);
  const made: Tensor[] = [];
  const tensors = tensorsFromArrays(model.name, 'x', x, countOf((model as { inputNames?: unknown }).inputNames), made);
  try {
    return encode(model, tensors);
  } catch (e) {
    dispose(made);
    throw e;
  }
}

/**
 * Runs fn on x with raw inputs encoded, then releases the tensors the encoding made (in
 * memory; a dataset's encoded batches are released by the loops like any batch).
 */
export function withEncodedX<R>(model: Model<any>, x: unknown, fn: (encoded: unknown) => R): R {
  const encoded = encodeX(model, x);
  if (encoded === x || isBatchIterable(encoded)) return fn(encoded);
  const given = new Set(tensorsIn(x));
  return releasing(
    tensorsIn(encoded).filter((t) => !given.has(t)),
    () => fn(encoded),
  );
}

/**
 * Runs fn on y and the options (sampleWeight, validationData's y and sampleWeight) with
 * their plain arrays made tensors, and releases those after (validationData's x goes
 * through withEncodedX).
 */
export function withArrayTargets<A, R>(model: Model<any>, y: unknown, options: A, fn: (y: unknown, options: A) => R): R {
  const made: Tensor[] = [];
  const outputs = countOf((model as { outputNames?: unknown }).outputNames ?? model.compiled?.outputNames);
  let targets: unknown;
  let opts = options;
  try {
    targets = tensorsFromArrays(model.name, 'y', y, outputs, made);
    const o = options as { sampleWeight?: unknown; validationData?: unknown } | undefined;
    if (isArrayData(o?.sampleWeight)) opts = { ...opts, sampleWeight: tensorsFromArrays(model.name, 'sampleWeight', o.sampleWeight, 1, made) };
    const vd = o?.validationData;
    if (Array.isArray(vd) && (vd.length === 2 || vd.length === 3) && (isArrayData(vd[1]) || isArrayData(vd[2]) || Array.isArray(vd[1]))) {
      const vy = tensorsFromArrays(model.name, 'validationData[1] (y)', vd[1], outputs, made);
      const vw = tensorsFromArrays(model.name, 'validationData[2] (sampleWeight)', vd[2], 1, made);
      opts = { ...opts, validationData: vd.length === 2 ? [vd[0], vy] : [vd[0], vy, vw] };
    }
  } catch (e) {
    dispose(made);
    throw e;
  }
  return releasing(made, () => fn(targets, opts));
}

// fn's result, with `made` released when it settles (or throws).
function releasing<R>(made: Tensor[], fn: () => R): R {
  if (made.length === 0) return fn();
  const release = () => dispose(made);
  let result: R;
  try {
    result = fn();
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

// The PyDataset itself underneath (its numBatches, name and state), its batches' inputs encoded.
function encodePyDataset(model: Model<any>, x: PyDataset): PyDataset {
  const element = (e: unknown) => (Array.isArray(e) && e.length === 1 ? [encode(model, e[0])] : encodeElement(model, e));
  // No getItem stays none: the source names the subclass's mistake.
  return Object.create(x, {
    getItem: { value: typeof x.getItem === 'function' ? (i: number) => Promise.resolve(x.getItem(i)).then(element) : undefined },
    onEpochBegin: { value: () => x.onEpochBegin() },
    onEpochEnd: { value: () => x.onEpochEnd() },
  }) as PyDataset;
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
  if (x instanceof PyDataset) return encodePyDataset(model, x);
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
