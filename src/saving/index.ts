// Saving and loading models: TensorFlow.js's Layers format, Keras 3's .keras, Keras 2's .h5.
import type { Model } from '../models/model';
import type { OutputKind } from '../layers/layer';
import { loadModel as loadAny, type LoadOptions } from './save_model';
export type { LoadOptions } from './save_model';
// model.save / saveWeights / loadWeights, so that a model loaded from here can be saved.
import './model_methods';
import { tooManyArguments } from '../options/arity';

export type { SaveOptions } from './tfjs_format';
export { toTfjsArtifacts, fromTfjsArtifacts, type TfjsArtifacts } from './tfjs_format';

/**
 * Loads a model saved by model.save, by TensorFlow.js (model.json or its folder), by
 * Keras 3 (.keras) or by Keras 2 (.h5). Register custom layers first (registerLayer).
 * @example const model = await loadModel('my-model/');
 */
export async function loadModel<K extends OutputKind = any>(path: string, options?: LoadOptions | null): Promise<Model<K>> {
  if (arguments.length > 2) throw tooManyArguments('loadModel', 2, arguments.length);
  return (await loadAny(path, options)) as Model<K>;
}

/** loadModel under TensorFlow.js's name. */
export const loadLayersModel = loadModel;
