// HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly). h5wasm ships as an
// ES module, which a CommonJS build can only import() asynchronously, and jest runs
// import() only under --experimental-vm-modules; its self-contained script build (the
// WebAssembly inlined) runs anywhere, so it is loaded once, lazily, with vm. Files pass
// through h5wasm's in-memory file system: bytes in, bytes out. HDF5 prints its error
// stack (HDF5-DIAG, dozens of lines) on stderr and h5wasm then throws 'error - name not
// defined!'; while a file is read those lines are kept instead, and become the error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as H5 from 'h5wasm';

/** The h5wasm module. */
export type H5Module = typeof H5;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

let loading: Promise<H5Module> | null = null;
let counter = 0;
// HDF5's diagnostics while a file is read (null: pass them on to stderr).
let diagnostics: string[] | null = null;
const printErr = (...args: unknown[]) => {
  if (diagnostics !== null) diagnostics.push(args.map(String).join(' '));
  else console.error(...args);
};

function findBundle(): string {
  const candidates = (require.resolve.paths('h5wasm') ?? []).map((dir) => path.join(dir, 'h5wasm', 'dist', 'iife', 'h5wasm.js'));
  const found = candidates.find((f) => fs.existsSync(f));
  if (found === undefined) throw new Error('HDF5 files (.h5, .keras) need the h5wasm package: npm install h5wasm');
  return found;
}

/** h5wasm, loaded on first use. */
export function h5(): Promise<H5Module> {
  loading ??= (async () => {
    // The module binds console.error as its error printer when it starts: it gets printErr.
    const start = vm.runInThisContext(
      `(function (printErr) { const saved = console.error; console.error = printErr; try {\n${fs.readFileSync(findBundle(), 'utf8')}\nreturn h5wasm; } finally { console.error = saved; } })`,
      { filename: 'h5wasm.js' },
    ) as (p: typeof printErr) => H5Module;
    const module = start(printErr);
    await module.ready;
    return module;
  })();
  return loading;
}

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** True when `bytes` start like an HDF5 file. */
export function isHdf5(bytes: Uint8Array): boolean {
  return HDF5_SIGNATURE.every((b, i) => bytes[i] === b);
}

// What HDF5's error stack says, shortly: its outermost and innermost messages.
function summarize(lines: string[]): string {
  const messages = lines.map((l) => /#\d+: .* in (\S+)\(\): (.*)$/.exec(l)?.[2]?.trim()).filter((m): m is string => m !== undefined);
  const picked = [...new Set([messages[0], messages[messages.length - 1]])].filter((m) => m !== undefined);
  return picked.length > 0 ? picked.join(': ') : (lines.find((l) => l.trim().length > 0)?.trim() ?? 'no details');
}

/**
 * Runs `read` on the HDF5 file in `bytes` (checked to be one, naming `source`). A file
 * that HDF5 reports errors in is refused as damaged, with HDF5's reason, even when
 * `read` got through it: its structure is not what was written.
 */
export async function readH5<T>(source: string, bytes: Uint8Array, read: (file: H5.File, module: H5Module) => T): Promise<T> {
  if (!isHdf5(bytes)) throw new Error(`${source} is not an HDF5 file (it does not start with the HDF5 signature)`);
  const module = await h5();
  const name = `/read-${process.pid}-${counter++}.h5`;
  module.FS!.writeFile(name, bytes);
  let file: H5.File | null = null;
  const seen: string[] = [];
  diagnostics = seen;
  const damaged = (detail?: string) => new Error(`${source} is a damaged HDF5 file (HDF5: ${summarize(seen)})${detail ? `; ${detail}` : ''}`);
  try {
    file = new module.File(name, 'r');
    const result = read(file, module);
    if (seen.length > 0) throw damaged();
    return result;
  } catch (e) {
    const message = (e as Error).message;
    if (seen.length === 0 && !/name not defined/.test(message)) throw message.includes(source) ? e : new Error(`${source}: ${message}`, { cause: e });
    throw message.startsWith(source) && message.includes('is a damaged HDF5 file') ? e : damaged(/name not defined/.test(message) ? undefined : message);
  } finally {
    try {
      file?.close();
    } catch {
      // A file HDF5 could not open has nothing to close.
    }
    diagnostics = null;
    module.FS!.unlink(name);
  }
}

/** The bytes of a new HDF5 file that `write` fills. */
export async function writeH5(write: (file: H5.File, module: H5Module) => void): Promise<Uint8Array> {
  const module = await h5();
  const name = `/write-${process.pid}-${counter++}.h5`;
  const file = new module.File(name, 'w');
  try {
    write(file, module);
  } finally {
    file.close();
  }
  try {
    return module.FS!.readFile(name) as Uint8Array;
  } finally {
    module.FS!.unlink(name);
  }
}

/** The group at `p` (made with its parents when missing). */
export function ensureGroup(file: H5.Group, p: string): H5.Group {
  let g: H5.Group = file;
  for (const part of p.split('/').filter((s) => s.length > 0)) {
    g = g.keys().includes(part) ? (g.get(part) as H5.Group) : g.create_group(part);
  }
  return g;
}

/** The child `name` of a group if it is a group, else null (no HDF5 errors printed for missing paths). */
export function childGroup(module: H5Module, g: H5.Group, p: string): H5.Group | null {
  let cur: H5.Group = g;
  for (const part of p.split('/').filter((s) => s.length > 0)) {
    if (!cur.keys().includes(part)) return null;
    const next = cur.get(part);
    if (!(next instanceof module.Group)) return null;
    cur = next;
  }
  return cur;
}

/** The deepest nesting of groups a walk over a file follows (Keras's files nest a few levels). */
export const MAX_GROUP_DEPTH = 64;

/**
 * Throws when the group at `path` (of a walk over a file) is nested deeper than
 * MAX_GROUP_DEPTH: a hard link to a group's own parent makes the file an endless tree,
 * which a walk followed until the process hung.
 */
export function checkGroupDepth(path: string): void {
  if (path.split('/').length > MAX_GROUP_DEPTH)
    throw new Error(`its groups nest more than ${MAX_GROUP_DEPTH} levels deep (at '${path.slice(0, 200)}...'): a link makes a cycle, or the file is damaged`);
}

/** Every dataset of a file with its path and shape (to check a config against before building it). */
export function datasetShapes(module: H5Module, g: H5.Group, prefix = ''): { name: string; shape: number[] }[] {
  const out: { name: string; shape: number[] }[] = [];
  for (const key of g.keys()) {
    const child = g.get(key);
    const name = prefix === '' ? key : `${prefix}/${key}`;
    if (child instanceof module.Group) {
      checkGroupDepth(name);
      out.push(...datasetShapes(module, child, name));
    } else if (child instanceof module.Dataset) out.push({ name, shape: [...(child.shape ?? [])] });
  }
  return out;
}
