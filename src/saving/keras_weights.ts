// Keras 3's weights layout (model.weights.h5 in a .keras file, and .weights.h5 files):
// each layer's own variables at <path>/vars/0, 1, ... where the path follows how Keras
// walks a model: a functional or sequential model's layers under 'layers/<class>'
// (dense, dense_1, ... by class name in snake_case, never by layer name), a layer's
// sublayers under their attribute names (a GRU's cell: 'layers/gru/cell'). Keras 3.x
// also writes the layer's name as an attribute of its vars group, which matches
// layers when a path does not.
import { Layer } from '../layers/layer';
import { describe } from '../tensor/shape';
import { classNameOf } from '../serialization/registry';
import { registeredLayerName } from '../layers/serialization';
import { Model } from '../models/model';
import { GraphModel } from '../models/graph_model';
import type { DType, TypedArray } from '../tensor/dtype';
import { checkGroupDepth, childGroup, ensureGroup, type H5Group, type H5ReadGroup, type H5ReadModule } from './h5';
import { assignWeights, matchWeights, type ModelWeight, type WeightValue } from './weights';
import type { Variable } from '../tensor/tensor';
import { formatShape } from '../layers/symbolic_tensor';
import { crc32 } from './zip';

/** One layer's place in the file and its own variables. */
export interface KerasEntry {
  path: string;
  layer: Layer<any>;
  /**
   * The layer's name after those of the layers that hold it ('mha_1/key'; the model's own
   * name left out): sublayers' names repeat across layers (every MultiHeadAttention's
   * projections are 'query', 'key', ...), so a weight is named by this label.
   */
  label: string;
  vars: { name: string; variable: Variable }[];
}

/** Keras's naming.to_snake_case (for class names). */
function kerasSnake(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const join = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);

// Fields of the base classes, never a user's sublayers (Keras skips its base classes' attributes too).
let baseKeys: Set<string> | null = null;
function isBaseKey(key: string): boolean {
  baseKeys ??= new Set([
    'inboundNodes',
    'explicitLayers',
    'ownTrainable',
    'ownNonTrainable',
    'weightNames',
    'weightRegularizers',
    'activityLosses',
    'inputSpec',
  ]);
  return baseKeys.has(key);
}

/** Every layer of `model` with the path Keras 3 saves it under, in Keras's walk order. */
export function kerasEntries(model: Layer<any>): KerasEntry[] {
  const out: KerasEntry[] = [];
  const visited = new Set<Layer<any>>();
  const visit = (layer: Layer<any>, p: string, owner: string) => {
    if (visited.has(layer)) return;
    visited.add(layer);
    const label = layer === model ? '' : join(owner, layer.name);
    out.push({ path: p, layer, label, vars: layer.ownWeights() });
    const children: [string, unknown][] = [];
    if (layer instanceof GraphModel) {
      children.push(['layers', layer.layers]);
    } else {
      if (layer instanceof Model) children.push(['layers', layer.layers]);
      for (const [key, value] of Object.entries(layer)) if (!isBaseKey(key)) children.push([kerasSnake(key), value]);
      // Keras visits attributes sorted by name, private ('_') ones last.
      children.sort(([a], [b]) => nameKey(a).localeCompare(nameKey(b)));
    }
    for (const [key, value] of children) {
      if (value instanceof Layer) visit(value as Layer<any>, join(p, key), label);
      else if (Array.isArray(value) || isPlainObject(value)) container(Array.isArray(value) ? value : Object.values(value as object), join(p, key), label);
    }
  };
  const container = (items: unknown[], p: string, owner: string) => {
    const used = new Map<string, number>();
    const unique = (name: string) => {
      const n = used.get(name);
      used.set(name, n === undefined ? 0 : n + 1);
      return n === undefined ? name : `${name}_${n + 1}`;
    };
    for (const item of items) {
      if (item instanceof Layer) {
        const cls = registeredLayerName(item.constructor) ?? classNameOf(item.constructor);
        visit(item as Layer<any>, join(p, unique(kerasSnake(cls.slice(cls.lastIndexOf('>') + 1)))), owner);
      } else if (Array.isArray(item) && item.some((x) => x instanceof Layer)) container(item, join(p, unique('container')), owner);
    }
  };
  visit(model, '', '');
  return out;
}

const nameKey = (k: string) => (k.startsWith('_') ? `~${k}` : k);
const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

// A CRC-32 over the model's weight values (in kerasEntries order), which Tessera writes as
// a root attribute and checks on reading: HDF5 keeps no checksum of a dataset's values
// and reads a dataset whose storage a damaged index lost as zeros. Keras ignores it.
const CHECKSUM = 'tessera_weights_crc32';
// As 8 hex digits: a number attribute would be stored as a signed 32-bit integer.
const valuesCrc = (values: ArrayBufferView[]) =>
  values
    .reduce((crc, v) => crc32(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), crc), 0)
    .toString(16)
    .padStart(8, '0');

/** Writes every entry's variables into an open HDF5 file. */
export function writeKerasWeights(file: H5Group, model: Layer<any>): void {
  const written: ArrayBufferView[] = [];
  for (const e of kerasEntries(model)) {
    const vars = ensureGroup(file, join(e.path, 'vars'));
    vars.create_attribute('name', e.layer.name);
    e.vars.forEach(({ variable }, i) => {
      const values = variable.dataSync();
      const data = variable.dtype === 'bool' ? Uint8Array.from(values) : values;
      vars.create_dataset({ name: String(i), data, shape: [...variable.shape], dtype: H5_DTYPE[variable.dtype] });
      written.push(data);
    });
  }
  file.create_attribute(CHECKSUM, valuesCrc(written));
}

