// keras.datasets.mnist.load_data: Keras's mnist.npz, downloaded once into the cache.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { fetchFile, member, ORIGIN_FOLDER, toTensor, type Splits } from './common';
import { readNpz } from './npy';

const OP = 'datasets.mnist.loadData';

/** Options of mnist.loadData (Keras's names, camelCase). */
export interface MnistLoadOptions {
  /** Where the file is cached: a name under the cache's datasets folder, or an absolute path (default 'mnist.npz'). */
  path?: string;
}

/**
 * Loads MNIST (keras.datasets.mnist.load_data): `[[xTrain, yTrain], [xTest, yTest]]`,
 * images [60000, 28, 28] and [10000, 28, 28], labels [60000] and [10000]. Keras's uint8
 * arrays are int32 tensors here (no uint8 dtype; the values 0-255 are kept, divide by 255
 * for pixels in [0, 1]). Downloads Keras's file once (sha256-checked) into the cache.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.mnist.loadData();
 */
export async function loadData(options: MnistLoadOptions = {}): Promise<Splits<Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  const file = await fetchFile(OP, o.path ?? 'mnist.npz', `${ORIGIN_FOLDER}mnist.npz`, '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1');
  const f = readNpz(file, OP);
  const get = (key: string) => toTensor(OP, `${file}'s ${key}`, member(OP, file, f, key));
  return [
    [get('x_train'), get('y_train')],
    [get('x_test'), get('y_test')],
  ];
}
