// Keras 3's keras.saving.save_model / save_weights / load_weights as functions: the
// argument checks of the function, then the model's own save / saveWeights / loadWeights.
import * as fs from 'node:fs';
import { Model } from '../models/model';
import { tooManyArguments } from '../options/arity';
import { checkOptions } from '../options/check';
import { checkBoolean } from '../options/check_args';
import { checkFilePath } from '../options/file_path';
import { describe } from '../tensor/shape';
import type { SaveOptions } from './tfjs_format';
import type { SaveResult } from './save_result';
import './model_methods';

/** Options of saving.saveModel: Keras 3's save_model arguments with model.save's. */
export interface SaveModelOptions extends SaveOptions {
  /**
   * Replace what is already at the path (default true). false refuses an existing path with
   * an error, where Keras asks at the terminal.
   */
  overwrite?: boolean;
}

/** Options of saving.saveWeights (Keras 3's save_weights arguments). */
export interface SaveWeightsOptions {
  /** Replace what is already at the path (default true); false refuses an existing path. */
  overwrite?: boolean;
}

/** Options of saving.loadWeights (Keras 3's load_weights arguments). */
export interface LoadWeightsOptions {
  /**
   * Skip weights whose shape does not match (Keras's skip_mismatch). Only false (the
   * default): every weight must match, and nothing changes unless all do.
   */
  skipMismatch?: boolean;
}

function checkModel(op: string, model: unknown): Model {
  if (!(model instanceof Model)) throw new Error(`${op}: expected model to be a Model (sequential, model or a Model subclass), got ${describe(model)}`);
  return model;
}

// Keras asks before replacing; a library cannot ask, so overwrite: false refuses.
function refuseExisting(op: string, p: string, overwrite: boolean): void {
  if (!overwrite && fs.existsSync(p)) throw new Error(`${op}: ${p} already exists and overwrite is false`);
}

/**
 * Saves `model` (config and weights) as model.save does: a '.keras' path writes a Keras 3
 * file, any other path a TensorFlow.js folder. Keras 3's keras.saving.save_model.
 * @example await ts.saving.saveModel(model, 'my-model.keras');
 */
export async function saveModel(model: Model, filepath: string, options?: SaveModelOptions | null): Promise<SaveResult> {
  const op = 'saving.saveModel';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  const m = checkModel(op, model);
  const p = checkFilePath(op, filepath);
  const { overwrite = true, ...saveOptions } = checkOptions(op, options, 'saving.saveModel');
  refuseExisting(op, p, checkBoolean(op, 'overwrite', overwrite));
  return m.save(p, saveOptions);
}

/**
 * Saves the weights of `model` as model.saveWeights does: 'name.weights.h5' (Keras 3's
 * layout) or a folder. Keras 3's keras.saving.save_weights.
 * @example await ts.saving.saveWeights(model, 'my.weights.h5');
 */
export async function saveWeights(model: Model, filepath: string, options?: SaveWeightsOptions | null): Promise<SaveResult> {
  const op = 'saving.saveWeights';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  const m = checkModel(op, model);
  const p = checkFilePath(op, filepath);
  const { overwrite = true } = checkOptions(op, options, 'saving.saveWeights');
  refuseExisting(op, p, checkBoolean(op, 'overwrite', overwrite));
  return m.saveWeights(p);
}

/**
 * Loads weights into `model` as model.loadWeights does (a .weights.h5, a Keras 2 .h5, or a
 * weights or model folder). Keras 3's keras.saving.load_weights.
 * @example await ts.saving.loadWeights(model, 'my.weights.h5');
 */
export async function loadWeights(model: Model, filepath: string, options?: LoadWeightsOptions | null): Promise<void> {
  const op = 'saving.loadWeights';
  if (arguments.length > 3) throw tooManyArguments(op, 3, arguments.length);
  const m = checkModel(op, model);
  const p = checkFilePath(op, filepath);
  const { skipMismatch = false } = checkOptions(op, options, 'saving.loadWeights');
  if (checkBoolean(op, 'skipMismatch', skipMismatch))
    throw new Error(`${op}: skipMismatch true is not supported (every weight must match the model; nothing changes unless all do)`);
  return m.loadWeights(p);
}
