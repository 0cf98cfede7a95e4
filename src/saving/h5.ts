// HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly). h5wasm ships as an
// ES module, which a CommonJS build can only import() asynchronously, and jest runs
// import() only under --experimental-vm-modules; its self-contained script build (the
// WebAssembly inlined) runs anywhere, so it is loaded once, lazily, with vm. Files pass
// through h5wasm's in-memory file system: bytes in, bytes out.
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

function findBundle(): string {
  const candidates = (require.resolve.paths('h5wasm') ?? []).map((dir) => path.join(dir, 'h5wasm', 'dist', 'iife', 'h5wasm.js'));
  const found = candidates.find((f) => fs.existsSync(f));
  if (found === undefined) throw new Error('HDF5 files (.h5, .keras) need the h5wasm package: npm install h5wasm');
  return found;
}

/** h5wasm, loaded on first use. */
export function h5(): Promise<H5Module> {
  loading ??= (async () => {
    const module = vm.runInThisContext(`${fs.readFileSync(findBundle(), 'utf8')}\nh5wasm;`, { filename: 'h5wasm.js' }) as H5Module;
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

/** Runs `read` on the HDF5 file in `bytes` (checked to be one, naming `source`). */
export async function readH5<T>(source: string, bytes: Uint8Array, read: (file: H5.File, module: H5Module) => T): Promise<T> {
  if (!isHdf5(bytes)) throw new Error(`${source} is not an HDF5 file (it does not start with the HDF5 signature)`);
  const module = await h5();
  const name = `/read-${process.pid}-${counter++}.h5`;
  module.FS!.writeFile(name, bytes);
  let file: H5.File | null = null;
  try {
    file = new module.File(name, 'r');
    return read(file, module);
  } finally {
    file?.close();
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
