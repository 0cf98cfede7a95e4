// The weights tree of KerasFileEditor: Keras's weights_dict, objects (layers, the
// optimizer) holding weights '0', '1', ... and other objects, read from and written to
// Keras 3's weights layout (<path>/vars/<i>), and a model's own tree to compare against.
import type { Layer } from '../layers/layer';
import { Tensor } from '../tensor/tensor';
import { describe } from '../tensor/shape';
import { checkGroupDepth, ensureGroup, type H5Group, type H5ReadGroup, type H5ReadModule } from './h5';
import { kerasEntries } from './keras_weights';

import { EditorWeight, type EditorObject } from './file_editor_object';

export { EditorWeight, type EditorObject };

const NUMPY_NAMES: Record<string, string> = {
  '<f': 'float32',
  '<d': 'float64',
  '<e': 'float16',
  '<i': 'int32',
  '<q': 'int64',
  '<h': 'int16',
  '|i1': 'int8',
  '|b': 'int8',
  '|u1': 'uint8',
  '|B': 'uint8',
  '<B': 'uint8',
  '<b': 'int8',
  '<I': 'uint32',
  '<Q': 'uint64',
  '<H': 'uint16',
};

/** A weight's dtype as NumPy names it (Keras's summary prints those). */
export const numpyName = (w: EditorWeight): string => NUMPY_NAMES[w.h5Type] ?? w.h5Type;

/** A shape as Python prints a tuple: '(3, 4)', '(4,)', '()'. */
export const tupleShape = (shape: number[]): string => (shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`);

/**
 * Keras's weights_dict of an HDF5 file: a group holding 'vars' is an object whose weights
 * are those of its vars; empty objects are left out. Keras reads only the vars of such a
 * group (and skips it whole when they are empty): its other subgroups (a nested model's
 * layers) are read here too, so that saving writes them back.
 */
export function readEditorTree(source: string, module: H5ReadModule, group: H5ReadGroup, names: WeakMap<EditorObject, string>, at = ''): EditorObject {
  const out: EditorObject = new Map();
  for (const key of group.keys()) {
    const child = group.get(key);
    const p = `${at}/${key}`;
    if (child instanceof module.Group) {
      checkGroupDepth(p.slice(1));
      const vars = child.keys().includes('vars') ? child.get('vars') : null;
      const object: EditorObject = new Map();
      if (vars instanceof module.Group) {
        const name = vars.attrs.name?.value;
        if (typeof name === 'string') names.set(object, name);
        for (const [k, v] of readEditorTree(source, module, vars, names, p)) object.set(k, v);
      }
      for (const [k, v] of readEditorTree(source, module, child, names, p)) if (k !== 'vars' || vars === null) object.set(k, v);
      if (object.size > 0) out.set(key, object);
    } else if (child instanceof module.Dataset) {
      if (typeof child.dtype !== 'string')
        throw new Error(`${source}: the dataset '${p}' has values of type ${describe(child.dtype)}, which Tessera cannot edit`);
      out.set(key, new EditorWeight([...(child.shape ?? [])], child.dtype, child.value));
    } else {
      // As Keras: soft and external links are refused.
      throw new Error(
        `${source}: '${p}' is not a group or a dataset (${child === null ? 'nothing' : (child as { type: string }).type}); links are not allowed`,
      );
    }
  }
  return out;
}

// A scalar's value as the typed array HDF5 writes, by the last letter of its type.
const SCALAR: Record<string, (v: number | bigint) => ArrayBufferView> = {
  f: (v) => Float32Array.of(Number(v)),
  d: (v) => Float64Array.of(Number(v)),
  i: (v) => Int32Array.of(Number(v)),
  q: (v) => BigInt64Array.of(BigInt(v)),
  Q: (v) => BigUint64Array.of(BigInt(v)),
  h: (v) => Int16Array.of(Number(v)),
  H: (v) => Uint16Array.of(Number(v)),
  I: (v) => Uint32Array.of(Number(v)),
  b: (v) => Int8Array.of(Number(v)),
  1: (v) => Uint8Array.of(Number(v)),
  B: (v) => Uint8Array.of(Number(v)),
};

/**
 * Writes a tree as Keras's KerasFileEditor.save does: each object's weights at <path>/vars.
 * Unlike Keras's editor, which drops them, the layer names read from the file go back on
 * each vars group as model.save writes them, so a reopened file still names its layers.
 */
export function writeEditorTree(file: H5Group, tree: EditorObject, names: WeakMap<EditorObject, string>, at = ''): void {
  let vars: H5Group | null = null;
  for (const [key, value] of tree) {
    if (value instanceof EditorWeight) {
      if (vars === null) {
        vars = ensureGroup(file, at === '' ? 'vars' : `${at}/vars`);
        const name = names.get(tree);
        if (name !== undefined) vars.create_attribute('name', name);
      }
      const data = ArrayBuffer.isView(value.value) ? value.value : SCALAR[value.h5Type.slice(-1)]?.(value.value as number);
      if (data === undefined) throw new Error(`cannot write the weight '${at}/${key}' of HDF5 type '${value.h5Type}'`);
      vars.create_dataset({ name: key, data: data as never, shape: value.shape, dtype: value.h5Type });
    } else if (value.size > 0) writeEditorTree(file, value, names, at === '' ? key : `${at}/${key}`);
  }
}

const H5_TYPES: Record<string, string> = { float32: '<f', float64: '<d', int32: '<i', bool: '|B' };

/** A weight holding a tensor's values (bool as uint8, as Tessera and Keras write it). */
export function weightOf(op: string, name: string, value: unknown): EditorWeight {
  if (!(value instanceof Tensor)) throw new Error(`${op}: expected the weight '${name}' to be a Tensor, got ${describe(value)}`);
  if (value.isDisposed) throw new Error(`${op}: the weight '${name}' is a disposed tensor`);
  const values = value.dataSync();
  return new EditorWeight([...value.shape], H5_TYPES[value.dtype], value.dtype === 'bool' ? Uint8Array.from(values) : values.slice());
}

/**
 * A model's tree as its weights file holds it (Keras's get_weight_spec_of_saveable): each
 * layer's own weights at its path, shapes only (the values are not read).
 */
export function modelTree(model: Layer<any>): EditorObject {
  const root: EditorObject = new Map();
  for (const e of kerasEntries(model)) {
    if (e.vars.length === 0) continue;
    let at = root;
    for (const part of e.path.split('/').filter((s) => s.length > 0)) {
      let next = at.get(part);
      if (!(next instanceof Map)) at.set(part, (next = new Map()));
      at = next;
    }
    e.vars.forEach(({ variable }, i) => at.set(String(i), new EditorWeight([...variable.shape], H5_TYPES[variable.dtype], null)));
  }
  return root;
}
