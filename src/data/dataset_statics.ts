// tf.data's static constructors on the Dataset class (Dataset.range, Dataset.fromTensorSlices,
// ...), installed here: sources.ts extends Dataset, so dataset.ts cannot import it back.
// The data module's index imports this file, so whoever reaches Dataset through ts.data
// finds them.
import { Dataset, type Element } from './dataset';
import { fromElement, fromTensorSlices, rangeOf, zip } from './sources';
import { chooseFromDatasets, sampleFromDatasets } from './sample_datasets';
import { describe } from '../tensor/shape';

Dataset.range = ((...args: unknown[]) => rangeOf('Dataset.range', args)) as typeof Dataset.range;
Dataset.fromTensorSlices = fromTensorSlices;
Dataset.fromTensors = fromElement;
Dataset.sampleFromDatasets = sampleFromDatasets;
Dataset.chooseFromDatasets = chooseFromDatasets;
// tf.data's zip takes the data sets one by one (zip(a, b)) or as one array or object.
Dataset.zip = (...datasets: unknown[]) => {
  if (datasets.length > 1 || datasets[0] instanceof Dataset) {
    datasets.forEach((d, i) => {
      if (!(d instanceof Dataset)) throw new Error(`Dataset.zip: expected Datasets, got ${describe(d)} at argument ${i}`);
    });
    return zip(datasets as Dataset<Element>[]);
  }
  return zip(datasets[0] as Dataset<Element>[]);
};
