// Keras 3's keras.saving.KerasFileEditor: inspect and edit the weights of a .keras or
// .weights.h5 file (rename, delete, add objects and weights), compare them with a model,
// and save them as a .weights.h5 file. Where Keras overwrites on a name that is taken
// (renameObject, addObject, addWeights), this refuses: nothing is replaced unasked.
import * as fs from 'node:fs';
import type { Layer } from '../layers/layer';
import { tooManyArguments } from '../options/arity';
import { checkFilePath, notRegularFile } from '../options/file_path';
import { describe } from '../tensor/shape';
import { writeFileAtomic } from './atomic_write';
import { EditorWeight, type EditorObject } from './file_editor_object';
import { modelTree, numpyName, readEditorTree, tupleShape, weightOf, writeEditorTree } from './file_editor_tree';
import { loadH5, withH5, writeH5 } from './h5';
import { parseKerasConfig } from './keras_json';
import { readZip } from './zip';

const OP = 'KerasFileEditor';
// Lets open() construct; `new KerasFileEditor(path)` cannot read a file (HDF5 is read asynchronously here).
const OPENING = Symbol('opening');

/** What compare() found (Keras's dict, camelCase). */
export interface FileComparison {
  /** 'success' when the file and the model hold the same weights with the same shapes, else 'error'. */
  status: 'success' | 'error';
  /** The number of mismatches: objects or weights on one side only, weights of other shapes. */
  errorCount: number;
  /** The number of weights of the model found in the file with the same shape. */
  matchCount: number;
  /** The mismatches, as printed. */
  messages: string[];
}

/** A weight's values as weightsDict shows them. */
export interface EditorWeightInfo {
  /** Its shape. */
  shape: number[];
  /** Its dtype as NumPy names it ('float32', 'int64', ...). */
  dtype: string;
  /** Its values as stored (a typed array, or a number for a scalar). */
  value: unknown;
}

/** The nested objects and weights of a file (Keras's weights_dict). */
export interface EditorWeightsDict {
  /** An object's sub-objects and weights by name ('layers', 'dense', '0'). */
  [name: string]: EditorWeightsDict | EditorWeightInfo;
}

/**
 * Inspects, edits and resaves the weights of a Keras 3 file (Keras's
 * keras.saving.KerasFileEditor), for adapting a saved file to a changed architecture.
 * Objects are named by path ('layers/dense_2') or by a name found once in the file
 * ('dense_2'); weights by their index ('0', '1').
 * @example
 * const editor = await ts.saving.KerasFileEditor.open('model.keras');
 * editor.summary();
 * editor.deleteObject('layers/dense_2');
 * editor.addObject('layers/einsum_dense', { 0: kernel, 1: bias });
 * await editor.save('edited.weights.h5');
 */
export class KerasFileEditor {
  /** The file opened. */
  readonly filepath: string;
  /** The model's config (config.json) of a .keras file; null for a .weights.h5 file. */
  readonly config: unknown;
  /** The metadata (metadata.json: keras_version, date_saved) of a .keras file; null for a .weights.h5 file. */
  readonly metadata: unknown;
  private readonly tree: EditorObject;
  // Keras's object_metadata: the layer name written on each object's vars (kept through renames).
  private readonly objectNames: WeakMap<EditorObject, string>;

  /** @internal Use `await KerasFileEditor.open(filepath)`. */
  constructor(
    filepath: string,
    opened?: { token: symbol; config: unknown; metadata: unknown; tree: EditorObject; objectNames: WeakMap<EditorObject, string> },
  ) {
    if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
    if (opened?.token !== OPENING)
      throw new Error(
        `${OP}: open a file with \`await ts.saving.KerasFileEditor.open(filepath)\` (its weights are read asynchronously), got new KerasFileEditor(${describe(filepath)})`,
      );
    this.filepath = filepath;
    this.config = opened.config;
    this.metadata = opened.metadata;
    this.tree = opened.tree;
    this.objectNames = opened.objectNames;
  }