const H5_DTYPE: Record<DType, string> = { float32: '<f', float64: '<d', int32: '<i', bool: '|B' };

/** The values of a dataset as a Tessera dtype (int64 becomes int32, float16 float32). */
export function datasetValue(source: string, name: string, ds: { value: unknown; shape: number[] | null; dtype: unknown }): WeightValue {
  const raw = ds.value;
  const shape = ds.shape ?? [];
  // h5wasm runs in Node's main context, so its arrays are not instances of this
  // context's classes (under jest): tell them apart by class name.
  const kind = ArrayBuffer.isView(raw) ? raw.constructor.name : typeof raw;
  const view = raw as ArrayLike<number> & ArrayLike<bigint>;
  let values: TypedArray;
  let dtype: DType;
  switch (kind) {
    case 'Float32Array':
      [values, dtype] = [Float32Array.from(view as ArrayLike<number>), 'float32'];
      break;
    case 'Float64Array':
      [values, dtype] = [Float64Array.from(view as ArrayLike<number>), 'float64'];
      break;
    case 'Int32Array':
    case 'Int16Array':
    case 'Int8Array':
    case 'Uint16Array':
      [values, dtype] = [Int32Array.from(view as ArrayLike<number>), 'int32'];
      break;
    case 'BigInt64Array':
    case 'BigUint64Array':
      [values, dtype] = [Int32Array.from(view as ArrayLike<bigint>, (b) => Number(b)), 'int32'];
      break;
    case 'Uint8Array':
      [values, dtype] = [Uint8Array.from(view as ArrayLike<number>), 'bool'];
      break;
    // Scalar datasets come as a number (or a bigint for 64-bit integers: Keras's iteration count).
    case 'bigint':
      [values, dtype] = [Int32Array.of(Number(raw)), 'int32'];
      break;
    case 'number': {
      const kind = String(ds.dtype);
      if (/^[<>|]?[bBhHiIlLqQ]$/.test(kind)) [values, dtype] = [Int32Array.of(raw as number), 'int32'];
      else if (/^[<>]?d$/.test(kind)) [values, dtype] = [Float64Array.of(raw as number), 'float64'];
      else [values, dtype] = [Float32Array.of(raw as number), 'float32'];
      break;
    }
    default:
      throw new Error(`${source}: dataset '${name}' has values of type ${describe(ds.dtype)}, which Tessera cannot load`);
  }
  return { name, shape: [...shape], dtype, values };
}

/**
 * Reads the variables of each entry of `model` from an open file and returns what
 * assigns them (after everything was checked). Entries are found by path, else by the
 * layer name Keras writes on each vars group.
 */
export function readKerasWeights(source: string, module: H5ReadModule, file: H5ReadGroup, model: Layer<any>): () => void {
  const byName = new Map<string, H5ReadGroup>();
  // Groups that hold values, but not the optimizer's or metrics' state (not the model's weights).
  const withValues = new Map<string, H5ReadGroup>();
  const collect = (g: H5ReadGroup, p: string) => {
    for (const key of g.keys()) {
      const child = g.get(key);
      if (!(child instanceof module.Group)) continue;
      if (p === '' && (key === 'optimizer' || /metric|loss/.test(key))) continue;
      checkGroupDepth(join(p, key));
      if (key === 'vars') {
        const n = child.attrs.name?.value;
        if (typeof n === 'string') byName.set(n, child);
        if (child.keys().length > 0) withValues.set(join(p, key), child);
      } else collect(child, join(p, key));
    }
  };
  collect(file, '');
  const used = new Set<H5ReadGroup>();
  const expected: ModelWeight[] = [];
  const given: WeightValue[] = [];
  for (const e of kerasEntries(model)) {
    if (e.vars.length === 0) continue;
    let group = childGroup(module, file, join(e.path, 'vars'));
    if (group === null || group.keys().length !== e.vars.length) group = byName.get(e.layer.name) ?? group;
    const where = `${e.path || '(the model)'}/vars`;
    if (group === null) {
      throw new Error(
        `${model.name}: ${source} has no weights for layer '${e.layer.name}' (expected them at '${where}', or a vars group named '${e.layer.name}'); the file belongs to another model`,
      );
    }
    used.add(group);
    const keys = group.keys();
    if (keys.length !== e.vars.length) {
      throw new Error(
        `${model.name}: layer '${e.layer.name}' has ${e.vars.length} weights (${e.vars.map((v) => `${v.name} ${formatShape(v.variable.shape)}`).join(', ')}), but ${source} has ${keys.length} at '${where}'`,
      );
    }
    e.vars.forEach((v, i) => {
      const ds = group!.get(String(i));
      if (!(ds instanceof module.Dataset))
        throw new Error(`${model.name}: ${source}: '${where}/${i}' is missing (layer '${e.layer.name}', weight '${v.name}')`);
      const name = join(e.label, v.name);
      expected.push({ name, variable: v.variable, layer: e.layer });
      given.push(datasetValue(source, name, ds));
    });
  }
  const unused = [...withValues].filter(([, g]) => ![...used].some((u) => u.path === g.path)).map(([p]) => p);
  if (unused.length > 0)
    throw new Error(`${model.name}: ${source} has weights that the model does not: ${unused.join(', ')}; the file belongs to another model`);
  const recorded = file.attrs[CHECKSUM]?.value;
  if (recorded !== undefined && recorded !== valuesCrc(given.map((g) => g.values))) {
    throw new Error(`${model.name}: ${source} is damaged: its weight values do not match the checksum Tessera recorded when it saved them`);
  }
  const pairs = matchWeights(model.name, source, expected, given);
  return () => assignWeights(pairs);
}
