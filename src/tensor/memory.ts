// Releasing tensors: tidy(), keep(), dispose() and the memory() report. The memory model
// (handles, what the GC reclaims, GC pressure, the block caches): docs/ARCHITECTURE.md.
import { tooManyArguments } from '../options/arity';
import { native } from '../native/binding';
import { checkFunction } from './check_function';
import { closeScope, openScope, trackTensor } from './scope';
import { describe } from './shape';
import { Tensor } from './tensor';

/** Anything that may hold tensors: a tensor, arrays and plain objects of them. */
export type TensorContainer = Tensor | TensorContainer[] | { [key: string]: TensorContainer } | null | undefined | number | string | boolean;

function collect(x: unknown, into: Set<Tensor>, seen = new Set<unknown>()): void {
  if (x instanceof Tensor) {
    into.add(x);
    return;
  }
  if (x === null || typeof x !== 'object' || seen.has(x)) return;
  seen.add(x);
  const values = Array.isArray(x) ? x : Object.values(x as object);
  for (const v of values) collect(v, into, seen);
}

/**
 * Runs fn and disposes every tensor it created, except those it returns and those
 * passed to keep(). Returned tensors move to the enclosing tidy scope. TensorFlow.js's
 * `tidy(name, fn)` works too (the name labels nothing here).
 * @example const y = tidy(() => add(mul(x, 2), 1));
 */
export function tidy<T>(fn: () => T): T;
export function tidy<T>(name: string, fn: () => T): T;
export function tidy<T>(nameOrFn: string | (() => T), namedFn?: () => T): T {
  if (arguments.length > 2) throw tooManyArguments('tidy', 2, arguments.length);
  let fn = nameOrFn as () => T;
  if (typeof nameOrFn === 'string') fn = namedFn as () => T;
  else if (namedFn !== undefined) throw new Error(`tidy: expected (fn) or (name, fn), got ${describe(nameOrFn)} and then ${describe(namedFn)}`);
  checkFunction('tidy', 'fn', fn);
  openScope();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    // A throwing function keeps nothing it made.
    for (const t of closeScope(true)) if (!t.kept) t.dispose();
    throw e;
  }
  const created = closeScope(false);
  if (result instanceof Promise) {
    throw new Error('tidy: the function returned a Promise; tidy cannot track async work (dispose tensors explicitly)');
  }
  const keepers = new Set<Tensor>();
  collect(result, keepers);
  for (const t of created) {
    if (keepers.has(t)) continue;
    if (!t.kept) t.dispose();
  }
  // A disposed tensor handed out would fail only later, far from here.
  for (const t of keepers) if (t.isDisposed) throw new Error(`tidy: the function returned a disposed tensor (shape [${t.shape.join(', ')}])`);
  // Returned tensors now belong to the enclosing scope.
  const createdHere = new Set(created);
  for (const t of keepers) if (createdHere.has(t)) trackTensor(t);
  return result;
}

/** Marks t to survive every enclosing tidy(); returns t. */
export function keep<T extends Tensor>(t: T): T {
  if (arguments.length > 1) throw tooManyArguments('keep', 1, arguments.length);
  if (!(t instanceof Tensor)) throw new Error(`keep: expected a Tensor, got ${describe(t)}`);
  if (t.isDisposed) throw new Error(`keep: the tensor (shape [${t.shape.join(', ')}]) is already disposed; keep it before disposing it`);
  t.kept = true;
  return t;
}

/** Disposes a tensor, or every tensor in an array or object. */
export function dispose(x: TensorContainer): void {
  if (arguments.length > 1) throw tooManyArguments('dispose', 1, arguments.length);
  const all = new Set<Tensor>();
  collect(x, all);
  for (const t of all) t.dispose();
}

/** Live tensors and bytes, per device and in total. */
export interface MemoryInfo {
  /** Live tensor handles (views and tape-saved tensors included). */
  numTensors: number;
  /** Bytes of live storage on all devices. */
  numBytes: number;
  /** Tensors released by the garbage collector because nobody disposed them. */
  reclaimedByGC: number;
  /**
   * Bytes of freed CPU storage the host block cache keeps for reuse (not in numBytes; the
   * process holds them). CUDA's allocator cache is not counted.
   */
  numCachedBytes: number;
  /** Per device: live tensors, bytes and storage buffers. */
  devices: Record<string, { numTensors: number; numBytes: number; numBuffers: number }>;
}

/**
 * Frees the CPU memory the block cache keeps for reuse (`memory().numCachedBytes`) and
 * returns the heap's free pages to the system, as PyTorch's `torch.cuda.empty_cache()` does
 * for its allocator: after a large job, before a long idle spell or another process's
 * turn. Live tensors are untouched; later steps map and fault in their blocks afresh.
 * CUDA's allocator pool is not emptied.
 */
export function emptyCache(): void {
  if (arguments.length > 0) throw tooManyArguments('emptyCache', 0, arguments.length);
  native.emptyCache();
}

/** Reports live tensors and bytes per device. */
export function memory(): MemoryInfo {
  if (arguments.length > 0) throw tooManyArguments('memory', 0, arguments.length);
  const info = native.memoryInfo();
  const devices: MemoryInfo['devices'] = {};
  let numBytes = 0;
  for (const [name, d] of Object.entries(info.devices)) {
    devices[name] = { numTensors: d.tensors, numBytes: d.bytes, numBuffers: d.buffers };
    numBytes += d.bytes;
  }
  return { numTensors: info.numTensors, numBytes, reclaimedByGC: info.reclaimed, numCachedBytes: info.hostCached, devices };
}
