// Zip archives (a .keras file is one), with errors that name the file. Reading goes by
// the central directory: an entry is inflated only when the loader asks for it, its
// declared size is checked against a limit first (a small file can declare gigabytes of
// zeros), and its CRC-32 is checked after, since fflate's unzipSync checks none.
import { inflateSync, zipSync } from 'fflate';

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;

/** The largest entry a loader inflates (HDF5's in-memory files live in 32-bit WebAssembly memory). */
export const MAX_ENTRY_BYTES = 2 ** 31 - 1;

// Deflate's largest expansion: a 258-byte match in under 2 bits.
const MAX_DEFLATE_RATIO = 1032;

interface EntryInfo {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

let crcTable: Uint32Array | null = null;

/** The CRC-32 (zip's, polynomial 0xEDB88320) of `bytes`; pass a previous result as `crc` to continue it over more bytes. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (crcTable === null) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The entries of a zip archive, read (and checked) one at a time as they are asked for. */
export class ZipEntries {
  private readonly read = new Map<string, Uint8Array>();

  constructor(
    private readonly source: string,
    private readonly bytes: Uint8Array,
    private readonly entries: Map<string, EntryInfo>,
  ) {}

  /** The names of the entries. */
  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The contents of entry `name`, or undefined when there is none; throws when it is damaged or too large. */
  get(name: string, limit = MAX_ENTRY_BYTES): Uint8Array | undefined {
    const info = this.entries.get(name);
    if (info === undefined) return undefined;
    let data = this.read.get(name);
    if (data === undefined) {
      data = this.extract(name, info, limit);
      this.read.set(name, data);
    }
    return data;
  }

  private extract(name: string, e: EntryInfo, limit: number): Uint8Array {
    const damaged = (why: string) => new Error(`${this.source} is a damaged zip archive: entry '${name}' ${why}`);
    if (e.size > limit)
      throw new Error(
        `${this.source}: entry '${name}' declares ${e.size} bytes, more than the ${limit} bytes Tessera reads for it; the file is damaged or hostile`,
      );
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
    if (e.localOffset + 30 > this.bytes.length || view.getUint32(e.localOffset, true) !== LOCAL_HEADER)
      throw damaged('has no local header where the central directory says');
    const start = e.localOffset + 30 + view.getUint16(e.localOffset + 26, true) + view.getUint16(e.localOffset + 28, true);
    if (start + e.compressedSize > this.bytes.length) throw damaged(`runs past the end of the file (truncated?)`);
    const raw = this.bytes.subarray(start, start + e.compressedSize);
    let out: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw damaged(`is stored with ${e.compressedSize} bytes but declares ${e.size}`);
      out = raw.slice();
    } else if (e.method === 8) {
      // Deflate expands at most 1032 times; a larger declared size is a lie, and would be allocated before inflating shows it.
      if (e.size > MAX_DEFLATE_RATIO * e.compressedSize + 1024)
        throw damaged(`declares ${e.size} bytes from ${e.compressedSize} compressed bytes, more than deflate can produce (at most ${MAX_DEFLATE_RATIO} times)`);
      try {
        // One byte of room beyond the declared size reveals data that inflates to more.
        out = inflateSync(raw, { out: new Uint8Array(e.size + 1) });
      } catch (err) {
        throw damaged(`cannot be inflated (${(err as Error).message})`);
      }
      if (out.length > e.size) throw damaged(`inflates to more than the ${e.size} bytes it declares`);
      if (out.length < e.size) throw damaged(`inflates to ${out.length} bytes, not the ${e.size} it declares`);
    } else throw new Error(`${this.source}: entry '${name}' uses zip compression method ${e.method}; Tessera reads stored and deflated entries`);
    const crc = crc32(out);
    if (crc !== e.crc) throw damaged(`fails its CRC-32 check (computed ${crc.toString(16)}, recorded ${e.crc.toString(16)})`);
    return out;
  }
}

// Sizes and offsets of 0xffffffff are in the entry's zip64 extra field, in this order.
function applyZip64(e: EntryInfo, extra: DataView): void {
  for (let p = 0; p + 4 <= extra.byteLength; p += 4 + extra.getUint16(p + 2, true)) {
    if (extra.getUint16(p, true) !== 0x0001) continue;
    let q = p + 4;
    for (const key of ['size', 'compressedSize', 'localOffset'] as const) {
      if (e[key] !== 0xffffffff) continue;
      if (q + 8 > extra.byteLength) return;
      e[key] = Number(extra.getBigUint64(q, true));
      q += 8;
    }
  }
}

/** The entries of the zip archive in `bytes` (nothing is inflated until asked for). */
export function readZip(source: string, bytes: Uint8Array): ZipEntries {
  if (bytes.length < 4 || new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) !== LOCAL_HEADER) {
    throw new Error(`${source} is not a zip archive (a .keras file is one); it is another kind of file or it is damaged`);
  }
  const damaged = (why: string) => new Error(`${source} is a damaged zip archive: ${why}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 0xffff); p--) {
    if (view.getUint32(p, true) === END_OF_DIRECTORY) {
      end = p;
      break;
    }
  }
  if (end < 0) throw damaged('its central directory (at the end of the file) is missing; the file is truncated');
  const count = view.getUint16(end + 10, true);
  let p = view.getUint32(end + 16, true);
  const entries = new Map<string, EntryInfo>();
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || view.getUint32(p, true) !== CENTRAL_HEADER)
      throw damaged(`entry ${i + 1} of ${count} of its central directory is not where it should be`);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const e: EntryInfo = {
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    if (p + 46 + nameLength + extraLength > end) throw damaged(`entry ${i + 1} of its central directory runs past its end`);
    applyZip64(e, new DataView(bytes.buffer, bytes.byteOffset + p + 46 + nameLength, extraLength));
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    if (entries.has(name)) throw damaged(`it has two entries named '${name}'`);
    entries.set(name, e);
    p += 46 + nameLength + extraLength + view.getUint16(p + 32, true);
  }
  return new ZipEntries(source, bytes, entries);
}

/** A zip archive of `entries` (stored uncompressed, as weights barely compress). */
export function writeZip(entries: Map<string, Uint8Array>): Uint8Array {
  return zipSync(Object.fromEntries(entries), { level: 0 });
}
