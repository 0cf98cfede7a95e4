// keras.datasets.reuters: newswires as word ids, labelled with one of 46 topics.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { checkTestSplit, fetchFile, ORIGIN_FOLDER, type Splits } from './common';
import { RandomState } from './random_state';
import { checkSequenceOptions, clip, keepRows, readSequences, reindex, splitAt, wordIndex, type SequenceLoadOptions } from './sequences';

const OP = 'datasets.reuters.loadData';

/** Options of reuters.loadData: imdb's, and the test split. */
export interface ReutersLoadOptions extends SequenceLoadOptions {
  /** The fraction of the newswires kept for the test split, from 0 to 1 with 1 excluded (default 0.2). */
  testSplit?: number;
}

/**
 * Loads the Reuters newswires (keras.datasets.reuters.load_data): `[[xTrain, yTrain],
 * [xTest, yTest]]`, x as arrays of word ids (Keras's lists) and y int32 [n] tensors of
 * topics 0-45 (getLabelNames). Shuffled, filtered, reindexed and split exactly as Keras
 * does for the same options; maxlen drops long newswires rather than truncating them.
 * Downloads Keras's file once (sha256-checked) into the cache.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.reuters.loadData({ numWords: 10000 });
 */
export async function loadData(options: ReutersLoadOptions = {}): Promise<Splits<number[][], Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  const c = checkSequenceOptions(OP, o);
  const testSplit = checkTestSplit(OP, o.testSplit ?? 0.2);
  const file = await fetchFile(OP, o.path ?? 'reuters.npz', `${ORIGIN_FOLDER}reuters.npz`, 'd6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916');
  const all = readSequences(OP, file, 'x', 'y', c, new RandomState(c.seed));
  const { xs, kept } = reindex(all.xs, c);
  if (xs.length === 0) {
    all.labels.dispose();
    throw new Error(`${OP}: after filtering for sequences shorter than maxlen=${c.maxlen}, no sequence was kept. Increase maxlen.`);
  }
  return splitAt(clip(xs, c), keepRows(all.labels, kept), testSplit);
}

/** Options of reuters.getWordIndex. */
export interface ReutersWordIndexOptions {
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'reuters_word_index.json'). */
  path?: string;
}

/**
 * The Reuters word index (keras.datasets.reuters.get_word_index): word to id, as a Map.
 * The ids in loadData's sequences are these plus indexFrom (3 by default).
 * @example const index = await ts.datasets.reuters.getWordIndex();
 */
export async function getWordIndex(options: ReutersWordIndexOptions = {}): Promise<Map<string, number>> {
  const op = 'datasets.reuters.getWordIndex';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  const o = checkOptions(op, options, op);
  return wordIndex(op, o.path ?? 'reuters_word_index.json', `${ORIGIN_FOLDER}reuters_word_index.json`, '4d44cc38712099c9e383dc6e5f11a921');
}

const LABELS = [
  'cocoa',
  'grain',
  'veg-oil',
  'earn',
  'acq',
  'wheat',
  'copper',
  'housing',
  'money-supply',
  'coffee',
  'sugar',
  'trade',
  'reserves',
  'ship',
  'cotton',
  'carcass',
  'crude',
  'nat-gas',
  'cpi',
  'money-fx',
  'interest',
  'gnp',
  'meal-feed',
  'alum',
  'oilseed',
  'gold',
  'tin',
  'strategic-metal',
  'livestock',
  'retail',
  'ipi',
  'iron-steel',
  'rubber',
  'heat',
  'jobs',
  'lei',
  'bop',
  'zinc',
  'orange',
  'pet-chem',
  'dlr',
  'gas',
  'silver',
  'wpi',
  'hog',
  'lead',
];

/**
 * The 46 topic names (keras.datasets.reuters.get_label_names), index = label.
 * @example ts.datasets.reuters.getLabelNames()[3]; // 'earn'
 */
export function getLabelNames(): string[] {
  if (arguments.length > 0) throw tooManyArguments('datasets.reuters.getLabelNames', 0, arguments.length);
  return [...LABELS];
}
