// CIFAR's batches: Python pickles of dicts (bytes keys, a uint8 numpy array of rows of
// 3x32x32 pixels, a list of labels), read by the safe pickle reader as Keras's load_batch.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { imageDataFormat } from '../../config/settings';
import { tensor } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import { getFile } from '../../utils/get_file';
import type { Splits } from './common';
import { decodeNumeric } from './npy';
import { PickledArray, readPickle } from './pickle';

interface Batch {
  pixels: Uint8Array;
  labels: number[];
}

/** One batch file: its [n, 3072] uint8 data and its labels under `labelKey`. */
export function loadBatch(op: string, file: string, labelKey: string): Batch {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`${op}: cannot read the batch ${file}: ${(e as Error).message}`, { cause: e });
  }
  const d = readPickle(bytes, `${op}: ${file}`);
  if (!(d instanceof Map)) throw new Error(`${op}: ${file} should hold a dict of data and ${labelKey}`);
  const data = d.get('data');
  const labels = d.get(labelKey);
  if (!(data instanceof PickledArray) || Array.isArray(data.data))
    throw new Error(`${op}: ${file} has no numeric array 'data' (its keys: ${[...d.keys()].join(', ')})`);
  const a = decodeNumeric(data.descr, data.shape, data.data, `${op}: ${file}`);
  if (a.dtype !== 'uint8' || a.shape.length !== 2 || a.shape[1] !== 3 * 32 * 32)
    throw new Error(`${op}: ${file}'s data should be uint8 of shape [n, 3072], but is ${a.dtype} of shape [${a.shape.join(', ')}]`);
  const ids =
    labels instanceof PickledArray && !Array.isArray(labels.data)
      ? Array.from(decodeNumeric(labels.descr, labels.shape, labels.data, file).data as ArrayLike<number | bigint>, Number)
      : labels;
  if (!Array.isArray(ids) || ids.length !== a.shape[0] || !ids.every((l) => Number.isInteger(l)))
    throw new Error(`${op}: ${file}'s '${labelKey}' should be a list of ${a.shape[0]} integer labels`);
  return { pixels: a.data as Uint8Array, labels: ids as number[] };
}

// The batches joined: x [n, 32, 32, 3] (or [n, 3, 32, 32] channelsFirst) int32, y [n, 1] int32.
function join(batches: Batch[]): [Tensor, Tensor] {
  const n = batches.reduce((s, b) => s + b.labels.length, 0);
  const last = imageDataFormat() === 'channelsLast';
  const x = new Int32Array(n * 3072);
  let row = 0;
  for (const b of batches) {
    for (let r = 0; r < b.labels.length; r++, row++) {
      const src = b.pixels.subarray(r * 3072, (r + 1) * 3072);
      const dst = x.subarray(row * 3072, (row + 1) * 3072);
      if (!last) dst.set(src);
      else for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) dst[p * 3 + c] = src[c * 1024 + p];
    }
  }
  const labels = Int32Array.from(batches.flatMap((b) => b.labels));
  return [tensor(x, last ? [n, 32, 32, 3] : [n, 3, 32, 32], 'int32'), tensor(labels, [n, 1], 'int32')];
}

/** Downloads and extracts a CIFAR archive as Keras does, and joins its batches. */
export async function loadCifar(
  op: string,
  name: string,
  origin: string,
  hash: string,
  folder: string,
  train: string[],
  test: string[],
  labelKey: string,
): Promise<Splits<Tensor>> {
  const dir = path.join(await getFile(name, origin, { extract: true, fileHash: hash }), folder);
  const load = (files: string[]) => join(files.map((f) => loadBatch(op, path.join(dir, f), labelKey)));
  return [load(train), load(test)];
}
