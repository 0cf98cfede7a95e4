// Paths given to functions that read or write files.
import * as fs from 'node:fs';
import { describe } from '../tensor/shape';

/**
 * The path to read or write: a 'file://' URL (TensorFlow.js's habit in Node, tfjs-node's
 * file system store) is its path; other URL schemes (http://, indexeddb://, ...) are
 * TensorFlow.js's browser and network stores, which this package does not have. Before,
 * 'file:///tmp/m' was taken as a relative path and made a folder named 'file:'.
 */
export function checkFilePath(op: string, p: unknown): string {
  if (typeof p !== 'string' || p.length === 0) throw new Error(`${op}: expected a path (a string), got ${describe(p)}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(p);
  if (scheme === null) return p;
  if (scheme[1].toLowerCase() !== 'file') {
    throw new Error(`${op}: '${scheme[1]}://' is a TensorFlow.js store this package does not have; pass a file path (or a file:// URL), got '${p}'`);
  }
  const file = p.slice(scheme[0].length);
  if (file.length === 0) throw new Error(`${op}: the file:// URL '${p}' has no path`);
  return file;
}

/**
 * What `file` is when it exists but is not a regular file ('a folder', 'a FIFO (named
 * pipe)', ...), else null. Loaders refuse those before reading: a device such as
 * /dev/zero or a pipe never ends, so reading it would wait or fill memory forever.
 */
export function notRegularFile(file: string): string | null {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  if (st === undefined || st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}
