// What imdb and reuters share: word-id sequences stored as numpy object arrays (lists of
// ints), reindexed, filtered and clipped to the vocabulary as Keras's loaders do.
import { readFileSync } from 'node:fs';
import { tensor } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import { describe } from '../../tensor/shape';
import { fetchFile, member, toTensor, trainCount, type Splits } from './common';
import { decodeNumeric, readNpz, type NdArray } from './npy';
import { PickledArray } from './pickle';
import { checkSeed, RandomState, shuffledIndices } from './random_state';
import { everyEntry } from '../../options/every_entry';

/** Options of imdb.loadData and reuters.loadData (Keras's names, camelCase). */
export interface SequenceLoadOptions {
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'imdb.npz' / 'reuters.npz'). */
  path?: string;
  /** Keep the word ids below numWords (after indexFrom), the others become oovChar; null (default): keep all but the largest id, as Keras does. */
  numWords?: number | null;
  /** Word ids below skipTop (the most frequent words, after indexFrom) become oovChar (default 0). */
  skipTop?: number;
  /** Drop (not truncate, as Keras does) the sequences of maxlen ids or more, start id included; null (default): keep all. */
  maxlen?: number | null;
  /** The seed of numpy's RandomState that shuffles the sequences (default 113: Keras's order). */
  seed?: number;
  /** The id put at each sequence's start (default 1); null: none. */
  startChar?: number | null;
  /** The id of the words cut by numWords and skipTop (default 2); null: those words are dropped. */
  oovChar?: number | null;
  /** Added to every word id of the file (default 3: ids 0, 1 and 2 are padding, start and out-of-vocabulary). */
  indexFrom?: number;
}

interface Checked {
  numWords: number | null;
  skipTop: number;
  maxlen: number | null;
  seed: number;
  startChar: number | null;
  oovChar: number | null;
  indexFrom: number;
}

const isInt = (v: unknown, min: number) => typeof v === 'number' && Number.isInteger(v) && v >= min;

/** The options with Keras's defaults, each checked. */
export function checkSequenceOptions(op: string, o: SequenceLoadOptions): Checked {
  const int = (name: string, v: unknown, min: number, nullable: boolean) => {
    if ((nullable && v === null) || isInt(v, min)) return v as number | null;
    throw new Error(`${op}: expected ${name} to be an integer of at least ${min}${nullable ? ' or null' : ''}, got ${describe(v)}`);
  };
  return {
    numWords: int('numWords', o.numWords ?? null, 1, true),
    skipTop: int('skipTop', o.skipTop ?? 0, 0, false)!,
    maxlen: int('maxlen', o.maxlen ?? null, 1, true),
    seed: checkSeed(op, o.seed ?? 113),
    startChar: int('startChar', o.startChar === undefined ? 1 : o.startChar, 0, true),
    oovChar: int('oovChar', o.oovChar === undefined ? 2 : o.oovChar, 0, true),
    indexFrom: int('indexFrom', o.indexFrom ?? 3, 0, false)!,
  };
}

// An object array's sequences: each a list of ints (or a numeric numpy array).
function sequencesOf(op: string, what: string, a: NdArray): number[][] {
  if (!Array.isArray(a.data) || a.shape.length !== 1)
    throw new Error(`${op}: ${what} should be a 1-D object array of sequences, but is ${a.dtype} of shape [${a.shape.join(', ')}]`);
  return a.data.map((s, i) => {
    const values =
      s instanceof PickledArray && !Array.isArray(s.data)
        ? Array.from(decodeNumeric(s.descr, s.shape, s.data, what).data as ArrayLike<number | bigint>, Number)
        : s;
    if (!Array.isArray(values) || !everyEntry(values, (w) => Number.isInteger(w))) throw new Error(`${op}: ${what}: sequence ${i} is not a list of integers`);
    return values as number[];
  });
}

/** Reads `file` and returns its sequences and labels in the order numpy's RandomState `rng` shuffles them to, as Keras does. */
export function readSequences(
  op: string,
  file: string,
  x: string,
  y: string,
  o: Checked,
  rng: RandomState,
  arrays = readNpz(file, op, true),
): { xs: number[][]; labels: Tensor } {
  const seqs = sequencesOf(op, `${file}'s ${x}`, member(op, file, arrays, x));
  const labels = member(op, file, arrays, y);
  if (labels.shape.length !== 1 || labels.shape[0] !== seqs.length)
    throw new Error(`${op}: ${file} has ${seqs.length} sequences in ${x} but ${y} is of shape [${labels.shape.join(', ')}]`);
  const order = shuffledIndices(seqs.length, rng);
  return { xs: Array.from(order, (i) => seqs[i]), labels: toTensor(op, `${file}'s ${y}`, labels, order) };
}

/** Keras's start, indexFrom and maxlen steps on one split: sequences and the labels' ids kept. */
export function reindex(xs: number[][], o: Checked): { xs: number[][]; kept: number[] } {
  let out = xs.map((x) => (o.startChar !== null ? [o.startChar, ...x.map((w) => w + o.indexFrom)] : x.map((w) => w + o.indexFrom)));
  let kept = out.map((_, i) => i);
  if (o.maxlen !== null) {
    kept = kept.filter((i) => out[i].length < o.maxlen!);
    out = kept.map((i) => out[i]);
  }
  return { xs: out, kept };
}

/** Keras's vocabulary step: ids outside [skipTop, numWords) become oovChar, or are dropped. */
export function clip(xs: number[][], o: Checked): number[][] {
  let numWords = o.numWords;
  if (numWords === null) {
    numWords = -Infinity;
    for (const x of xs) for (const w of x) numWords = Math.max(numWords, w);
  }
  const n = numWords;
  const inside = (w: number) => o.skipTop <= w && w < n;
  return o.oovChar !== null ? xs.map((x) => x.map((w) => (inside(w) ? w : o.oovChar!))) : xs.map((x) => x.filter(inside));
}

/** The rows `kept` of a label tensor (it is disposed). */
export function keepRows(labels: Tensor, kept: number[]): Tensor {
  const all = labels.dataSync() as Int32Array;
  labels.dispose();
  return tensor(
    Int32Array.from(kept, (i) => all[i]),
    [kept.length],
    'int32',
  );
}

/** Keras's reuters split: the first int(n * (1 - testSplit)) sequences train. */
export function splitAt(xs: number[][], labels: Tensor, testSplit: number): Splits<number[][], Tensor> {
  const cut = trainCount(xs.length, testSplit);
  const all = Array.from(labels.dataSync() as Int32Array);
  labels.dispose();
  const t = (ids: number[]) => tensor(Int32Array.from(ids), [ids.length], 'int32');
  return [
    [xs.slice(0, cut), t(all.slice(0, cut))],
    [xs.slice(cut), t(all.slice(cut))],
  ];
}

/** A word index (JSON of word: id) as a Map; anything else is refused. */
export async function wordIndex(op: string, path: unknown, origin: string, md5: string): Promise<Map<string, number>> {
  const file = await fetchFile(op, path, origin, md5);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${op}: ${file} is not a JSON file: ${(e as Error).message}`, { cause: e });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${op}: ${file} should hold a JSON object of word: id`);
  const out = new Map<string, number>();
  for (const [w, i] of Object.entries(json)) {
    if (!Number.isInteger(i)) throw new Error(`${op}: ${file}: the id of '${w}' is ${describe(i)}, not an integer`);
    out.set(w, i as number);
  }
  return out;
}
