// textDatasetFromDirectory: a folder of .txt files (one subfolder per class) as a Dataset of
// [string[] texts, labels] batches, with Keras's label rules, split and shuffle. Files are
// read when their batch is drawn, so memory holds one batch whatever the folder's size.
import { readFileSync } from 'node:fs';
import { tensor } from '../tensor/creation';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Dataset, shuffled, type Element } from './dataset';
import { tooManyArguments } from '../options/arity';
import { drawSeed } from '../tensor/seeded_random';
import { checkOptions } from '../options/check';
import { indexDirectory } from './image_index';
import { everyEntry } from '../options/every_entry';

/** Options of textDatasetFromDirectory (Keras 3's text_dataset_from_directory). */
export interface TextDatasetOptions {
  /** 'inferred' (from the subfolders, default), one label per file in sorted path order, or null (texts only). */
  labels?: 'inferred' | number[] | null;
  /** 'int' (default), 'categorical' (one-hot), 'binary' (0/1 floats, two classes) or null. */
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  /** With labels 'inferred': the subfolders to use, in this order (default: all, sorted). */
  classNames?: string[] | null;
  /** Default 32; null yields single [text, label] elements. */
  batchSize?: number | null;
  /** Cut each text to this many characters. */
  maxLength?: number | null;
  /** Default true: reshuffled each epoch. */
  shuffle?: boolean;
  /** Seed of the shuffle and of the split. */
  seed?: number | null;
  /** Fraction kept for validation (with subset). */
  validationSplit?: number | null;
  /** Which part to return with validationSplit. */
  subset?: 'training' | 'validation' | 'both' | null;
  /** Follow symbolic links to folders and files. Default false. */
  followLinks?: boolean;
}

const OP = 'data.textDatasetFromDirectory';
const KEYS = ['labels', 'labelMode', 'classNames', 'batchSize', 'maxLength', 'shuffle', 'seed', 'validationSplit', 'subset', 'followLinks'];

/** The checked validationSplit, subset and seed of a folder data set (shared with audioDatasetFromDirectory). */
export function checkSplit(
  op: string,
  options: Pick<TextDatasetOptions, 'validationSplit' | 'subset' | 'seed'>,
  shuffle: boolean,
): { split: number | null; subset: 'training' | 'validation' | 'both' | null; seed: number } {
  const split = options.validationSplit ?? null;
  const subset = options.subset ?? null;
  if (split !== null && !(typeof split === 'number' && split > 0 && split < 1))
    throw new Error(`${op}: expected validationSplit in (0, 1), got ${describe(split)}`);
  if ((split === null) !== (subset === null))
    throw new Error(
      `${op}: validationSplit and subset go together; got ${split === null ? 'subset without validationSplit' : 'validationSplit without subset'}`,
    );
  if (subset !== null && !['training', 'validation', 'both'].includes(subset))
    throw new Error(`${op}: expected subset to be 'training', 'validation' or 'both', got ${describe(subset)}`);
  if (split !== null && shuffle && (options.seed === undefined || options.seed === null)) {
    throw new Error(`${op}: with validationSplit and shuffle, give a seed so that training and validation do not overlap`);
  }
  return { split, subset, seed: drawSeed(op, options.seed) };
}

/** A batch of labels as Keras encodes them (shared with audioDatasetFromDirectory). */
export function labelTensor(labels: number[], mode: 'int' | 'categorical' | 'binary', classes: number): Tensor {
  if (mode === 'int') return tensor(labels, [labels.length], 'int32');
  if (mode === 'binary') return tensor(labels, [labels.length, 1], 'float32');
  const out = new Float32Array(labels.length * classes);
  labels.forEach((l, i) => (out[i * classes + l] = 1));
  return tensor(out, [labels.length, classes], 'float32');
}

/** An unbatched element's label: a scalar id, [1] for binary, [classes] one-hot. */
export function oneLabel(label: number, mode: 'int' | 'categorical' | 'binary', classes: number): Tensor {
  if (mode === 'int') return tensor(label, [], 'int32');
  if (mode === 'binary') return tensor([label], [1], 'float32');
  return tensor(
    Array.from({ length: classes }, (_, i) => (i === label ? 1 : 0)),
    [classes],
    'float32',
  );
}

