// Writes that never leave a half-written file where a good one was: write a temporary
// file beside the target, flush it, then rename it over the target. A failure at any
// point leaves the previous file as it was.
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
  const folder = path.dirname(path.resolve(file));
  for (const f of staleTemporaries(folder, `${path.basename(file)}.`)) fs.rmSync(path.join(folder, f), { recursive: true, force: true });
}

// A temporary file of a save (ours, or one a killed process left): '<name>.tmp-<pid>-<random>',
// and '.old-' folders that earlier versions stepped aside into.
const TEMPORARY = /\.(?:tmp|old)-(\d+)-[0-9a-z]+$/;

/** True for a temporary name writeFileAtomic or a save gives (see TEMPORARY). */
export const isTemporary = (name: string): boolean => TEMPORARY.test(name);

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Temporaries of processes that are gone (killed in the middle of a save) in `folder`, whose names start with `prefix`.
function staleTemporaries(folder: string, prefix = ''): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder).filter((f) => f.startsWith(prefix) && !alive(Number(TEMPORARY.exec(f)?.[1] ?? process.pid)));
}

// The weights files a folder's JSON file names now (none when it is missing or unreadable).
function namedFiles(jsonFile: string): Set<string> {
  try {
    const manifest = (JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { weightsManifest?: { paths?: unknown }[] }).weightsManifest;
    return new Set(
      (Array.isArray(manifest) ? manifest : []).flatMap((g) => (Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : [])),
    );
  } catch {
    return new Set();
  }
}

function syncFolder(folder: string): void {
  try {
    const fd = fs.openSync(folder, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every file system lets a folder be opened for syncing; the renames are atomic regardless.
  }
}

/**
 * Saves a folder of a JSON file (model.json, weights.json) and the weights files it
 * names, so that the folder holds a complete save at every moment, for a reader and
 * after a kill: the weights files, under names no earlier save used (versioned, see
 * weights_bin), are written first, each atomically; then the JSON file atomically
 * replaces the previous one. A reader that read either JSON file finds its weights.
 * Afterwards the weights files neither this JSON nor the one it replaced names, and
 * temporaries that killed saves left, are removed. An existing `dir` may only hold
 * files that `ownFile` accepts (a previous save), so nothing of the user's is lost.
 */
export async function writeSavedFolder(
  dir: string,
  jsonName: string,
  json: Uint8Array,
  weightFiles: Map<string, Uint8Array>,
  ownFile: (name: string) => boolean,
): Promise<void> {
  const target = path.resolve(dir);
  const mine = (name: string) => ownFile(name) || isTemporary(name);
  if (fs.existsSync(target)) {
    if (!fs.statSync(target).isDirectory()) throw new Error(`cannot save to ${dir}: it is a file, and this format saves a folder`);
    const foreign = fs.readdirSync(target).filter((f) => !mine(f));
    if (foreign.length > 0)
      throw new Error(
        `cannot save to ${dir}: the folder holds other files (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}); save into a new or empty folder`,
      );
  }
  fs.mkdirSync(target, { recursive: true });
  const jsonFile = path.join(target, jsonName);
  const previous = namedFiles(jsonFile);
  for (const [name, bytes] of weightFiles) await writeFileAtomic(path.join(target, name), bytes);
  syncFolder(target);
  await writeFileAtomic(jsonFile, json);
  syncFolder(target);
  const keep = new Set([jsonName, ...weightFiles.keys(), ...previous]);
  const superseded = fs.readdirSync(target).filter((f) => ownFile(f) && !isTemporary(f) && !keep.has(f));
  for (const f of [...superseded, ...staleTemporaries(target)]) fs.rmSync(path.join(target, f), { recursive: true, force: true });
  // Earlier versions of Tessera saved into a temporary folder beside the target.
  const parent = path.dirname(target);
  for (const f of staleTemporaries(parent, `${path.basename(target)}.`)) fs.rmSync(path.join(parent, f), { recursive: true, force: true });
}
