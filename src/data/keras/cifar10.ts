// keras.datasets.cifar10.load_data.
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { loadCifar } from './cifar';
import type { Splits } from './common';

/**
 * Loads CIFAR-10 (keras.datasets.cifar10.load_data): `[[xTrain, yTrain], [xTest, yTest]]`,
 * images [50000, 32, 32, 3] and [10000, 32, 32, 3] ([n, 3, 32, 32] when
 * config.imageDataFormat() is 'channelsFirst'), labels [50000, 1] and [10000, 1] of classes
 * 0-9. Keras's uint8 arrays are int32 tensors here (no uint8 dtype; values 0-255 kept).
 * Downloads and extracts the Toronto archive once (sha256-checked) into the cache.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.cifar10.loadData();
 */
export async function loadData(): Promise<Splits<Tensor>> {
  const op = 'datasets.cifar10.loadData';
  if (arguments.length > 0) throw tooManyArguments(op, 0, arguments.length);
  return loadCifar(
    op,
    'cifar-10-batches-py-target',
    'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz',
    '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce',
    'cifar-10-batches-py',
    [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`),
    ['test_batch'],
    'labels',
  );
}