/** The dataset over one list of (path, label) pairs. */
function makeDataset(items: { path: string; label: number }[], labelled: boolean, o: Resolved, classes: number): Dataset<Element> {
  const batch = o.batchSize;
  let epoch = 0;
  const read = (p: string): string => {
    let text: string;
    try {
      text = readFileSync(p, 'utf8');
    } catch (e) {
      throw new Error(`${OP}: cannot read '${p}': ${(e as Error).message}`, { cause: e });
    }
    return o.maxLength === null ? text : text.slice(0, o.maxLength);
  };
  const size = batch === null ? items.length : Math.ceil(items.length / batch);
  return new Dataset<Element>(async function* () {
    const order = o.shuffle ? shuffled(items, o.seed + 7919 * epoch++) : items;
    if (batch === null) {
      for (const it of order) yield labelled && o.labelMode !== null ? [read(it.path), oneLabel(it.label, o.labelMode, classes)] : read(it.path);
      return;
    }
    for (let i = 0; i < order.length; i += batch) {
      const group = order.slice(i, i + batch);
      const texts = group.map((it) => read(it.path));
      yield labelled && o.labelMode !== null
        ? [
            texts,
            labelTensor(
              group.map((it) => it.label),
              o.labelMode,
              classes,
            ),
          ]
        : texts;
    }
  }, size);
}

interface Resolved {
  labelMode: 'int' | 'categorical' | 'binary' | null;
  batchSize: number | null;
  maxLength: number | null;
  shuffle: boolean;
  seed: number;
}

/**
 * A Dataset of text files in `dir`: with labels 'inferred', each subfolder is a class (in
 * sorted order, or classNames' order) and yields [texts, labels] batches.
 * @example const train = ts.data.textDatasetFromDirectory('reviews/', {validationSplit: 0.2, subset: 'training', seed: 1})
 */
export function textDatasetFromDirectory(
  dir: string,
  options: TextDatasetOptions & { subset: 'both' },
): [Dataset<Element> & { classNames: string[] }, Dataset<Element> & { classNames: string[] }];
export function textDatasetFromDirectory(dir: string, options?: TextDatasetOptions): Dataset<Element> & { classNames: string[] };
export function textDatasetFromDirectory(dir: string, options: TextDatasetOptions = {}): unknown {
  if (arguments.length > 2) throw tooManyArguments('data.textDatasetFromDirectory', 2, arguments.length);
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`${OP}: expected a folder path, got ${describe(dir)}`);
  if (options === null || typeof options !== 'object') throw new Error(`${OP}: expected an options object, got ${describe(options)}`);
  options = checkOptions(OP, options, KEYS);
  const labels = options.labels === undefined ? 'inferred' : options.labels;
  const labelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  if (![null, 'int', 'categorical', 'binary'].includes(labelMode))
    throw new Error(`${OP}: expected labelMode to be 'int', 'categorical', 'binary' or null, got ${describe(labelMode)}`);
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize;
  if (batchSize !== null && (!Number.isInteger(batchSize) || batchSize < 1))
    throw new Error(`${OP}: expected batchSize to be a positive integer or null, got ${describe(batchSize)}`);
  const maxLength = options.maxLength ?? null;
  if (maxLength !== null && (!Number.isInteger(maxLength) || maxLength < 1))
    throw new Error(`${OP}: expected maxLength to be a positive integer, got ${describe(maxLength)}`);
  const shuffle = options.shuffle ?? true;
  const { split, subset, seed } = checkSplit(OP, options, shuffle);
  if (labels !== 'inferred' && labels !== null && !(Array.isArray(labels) && everyEntry(labels, (l) => Number.isInteger(l) && l >= 0)))
    throw new Error(`${OP}: expected labels to be 'inferred', null or an array of class indices, got ${describe(labels)}`);
  if (options.classNames != null && labels !== 'inferred') throw new Error(`${OP}: classNames only applies with labels: 'inferred'`);
  // Keras's index_directory, as for images: hidden class folders skipped, os.walk's order.
  const index = indexDirectory(OP, dir, labels, options.classNames ?? null, options.followLinks ?? false, ['.txt']);
  const list = { paths: index.files, labels: labels === null ? null : index.labels, classNames: index.classNames };
  if (list.paths.length === 0) throw new Error(`${OP}: no .txt files found in '${dir}'${labels === 'inferred' ? ' (one subfolder per class)' : ''}`);
  if (labelMode === 'binary' && list.classNames.length !== 2)
    throw new Error(`${OP}: labelMode 'binary' needs exactly 2 classes, found ${list.classNames.length}`);
  let items = list.paths.map((path, i) => ({ path, label: list.labels?.[i] ?? 0 }));
  // As Keras: shuffle the file list with the seed before splitting, so both parts are mixed.
  if (shuffle) items = shuffled(items, seed);
  const resolved: Resolved = { labelMode, batchSize, maxLength, shuffle, seed };
  const make = (part: typeof items) => {
    if (part.length === 0)
      throw new Error(`${OP}: the ${split === null ? '' : 'requested '}subset of '${dir}' holds no files; lower validationSplit or add files`);
    return Object.assign(makeDataset(part, list.labels !== null, resolved, list.classNames.length), { classNames: list.classNames });
  };
  if (split === null) return make(items);
  const nVal = Math.floor(items.length * split);
  const training = items.slice(0, items.length - nVal);
  const validation = items.slice(items.length - nVal);
  if (subset === 'training') return make(training);
  if (subset === 'validation') return make(validation);
  return [make(training), make(validation)];
}
