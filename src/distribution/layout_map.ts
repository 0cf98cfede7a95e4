// Keras 3's keras.distribution.LayoutMap: TensorLayouts by variable path, the keys read as
// regular expressions. A lookup takes the key equal to the path, else the one key that
// matches the whole path (Keras 3.15's re.fullmatch); two matching keys are an error.
import { tooManyArguments } from '../options/arity';
import { describe } from '../tensor/shape';
import { DeviceMesh } from './device_mesh';
import { TensorLayout } from './tensor_layout';

const OP = 'distribution.LayoutMap';

/**
 * Variable paths to TensorLayouts (Keras 3's keras.distribution.LayoutMap). Keys are
 * JavaScript regular expressions matched against the whole `Variable.path`
 * ('dense/kernel', 'sequential/dense_1/bias'); a value may be a TensorLayout or an array
 * of axis names (Keras's tuple), made a TensorLayout on the map's mesh.
 * @example
 * const map = new ts.distribution.LayoutMap(mesh);
 * map.set('.*dense.*kernel', [null, 'model']);
 * map.get('dense_1/kernel'); // TensorLayout axes [null, 'model']
 */
export class LayoutMap {
  /** The mesh the map's layouts are placed on. */
  readonly deviceMesh: DeviceMesh;
  private readonly layouts = new Map<string, { pattern: RegExp; layout: TensorLayout }>();
  /** @internal Bumped by every set and delete, so what was checked against the map can be rechecked. */
  version = 0;

  constructor(deviceMesh: DeviceMesh) {
    if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
    if (!(deviceMesh instanceof DeviceMesh)) throw new Error(`${OP}: expected a DeviceMesh, got ${describe(deviceMesh)}`);
    this.deviceMesh = deviceMesh;
  }

  /** Adds the layout for the paths `key` matches; a key already in the map is an error (Keras's). */
  set(key: string, layout: TensorLayout | (string | null)[]): this {
    if (arguments.length > 2) throw tooManyArguments('LayoutMap.set', 2, arguments.length);
    if (typeof key !== 'string') throw new Error(`LayoutMap.set: expected key to be a string (a regular expression), got ${describe(key)}`);
    if (this.layouts.has(key)) {
      throw new Error(
        `LayoutMap.set: '${key}' is already in the map with the value ${this.layouts.get(key)!.layout}; use distinct keys (delete it first to replace it)`,
      );
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^(?:${key})$`);
    } catch (e) {
      throw new Error(`LayoutMap.set: key '${key}' is not a valid regular expression (${(e as Error).message})`, { cause: e });
    }
    let value: unknown = layout;
    if (Array.isArray(value)) value = new TensorLayout(value as (string | null)[]);
    if (!(value instanceof TensorLayout))
      throw new Error(`LayoutMap.set: expected a TensorLayout or an array of axis names and nulls for '${key}', got ${describe(layout)}`);
    if (value.deviceMesh === null) value.deviceMesh = this.deviceMesh;
    else if (!sameMesh(value.deviceMesh, this.deviceMesh))
      throw new Error(
        `LayoutMap.set: the layout for '${key}' is on ${value.deviceMesh}, but the map's mesh is ${this.deviceMesh}; a distribution has one mesh`,
      );
    this.layouts.set(key, { pattern, layout: value });
    this.version++;
    return this;
  }

  /** The layout for `path`: the key equal to it, else the one key matching all of it; null when none does. */
  get(path: string): TensorLayout | null {
    if (arguments.length > 1) throw tooManyArguments('LayoutMap.get', 1, arguments.length);
    if (typeof path !== 'string') throw new Error(`LayoutMap.get: expected a path string ('dense/kernel'), got ${describe(path)}`);
    const exact = this.layouts.get(path);
    if (exact !== undefined) return exact.layout;
    const matching = [...this.layouts].filter(([, v]) => v.pattern.test(path)).map(([k]) => k);
    if (matching.length > 1) {
      throw new Error(
        `LayoutMap.get: path '${path}' matches several layout keys: ${describe(matching)}; make sure each tensor/variable path matches at most one key of the LayoutMap`,
      );
    }
    return matching.length === 1 ? this.layouts.get(matching[0])!.layout : null;
  }

  /** True when `key` is a key of the map (as written, not matched). */
  has(key: string): boolean {
    if (arguments.length > 1) throw tooManyArguments('LayoutMap.has', 1, arguments.length);
    return this.layouts.has(key);
  }

  /** Removes `key`; a key not in the map is an error (Keras's KeyError). */
  delete(key: string): TensorLayout {
    if (arguments.length > 1) throw tooManyArguments('LayoutMap.delete', 1, arguments.length);
    const entry = this.layouts.get(key);
    if (entry === undefined) throw new Error(`LayoutMap.delete: no key ${describe(key)} in the map; its keys are ${describe([...this.layouts.keys()])}`);
    this.layouts.delete(key);
    this.version++;
    return entry.layout;
  }

  /** The number of keys. */
  get size(): number {
    return this.layouts.size;
  }

  /** The keys, in the order they were set. */
  keys(): string[] {
    if (arguments.length > 0) throw tooManyArguments('LayoutMap.keys', 0, arguments.length);
    return [...this.layouts.keys()];
  }

  /** [key, layout] pairs, in the order they were set. */
  entries(): [string, TensorLayout][] {
    if (arguments.length > 0) throw tooManyArguments('LayoutMap.entries', 0, arguments.length);
    return [...this.layouts].map(([k, v]) => [k, v.layout]);
  }

  /** Iterates [key, layout] pairs, as a Map does. */
  [Symbol.iterator](): Iterator<[string, TensorLayout]> {
    return this.entries()[Symbol.iterator]();
  }
}

// Two meshes of the same devices in the same grid (a mesh built twice is the same mesh).
const sameMesh = (a: DeviceMesh, b: DeviceMesh): boolean =>
  a === b || JSON.stringify([a.shape, a.axisNames, a.flatDevices]) === JSON.stringify([b.shape, b.axisNames, b.flatDevices]);
