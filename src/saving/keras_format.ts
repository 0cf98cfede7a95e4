// Keras 3's .keras files: a zip of metadata.json, config.json (the model's config in
// Keras 3's serialization format) and model.weights.h5 (Keras 3's weights layout).
import * as fs from 'node:fs';
import type { Layer } from '../layers/layer';
import { serializeLayer } from '../layers/serialization';
import { GraphModel } from '../models/graph_model';
import { writeFileAtomic } from './atomic_write';
import { saveResult, type SaveResult } from './save_result';
import { type Json } from './config_conversion';
import { buildConfigOf, loadInto, VERSION } from './build_model';
import { datasetShapes, loadH5, withH5, writeH5 } from './h5';
import { compileConfigOf, readKerasCompile, writeKerasOptimizer } from './keras_optimizer';
import { floatsInJson } from './json_floats';
import { parseKerasConfig } from './keras_json';
import { readKerasWeights, writeKerasWeights } from './keras_weights';
import { optimizerOf, type SaveOptions } from './tfjs_format';
import { requireBuilt } from './weights';
import { layerToDisk } from './model_config';
import { readZip, writeZip } from './zip';
import { loadVocabularyAssets } from './keras_assets';

// The Keras release whose format Tessera writes; Keras reads files of its own and older versions.
const KERAS_FORMAT_VERSION = '3.10.0';

/** config.json's contents for `model`, with its compile_config (Keras 3's, or null). */
export function kerasConfig(model: Layer<any>, compileConfig: Json = null): { [k: string]: Json } {
  const config = layerToDisk(serializeLayer(model), 'keras');
  const build = model instanceof GraphModel ? undefined : buildConfigOf(model);
  return { ...config, build_config: (build ?? null) as Json, compile_config: compileConfig };
}

// The compile configuration to write: asked for (includeOptimizer true), it must be
// writable; by default (Keras 3 always keeps it), one that is not (a loss function
// instead of a name) is left out with a warning rather than failing a checkpoint.
function compileConfigToWrite(model: Layer<any>, includeOptimizer: boolean | undefined): Json {
  if (includeOptimizer === false) return null;
  if (includeOptimizer === true && optimizerOf(model) === undefined)
    throw new Error(`${model.name}.save: includeOptimizer is true, but the model has no optimizer (compile it first)`);
  try {
    return compileConfigOf(model);
  } catch (e) {
    if (includeOptimizer === true) throw e;
    console.warn(`${(e as Error).message}. Saved without them.`);
    return null;
  }
}

/**
 * Saves `model` as a .keras file, atomically. As Keras 3 does, a compiled model keeps its
 * compile configuration and optimizer state unless `includeOptimizer` is false. The
 * SaveResult counts config.json (topology) and model.weights.h5 (weight data).
 */
export async function saveKeras(model: Layer<any>, file: string, options: SaveOptions = {}): Promise<SaveResult> {
  requireBuilt(`${model.name}.save`, model);
  const compileConfig = compileConfigToWrite(model, options.includeOptimizer);
  const withCompile = compileConfig !== null;
  const config = kerasConfig(model, compileConfig);
  const weights = await writeH5((f) => {
    writeKerasWeights(f, model);
    if (withCompile) writeKerasOptimizer(f, model);
  });
  const text = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
  const metadata = { keras_version: KERAS_FORMAT_VERSION, date_saved: new Date().toISOString(), generated_by: `Tessera ${VERSION}` };
  const configText = new TextEncoder().encode(floatsInJson(JSON.stringify(config)));
  await writeFileAtomic(
    file,
    writeZip(
      new Map([
        ['metadata.json', text(metadata)],
        ['config.json', configText],
        ['model.weights.h5', weights],
      ]),
    ),
  );
  // The weight specs are inside model.weights.h5 (HDF5 keeps names and shapes with the data).
  return saveResult({ topology: configText.byteLength, data: weights.byteLength });
}

function parseJson(source: string, entry: string, bytes: Uint8Array | undefined): unknown {
  if (bytes === undefined) throw new Error(`${source} has no ${entry}: it is not a Keras 3 .keras file (Keras 2 files end in .h5)`);
  try {
    return parseKerasConfig(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${source}: ${entry} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

/** Loads a Keras 3 .keras file. */
export async function loadKeras(file: string, withCompile = true): Promise<Layer<any>> {
  const entries = readZip(file, new Uint8Array(fs.readFileSync(file)));
  const config = parseJson(file, 'config.json', entries.get('config.json'));
  const weights = entries.get('model.weights.h5');
  if (weights === undefined) {
    const sharded = [...entries.keys()].some((k) => k.endsWith('.weights.json'));
    throw new Error(`${file} has no model.weights.h5${sharded ? ' (its weights are sharded, which Tessera does not read yet)' : ''}`);
  }
  const source = `${file} (model.weights.h5)`;
  // The weights' shapes, to check the config's layers against before any is built.
  const h5 = await loadH5(source, weights);
  const shapes = withH5(source, h5, (h5file, module) => datasetShapes(module, h5file));
  return loadInto(
    config,
    'keras',
    file,
    async (model) => {
      const [assign, compile] = withH5(source, h5, (h5file, module) => [
        readKerasWeights(file, module, h5file, model),
        withCompile ? readKerasCompile(file, (config as { compile_config?: unknown }).compile_config, module, h5file, model) : null,
      ]);
      assign();
      loadVocabularyAssets(file, entries, model);
      compile?.();
    },
    shapes,
  );
}
