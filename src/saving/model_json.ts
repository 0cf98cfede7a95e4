// A model's architecture as JSON and back, without weights: TensorFlow.js's model.toJSON()
// and tf.models.modelFromJSON, Keras's model.to_json() and keras.models.model_from_json.
import type { Layer } from '../layers/layer';
import type { Model } from '../models/model';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { checkCustomObjects, currentCustomObjects, withCustomObjects, type CustomObject } from '../serialization/custom_objects';
import { describe } from '../tensor/shape';
import { buildModel, checkConfigDepth } from './build_model';
import type { DiskFormat } from './config_conversion';
import { tfjsTopology } from './tfjs_format';

/** Options of modelFromJSON. */
export interface ModelFromJSONOptions {
  /** Classes and functions the JSON names that are not registered, as loadModel's customObjects. */
  customObjects?: Record<string, CustomObject> | null;
}

/** The model's architecture as TensorFlow.js's toJSON writes it: a string, or the object when `returnString` is false. */
export function modelToJSON(model: Layer<any>, returnString = true): string | object {
  if (typeof returnString !== 'boolean') throw new Error(`${model.name}.toJSON: expected returnString to be true or false, got ${describe(returnString)}`);
  const topology = tfjsTopology(model);
  return returnString ? JSON.stringify(topology) : topology;
}

const OP = 'modelFromJSON';

/**
 * A model (fresh weights) from the JSON of its architecture: what model.toJSON() returns (a
 * string or its object), a TensorFlow.js model.json's contents, or Keras's model.to_json().
 * The weights a model.json lists are not read: loadModel reads a whole saved model.
 * @example const copy = modelFromJSON(model.toJSON());
 */
export function modelFromJSON<M extends Model<any> = Model<any>>(json: string | object, options?: ModelFromJSONOptions | null): M {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  const { customObjects } = checkOptions(OP, options, OP);
  // Those of an enclosing customObjectScope serve too (as loadModel); this call's come first.
  const custom = new Map([...currentCustomObjects(), ...checkCustomObjects(OP, customObjects)]);
  let parsed: unknown = json;
  if (typeof json === 'string') {
    try {
      parsed = JSON.parse(json);
    } catch (e) {
      throw new Error(`${OP}: the string is not JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`${OP}: expected a model's JSON (a string or an object with class_name and config), got ${describe(parsed)}`);
  let topology = parsed as Record<string, unknown>;
  if ('modelTopology' in topology) {
    if (Array.isArray(topology.weightsManifest) && topology.weightsManifest.length > 0)
      throw new Error(
        `${OP}: this is a model.json that lists weight files; modelFromJSON builds the architecture only: load the whole model with loadModel(<its folder>)`,
      );
    topology = topology.modelTopology as Record<string, unknown>;
    if (typeof topology !== 'object' || topology === null) throw new Error(`${OP}: expected modelTopology to be an object, got ${describe(topology)}`);
  }
  // Keras's converter nests the model under model_config.
  if (typeof topology.model_config === 'object' && topology.model_config !== null) topology = topology.model_config as Record<string, unknown>;
  // Keras 3 writes module and registered_name beside class_name; TensorFlow.js and Keras 2 do not.
  const format: DiskFormat = 'module' in topology || 'registered_name' in topology ? 'keras' : 'tfjs';
  // As a file's: a JSON string nested deeper than any model's would recurse until the stack ran out.
  checkConfigDepth(OP, topology);
  const model = withCustomObjects(custom, () => buildModel(topology, format, OP));
  if (typeof (model as { compile?: unknown }).compile !== 'function') {
    model.dispose();
    throw new Error(`${OP}: the JSON describes a layer (${model.constructor.name}), not a model`);
  }
  return model as M;
}
