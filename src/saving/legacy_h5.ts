// Keras 2's .h5 files (read only): the model's config as the root attribute model_config
// (Keras 2's serialization, as TensorFlow.js's model.json has it) and the weights under
// model_weights/<layer>/ named by each layer group's weight_names ('dense/kernel:0').
// A file from Keras 2's save_weights has the layer groups at its root.
import type { Layer } from '../layers/layer';
import { loadInto } from './build_model';
import type { H5ReadGroup, H5ReadModule } from './h5';
import { childGroup, readH5 } from './h5';
import { datasetValue } from './keras_weights';
import { assignWeights, matchWeights, modelWeights, type WeightValue } from './weights';

const asStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/** True for a file laid out by Keras 2 (layer_names on the weights group). */
export function isLegacyLayout(module: H5ReadModule, file: H5ReadGroup): boolean {
  const g = childGroup(module, file, 'model_weights') ?? file;
  return 'layer_names' in g.attrs;
}

/** The weight values of a Keras 2 file, named as its weight_names say. */
export function legacyWeights(source: string, module: H5ReadModule, file: H5ReadGroup): WeightValue[] {
  const root = childGroup(module, file, 'model_weights') ?? file;
  const out: WeightValue[] = [];
  for (const layerName of asStrings(root.attrs.layer_names?.value)) {
    const group = childGroup(module, root, layerName);
    if (group === null) throw new Error(`${source} lists layer '${layerName}' in layer_names but has no group for it`);
    for (const weightName of asStrings(group.attrs.weight_names?.value)) {
      const ds = group.get(weightName);
      if (!(ds instanceof module.Dataset)) throw new Error(`${source}: weight '${weightName}' of layer '${layerName}' is missing`);
      out.push(datasetValue(source, weightName, ds));
    }
  }
  return out;
}

/** Loads a Keras 2 .h5 model file. */
export async function loadLegacyH5(file: string, bytes: Uint8Array): Promise<Layer<any>> {
  const { config, weights } = await readH5(file, bytes, (h5file, module) => {
    const raw = h5file.attrs.model_config?.value;
    if (typeof raw !== 'string') {
      throw new Error(
        `${file} has no model_config attribute: it is not a Keras 2 model file (for a weights-only .h5 file build the model and call model.loadWeights)`,
      );
    }
    let config: unknown;
    try {
      config = JSON.parse(raw);
    } catch (e) {
      throw new Error(`${file}: its model_config is not valid JSON (${(e as Error).message})`, { cause: e });
    }
    return { config, weights: legacyWeights(file, module, h5file) };
  });
  return loadInto(config, 'tfjs', file, (model) => assignWeights(matchWeights(model.name, file, modelWeights(model), weights)), weights);
}
