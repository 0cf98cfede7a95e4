// Writes that never leave a half-written file where a good one was: write a temporary
// file (or folder) beside the target, flush it, then rename it over the target. A
// failure at any point leaves the previous file or folder as it was.
import * as fs from 'node:fs';
import * as path from 'node:path';

const tempName = (target: string, tag: string) => `${target}.${tag}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

function writeAndSync(file: string, bytes: Uint8Array): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes `bytes` to `file` atomically (the folder is created if needed). */
export async function writeFileAtomic(file: string, bytes: Uint8Array): Promise<void> {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) throw new Error(`cannot save to ${file}: it is a folder`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = tempName(file, 'tmp');
  try {
    writeAndSync(tmp, bytes);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Makes `dir` hold exactly `files` (name -> bytes), atomically: they are written to a
 * temporary folder that then takes the place of `dir`. An existing `dir` may only hold
 * files that `ownFile` accepts (a previous save), so nothing of the user's is lost.
 */
export async function writeDirAtomic(dir: string, files: Map<string, Uint8Array>, ownFile: (name: string) => boolean): Promise<void> {
  const target = path.resolve(dir);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new Error(`cannot save to ${dir}: it is a file, and this format saves a folder`);
    const foreign = fs.readdirSync(target).filter((f) => !ownFile(f));
    if (foreign.length > 0) throw new Error(`cannot save to ${dir}: the folder holds other files (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}); save into a new or empty folder`);
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = tempName(target, 'tmp');
  fs.mkdirSync(tmp);
  try {
    for (const [name, bytes] of files) writeAndSync(path.join(tmp, name), bytes);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  // Two renames: the old folder steps aside, the new one takes its place; if the second
  // fails the old one comes back.
  const old = fs.existsSync(target) ? tempName(target, 'old') : null;
  if (old !== null) fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (old !== null) fs.renameSync(old, target);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  if (old !== null) fs.rmSync(old, { recursive: true, force: true });
}
