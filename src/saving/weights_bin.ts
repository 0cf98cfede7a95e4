// TensorFlow.js's weights files: the values of every weight, little-endian, one after
// another in manifest order, cut into shards of 4 MB, or one file when they fit; the
// manifest in model.json says names, shapes, dtypes and which files. Tessera names its
// files after a hash of the manifest's specs and the bytes (weights-<version>.bin, or
// weights-<version>-shard1of2.bin, ...): a new save never overwrites the files an older
// model.json names, and a reader checks that the bytes are the ones the name promises.
import * as crypto from 'node:crypto';
import * as os from 'node:os';
import type { DType, TypedArray } from '../tensor/dtype';
import type { WeightValue } from './weights';
import { ownEntry } from '../options/own_entry';

/** One weight in a manifest. */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  group?: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

/** A manifest entry: the files of a group of weights and the weights in them. */
export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** TensorFlow.js's shard size. */
export const SHARD_BYTES = 4 * 1024 * 1024;

const BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float64: 8, float16: 2 };

if (os.endianness() !== 'LE') throw new Error('tessera saving: weights files are little-endian and this machine is big-endian, which is not supported');

/** The manifest and the files (name -> bytes) for weight values. */
export function encodeWeights(values: WeightValue[]): { manifest: WeightsGroup[]; files: Map<string, Uint8Array> } {
  const specs: WeightSpec[] = values.map((v) => ({ name: v.name, shape: v.shape, dtype: v.dtype, ...(v.group ? { group: v.group } : {}) }));
  const total = values.reduce((n, v) => n + v.values.byteLength, 0);
  const all = new Uint8Array(total);
  let at = 0;
  for (const v of values) {
    all.set(new Uint8Array(v.values.buffer, v.values.byteOffset, v.values.byteLength), at);
    at += v.values.byteLength;
  }
  const files = new Map<string, Uint8Array>();
  const version = versionOf(specs, all);
  if (total <= SHARD_BYTES) files.set(`weights-${version}.bin`, all);
  else {
    const n = Math.ceil(total / SHARD_BYTES);
    for (let i = 0; i < n; i++) files.set(`weights-${version}-shard${i + 1}of${n}.bin`, all.subarray(i * SHARD_BYTES, Math.min(total, (i + 1) * SHARD_BYTES)));
  }
  return { manifest: [{ paths: [...files.keys()], weights: specs }], files };
}

// The version in Tessera's file names: a hash of the specs (names, shapes, dtypes, in order) and the bytes.
function versionOf(specs: WeightSpec[], bytes: Uint8Array): string {
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify(specs.map((w) => [w.name, w.shape, w.dtype, w.group ?? null, w.quantization ?? null])));
  hash.update(bytes);
  return hash.digest('hex').slice(0, 16);
}

const VERSIONED = /^weights-([0-9a-f]{16})(?:-shard\d+of\d+)?\.bin$/;

/** True for a weights file a save writes: Tessera's (versioned) or, from earlier saves, TensorFlow.js's names. */
export const isOwnWeightsFile = (name: string): boolean => VERSIONED.test(name) || name === 'weights.bin' || /^group\d+-shard\d+of\d+\.bin$/.test(name);

// The version a group's files all name, if they are Tessera's.
function namedVersion(paths: string[]): string | undefined {
  const versions = new Set(paths.map((p) => VERSIONED.exec(p.split('/').pop() ?? '')?.[1]));
  const [v] = versions;
  return versions.size === 1 && v !== undefined ? v : undefined;
}

const describe = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

/** Checks a manifest's shape (not its files) and returns it. */
export function checkManifest(source: string, manifest: unknown): WeightsGroup[] {
  if (!Array.isArray(manifest)) throw new Error(`${source}: expected weightsManifest to be a list of {paths, weights}, got ${describe(manifest)}`);
  for (const g of manifest as WeightsGroup[]) {
    if (typeof g !== 'object' || g === null || !Array.isArray(g.paths) || !Array.isArray(g.weights) || g.paths.some((p) => typeof p !== 'string')) {
      throw new Error(`${source}: expected each weightsManifest entry to be {paths: [file names], weights: [specs]}, got ${describe(g)}`);
    }
    for (const w of g.weights) {
      const ok =
        typeof w === 'object' && w !== null && typeof w.name === 'string' && Array.isArray(w.shape) && w.shape.every((d) => Number.isInteger(d) && d >= 0);
      if (!ok) throw new Error(`${source}: expected each weight spec to be {name, shape, dtype}, got ${describe(w)}`);
      const q = w.quantization;
      // Own keys only: 'toString' or 'constructor' are in every object.
      const okValue = typeof w.dtype === 'string' && Object.hasOwn(BYTES, w.dtype) && (q === undefined || w.dtype === 'float32' || w.dtype === 'int32');
      if (!okValue || (q !== undefined && (typeof q !== 'object' || q === null || !['uint8', 'uint16', 'float16'].includes(q.dtype)))) {
        throw new Error(
          `${source}: weight '${w.name}' has dtype ${describe(w.dtype)}${q !== undefined ? ` (quantized as ${describe(typeof q === 'object' && q !== null ? q.dtype : q)})` : ''}; supported: float32, int32, bool, float64, float16, and float32 / int32 in uint8 / uint16 / float16 quantization`,
        );
      }
      if (q !== undefined && q.dtype !== 'float16') checkAffine(source, w.name, q);
    }
  }
  return manifest as WeightsGroup[];
}

