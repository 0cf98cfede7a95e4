// The new metrics in a .keras file's compile_config: written as Keras 3 classes with Keras's
// config keys, and rebuilt with their options by loadModel.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { layers, loadModel, metrics, sequential, type Model } from '../../src';
import { readZip } from '../../src/saving/zip';
import { tempDir } from '../saving/helpers';

const dir = tempDir();
const configOf = (file: string) => JSON.parse(new TextDecoder().decode(readZip(file, new Uint8Array(fs.readFileSync(file))).get('config.json')));

const made = () => [
  new metrics.TruePositives({ thresholds: [0.3, 0.7] }),
  new metrics.SensitivityAtSpecificity({ specificity: 0.4, numThresholds: 20 }),
  new metrics.IoU({ numClasses: 2, targetClassIds: [1], sparseYTrue: false, sparseYPred: false }),
  new metrics.BinaryIoU({ threshold: 0.3 }),
  new metrics.OneHotMeanIoU({ numClasses: 2 }),
  new metrics.PearsonCorrelation(),
  new metrics.CategoricalCrossentropy({ labelSmoothing: 0.1 }),
  new metrics.CosineSimilarity({ axis: -1 }),
];

test('written as Keras classes with snake_case configs, rebuilt with their options', async () => {
  const model = sequential({ layers: [layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })] });
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: made() });
  await model.fit([[0, 1, 2]], [[0, 1]], { epochs: 1, verbose: 0 });
  const file = path.join(dir, 'metrics.keras');
  await model.save(file);
  const written = configOf(file).compile_config.metrics as { class_name: string; config: Record<string, unknown> }[];
  expect(written.map((m) => m.class_name)).toEqual([
    'TruePositives',
    'SensitivityAtSpecificity',
    'IoU',
    'BinaryIoU',
    'OneHotMeanIoU',
    'PearsonCorrelation',
    'CategoricalCrossentropy',
    'CosineSimilarity',
  ]);
  expect(written[0].config).toEqual({ name: 'true_positives', thresholds: [0.3, 0.7] });
  expect(written[1].config).toEqual({ name: 'sensitivity_at_specificity', class_id: null, num_thresholds: 20, specificity: 0.4 });
  expect(written[2].config).toEqual({
    name: 'io_u',
    num_classes: 2,
    target_class_ids: [1],
    ignore_class: null,
    sparse_y_true: false,
    sparse_y_pred: false,
    axis: -1,
  });
  expect(written[3].config).toEqual({ name: 'binary_io_u', target_class_ids: [0, 1], threshold: 0.3 });
  expect(written[6].config).toEqual({ name: 'categorical_crossentropy', from_logits: false, label_smoothing: 0.1, axis: -1 });

  // Loaded, each metric is rebuilt with the options it was saved with: saved again, the same configs.
  const loaded = (await loadModel(file)) as Model<any>;
  const history = await loaded.fit([[0, 1, 2]], [[0, 1]], { epochs: 1, verbose: 0 });
  // A metric of several values logs one entry each (true_positives_0, true_positives_1).
  expect(Object.keys(history.history)).toEqual([
    'loss',
    'true_positives_0',
    'true_positives_1',
    'sensitivity_at_specificity',
    'io_u',
    'binary_io_u',
    'one_hot_mean_io_u',
    'pearson_correlation',
    'categorical_crossentropy',
    'cosine_similarity',
  ]);
  const again = path.join(dir, 'again.keras');
  await loaded.save(again);
  expect(configOf(again).compile_config.metrics).toEqual(written);
  model.dispose();
  loaded.dispose();
});
