// IDX files (the MNIST family's format), gzipped or not.
import { tooManyArguments } from '../options/arity';
import { readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import { checkString } from '../options/check_args';
import { notRegularFile } from '../options/file_path';
import { describe } from '../tensor/shape';

/** The contents of an IDX file. */
export interface IdxData {
  /** The array's dimensions, as the file's header gives them. */
  shape: number[];
  /** The values in the file's own type (Uint8Array for unsigned bytes). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const MAX_LENGTH = bufferConstants.MAX_LENGTH;

const TYPES: Record<number, [string, number]> = {
  0x08: ['ubyte', 1],
  0x09: ['byte', 1],
  0x0b: ['short', 2],
  0x0c: ['int', 4],
  0x0d: ['float', 4],
  0x0e: ['double', 8],
};

// The header: the element type, then the dimensions (big-endian uint32s).
function readHeader(buf: Uint8Array, name: string, complete: boolean): { type: string; width: number; shape: number[]; header: number } | null {
  if (buf.length < 4 && !complete) return null;
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0 || !(buf[2] in TYPES)) {
    throw new Error(`readIdx: ${name} is not an IDX file (expected the magic 00 00 <type> <dims>)`);
  }
  const [type, width] = TYPES[buf[2]];
  const header = 4 + 4 * buf[3];
  if (buf.length < header) {
    if (!complete) return null;
    throw new Error(`readIdx: ${name} is truncated in its header`);
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape = Array.from({ length: buf[3] }, (_, i) => view.getUint32(4 + 4 * i));
  return { type, width, shape, header };
}

// Gunzips an IDX file knowing, from its header (inflated first from the file's start),
// how many bytes it must hold: a tiny gzip can inflate to gigabytes, so inflating stops
// at the declared size rather than at the end of the data.
function gunzipIdx(buf: Buffer, name: string): Buffer {
  const damaged = (e: unknown) => new Error(`readIdx: ${name} is a damaged gzip file (${(e as Error).message})`, { cause: e });
  let head: ReturnType<typeof readHeader> = null;
  // 1 KiB of deflate data inflates to at most ~1 MiB; 64 KiB leaves room for gzip's optional name and comment fields.
  for (const prefix of [1024, 65536]) {
    let part: Buffer;
    try {
      part = gunzipSync(buf.subarray(0, prefix), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    } catch (e) {
      throw damaged(e);
    }
    head = readHeader(part, name, prefix >= buf.length);
    if (head !== null || prefix >= buf.length) break;
  }
  if (head === null) throw new Error(`readIdx: ${name} is gzipped, but its first 64 KiB hold no complete IDX header; it is damaged`);
  const size = head.header + head.shape.reduce((a, b) => a * b, 1) * head.width;
  if (size > MAX_LENGTH) {
    throw new Error(
      `readIdx: ${name} declares shape [${head.shape.join(', ')}] of ${head.type} (${size} bytes), more than a Buffer holds (${MAX_LENGTH}); it is damaged or hostile`,
    );
  }
  try {
    // One byte of room beyond the declared size reveals data that inflates to more.
    return gunzipSync(buf, { maxOutputLength: Math.min(size + 1, MAX_LENGTH) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Error(
        `readIdx: ${name} inflates to more than the ${size} bytes its header declares (shape [${head.shape.join(', ')}] of ${head.type}); it is damaged or hostile`,
        {
          cause: e,
        },
      );
    }
    throw damaged(e);
  }
}

/** Parses IDX bytes (gunzipping them first when they are gzipped). */
export function parseIdx(bytes: Uint8Array, name = 'IDX data'): IdxData {
  if (arguments.length > 2) throw tooManyArguments('data.parseIdx', 2, arguments.length);
  if (!(bytes instanceof Uint8Array)) throw new Error(`parseIdx: expected the file's bytes as a Uint8Array or Buffer, got ${describe(bytes)}`);
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipIdx(buf, name);
  const { type, width, shape, header } = readHeader(buf, name, true)!;
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
  const kind = notRegularFile(path);
  if (kind !== null) throw new Error(`readIdx: cannot read ${path}: it is ${kind}, not a file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`readIdx: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
  return parseIdx(bytes, path);
}
