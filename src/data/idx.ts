// IDX files (the MNIST family's format), gzipped or not.
import { tooManyArguments } from '../options/arity';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { checkString } from '../options/check_args';
import { describe } from '../tensor/shape';

/** The contents of an IDX file. */
export interface IdxData {
  /** The array's dimensions, as the file's header gives them. */
  shape: number[];
  /** The values in the file's own type (Uint8Array for unsigned bytes). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, [string, number]> = {
  0x08: ['ubyte', 1],
  0x09: ['byte', 1],
  0x0b: ['short', 2],
  0x0c: ['int', 4],
  0x0d: ['float', 4],
  0x0e: ['double', 8],
};

/** Parses IDX bytes (gunzipping them first when they are gzipped). */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxData {
  if (arguments.length > 2) throw tooManyArguments('data.parseIdx', 2, arguments.length);
  if (!(bytes instanceof Uint8Array)) throw new Error(`parseIdx: expected the file's bytes as a Uint8Array or Buffer, got ${describe(bytes)}`);
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in TYPES)) {
    throw new Error(`readIdx: ${name} is not an IDX file (expected the magic 00 00 <type> <dims>)`);
  }
  const [type, width] = TYPES[buf[2]];
  const dims = buf[3];
  const header = 4 + 4 * dims;
  if (buf.length < header) throw new Error(`readIdx: ${name} is truncated in its header`);
  const shape = Array.from({ length: dims }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== header + count * width) {
    throw new Error(`readIdx: ${name} should hold ${count} ${type} values (${header + count * width} bytes), but has ${buf.length} bytes`);
  }
  const body = buf.subarray(header);
  // Multi-byte IDX values are big-endian.
  const read = (i: number): number => {
    switch (type) {
      case 'short':
        return body.readInt16BE(i * 2);
      case 'int':
        return body.readInt32BE(i * 4);
      case 'float':
        return body.readFloatBE(i * 4);
      default:
        return body.readDoubleBE(i * 8);
    }
  };
  switch (type) {
    case 'ubyte':
      return { shape, data: new Uint8Array(body) };
    case 'byte':
      return { shape, data: new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + count)) };
    case 'short':
      return { shape, data: Int16Array.from({ length: count }, (_, i) => read(i)) };
    case 'int':
      return { shape, data: Int32Array.from({ length: count }, (_, i) => read(i)) };
    case 'float':
      return { shape, data: Float32Array.from({ length: count }, (_, i) => read(i)) };
    default:
      return { shape, data: Float64Array.from({ length: count }, (_, i) => read(i)) };
  }
}

/** Reads an IDX file (`.gz` or not). */
export function readIdx(path: string): IdxData {
  if (arguments.length > 1) throw tooManyArguments('data.readIdx', 1, arguments.length);
  // A number would read a file descriptor (0: stdin, which waits for input).
  checkString('readIdx', 'the path', path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readIdx: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseIdx(bytes, path);
}
