// Extracting the archives getFile downloads (Keras's extract_archive): .tar, .tar.gz / .tgz
// (gunzipped by fflate, already a dependency) and .zip (the zip reader of .keras files). As
// Keras's filter_safe_paths, members that would land outside the folder (absolute paths,
// '..') and links are not written; here each is named in a warning rather than dropped unseen.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'fflate';
import { readZip } from '../saving/zip';

/** The archive kinds getFile extracts. */
export type ArchiveFormat = 'auto' | 'tar' | 'zip';

const isGzip = (b: Uint8Array) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const isZip = (b: Uint8Array) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
// A tar header's checksum: the sum of its bytes, the checksum field read as spaces.
function isTarHeader(b: Uint8Array, at = 0): boolean {
  if (b.length < at + 512) return false;
  const recorded = parseInt(ascii(b, at + 148, 8).trim() || 'x', 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : b[at + i];
  return recorded === sum;
}

function ascii(b: Uint8Array, at: number, n: number): string {
  const field = b.subarray(at, at + n);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

/**
 * Extracts `file` into `dir` when it is an archive of one of `formats`; false when it is
 * none of them (Keras's extract_archive). `op` names the caller in errors and warnings.
 */
export function extractArchive(op: string, file: string, dir: string, formats: ArchiveFormat): boolean {
  const bytes: Uint8Array = fs.readFileSync(file);
  // Keras's tarfile also reads bzip2 and xz; no dependency of Tessera decodes them.
  const packed =
    bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68 ? 'bzip2' : bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a ? 'xz' : null;
  if (packed !== null && formats !== 'zip') {
    throw new Error(
      `${op}: ${file} is ${packed}-compressed, which Tessera cannot decompress (it reads .tar, .tar.gz / .tgz and .zip); decompress it first, or leave extract false`,
    );
  }
  const kinds = formats === 'auto' ? ['tar', 'zip'] : [formats];
  if (kinds.includes('tar')) {
    const tar = isGzip(bytes) ? gunzipOf(op, file, bytes) : bytes;
    if (isTarHeader(tar)) {
      writeMembers(op, file, dir, tarMembers(op, file, tar));
      return true;
    }
  }
  if (kinds.includes('zip') && isZip(bytes)) {
    const zip = readZip(file, bytes);
    writeMembers(
      op,
      file,
      dir,
      [...zip.keys()].map((name) => ({ name, kind: name.endsWith('/') ? 'dir' : 'file', data: () => zip.get(name)! })),
    );
    return true;
  }
  return false;
}

function gunzipOf(op: string, file: string, bytes: Uint8Array): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (e) {
    throw new Error(`${op}: ${file} is a damaged gzip file: ${(e as Error).message}`, { cause: e });
  }
}

interface Member {
  name: string;
  kind: 'file' | 'dir' | 'link';
  data: () => Uint8Array;
}

// The members of a tar archive (ustar, with GNU long names and pax paths).
function tarMembers(op: string, file: string, b: Uint8Array): Member[] {
  const out: Member[] = [];
  let longName: string | null = null;
  for (let at = 0; at + 512 <= b.length;) {
    if (b[at] === 0) break; // the two zero blocks that end the archive
    if (!isTarHeader(b, at)) throw new Error(`${op}: ${file} is a damaged tar archive: the header at byte ${at} fails its checksum`);
    const size = parseInt(ascii(b, at + 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(b[at + 156] || 48);
    const prefix = ascii(b, at + 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${ascii(b, at, 100)}` : ascii(b, at, 100));
    longName = null;
    const start = at + 512;
    if (start + size > b.length) throw new Error(`${op}: ${file} is a truncated tar archive: member '${name}' runs past its end`);
    const data = () => b.subarray(start, start + size);
    at = start + Math.ceil(size / 512) * 512;
    if (type === 'L') longName = ascii(b, start, size);
    else if (type === 'x') {
      const p = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(new TextDecoder().decode(data()));
      if (p) longName = p[1];
    } else if (type === '0' || type === '7') out.push({ name, kind: 'file', data });
    else if (type === '5') out.push({ name, kind: 'dir', data });
    else if (type !== 'g') out.push({ name, kind: 'link', data });
  }
  return out;
}

function writeMembers(op: string, file: string, dir: string, members: Member[]): void {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  for (const m of members) {
    const target = path.resolve(root, m.name);
    if (path.isAbsolute(m.name) || (target !== root && !target.startsWith(root + path.sep))) {
      console.warn(`${op}: member '${m.name}' of ${file} would be written outside ${dir}; it is not extracted`);
    } else if (m.kind === 'link') {
      console.warn(`${op}: member '${m.name}' of ${file} is a link or a special file; it is not extracted`);
    } else if (m.kind === 'dir') fs.mkdirSync(target, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, m.data());
    }
  }
}
