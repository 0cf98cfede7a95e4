// keras.datasets.boston_housing.load_data.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { ORIGIN_FOLDER, type Splits } from './common';
import { loadHousing } from './housing';

const OP = 'datasets.bostonHousing.loadData';

/** Options of bostonHousing.loadData (Keras's names, camelCase). */
export interface BostonHousingLoadOptions {
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'boston_housing.npz'). */
  path?: string;
  /** The fraction of the rows kept for the test split, from 0 to 1 with 1 excluded (default 0.2). */
  testSplit?: number;
  /** The seed of numpy's RandomState that shuffles the rows before the split (default 113: Keras's split). */
  seed?: number;
}

/**
 * Loads the Boston Housing prices (keras.datasets.boston_housing.load_data):
 * `[[xTrain, yTrain], [xTest, yTest]]`, x [n, 13] and y [n] float64 (the file's dtype, as in
 * Keras; cast to float32 for training), rows shuffled and split exactly as Keras does for
 * the same seed. Keras warns of this data set's ethical problem (its "B" variable).
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.bostonHousing.loadData();
 */
export async function loadData(options: BostonHousingLoadOptions = {}): Promise<Splits<Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  return loadHousing(
    OP,
    { path: o.path ?? 'boston_housing.npz', testSplit: o.testSplit ?? 0.2, seed: o.seed ?? 113 },
    `${ORIGIN_FOLDER}boston_housing.npz`,
    'f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5',
  );
}