  /** Opens a .keras or .weights.h5 file (Keras's KerasFileEditor(filepath)). */
  static async open(filepath: string): Promise<KerasFileEditor> {
    const op = `${OP}.open`;
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    const p = checkFilePath(op, filepath);
    if (!p.endsWith('.keras') && !p.endsWith('.weights.h5')) throw new Error(`${op}: expected a .keras or .weights.h5 file, got '${p}'`);
    if (!fs.existsSync(p)) throw new Error(`${op}: ${p} does not exist`);
    const kind = notRegularFile(p);
    if (kind !== null) throw new Error(`${op}: ${p} is ${kind}, not a Keras file`);
    const bytes = new Uint8Array(fs.readFileSync(p));
    let config: unknown = null;
    let metadata: unknown = null;
    let weights: Uint8Array = bytes;
    let source = p;
    if (p.endsWith('.keras')) {
      const entries = readZip(p, bytes);
      const json = (name: string) => {
        const b = entries.get(name);
        if (b === undefined) throw new Error(`${op}: ${p} has no ${name}: it is not a Keras 3 .keras file`);
        return parseKerasConfig(new TextDecoder().decode(b));
      };
      config = json('config.json');
      metadata = json('metadata.json');
      const h5 = entries.get('model.weights.h5');
      if (h5 === undefined) throw new Error(`${op}: ${p} has no model.weights.h5 (sharded weights are not read yet)`);
      weights = h5;
      source = `${p} (model.weights.h5)`;
    }
    const objectNames = new WeakMap<EditorObject, string>();
    const file = await loadH5(source, weights);
    const tree = withH5(source, file, (f, module) => readEditorTree(source, module, f, objectNames));
    return new KerasFileEditor(p, { token: OPENING, config, metadata, tree, objectNames });
  }

  /** The file's objects and weights, nested by path (Keras's weights_dict); a copy. */
  get weightsDict(): EditorWeightsDict {
    const copy = (o: EditorObject): EditorWeightsDict =>
      Object.fromEntries([...o].map(([k, v]) => [k, v instanceof EditorWeight ? { shape: [...v.shape], dtype: numpyName(v), value: v.value } : copy(v)]));
    return copy(this.tree);
  }

  /** The weights structure as summary() prints it, each object with its layer's name when the file has it. */
  weightsSummary(): string {
    if (arguments.length > 0) throw tooManyArguments(`${OP}.weightsSummary`, 0, arguments.length);
    const lines = ['Weights structure'];
    const walk = (o: EditorObject, prefix: string, at: string, first: boolean) => {
      [...o].forEach(([key, value], i) => {
        const last = i === o.size - 1;
        const connector = first && i === 0 ? '> ' : last ? '└─ ' : '├─ ';
        const p = `${at}/${key}`;
        if (value instanceof EditorWeight) lines.push(`${prefix}${connector}${key}: shape=${tupleShape(value.shape)}, dtype=${numpyName(value)}`);
        else {
          const name = this.objectNames.get(value);
          lines.push(`${prefix}${connector}${key}${name === undefined ? '' : ` ('${name}')`}`);
          walk(value, prefix + (last ? '    ' : '│   '), p, false);
        }
      });
    };
    walk(this.tree, '  ', '', true);
    return lines.join('\n');
  }

  /** Prints the weights structure of the file (Keras's summary()). */
  summary(): void {
    if (arguments.length > 0) throw tooManyArguments(`${OP}.summary`, 0, arguments.length);
    console.log(this.weightsSummary());
  }

