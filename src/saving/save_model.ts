// model.save / loadModel / model.saveWeights / model.loadWeights: the format follows the
// path, and files are recognized by their first bytes when the name does not say.
//
//   save / loadModel                       saveWeights / loadWeights
//   folder or model.json: TensorFlow.js    name.weights.h5: Keras 3's weights file
//   name.keras: Keras 3                    folder: weights.json + weights files (TF.js style)
//   name.h5: Keras 2 (loading only)        name.h5: also Keras 2 weights (loading only)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkOptions } from '../options/check';
import { checkFilePath, notRegularFile } from '../options/file_path';
import { checkBoolean } from '../options/check_args';
import { describe } from '../tensor/shape';
import type { Layer } from '../layers/layer';
import { writeFileAtomic, writeSavedFolder } from './atomic_write';
import { isHdf5, readH5, writeH5 } from './h5';
import { loadKeras, saveKeras } from './keras_format';
import { readKerasWeights, writeKerasWeights } from './keras_weights';
import { isLegacyLayout, legacyWeights, loadLegacyH5 } from './legacy_h5';
import { loadTfjs, readSaved, saveTfjs, type SaveOptions } from './tfjs_format';
import { assignWeights, matchWeights, modelWeights, readWeights, requireBuilt } from './weights';
import { encodeWeights, isOwnWeightsFile } from './weights_bin';
import { jsonBytes, saveResult, totalBytes, type SaveResult } from './save_result';
import { checkCustomObjects, currentCustomObjects, withCustomObjects, type CustomObjects } from '../serialization/custom_objects';

export type { SaveOptions } from './tfjs_format';

/**
 * Saves a model: a '.keras' path writes Keras 3's format, any other path a TensorFlow.js
 * folder. Resolves to TensorFlow.js's SaveResult with the bytes written.
 */
export async function saveModel(model: Layer<any>, target: string, options: SaveOptions = {}): Promise<SaveResult> {
  const p = checkFilePath(`${model.name}.save`, target);
  if (options.includeOptimizer !== undefined) checkBoolean(`${model.name}.save`, 'includeOptimizer', options.includeOptimizer);
  if (p.endsWith('.keras')) return saveKeras(model, p, options);
  if (p.endsWith('.h5'))
    throw new Error(
      `${model.name}.save: Keras 2 .h5 files can be loaded but not written; save as '${p.slice(0, -3)}.keras' (Keras 3) or to a folder (TensorFlow.js)`,
    );
  return saveTfjs(model, p, options);
}

// A device or a pipe would be read forever.
function refuseSpecialFile(op: string, p: string): void {
  const kind = notRegularFile(p);
  if (kind !== null) throw new Error(`${op}: ${p} is ${kind}, not a model or weights file`);
}

