// model.save / saveWeights / loadWeights. They live here, added to Model's prototype, so
// that models/ holds the graph and saving/ the formats (as training/model_methods adds
// fit); the module augmentation gives them their types.
import { Model } from '../models/model';
import type { OutputKind } from '../layers/layer';
import { describe } from '../tensor/shape';
import { checkOptions } from '../options/check';
import { loadWeights, saveModel, saveWeights } from './save_model';
import { modelToJSON } from './model_json';
import type { SaveOptions } from './tfjs_format';
import type { SaveResult } from './save_result';
import { tooManyArguments } from '../options/arity';

declare module '../models/model' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- declaration merging needs Model's own type parameter list
  interface Model<K extends OutputKind = 'single'> {
    /**
     * Saves the model (config and weights): a path ending in '.keras' writes a Keras 3
     * file, any other path a TensorFlow.js folder (model.json + weights-<version>.bin)
     * that tf.loadLayersModel reads. The path holds a complete save at every moment: a
     * failure, a kill or a reader at any time finds the previous save or the new one.
     * Resolves to TensorFlow.js's SaveResult: {modelArtifactsInfo: {dateSaved, byte counts}}.
     * @example await model.save('my-model'); const m = await loadModel('my-model');
     */
    save(path: string, options?: SaveOptions | null): Promise<SaveResult>;
    /**
     * Saves the weights only: 'name.weights.h5' (Keras 3's HDF5 layout), or any other
     * path a folder of weights.json + weights-<version>.bin (TensorFlow.js's binary layout).
     * Resolves to a SaveResult as save does (modelTopologyBytes 0).
     */
    saveWeights(path: string): Promise<SaveResult>;
    /**
     * Loads weights saved by saveWeights, a Keras .weights.h5 / .h5 file, or a TensorFlow.js
     * model folder. Every weight is checked (present, right shape) before any changes
     * (TensorFlow.js's `strict`, which only true is).
     */
    loadWeights(path: string, strict?: boolean): Promise<void>;
    /**
     * The model's architecture (no weights) as JSON, as TensorFlow.js's toJSON and Keras's
     * to_json: a string, or the object when `returnString` is false. modelFromJSON reads it.
     * The first argument is unused (JSON.stringify passes a key there), as in TensorFlow.js.
     */
    toJSON(unused?: unknown, returnString?: boolean): string | object;
  }
}

const proto = Model.prototype as Model;

proto.save = async function (this: Model, path: string, options: SaveOptions | null = {}): Promise<SaveResult> {
  if (arguments.length > 2) throw tooManyArguments(`${this.name}.save`, 2, arguments.length);
  options = checkOptions(`${this.name}.save`, options, 'Model.save');
  return saveModel(this, path, options);
};
proto.saveWeights = async function (this: Model, path: string): Promise<SaveResult> {
  if (arguments.length > 1) throw tooManyArguments(`${this.name}.saveWeights`, 1, arguments.length);
  return saveWeights(this, path);
};
proto.loadWeights = async function (this: Model, path: string, strict = true): Promise<void> {
  if (arguments.length > 2) throw tooManyArguments(`${this.name}.loadWeights`, 2, arguments.length);
  if (strict !== true)
    throw new Error(
      `${this.name}.loadWeights: expected strict to be true (every weight must match the model; loading a part of them is not supported), got ${describe(strict)}`,
    );
  await loadWeights(this, path);
};
proto.toJSON = function (this: Model, unused?: unknown, returnString = true): string | object {
  if (arguments.length > 2) throw tooManyArguments(`${this.name}.toJSON`, 2, arguments.length);
  return modelToJSON(this, returnString);
};