  /**
   * Compares the file's weights with a model's (Keras's compare(reference_model)): every
   * object or weight on one side only, and every weight of another shape, is an error,
   * printed and counted. The optimizer's state is not compared when the model is compiled.
   */
  compare(referenceModel: Layer<any>): FileComparison {
    const op = `${OP}.compare`;
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    if (typeof (referenceModel as { weights?: unknown } | null)?.weights !== 'object' || typeof (referenceModel as Layer<any>).ownWeights !== 'function')
      throw new Error(`${op}: expected a model, got ${describe(referenceModel)}`);
    const ref = modelTree(referenceModel);
    const file = new Map(this.tree);
    const messages: string[] = [];
    if ((referenceModel as { optimizer?: unknown }).optimizer != null && file.has('optimizer')) {
      file.delete('optimizer');
      messages.push("...Object /optimizer not compared (only the layers' weights are compared with a compiled model)");
    }
    const checked = new Set<string>();
    let errorCount = 0;
    let matchCount = 0;
    const walk = (target: EditorObject, spec: EditorObject, at: string, targetName: string, refName: string, counting: boolean) => {
      for (const [key, value] of spec) {
        const p = `${at}/${key}`;
        if (checked.has(p)) continue;
        const other = target.get(key);
        if (other === undefined || other instanceof EditorWeight !== value instanceof EditorWeight) {
          errorCount++;
          checked.add(p);
          if (value instanceof EditorWeight) messages.push(`...Weight ${p} present in ${refName}, missing from ${targetName}`);
          else {
            messages.push(`...Object ${p} present in ${refName}, missing from ${targetName}`);
            messages.push(`    In ${refName}, ${p} contains the following keys: [${[...value.keys()].map((k) => `'${k}'`).join(', ')}]`);
          }
        } else if (!(value instanceof EditorWeight)) walk(other as EditorObject, value, p, targetName, refName, counting);
        else if (tupleShape(value.shape) !== tupleShape((other as EditorWeight).shape)) {
          errorCount++;
          checked.add(p);
          messages.push(`...Weight shape mismatch for ${p}`);
          messages.push(`    In ${refName}: shape=${tupleShape(value.shape)}`);
          messages.push(`    In ${targetName}: shape=${tupleShape((other as EditorWeight).shape)}`);
        } else if (counting) matchCount++;
      }
    };
    walk(file, ref, '', 'saved file', 'reference model', true);
    walk(ref, file, '', 'reference model', 'saved file', false);
    const status = errorCount === 0 ? 'success' : 'error';
    const s = (n: number) => (n === 1 ? '' : 's');
    for (const m of messages) console.log(m);
    console.log(
      status === 'success'
        ? `Comparison successful: saved file is compatible with the reference model\n    Found ${matchCount} matching weight${s(matchCount)}`
        : `Found ${errorCount} error${s(errorCount)}: saved file is not compatible with the reference model`,
    );
    return { status, errorCount, matchCount, messages };
  }

  /** Renames an object (or a weight), named by path or by a name found once in the file. */
  renameObject(objectName: string, newName: string): void {
    const op = `${OP}.renameObject`;
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    if (typeof newName !== 'string' || !isEntryName(newName))
      throw new Error(`${op}: expected newName to be a leaf name (no '/'), not a full path name, nor empty or '.', got ${describe(newName)}`);
    const [parent, key] = this.find(op, objectName);
    if (parent.has(newName)) throw new Error(`${op}: '${newName}' is taken beside '${objectName}' (keys there: ${keysOf(parent)}); delete it first`);
    // Keras moves the renamed object to the end of its parent (dict assignment, then pop).
    const value = parent.get(key)!;
    parent.delete(key);
    parent.set(newName, value);
  }

  /** Removes an object (e.g. a layer's weights) or a weight, named by path or by a name found once in the file. */
  deleteObject(objectName: string): void {
    const op = `${OP}.deleteObject`;
    if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
    const [parent, key] = this.find(op, objectName);
    parent.delete(key);
  }

  /**
   * Adds a new object at a full path whose parent exists ('layers/dense_2'), with its
   * weights by name: `{ 0: kernel, 1: bias }` (tensors).
   */
  addObject(objectPath: string, weights: Record<string, unknown>): void {
    const op = `${OP}.addObject`;
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    if (typeof objectPath !== 'string' || !objectPath.split('/').every(isEntryName))
      throw new Error(`${op}: expected objectPath to be a path such as 'layers/dense_2' (no empty or '.' part), got ${describe(objectPath)}`);
    const added = weightsOf(op, weights);
    const parts = objectPath.split('/');
    let at = this.tree;
    parts.slice(0, -1).forEach((part, i) => {
      const next = at.get(part);
      if (!(next instanceof Map)) throw new Error(`${op}: path '${parts.slice(0, i + 1).join('/')}' not found in the file (keys there: ${keysOf(at)})`);
      at = next;
    });
    const leaf = parts[parts.length - 1];
    if (at.has(leaf)) throw new Error(`${op}: '${objectPath}' already exists; delete it first (deleteObject) or add weights to it (addWeights)`);
    at.set(leaf, added);
  }

  /** Removes a weight ('0') from an object named by path or by a name found once in the file. */
  deleteWeight(objectName: string, weightName: string): void {
    const op = `${OP}.deleteWeight`;
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    const object = this.findObject(op, objectName);
    const name = String(weightName);
    if (!(object.get(name) instanceof EditorWeight))
      throw new Error(`${op}: weight ${describe(weightName)} not found in object '${objectName}'; weights found: ${keysOf(object)}`);
    object.delete(name);
  }

