// The typed face of the native addon. Only src/ops and src/tensor call it.
import { join } from 'node:path';

/** An opaque handle to native tensor storage (an N-API External). */
export type NativeHandle = { readonly __nativeHandle: unique symbol };

/** What `backendInfo()` reports. */
export interface BackendInfo {
  cpu: { isa: string; threads: number; avx2: boolean; fma: boolean; avx512f: boolean };
  cuda: { loaded: boolean; libraryPath?: string; reason?: string; devices: string[] };
  opsDefHash: string;
}

/** Native memory counters, per device name ('cpu', 'cuda:0'). */
export interface NativeMemoryInfo {
  numTensors: number;
  reclaimed: number;
  devices: Record<string, { tensors: number; bytes: number; buffers: number }>;
}

/** The fixed N-API surface (DESIGN section 3). */
export interface NativeBinding {
  createTensor(data: ArrayBufferView | null, shape: number[], dtype: number, device: number): NativeHandle;
  /** One output comes back as a handle, several as an array. */
  run(op: number, inputs: NativeHandle[], attrs: Float64Array, outSpecs: Int32Array): NativeHandle | NativeHandle[];
  reshape(handle: NativeHandle, shape: number[]): NativeHandle;
  read(handle: NativeHandle): Float32Array | Int32Array | Float64Array | Uint8Array;
  readAsync(handle: NativeHandle): Promise<Float32Array | Int32Array | Float64Array | Uint8Array>;
  dispose(handle: NativeHandle): void;
  to(handle: NativeHandle, device: number): NativeHandle;
  backendInfo(): BackendInfo;
  memoryInfo(): NativeMemoryInfo;
  setNumThreads(n: number): number;
  synchronize(device: number): void;
}

function load(): NativeBinding {
  // dist/src/native -> the package root holds build/ and prebuilds/; so does src/native
  // under ts-jest.
  const root = join(__dirname, '..', '..', __dirname.includes(`${join('dist', 'src')}`) ? '..' : '');
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('node-gyp-build')(root) as NativeBinding;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new Error(
      `tessera: the native addon could not be loaded (${reason}). ` +
        'No prebuilt binary fits this platform and no local build was found: run `npm run build:addon` ' +
        '(needs python3, make and a C++17 compiler) in the tessera package folder.',
    );
  }
}

/** The loaded addon. */
export const native: NativeBinding = load();