function readStart(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const b = new Uint8Array(8);
    fs.readSync(fd, b, 0, 8, 0);
    return b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Options of loadModel (Keras 3's and TensorFlow.js's that apply to files). */
export interface LoadOptions {
  /**
   * Compile the model as it was saved, with its optimizer's state where the file holds it
   * (default true; Keras 3's compile): a .keras file of a compiled model, or a TensorFlow.js
   * model.json with a trainingConfig (saved with includeOptimizer, or by Keras's converter).
   * False loads the layers and weights only.
   */
  compile?: boolean;
  /** TensorFlow.js's: every weight must match the model's (default true; only true is supported). */
  strict?: boolean;
  /**
   * Keras 3's custom_objects: classes and functions the file names that are not registered,
   * by the name the file writes (the class name, or a registered name 'my_package>MyLayer'):
   * Layer classes, activation / loss / metric functions, Loss, Metric, Initializer,
   * Regularizer and Constraint classes. They serve this load only (registerLayer makes a
   * class known to every load), and come before registered and built-in names.
   * @example await loadModel('m.keras', { customObjects: { MyLayer, my_loss: myLoss } })
   */
  customObjects?: CustomObjects | null;
}

/**
 * Loads a model saved by model.save, TensorFlow.js (model.json or its folder), Keras 3
 * (.keras) or Keras 2 (.h5). Custom classes are registered first (registerLayer) or
 * passed to this load (customObjects).
 * @example const m = await loadModel('my-model/');
 */
export async function loadModel(source: string, options?: LoadOptions | null): Promise<Layer<any>> {
  const op = 'loadModel';
  const p = checkFilePath(op, source);
  const { compile = true, strict = true, customObjects } = checkOptions(op, options, op);
  checkBoolean(op, 'compile', compile);
  if (strict !== true)
    throw new Error(`${op}: expected strict to be true (every weight must match the model; loading a part of them is not supported), got ${describe(strict)}`);
  // Those of an enclosing customObjectScope serve the load too; this load's come first.
  const custom = new Map([...currentCustomObjects(), ...checkCustomObjects(op, customObjects)]);
  return withCustomObjects(custom, () => loadFile(op, p, compile));
}

// Loads the file at `p` in the format its name or first bytes say.
async function loadFile(op: string, p: string, compile: boolean): Promise<Layer<any>> {
  if (!fs.existsSync(p)) throw new Error(`${op}: ${p} does not exist`);
  if (fs.statSync(p).isDirectory()) return loadTfjs(p, compile);
  refuseSpecialFile(op, p);
  const start = readStart(p);
  if (isHdf5(start)) return loadLegacyH5(p, new Uint8Array(fs.readFileSync(p)));
  if (p.endsWith('.keras') || (start[0] === 0x50 && start[1] === 0x4b)) return loadKeras(p, compile);
  return loadTfjs(p, compile);
}

/**
 * Saves the weights only: 'name.weights.h5' as Keras 3 does, any other path a folder of
 * weights.json + a weights file. The SaveResult's modelTopologyBytes is 0.
 */
export async function saveWeights(model: Layer<any>, target: string): Promise<SaveResult> {
  const p = checkFilePath(`${model.name}.saveWeights`, target);
  requireBuilt(`${model.name}.saveWeights`, model);
  // A whole-model file's name: weights written there would be a folder of that name (Keras refuses it too).
  if (p.endsWith('.keras') || p.endsWith('.json')) {
    throw new Error(
      `${model.name}.saveWeights: '${p}' names a whole-model file; weights go to a .weights.h5 file (Keras 3) or a folder (TensorFlow.js's weights), or use save() for the model`,
    );
  }
  if (p.endsWith('.h5')) {
    if (!p.endsWith('.weights.h5'))
      throw new Error(`${model.name}.saveWeights: an HDF5 weights file's name must end in .weights.h5 (as in Keras 3), got '${p}'`);
    const bytes = await writeH5((f) => writeKerasWeights(f, model));
    await writeFileAtomic(p, bytes);
    return saveResult({ data: bytes.byteLength });
  }
  const { manifest, files } = encodeWeights(readWeights(modelWeights(model)));
  const json = new TextEncoder().encode(JSON.stringify({ format: 'weights', generatedBy: 'Tessera', weightsManifest: manifest }));
  await writeSavedFolder(p, 'weights.json', json, files, (f) => f === 'weights.json' || isOwnWeightsFile(f));
  return saveResult({ specs: jsonBytes(manifest.flatMap((g) => g.weights)), data: totalBytes(files.values()) });
}

/**
 * Loads weights saved by saveWeights (or a Keras 3 .weights.h5, a Keras 2 .h5, or the
 * weights of a TensorFlow.js model folder) into `model`. Nothing changes unless every
 * weight is found with the right shape.
 */
export async function loadWeights(model: Layer<any>, source: string): Promise<void> {
  const op = `${model.name}.loadWeights`;
  const p = checkFilePath(op, source);
  if (!fs.existsSync(p)) throw new Error(`${op}: ${p} does not exist`);
  if (!fs.statSync(p).isDirectory()) refuseSpecialFile(op, p);
  if (fs.statSync(p).isFile() && isHdf5(readStart(p))) {
    // Everything is read and checked while the file is open; the assignment comes after.
    const assign = await readH5(p, new Uint8Array(fs.readFileSync(p)), (file, module) => {
      if (!isLegacyLayout(module, file)) return readKerasWeights(p, module, file, model);
      const pairs = matchWeights(model.name, p, modelWeights(model), legacyWeights(p, module, file));
      return () => assignWeights(pairs);
    });
    assign();
    return;
  }
  let json = p;
  if (fs.statSync(p).isDirectory()) {
    json = ['weights.json', 'model.json'].map((f) => path.join(p, f)).find((f) => fs.existsSync(f)) ?? '';
    if (json === '') throw new Error(`${op}: ${p} has neither weights.json nor model.json`);
  }
  const { weights } = readSaved(json, 'weights manifest', (parsed) => {
    const manifest = (parsed as { weightsManifest?: unknown } | null)?.weightsManifest;
    if (typeof parsed !== 'object' || parsed === null || manifest === undefined) throw new Error(`${op}: ${json} has no weightsManifest`);
    return manifest;
  });
  assignWeights(
    matchWeights(
      model.name,
      json,
      modelWeights(model),
      weights.filter((w) => w.group !== 'optimizer'),
    ),
  );
}
