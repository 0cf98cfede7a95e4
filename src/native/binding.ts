// The typed face of the native addon. Only src/ops and src/tensor call it.
import { OPS_DEF_HASH } from './op_ids';
import { join, relative, sep } from 'node:path';

/** An opaque handle to native tensor storage (an N-API External; a BigInt while young, src/tensor/young.ts). */
export type NativeHandle = { readonly __nativeHandle: unique symbol };

/** A CPU tensor's bytes lent to another native module (an N-API External only native code reads). */
export type HostBuffer = { readonly __hostBuffer: unique symbol };

/** What `backendInfo()` reports. */
export interface BackendInfo {
  /** The CPU kernels: the instruction set they chose ('avx512', 'avx2', 'portable'), their threads, the CPU's features. */
  cpu: { isa: string; threads: number; avx2: boolean; fma: boolean; avx512f: boolean };
  /** The CUDA library: whether it loaded and from where, why not when it did not, and the GPUs it found. */
  cuda: { loaded: boolean; libraryPath?: string; reason?: string; devices: string[] };
  /** Hash of the native/ops.def the addon was built from (the CUDA library must match it). */
  opsDefHash: string;
  /** The addon file that was loaded, and whether it is a prebuilt binary or a local build. */
  addon: AddonInfo;
}

/** Where the native addon was loaded from. */
export interface AddonInfo {
  /** The .node file's absolute path. */
  path: string;
  /** 'prebuild': prebuilds/<platform>-<arch>/ of the package; 'source build': build/ (node-gyp). */
  kind: 'prebuild' | 'source build';
}

/** Native memory counters, per device name ('cpu', 'cuda:0'). */
export interface NativeMemoryInfo {
  numTensors: number;
  reclaimed: number;
  /** Live handles that have no finalizer yet (young: runArgs/runScratch results not yet promoted). */
  young: number;
  hostCached: number;
  devices: Record<string, { tensors: number; bytes: number; buffers: number }>;
}

/** The fixed N-API surface. */
export interface NativeBinding {
  createTensor(data: ArrayBufferView | null, shape: number[], dtype: number, device: number): NativeHandle;
  /** One output comes back as a handle, several as an array. */
  run(op: number, inputs: NativeHandle[], attrs: Float64Array, outSpecs: Float64Array): NativeHandle | NativeHandle[];
  /**
   * run() with the inputs as arguments and one array, args = [device, attribute count,
   * attributes..., (dtype, rank, dims...) per output]: the eager path's entry. Its handles
   * are young (BigInts, no finalizer): the caller disposes them or passes them to
   * promote() and keeps what it returns (src/tensor/young.ts), or they are never freed.
   */
  runArgs(op: number, args: Float64Array, ...inputs: NativeHandle[]): NativeHandle | NativeHandle[];
  /**
   * runArgs() with the op and its arguments already written into argBuffer(): [length, op,
   * device, attribute count, attributes..., (dtype, rank, dims...) per output], length
   * counting every element; arguments longer than the buffer go by runArgs. Young handles, as runArgs's.
   */
  runScratch(...inputs: NativeHandle[]): NativeHandle | NativeHandle[];
  /** The addon's argument buffer that runScratch reads (the same memory on every call). */
  argBuffer(): Float64Array;
  reshape(handle: NativeHandle, shape: number[]): NativeHandle;
  /** Rows [first, first + count) along the first dimension, sharing the storage. */
  rows(handle: NativeHandle, first: number, count: number): NativeHandle;
  read(handle: NativeHandle): Float32Array | Int32Array | Float64Array | Uint8Array;
  readAsync(handle: NativeHandle): Promise<Float32Array | Int32Array | Float64Array | Uint8Array>;
  dispose(handle: NativeHandle): void;
  /**
   * The handle to keep in place of each one given: a live young handle (a BigInt) gets an
   * External with a GC finalizer on its slot; any other handle comes back as it is.
   */
  promote(...handles: NativeHandle[]): NativeHandle[];
  to(handle: NativeHandle, device: number): NativeHandle;
  backendInfo(): Omit<BackendInfo, 'addon'>;
  memoryInfo(): NativeMemoryInfo;
  setNumThreads(n: number): number;
  emptyCache(): void;
  synchronize(device: number): void;
  /** A compiled step's plan from its spec (src/compiled/plan_spec.ts). */
  planCreate(spec: Float64Array, recordedExternals: NativeHandle[]): NativePlan;
  /** Runs entries [from, to) of a plan. */
  planRun(plan: NativePlan, from: number, to: number, externals: NativeHandle[], boundOutputs: NativeHandle[], attrs: Float64Array): void;
  /** A copy of one of the plan's arena slots. */
  planRead(plan: NativePlan, slot: number): Float32Array | Int32Array | Float64Array | Uint8Array;
  /** Releases the plan's arena now. */
  planDispose(plan: NativePlan): void;
  /** Lends a CPU tensor's own bytes to the MPI shim (host_buffer.h); keeps them alive until released. */
  hostBuffer(handle: NativeHandle): HostBuffer;
  /** [a fresh uninitialized CPU tensor of x's shape and dtype, a loan of x, a loan of that tensor]: an all-reduce's buffers in one call. */
  hostBufferPair(handle: NativeHandle): [NativeHandle, HostBuffer, HostBuffer];
  /** A loan of x's bytes when nothing but this handle reaches them (no other handle, view, loan or plan), else null: safe to reduce in place. */
  hostBufferSole(handle: NativeHandle): HostBuffer | null;
  /** Lends a CUDA tensor's device memory to the MPI shim's NCCL path (host_buffer.h, kDeviceBufferTag), after synchronizing its device's stream. */
  deviceBuffer(handle: NativeHandle): HostBuffer;
  /** [a fresh uninitialized tensor of x's shape and dtype on x's CUDA device, a loan of x, a loan of that tensor], after one synchronization. */
  deviceBufferPair(handle: NativeHandle): [NativeHandle, HostBuffer, HostBuffer];
  /** Ends the loans given, host or device (every argument checked first). */
  releaseHostBuffer(...buffers: HostBuffer[]): void;
}

