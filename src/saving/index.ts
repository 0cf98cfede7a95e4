// Saving and loading models: TensorFlow.js's Layers format, Keras 3's .keras, Keras 2's .h5.
import type { Model } from '../models/model';
import type { OutputKind } from '../layers/layer';
import { loadModel as loadAny, type LoadOptions } from './save_model';
export type { LoadOptions } from './save_model';
// model.save / saveWeights / loadWeights, so that a model loaded from here can be saved.
import './model_methods';
import { tooManyArguments } from '../options/arity';

export type { SaveOptions } from './tfjs_format';
export type { SaveResult, ModelArtifactsInfo } from './save_result';
export type { CustomObjects } from '../serialization/custom_objects';
export { toTfjsArtifacts, fromTfjsArtifacts, type TfjsArtifacts } from './tfjs_format';

/**
 * Loads a model saved by model.save, by TensorFlow.js (model.json or its folder), by
 * Keras 3 (.keras) or by Keras 2 (.h5). Custom classes: registerLayer them first, or pass
 * them to this load only, as Keras 3's custom_objects: { customObjects: { MyLayer } }.
 * @example const model = await loadModel('my-model/', { customObjects: { MyLayer } });
 */
export async function loadModel<K extends OutputKind = any>(path: string, options?: LoadOptions | null): Promise<Model<K>> {
  if (arguments.length > 2) throw tooManyArguments('loadModel', 2, arguments.length);
  return (await loadAny(path, options)) as Model<K>;
}

/** loadModel under TensorFlow.js's name. */
export const loadLayersModel = loadModel;
