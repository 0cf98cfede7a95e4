// audioDatasetFromDirectory: Keras 3's audio_dataset_from_directory over a folder of .wav
// files (one subfolder per class): [audio float32 [batch, frames, channels], labels] batches,
// with the folder indexing, label rules, split and shuffle of textDatasetFromDirectory.
// Files are read when their batch is drawn, so memory holds one batch.
import { readFileSync } from 'node:fs';
import { tensor } from '../tensor/creation';
import { describe } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Dataset, shuffled, type Element } from './dataset';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { indexDirectory } from './image_index';
import { checkSplit, labelTensor, oneLabel } from './text_dataset';
import { decodeWav, type Wav } from './wav';
import { everyEntry } from '../options/every_entry';

/** Options of audioDatasetFromDirectory (Keras 3's audio_dataset_from_directory, in camelCase). */
export interface AudioDatasetOptions {
  /** 'inferred' (from the subfolders, default), one label per file in sorted path order, or null (audio only). */
  labels?: 'inferred' | number[] | null;
  /** 'int' (default), 'categorical' (one-hot), 'binary' (0/1 floats, two classes) or null (audio only). */
  labelMode?: 'int' | 'categorical' | 'binary' | null;
  /** With labels 'inferred': the subfolders to use, in this order (default: all, sorted). */
  classNames?: string[] | null;
  /** Default 32; null yields single [audio [frames, channels], label] elements. */
  batchSize?: number | null;
  /** Frames per second every file must have; Tessera does not resample, so another rate is an error. */
  samplingRate?: number | null;
  /** Cut or zero-pad every file to this many frames; default null: each batch is zero-padded to its longest file. */
  outputSequenceLength?: number | null;
  /** Ragged batches are not supported: only false. */
  ragged?: boolean;
  /** Default true: reshuffled each epoch. */
  shuffle?: boolean;
  /** Seed of the shuffle and of the split. */
  seed?: number | null;
  /** Fraction kept for validation (with subset). */
  validationSplit?: number | null;
  /** Which part to return with validationSplit. */
  subset?: 'training' | 'validation' | 'both' | null;
  /** Follow symbolic links to folders. Default false. */
  followLinks?: boolean;
}

/** The data set of audioDatasetFromDirectory, with its class names. */
export type AudioDataset = Dataset<Element> & { classNames: string[] };

const OP = 'utils.audioDatasetFromDirectory';
const KEYS = [
  'labels',
  'labelMode',
  'classNames',
  'batchSize',
  'samplingRate',
  'outputSequenceLength',
  'ragged',
  'shuffle',
  'seed',
  'validationSplit',
  'subset',
  'followLinks',
];

const MAX_INT = 2 ** 31 - 1;

// A zeroed float32 buffer for a batch, or a clear error naming its shape when memory refuses.
function zeros(shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  try {
    if (n > MAX_INT) throw new RangeError('more than 2**31 - 1 elements');
    return new Float32Array(n);
  } catch (e) {
    throw new Error(
      `${OP}: cannot allocate an audio batch of shape [${shape.join(', ')}] (float32): ${(e as Error).message}; lower outputSequenceLength or batchSize`,
      {
        cause: e,
      },
    );
  }
}

interface Resolved {
  labelMode: 'int' | 'categorical' | 'binary' | null;
  batchSize: number | null;
  samplingRate: number | null;
  length: number | null;
  shuffle: boolean;
  seed: number;
}

function readWav(path: string, o: Resolved): Wav {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`${OP}: cannot read '${path}': ${(e as Error).message}`, { cause: e });
  }
  const wav = decodeWav(OP, path, bytes, o.length);
  if (o.samplingRate !== null && wav.sampleRate !== o.samplingRate)
    throw new Error(
      `${OP}: '${path}' is sampled at ${wav.sampleRate} Hz, expected samplingRate ${o.samplingRate} (Tessera does not resample; convert the file or leave samplingRate out)`,
    );
  return wav;
}

// One file's samples cut or zero-padded to `frames`.
function padded(w: Wav, frames: number): Float32Array {
  if (w.frames === frames) return w.samples;
  const out = zeros([frames, w.channels]);
  out.set(w.samples.subarray(0, frames * w.channels));
  return out;
}

// Stacks files into [count, frames, channels], zero-padding each to `frames` (as tf's
// decode_wav with desired_samples, or padded_batch).
function stack(wavs: Wav[], paths: string[], frames: number): Tensor {
  const channels = wavs[0].channels;
  const out = zeros([wavs.length, frames, channels]);
  wavs.forEach((w, i) => {
    if (w.channels !== channels)
      throw new Error(
        `${OP}: a batch mixes ${channels}-channel '${paths[0]}' and ${w.channels}-channel '${paths[i]}'; every file of a batch needs the same channel count`,
      );
    out.set(w.samples.subarray(0, frames * channels), i * frames * channels);
  });
  return tensor(out, [wavs.length, frames, channels], 'float32');
}