/** An opaque handle to a compiled step's native plan. */
export type NativePlan = { readonly __nativePlan: unique symbol };

function load(): { binding: NativeBinding; addon: AddonInfo } {
  // dist/src/native -> the package root holds build/ and prebuilds/; so does src/native
  // under ts-jest. (A whole-segment test: a checkout named like 'x-dist' holds 'x-dist/src'.)
  const root = join(__dirname, '..', '..', __dirname.endsWith(`${sep}dist${sep}src${sep}native`) ? '..' : '');
  let path: string;
  try {
    // node-gyp-build's own search (build/Release, build/Debug, then prebuilds/<platform>-<arch>/)
    // at require time: loading a prebuild needs no install script.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- node-gyp-build has no types; a failure here becomes the message below
    path = require('node-gyp-build').resolve(root) as string;
  } catch (e) {
    const reason = e instanceof Error ? e.message.trim() : String(e);
    throw new Error(
      `tessera: the native addon could not be loaded: no prebuilt binary fits this platform ` +
        `(${process.platform}-${process.arch}) and no local build was found in ${root}.\n` +
        '  To build one from source (needs python3, make and a C++17 compiler), either reinstall with install ' +
        'scripts allowed (`npm rebuild tessera`), or run `npx node-gyp rebuild` in that folder; ' +
        '`npm run prebuilds` in a clone of the repository makes a prebuild for this platform.\n' +
        `  node-gyp-build said: ${reason}`,
      { cause: e },
    );
  }
  let binding: NativeBinding;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native addon at a path found at run time loads only through require
    binding = require(path) as NativeBinding;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `tessera: the native addon ${path} was found but could not be loaded (${reason}). ` +
        'A prebuild can need a newer glibc or libstdc++ than this system has (README, Platforms); build one from ' +
        'source instead: run `npx node-gyp rebuild` in ' +
        `${root} (needs python3, make and a C++17 compiler).`,
      { cause: e },
    );
  }
  const kind = relative(root, path).split(sep)[0] === 'prebuilds' ? 'prebuild' : 'source build';
  // Kernel ids come from ops.def on both sides: an addon built from another ops.def would
  // run the wrong kernels, so it is refused here rather than misbehaving later.
  const built = binding.backendInfo().opsDefHash;
  if (built !== OPS_DEF_HASH) {
    throw new Error(
      `tessera: the native addon ${path} was built from a different native/ops.def (hash ${built}, expected ${OPS_DEF_HASH}); ` +
        `rebuild it: \`npx node-gyp rebuild\` in ${root}`,
    );
  }
  return { binding, addon: { path, kind } };
}

const loaded = load();

/** The loaded addon. */
export const native: NativeBinding = loaded.binding;

/** Where the addon was loaded from. */
export const addonInfo: AddonInfo = loaded.addon;
