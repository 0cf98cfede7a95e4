// Dataset.batch's stacking of a group of elements into one. Every element must be
// structured as the group's first: a field or tuple entry the first lacks would otherwise
// be dropped (and its tensors never disposed), and mixed kinds passed through.
import { stack } from '../ops/concat';
import { isArrayData, namedTensor, tensor, type TensorValues } from '../tensor/creation';
import { dispose, tidy } from '../tensor/memory';
import { Tensor } from '../tensor/tensor';
import type { Element } from './dataset';
import { setOwn } from '../options/own_entry';
import { checkNestDepth } from '../ops/nest';

type Structure = { [key: string]: Element };

const isObject = (v: unknown): v is Structure => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && !ArrayBuffer.isView(v);

// What a value is, as far as batching cares.
function kindOf(v: unknown): string {
  if (v instanceof Tensor) return 'a tensor';
  if (isArrayData(v)) return 'an array of numbers';
  if (Array.isArray(v)) return 'a tuple';
  if (isObject(v)) return 'an object';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an unsupported object' : `a ${typeof v}`;
}

const keyList = (keys: string[]) => `[${keys.map((k) => JSON.stringify(k)).join(', ')}]`;

// Throws, naming where `e` (dataset element `index`) differs from `first` (element
// `firstIndex`); `path` is where in both.
function checkLike(first: unknown, e: unknown, firstIndex: number, index: number, path: string): void {
  const at = path ? `element ${index}'s ${path}` : `element ${index}`;
  const first0 = path ? `element ${firstIndex}'s ${path}` : `element ${firstIndex}`;
  const fail = (what: string) => {
    throw new Error(`Dataset.batch: every element of a batch must be structured as the first: ${what}`);
  };
  const [k0, k] = [kindOf(first), kindOf(e)];
  if (k0 !== k) fail(`${at} is ${k}, but ${first0} is ${k0}`);
  if (first instanceof Tensor && e instanceof Tensor) {
    if (e.rank !== first.rank || e.shape.some((d, i) => d !== first.shape[i]) || e.dtype !== first.dtype)
      fail(`${at} is a tensor [${e.shape.join(', ')}] ${e.dtype}, but ${first0} is [${first.shape.join(', ')}] ${first.dtype}`);
  } else if (k === 'a tuple') {
    const [a, b] = [first as unknown[], e as unknown[]];
    if (a.length !== b.length) fail(`${at} has ${b.length} entries, but ${first0} has ${a.length}`);
    a.forEach((v, i) => checkLike(v, b[i], firstIndex, index, `${path}[${i}]`));
  } else if (k === 'an object') {
    const [a, b] = [first as Structure, e as Structure];
    const extra = Object.keys(b).filter((key) => !(key in a));
    const missing = Object.keys(a).filter((key) => !(key in b));
    if (extra.length > 0) fail(`${at} has key${extra.length > 1 ? 's' : ''} ${keyList(extra)} that ${first0} lacks`);
    if (missing.length > 0) fail(`${at} lacks key${missing.length > 1 ? 's' : ''} ${keyList(missing)} that ${first0} has`);
    for (const key of Object.keys(a)) checkLike(a[key], b[key], firstIndex, index, path ? `${path}.${key}` : key);
  }
}

/**
 * Stacks a group of like-structured elements into one batch element; `start` is the
 * dataset index of the group's first, for errors. On an error the group's tensors are
 * disposed.
 */
export function collate(group: Element[], start = 0): Element {
  try {
    // checkLike and stackGroup recurse: an element that holds itself would overflow the stack.
    group.forEach((e, i) => checkNestDepth('Dataset.batch', e, `element ${start + i}`));
    group.forEach((e, i) => checkLike(group[0], e, start, start + i, ''));
    // tidy: a row that fails to stack (ragged) drops the fields stacked before it.
    return tidy(() => stackGroup(group));
  } catch (err) {
    dispose(group as never);
    throw err;
  }
}

function stackGroup(group: Element[]): Element {
  const first = group[0];
  if (first instanceof Tensor) {
    const t = stack(group as Tensor[]);
    dispose(group as Tensor[]);
    return t;
  }
  if (typeof first === 'number' || typeof first === 'boolean') {
    return tensor(group as number[], undefined, typeof first === 'boolean' ? 'bool' : 'float32');
  }
  if (typeof first === 'string') return group;
  // Arrays of numbers are rows of data, stacked as TensorFlow.js's batch does (its
  // canonical csv pipeline maps each row to {xs: number[], ys: number[]}); other arrays
  // (of tensors, strings, objects) are tuples, batched entry by entry.
  if (isArrayData(first)) return namedTensor('Dataset.batch', group as TensorValues);
  if (Array.isArray(first)) return first.map((_, i) => stackGroup(group.map((e) => (e as Element[])[i])));
  if (isObject(first)) {
    const out: Structure = {};
    for (const key of Object.keys(first)) setOwn(out, key, stackGroup(group.map((e) => (e as Structure)[key])));
    return out;
  }
  throw new Error(`Dataset.batch: cannot batch elements of type ${typeof first}`);
}
