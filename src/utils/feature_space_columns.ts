// FeatureSpace's raw columns: one feature's values as a user gives them (a number, a string,
// arrays, a tensor; one sample or a batch) made into what its preprocessing layer takes,
// a [batch, 1] tensor or rows of one string, and a Dataset of feature dicts split into
// columns for adapt (unbatched elements grouped 32 at a time, as Keras's adapt batches them).
import { tensor } from '../tensor/creation';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { FeatureDType } from './feature_space_specs';
import { setOwn } from '../options/own_entry';

/** One column made ready: [batch, 1] values, and whether it was one sample. */
export interface Column {
  values: Tensor | string[][];
  single: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;

function flatOf(op: string, name: string, v: unknown): { flat: unknown[]; single: boolean } {
  if (typeof v === 'number' || typeof v === 'string') return { flat: [v], single: true };
  if (v instanceof Tensor) {
    if (v.rank > 2 || (v.rank === 2 && v.shape[1] !== 1))
      throw new Error(`${op}: expected column '${name}' to be [batch] or [batch, 1], got a tensor of shape [${v.shape.join(', ')}]`);
    return { flat: Array.from(v.dataSync() as ArrayLike<number>), single: v.rank === 0 };
  }
  if (Array.isArray(v)) {
    const flat = v.map((x, i) => {
      if (!Array.isArray(x)) return x;
      if (x.length !== 1) throw new Error(`${op}: expected column '${name}' to be [batch] or [batch, 1], got a row of ${x.length} values at sample ${i}`);
      return x[0];
    });
    if (flat.length === 0) throw new Error(`${op}: column '${name}' is empty`);
    return { flat, single: false };
  }
  throw new Error(`${op}: expected column '${name}' to be a number, a string, an array of them or a tensor, got ${describe(v)}`);
}

/** Feature `name`'s raw values as its layer takes them: strings as rows of one, numbers as a [batch, 1] tensor of its dtype. */
export function columnOf(op: string, name: string, dtype: FeatureDType, v: unknown): Column {
  const { flat, single } = flatOf(op, name, v);
  if (dtype === 'string') {
    const bad = flat.findIndex((s) => typeof s !== 'string');
    if (bad >= 0) throw new Error(`${op}: feature '${name}' takes strings, got ${describe(flat[bad])} at sample ${bad}`);
    return { values: (flat as string[]).map((s) => [s]), single };
  }
  const bad = flat.findIndex((x) => typeof x !== 'number' || (dtype === 'int32' && !Number.isInteger(x)));
  if (bad >= 0) throw new Error(`${op}: feature '${name}' takes ${dtype === 'int32' ? 'integers' : 'numbers'}, got ${describe(flat[bad])} at sample ${bad}`);
  return { values: tensor(flat as number[], [flat.length, 1], dtype), single };
}

/** The batches of each named column of a Dataset of feature dicts (tensors to dispose after use). */
export async function readColumns(
  op: string,
  dataset: AsyncIterable<unknown>,
  features: Record<string, { dtype: FeatureDType }>,
  names: string[],
): Promise<Record<string, (Tensor | string[][])[]>> {
  const at = `${op}.adapt`;
  if (dataset === null || typeof dataset !== 'object' || typeof (dataset as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') {
    throw new Error(`${at}: expected a Dataset of feature dicts (e.g. data.csv(...).map((e) => e.xs).batch(32)), got ${describe(dataset)}`);
  }
  const out: Record<string, (Tensor | string[][])[]> = Object.fromEntries(names.map((n) => [n, []]));
  const pending: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  const flush = () => {
    for (const n of names) if (pending[n].length > 0) out[n].push(columnOf(at, n, features[n].dtype, pending[n]).values);
    for (const n of names) setOwn(pending, n, []);
  };
  let index = 0;
  try {
    for await (const e of dataset) {
      if (!isPlainObject(e)) throw new Error(`${at}: expected each dataset element to be a dict of features, got ${describe(e)} at element ${index}`);
      for (const n of names) {
        if (!Object.hasOwn(e, n)) {
          const hint = 'xs' in e ? ' (elements are {xs, ys}: map them to xs first, dataset.map((e) => e.xs))' : '';
          throw new Error(`${at}: dataset element ${index} has no feature '${n}'${hint}`);
        }
        const c = columnOf(at, n, features[n].dtype, e[n]);
        if (c.single) {
          if (c.values instanceof Tensor) {
            pending[n].push(c.values.dataSync()[0]);
            c.values.dispose();
          } else pending[n].push(c.values[0][0]);
        } else out[n].push(c.values);
      }
      index++;
      if (names.length > 0 && pending[names[0]].length === 32) flush();
    }
    flush();
  } catch (err) {
    for (const list of Object.values(out)) for (const b of list) if (b instanceof Tensor) b.dispose();
    throw err;
  }
  if (index === 0) throw new Error(`${at}: the dataset is empty`);
  return out;
}
