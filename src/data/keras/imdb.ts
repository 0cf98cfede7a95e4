// keras.datasets.imdb: movie reviews as word ids, labelled positive or negative.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { fetchFile, ORIGIN_FOLDER, type Splits } from './common';
import { RandomState } from './random_state';
import { checkSequenceOptions, clip, keepRows, readSequences, reindex, wordIndex, type SequenceLoadOptions } from './sequences';

const OP = 'datasets.imdb.loadData';

/**
 * Loads the IMDB reviews (keras.datasets.imdb.load_data): `[[xTrain, yTrain], [xTest,
 * yTest]]`, 25,000 reviews each, x as arrays of word ids (Keras's lists: the reviews
 * differ in length) and y int32 [n] tensors (0 negative, 1 positive). The options filter
 * and reindex the ids exactly as Keras's do; note that maxlen drops long reviews rather
 * than truncating them, and that without numWords the largest id becomes oovChar (both
 * Keras's behaviour). Downloads Keras's file once (sha256-checked) into the cache.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.imdb.loadData({ numWords: 10000 });
 */
export async function loadData(options: SequenceLoadOptions = {}): Promise<Splits<number[][], Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  const c = checkSequenceOptions(OP, o);
  const file = await fetchFile(OP, o.path ?? 'imdb.npz', `${ORIGIN_FOLDER}imdb.npz`, '69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f');
  const rng = new RandomState(c.seed);
  const train = readSequences(OP, file, 'x_train', 'y_train', c, rng);
  const test = readSequences(OP, file, 'x_test', 'y_test', c, rng);
  const [tr, te] = [reindex(train.xs, c), reindex(test.xs, c)];
  if (c.maxlen !== null && (tr.xs.length === 0 || te.xs.length === 0)) {
    train.labels.dispose();
    test.labels.dispose();
    throw new Error(`${OP}: after filtering for sequences shorter than maxlen=${c.maxlen}, no sequence was kept. Increase maxlen.`);
  }
  const xs = clip([...tr.xs, ...te.xs], c);
  return [
    [xs.slice(0, tr.xs.length), keepRows(train.labels, tr.kept)],
    [xs.slice(tr.xs.length), keepRows(test.labels, te.kept)],
  ];
}

/** Options of imdb.getWordIndex. */
export interface WordIndexOptions {
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'imdb_word_index.json'). */
  path?: string;
}

/**
 * The IMDB word index (keras.datasets.imdb.get_word_index): word to id, as a Map. The ids
 * in loadData's sequences are these plus indexFrom (3 by default).
 * @example const index = await ts.datasets.imdb.getWordIndex(); index.get('the'); // 1
 */
export async function getWordIndex(options: WordIndexOptions = {}): Promise<Map<string, number>> {
  const op = 'datasets.imdb.getWordIndex';
  if (arguments.length > 1) throw tooManyArguments(op, 1, arguments.length);
  const o = checkOptions(op, options, op);
  return wordIndex(op, o.path ?? 'imdb_word_index.json', `${ORIGIN_FOLDER}imdb_word_index.json`, 'bfafd718b763782e994055a2d397834f');
}