  /** Adds weights `{ 2: tensor, ... }` to an object named by path or by a name found once in the file. */
  addWeights(objectName: string, weights: Record<string, unknown>): void {
    const op = `${OP}.addWeights`;
    if (arguments.length > 2) throw tooManyArguments(op, 2, arguments.length);
    const object = this.findObject(op, objectName);
    const added = weightsOf(op, weights);
    const taken = [...added.keys()].filter((k) => object.has(k));
    if (taken.length > 0)
      throw new Error(`${op}: object '${objectName}' already has ${taken.map((k) => `'${k}'`).join(', ')}; delete them first (deleteWeight)`);
    for (const [k, v] of added) object.set(k, v);
  }

  /** Saves the edited weights as a .weights.h5 file (Keras's save: weights only, no config). */
  async save(filepath: string): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${OP}.save`, 1, arguments.length);
    return this.write(`${OP}.save`, filepath);
  }

  /** The same as save(filepath) (Keras's resave_weights). */
  async resaveWeights(filepath: string): Promise<void> {
    if (arguments.length > 1) throw tooManyArguments(`${OP}.resaveWeights`, 1, arguments.length);
    return this.write(`${OP}.resaveWeights`, filepath);
  }

  private async write(op: string, filepath: string): Promise<void> {
    const p = checkFilePath(op, filepath);
    if (!p.endsWith('.weights.h5')) throw new Error(`${op}: expected a .weights.h5 file (the weights are saved without the config, as Keras's), got '${p}'`);
    let bytes: Uint8Array;
    try {
      bytes = await writeH5((file) => writeEditorTree(file, this.tree, this.objectNames));
    } catch (e) {
      throw new Error(`${op}: ${(e as Error).message}`, { cause: e });
    }
    await writeFileAtomic(p, bytes);
  }

  // Keras's _edit_object: a path ('layers/dense') must exist; a name ('dense') must occur exactly once.
  private find(op: string, objectName: string): [EditorObject, string] {
    if (typeof objectName !== 'string' || objectName.length === 0)
      throw new Error(`${op}: expected a name or path of the file's objects, got ${describe(objectName)}`);
    if (objectName.includes('/')) {
      const parts = objectName.split('/');
      let at = this.tree;
      for (const part of parts.slice(0, -1)) {
        const next = at.get(part);
        if (!(next instanceof Map)) throw new Error(`${op}: path '${objectName}' not found in the file (no object '${part}' among ${keysOf(at)})`);
        at = next;
      }
      const last = parts[parts.length - 1];
      if (!at.has(last)) throw new Error(`${op}: path '${objectName}' not found in the file (no '${last}' among ${keysOf(at)})`);
      return [at, last];
    }
    const found: [EditorObject, string][] = [];
    const walk = (o: EditorObject) => {
      for (const [k, v] of o) {
        if (k === objectName) found.push([o, k]);
        if (v instanceof Map) walk(v);
      }
    };
    walk(this.tree);
    if (found.length > 1) throw new Error(`${op}: name '${objectName}' occurs ${found.length} times in the file; pass a complete path`);
    if (found.length === 0) throw new Error(`${op}: name '${objectName}' does not appear in the file; weightsSummary() lists its objects`);
    return found[0];
  }

  private findObject(op: string, objectName: string): EditorObject {
    const [parent, key] = this.find(op, objectName);
    const object = parent.get(key)!;
    if (object instanceof EditorWeight) throw new Error(`${op}: '${objectName}' is a weight, not an object`);
    return object;
  }
}

// HDF5 reads '/' as a separator and '.' as the group itself, and has no empty names:
// such a name would be lost (or fail) when the file is saved.
const isEntryName = (name: string) => name.length > 0 && name !== '.' && !name.includes('/');

const keysOf = (o: EditorObject) => (o.size === 0 ? '(none)' : [...o.keys()].map((k) => `'${k}'`).join(', '));

// The weights given to addObject / addWeights: an object of tensors, at least one.
function weightsOf(op: string, weights: unknown): EditorObject {
  if (typeof weights !== 'object' || weights === null || Array.isArray(weights) || weights instanceof Map)
    throw new Error(`${op}: expected weights to be an object of tensors by weight name ({ 0: kernel, 1: bias }), got ${describe(weights)}`);
  const entries = Object.entries(weights);
  if (entries.length === 0) throw new Error(`${op}: expected at least one weight, got an empty object`);
  const out: EditorObject = new Map();
  for (const [k, v] of entries) {
    if (!isEntryName(k)) throw new Error(`${op}: a weight name cannot be empty or '.' or hold '/', got '${k}'`);
    out.set(k, weightOf(op, k, v));
  }
  return out;
}
