// HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly). h5wasm ships as an
// ES module, which a CommonJS build can only import() asynchronously, and jest runs
// import() only under --experimental-vm-modules; its self-contained script build (the
// WebAssembly inlined) runs anywhere, so it is loaded with vm: here, lazily, for writing
// (bytes out of its in-memory file system), and in a worker thread for reading
// (h5_worker.ts), which a time limit can stop.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as H5 from 'h5wasm';
import { checkGroupDepth, H5ReadGroup, h5Read, type H5ReadModule } from './h5_tree';
import { readInWorker } from './h5_worker';

export { checkGroupDepth, MAX_GROUP_DEPTH, H5ReadGroup, H5ReadDataset, type H5ReadModule } from './h5_tree';

/** The h5wasm module. */
export type H5Module = typeof H5;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

let loading: Promise<H5Module> | null = null;
let counter = 0;

function findBundle(): string {
  const candidates = (require.resolve.paths('h5wasm') ?? []).map((dir) => path.join(dir, 'h5wasm', 'dist', 'iife', 'h5wasm.js'));
  const found = candidates.find((f) => fs.existsSync(f));
  if (found === undefined) throw new Error('HDF5 files (.h5, .keras) need the h5wasm package: npm install h5wasm');
  return found;
}

/** h5wasm, loaded on first use. */
export function h5(): Promise<H5Module> {
  loading ??= (async () => {
    const module = vm.runInThisContext(`(function () {\n${fs.readFileSync(findBundle(), 'utf8')}\nreturn h5wasm; })`, { filename: 'h5wasm.js' })() as H5Module;
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

/**
 * The file in `bytes` (checked to be HDF5, naming `source`), read whole in a worker
 * thread that is stopped after TESSERA_H5_TIMEOUT_MS (a damaged file can make HDF5 loop
 * forever). A file that HDF5 reports errors in is refused as damaged, with HDF5's reason:
 * its structure is not what was written.
 */
export async function loadH5(source: string, bytes: Uint8Array): Promise<H5ReadGroup> {
  if (!isHdf5(bytes)) throw new Error(`${source} is not an HDF5 file (it does not start with the HDF5 signature)`);
  const result = await readInWorker(source, bytes, findBundle());
  if ('tree' in result) return new H5ReadGroup('/', result.tree);
  if ('damaged' in result) throw new Error(`${source} is a damaged HDF5 file (HDF5: ${result.damaged})${result.detail ? `; ${result.detail}` : ''}`);
  throw new Error(result.error.includes(source) ? result.error : `${source}: ${result.error}`);
}

/** Runs `read` on a file that loadH5 read; its errors name `source`. */
export function withH5<T>(source: string, file: H5ReadGroup, read: (file: H5ReadGroup, module: H5ReadModule) => T): T {
  try {
    return read(file, h5Read);
  } catch (e) {
    const message = (e as Error).message;
    throw message.includes(source) ? e : new Error(`${source}: ${message}`, { cause: e });
  }
}

/** Runs `read` on the HDF5 file in `bytes` (see loadH5). */
export async function readH5<T>(source: string, bytes: Uint8Array, read: (file: H5ReadGroup, module: H5ReadModule) => T): Promise<T> {
  return withH5(source, await loadH5(source, bytes), read);
}

/** The bytes of a new HDF5 file that `write` fills. */
export async function writeH5(write: (file: H5.File, module: H5Module) => void): Promise<Uint8Array> {
  const module = await h5();
  const name = `/write-${process.pid}-${counter++}.h5`;
  const file = new module.File(name, 'w');
  try {
    try {
      write(file, module);
    } finally {
      file.close();
    }
    return module.FS!.readFile(name) as Uint8Array;
  } catch (e) {
    // h5wasm throws plain strings ("|u1 is not a recognized dtype"): make them errors.
    throw typeof e === 'string' ? new Error(`HDF5: ${e}`) : e;
  } finally {
    module.FS!.unlink(name); // also after a failed write: the in-memory file would stay
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
export function childGroup(module: H5ReadModule, g: H5ReadGroup, p: string): H5ReadGroup | null {
  let cur: H5ReadGroup = g;
  for (const part of p.split('/').filter((s) => s.length > 0)) {
    if (!cur.keys().includes(part)) return null;
    const next = cur.get(part);
    if (!(next instanceof module.Group)) return null;
    cur = next;
  }
  return cur;
}

/** Every dataset of a file with its path and shape (to check a config against before building it). */
export function datasetShapes(module: H5ReadModule, g: H5ReadGroup, prefix = ''): { name: string; shape: number[] }[] {
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
