// keras.datasets.california_housing.load_data.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { describe } from '../../tensor/shape';
import { ORIGIN_FOLDER, type Splits } from './common';
import { loadHousing } from './housing';

const OP = 'datasets.californiaHousing.loadData';

/** Options of californiaHousing.loadData (Keras's names, camelCase). */
export interface CaliforniaHousingLoadOptions {
  /** 'large' (default: all 20,640 rows) or 'small' (the first 600, a stand-in for Boston Housing). */
  version?: 'small' | 'large';
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'california_housing.npz'). */
  path?: string;
  /** The fraction of the rows kept for the test split, from 0 to 1 with 1 excluded (default 0.2). */
  testSplit?: number;
  /** The seed of numpy's RandomState that shuffles the rows before the split (default 113: Keras's split). */
  seed?: number;
}

/**
 * Loads the California Housing prices (keras.datasets.california_housing.load_data):
 * `[[xTrain, yTrain], [xTest, yTest]]`, x [n, 8] and y [n] (median house values in dollars)
 * in the file's float dtype, rows shuffled and split exactly as Keras does for the same seed.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.californiaHousing.loadData({ version: 'small' });
 */
export async function loadData(options: CaliforniaHousingLoadOptions = {}): Promise<Splits<Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  const version = o.version ?? 'large';
  if (version !== 'small' && version !== 'large') throw new Error(`${OP}: expected version 'small' or 'large', got ${describe(version)}`);
  return loadHousing(
    OP,
    { path: o.path ?? 'california_housing.npz', testSplit: o.testSplit ?? 0.2, seed: o.seed ?? 113 },
    `${ORIGIN_FOLDER}california_housing.npz`,
    '1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f',
    version === 'small' ? 600 : Infinity,
  );
}
