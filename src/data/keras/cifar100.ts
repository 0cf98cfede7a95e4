// keras.datasets.cifar100.load_data.
import { checkOptions } from '../../options/check';
import { tooManyArguments } from '../../options/arity';
import type { Tensor } from '../../tensor/tensor';
import { describe } from '../../tensor/shape';
import { loadCifar } from './cifar';
import type { Splits } from './common';

const OP = 'datasets.cifar100.loadData';

/** Options of cifar100.loadData (Keras's names, camelCase). */
export interface Cifar100LoadOptions {
  /** 'fine' (default: the 100 classes) or 'coarse' (the 20 superclasses). */
  labelMode?: 'fine' | 'coarse';
}

/**
 * Loads CIFAR-100 (keras.datasets.cifar100.load_data): `[[xTrain, yTrain], [xTest, yTest]]`,
 * images [50000, 32, 32, 3] and [10000, 32, 32, 3] ([n, 3, 32, 32] when
 * config.imageDataFormat() is 'channelsFirst'), labels [50000, 1] and [10000, 1].
 * Keras's uint8 and int64 arrays are int32 tensors here (values kept). Downloads and
 * extracts the Toronto archive once (sha256-checked) into the cache.
 * @example const [[xTrain, yTrain], [xTest, yTest]] = await ts.datasets.cifar100.loadData({ labelMode: 'coarse' });
 */
export async function loadData(options: Cifar100LoadOptions = {}): Promise<Splits<Tensor>> {
  if (arguments.length > 1) throw tooManyArguments(OP, 1, arguments.length);
  const o = checkOptions(OP, options, OP);
  const labelMode = o.labelMode ?? 'fine';
  if (labelMode !== 'fine' && labelMode !== 'coarse') throw new Error(`${OP}: expected labelMode 'fine' or 'coarse', got ${describe(labelMode)}`);
  return loadCifar(
    OP,
    'cifar-100-python-target',
    'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz',
    '85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7',
    'cifar-100-python',
    ['train'],
    ['test'],
    `${labelMode}_labels`,
  );
}
