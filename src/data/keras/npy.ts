// NumPy's .npy and .npz files (Keras's mnist.npz, boston_housing.npz ...): the header's
// dtype, order and shape, then the data. Object arrays (imdb's and reuters's lists) are
// pickles inside, read by the safe pickle reader, only where a loader asks for them.
import { readFileSync } from 'node:fs';
import { readZip } from '../../saving/zip';
import { PickledArray, readPickle } from './pickle';

/** The elements of an array: a typed array of the file's type, or a list of objects. */
export type NdData =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array | unknown[];

/** A numpy array read from a file. */
export interface NdArray {
  /** numpy's dtype name: 'uint8', 'int64', 'float64', 'bool', 'object' ... */
  dtype: string;
  /** The array's dimensions. */
  shape: number[];
  /** The elements in C order. */
  data: NdData;
}

// numpy's kind + size: the name and the typed array that holds it.
const NUMERIC: Record<string, [string, new (b: ArrayBuffer) => Exclude<NdData, unknown[]>]> = {
  u1: ['uint8', Uint8Array],
  i1: ['int8', Int8Array],
  b1: ['bool', Uint8Array],
  u2: ['uint16', Uint16Array],
  i2: ['int16', Int16Array],
  u4: ['uint32', Uint32Array],
  i4: ['int32', Int32Array],
  u8: ['uint64', BigUint64Array],
  i8: ['int64', BigInt64Array],
  f4: ['float32', Float32Array],
  f8: ['float64', Float64Array],
};

/** The numeric array of descr ('<u1', '>f8' ...) and shape held in `raw`, checked to be exactly that size. */
export function decodeNumeric(descr: string, shape: number[], raw: Uint8Array, source: string): NdArray {
  const [order, code] = [descr[0], descr.slice(1)];
  const type = NUMERIC[code];
  if (type === undefined || !'<>|='.includes(order)) {
    throw new Error(`${source}: the array's dtype '${descr}' is not one Tessera reads (it reads bool, (u)int8-64 and float32/64)`);
  }
  const width = Number(code.slice(1));
  const size = shape.reduce((a, b) => a * b, 1);
  if (raw.length !== size * width) {
    throw new Error(
      `${source}: an array of shape [${shape.join(', ')}] and dtype ${type[0]} needs ${size * width} bytes, but ${raw.length} are there (the file is truncated or damaged)`,
    );
  }
  const copy = new Uint8Array(raw); // a copy, aligned (Buffer's slice would share the pool)
  // Big-endian data is swapped to this machine's (little-endian) order.
  if (order === '>' && width > 1) {
    for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  }
  return { dtype: type[0], shape, data: new type[1](copy.buffer) };
}

// The header is a Python dict literal: {'descr': '<u1', 'fortran_order': False, 'shape': (5, 28, 28), }
function parseHeader(header: string, source: string): { descr: string; fortran: boolean; shape: number[] } {
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    throw new Error(`${source}: the .npy header ${JSON.stringify(header.trim())} lacks its descr, fortran_order or shape (a structured dtype is not read)`);
  }
  const dims = shape
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  if (!dims.every((d) => /^\d+$/.test(d))) throw new Error(`${source}: the .npy header's shape (${shape}) is not a tuple of sizes`);
  return { descr, fortran: fortran === 'True', shape: dims.map(Number) };
}

/**
 * Reads one .npy file's array. An object array ('|O', a pickle of the array) is read
 * only with `allowObjects`, and then only the numpy arrays, lists and numbers a safe
 * pickle may hold (Keras's npz_utils.load_npz); otherwise it is refused as np.load with
 * allow_pickle=False refuses it.
 */
export function readNpy(bytes: Uint8Array, source: string, allowObjects = false): NdArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new Error(`${source}: not a .npy file (it lacks the magic \\x93NUMPY)`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`${source}: .npy format version ${major}.${bytes[7]} is not one Tessera reads (1.0 to 3.0)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerAt = major === 1 ? 10 : 12;
  if (bytes.length < headerAt) throw new Error(`${source}: the .npy file is truncated in its header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerAt + headerLength > bytes.length) throw new Error(`${source}: the .npy file is truncated in its header`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerAt, headerAt + headerLength));
  const { descr, fortran, shape } = parseHeader(header, source);
  const body = bytes.subarray(headerAt + headerLength);
  if (descr.slice(1) === 'O') {
    if (!allowObjects) throw new Error(`${source}: holds an object array (a pickle), which this loader does not expect; Keras's loader refuses it too`);
    const array = readPickle(body, source);
    if (!(array instanceof PickledArray) || !Array.isArray(array.data))
      throw new Error(`${source}: the object array's pickle does not hold a numpy object array`);
    return { dtype: 'object', shape: array.shape, data: array.data };
  }
  if (fortran && shape.length > 1) throw new Error(`${source}: holds a Fortran-ordered array, which Tessera does not read`);
  return decodeNumeric(descr, shape, body, source);
}

// The zip reader's error, which names the file again and speaks of .keras files.
const zipWhy = (e: unknown, file: string) => (e as Error).message.replace(`${file} is`, 'it is').replace(' (a .keras file is one)', '');

/** The arrays of the .npz file `file`, by name (the member's name less '.npy'), as numpy's np.load reads them. */
export function readNpz(file: string, op: string, allowObjects = false): Map<string, NdArray> {
  let zip;
  try {
    zip = readZip(file, readFileSync(file));
  } catch (e) {
    throw new Error(`${op}: cannot read ${file} as an .npz file (a zip of .npy files): ${zipWhy(e, file)}`, { cause: e });
  }
  const out = new Map<string, NdArray>();
  for (const name of zip.keys()) {
    if (!name.endsWith('.npy')) continue;
    const source = `${op}: ${file}, member ${name}`;
    let bytes: Uint8Array;
    try {
      bytes = zip.get(name)!;
    } catch (e) {
      throw new Error(`${source}: ${zipWhy(e, file)}`, { cause: e });
    }
    out.set(name.slice(0, -4), readNpy(bytes, source, allowObjects));
  }
  return out;
}
