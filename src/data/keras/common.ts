// What Keras's dataset loaders share: the download through getFile, the arrays of an
// .npz, numpy dtypes turned into Tessera's, and the seeded shuffle and split.
import * as path from 'node:path';
import { tensor } from '../../tensor/creation';
import type { Tensor } from '../../tensor/tensor';
import type { DType } from '../../tensor/dtype';
import { describe } from '../../tensor/shape';
import { getFile } from '../../utils/get_file';
import { checkString } from '../../options/check_args';
import type { NdArray } from './npy';

/** Keras's (x_train, y_train), (x_test, y_test). */
export type Splits<X = Tensor, Y = Tensor> = [[X, Y], [X, Y]];

/** Where Keras's data sets are downloaded from. */
export const ORIGIN_FOLDER = 'https://storage.googleapis.com/tensorflow/tf-keras-datasets/';

/**
 * getFile for a loader's `path` option, read as Keras reads it: a name in the cache's
 * datasets folder, a path below it, or an absolute path (os.path.join keeps it).
 */
export async function fetchFile(op: string, file: unknown, origin: string, fileHash: string | null): Promise<string> {
  checkString(op, 'path', file);
  const f = file as string;
  if (f === '' || f.endsWith('/')) throw new Error(`${op}: expected path to name a file, got '${f}'`);
  const dir = path.dirname(f);
  const cacheSubdir = path.isAbsolute(f) ? dir : path.join('datasets', dir);
  const options = cacheSubdir === 'datasets' ? { fileHash } : { fileHash, cacheSubdir };
  return getFile(path.basename(f), origin, options);
}

/** The array named `key` of an .npz, which Keras's loader reads; a missing one is an error naming the keys there. */
export function member(op: string, file: string, arrays: Map<string, NdArray>, key: string): NdArray {
  const a = arrays.get(key);
  if (a === undefined) throw new Error(`${op}: ${file} has no array '${key}' (it holds ${[...arrays.keys()].map((k) => `'${k}'`).join(', ') || 'none'})`);
  return a;
}

// numpy's dtypes without a tensor here: integers become int32 (checked to fit), float32/64 stay.
const TENSOR_DTYPE: Record<string, DType> = {
  uint8: 'int32',
  int8: 'int32',
  uint16: 'int32',
  int16: 'int32',
  int32: 'int32',
  uint32: 'int32',
  int64: 'int32',
  uint64: 'int32',
  float32: 'float32',
  float64: 'float64',
  bool: 'bool',
};

/**
 * The rows `rows` (all when omitted) of `a` as a tensor: uint8 and the other integers
 * become int32 (values kept, 64-bit ones checked to fit), float32 and float64 stay.
 */
export function toTensor(op: string, what: string, a: NdArray, rows?: ArrayLike<number>): Tensor {
  const dtype = TENSOR_DTYPE[a.dtype];
  if (dtype === undefined || Array.isArray(a.data)) throw new Error(`${op}: ${what} holds ${a.dtype} values, which have no tensor dtype`);
  const data = a.data as Exclude<NdArray['data'], unknown[]>;
  const n = a.shape[0] ?? 1;
  const row = n === 0 ? 0 : data.length / n;
  const count = rows === undefined ? n : rows.length;
  const out =
    dtype === 'float64'
      ? new Float64Array(count * row)
      : dtype === 'float32'
        ? new Float32Array(count * row)
        : dtype === 'bool'
          ? new Uint8Array(count * row)
          : new Int32Array(count * row);
  for (let r = 0; r < count; r++) {
    const from = (rows === undefined ? r : rows[r]) * row;
    for (let i = 0; i < row; i++) {
      const v = Number(data[from + i]);
      if (dtype === 'int32' && (v > 2147483647 || v < -2147483648)) throw new Error(`${op}: ${what} holds ${data[from + i]}, beyond int32`);
      out[r * row + i] = v;
    }
  }
  return tensor(out, a.shape.length === 0 ? [] : [count, ...a.shape.slice(1)], dtype);
}

/** Checks Keras's test_split: 0 <= testSplit < 1. */
export function checkTestSplit(op: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new Error(`${op}: expected testSplit to be a number from 0 to 1 (1 excluded), got ${describe(v)}`);
  return v;
}

/** Keras's int(len(x) * (1 - test_split)): where the test rows start. */
export const trainCount = (n: number, testSplit: number) => Math.floor(n * (1 - testSplit));
