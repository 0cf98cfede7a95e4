// A Keras 2 .h5 model file (Tessera reads these but does not write them), written with
// h5wasm as Keras 2's save does: model_config as a root attribute, each layer's weights
// under model_weights/<layer>/ named by its weight_names.
import { writeH5, ensureGroup } from '../../../src/saving/h5';

/** The bytes of a Keras 2 file of a model whose model.json (TensorFlow.js) is `modelJson`, with `values` by weight name ('hidden/kernel'). */
export function legacyH5(modelJson: { modelTopology: unknown }, values: { name: string; shape: number[]; values: Float32Array }[]): Promise<Uint8Array> {
  return writeH5((file) => {
    file.create_attribute('model_config', JSON.stringify(modelJson.modelTopology));
    file.create_attribute('keras_version', '2.15.0');
    file.create_attribute('backend', 'tensorflow');
    const root = ensureGroup(file, 'model_weights');
    const layers = [...new Set(values.map((v) => v.name.split('/')[0]))];
    root.create_attribute('layer_names', layers);
    for (const layer of layers) {
      const mine = values.filter((v) => v.name.startsWith(`${layer}/`));
      const group = ensureGroup(root, layer);
      group.create_attribute(
        'weight_names',
        mine.map((v) => `${v.name}:0`),
      );
      for (const v of mine) ensureGroup(group, layer).create_dataset({ name: `${v.name.split('/')[1]}:0`, data: v.values, shape: v.shape, dtype: '<f' });
    }
  });
}