// uint8 / uint16 quantization stores value = raw * scale + min: both must be numbers, and
// every value they make finite (a scale of 'x' loaded as NaN weights, silently).
function checkAffine(source: string, name: string, q: { dtype: string; min?: unknown; scale?: unknown }): void {
  const largest = q.dtype === 'uint8' ? 255 : 65535;
  const { scale, min } = q;
  if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale * largest + min) || !Number.isFinite(min)) {
    throw new Error(
      `${source}: weight '${name}' is quantized as ${q.dtype} with scale ${describe(scale)} and min ${describe(min)}; both must be numbers that give finite values (raw * scale + min)`,
    );
  }
}

/** The paths of every file a manifest refers to, in order. */
export function manifestPaths(manifest: WeightsGroup[]): string[] {
  return manifest.flatMap((g) => g.paths);
}

/**
 * Weight values from a manifest and the bytes of its files (`read(path)`). Each group's
 * files are concatenated; their size must be exactly what the specs add up to.
 */
export function decodeWeights(source: string, manifest: WeightsGroup[], read: (path: string) => Uint8Array): WeightValue[] {
  const out: WeightValue[] = [];
  for (const group of manifest) {
    const parts = group.paths.map(read);
    const size = parts.reduce((n, p) => n + p.byteLength, 0);
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.byteLength;
    }
    const need = group.weights.reduce((n, w) => n + count(w.shape) * storedBytes(w), 0);
    if (need !== size) {
      throw new Error(
        `${source}: the weights files ${group.paths.join(', ')} hold ${size} bytes, but the manifest's ${group.weights.length} weights need ${need}; the files are truncated or belong to another model`,
      );
    }
    const version = namedVersion(group.paths);
    if (version !== undefined && versionOf(group.weights, bytes) !== version) {
      throw new Error(
        `${source}: the weights files ${group.paths.join(', ')} and their manifest are not what was saved (their hash is not the version ${version} in their names): they are damaged or were changed after saving`,
      );
    }
    let offset = 0;
    for (const w of group.weights) {
      const n = count(w.shape);
      const slice = bytes.slice(offset, offset + n * storedBytes(w));
      offset += slice.byteLength;
      out.push({
        name: w.name,
        shape: [...w.shape],
        dtype: (w.dtype === 'float16' ? 'float32' : w.dtype) as DType,
        values: toValues(w, slice.buffer, n),
        ...(w.group ? { group: w.group } : {}),
      });
    }
  }
  return out;
}

const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

function storedBytes(w: WeightSpec): number {
  const q = w.quantization?.dtype;
  if (q === 'uint8') return 1;
  if (q === 'uint16' || q === 'float16') return 2;
  return ownEntry(BYTES, w.dtype) ?? 4;
}

function toValues(w: WeightSpec, buffer: ArrayBuffer, n: number): TypedArray {
  const q = w.quantization;
  if (q === undefined) {
    if (w.dtype === 'int32') return new Int32Array(buffer, 0, n);
    if (w.dtype === 'bool') return new Uint8Array(buffer, 0, n);
    if (w.dtype === 'float64') return new Float64Array(buffer, 0, n);
    // float16 values (as TensorFlow.js reads them) become float32.
    if (w.dtype === 'float16') return Float32Array.from(new Uint16Array(buffer, 0, n), halfToFloat);
    return new Float32Array(buffer, 0, n);
  }
  const raw = q.dtype === 'uint8' ? new Uint8Array(buffer, 0, n) : new Uint16Array(buffer, 0, n);
  const out = w.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = q.dtype === 'float16' ? halfToFloat(raw[i]) : raw[i] * (q.scale ?? 1) + (q.min ?? 0);
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