function makeDataset(items: { path: string; label: number }[], labelled: boolean, o: Resolved, classes: number, shuffle: boolean): AudioDataset {
  const batch = o.batchSize;
  const withLabels = labelled && o.labelMode !== null;
  let epoch = 0;
  const size = batch === null ? items.length : Math.ceil(items.length / batch);
  const ds = new Dataset<Element>(async function* () {
    const order = shuffle ? shuffled(items, o.seed + 7919 * epoch++) : items;
    if (batch === null) {
      for (const it of order) {
        const w = readWav(it.path, o);
        const frames = o.length ?? w.frames;
        const audio = tensor(padded(w, frames), [frames, w.channels], 'float32');
        yield withLabels ? [audio, oneLabel(it.label, o.labelMode!, classes)] : audio;
      }
      return;
    }
    for (let i = 0; i < order.length; i += batch) {
      const group = order.slice(i, i + batch);
      const paths = group.map((it) => it.path);
      const wavs = paths.map((p) => readWav(p, o));
      const audio = stack(wavs, paths, o.length ?? Math.max(...wavs.map((w) => w.frames)));
      yield withLabels
        ? [
            audio,
            labelTensor(
              group.map((it) => it.label),
              o.labelMode!,
              classes,
            ),
          ]
        : audio;
    }
  }, size);
  return ds as AudioDataset;
}

function positiveInt(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_INT)
    throw new Error(`${OP}: expected ${name} to be a positive integer (at most 2**31 - 1) or null, got ${describe(v)}`);
  return v;
}

/**
 * A Dataset of the .wav files in `dir`: with labels 'inferred', each subfolder is a class (in
 * sorted order, or classNames' order) and yields [audio, labels] batches, audio float32
 * [batch, frames, channels] in [-1, 1). PCM 8/16/24/32-bit and float 32-bit files are read.
 * @example const [train, val] = ts.utils.audioDatasetFromDirectory('speech/', {validationSplit: 0.2, subset: 'both', seed: 1, outputSequenceLength: 16000})
 */
export function audioDatasetFromDirectory(dir: string, options: AudioDatasetOptions & { subset: 'both' }): [AudioDataset, AudioDataset];
export function audioDatasetFromDirectory(dir: string, options?: AudioDatasetOptions): AudioDataset;
export function audioDatasetFromDirectory(dir: string, options: AudioDatasetOptions = {}): unknown {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  if (typeof dir !== 'string' || dir.length === 0) throw new Error(`${OP}: expected a folder path, got ${describe(dir)}`);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new Error(`${OP}: expected an options object, got ${describe(options)}`);
  options = checkOptions(OP, options, KEYS);
  let labels = options.labels === undefined ? 'inferred' : options.labels;
  let labelMode = options.labelMode === undefined ? 'int' : options.labelMode;
  if (![null, 'int', 'categorical', 'binary'].includes(labelMode))
    throw new Error(`${OP}: expected labelMode to be 'int', 'categorical', 'binary' or null, got ${describe(labelMode)}`);
  if (labels !== 'inferred' && labels !== null && !(Array.isArray(labels) && everyEntry(labels, (l) => Number.isInteger(l) && l >= 0)))
    throw new Error(`${OP}: expected labels to be 'inferred', null or an array of class indices, got ${describe(labels)}`);
  if (options.classNames != null && labels !== 'inferred') throw new Error(`${OP}: classNames only applies with labels: 'inferred'`);
  const ragged = options.ragged ?? false;
  if (ragged !== false)
    throw new Error(
      `${OP}: ragged batches are not supported (Tessera has no ragged tensors), got ragged ${describe(ragged)}; leave it false and batches are zero-padded, or set outputSequenceLength`,
    );
  const batchSize = options.batchSize === undefined ? 32 : positiveInt('batchSize', options.batchSize);
  const samplingRate = positiveInt('samplingRate', options.samplingRate);
  const length = positiveInt('outputSequenceLength', options.outputSequenceLength);
  const shuffle = options.shuffle ?? true;
  if (typeof shuffle !== 'boolean') throw new Error(`${OP}: expected shuffle to be a boolean, got ${describe(shuffle)}`);
  const { split, subset, seed } = checkSplit(OP, options, shuffle);
  // As Keras: no labels or no label mode means audio only.
  if (labels === null || labelMode === null) [labels, labelMode] = [null, null];
  const index = indexDirectory(OP, dir, labels, options.classNames ?? null, options.followLinks ?? false, ['.wav']);
  if (index.files.length === 0) throw new Error(`${OP}: no .wav files found in '${dir}'${labels === 'inferred' ? ' (one subfolder per class)' : ''}`);
  if (labelMode === 'binary' && index.classNames.length !== 2)
    throw new Error(`${OP}: labelMode 'binary' needs exactly 2 classes, found ${index.classNames.length}: ${describe(index.classNames)}`);
  let items = index.files.map((path, i) => ({ path, label: index.labels[i] ?? 0 }));
  // As Keras's index_directory: the file list is shuffled with the seed before the split.
  if (shuffle) items = shuffled(items, seed);
  const resolved: Resolved = { labelMode, batchSize, samplingRate, length, shuffle, seed };
  const make = (part: typeof items, which: string, reshuffle: boolean) => {
    if (part.length === 0) throw new Error(`${OP}: no ${which}.wav files in '${dir}'${split === null ? '' : '; lower validationSplit or add files'}`);
    return Object.assign(makeDataset(part, labels !== null, resolved, index.classNames.length, reshuffle), { classNames: index.classNames });
  };
  if (split === null) return make(items, '', shuffle);
  const nVal = Math.floor(items.length * split);
  const training = items.slice(0, items.length - nVal);
  const validation = items.slice(items.length - nVal);
  if (subset === 'training') return make(training, 'training ', shuffle);
  if (subset === 'validation') return make(validation, 'validation ', shuffle);
  // As Keras: with subset 'both', the validation part is not reshuffled.
  return [make(training, 'training ', shuffle), make(validation, 'validation ', false)];
}
