// Boston's and California's housing prices: an .npz of x and y, shuffled by numpy's
// RandomState(seed) and split as Keras splits them.
import type { Tensor } from '../../tensor/tensor';
import { checkTestSplit, fetchFile, member, toTensor, trainCount, type Splits } from './common';
import { readNpz } from './npy';
import { checkSeed, RandomState, shuffledIndices } from './random_state';

/** Reads x and y of `file`, keeps the first `limit` rows, shuffles them with `seed` and splits off testSplit of them. */
export async function loadHousing(
  op: string,
  o: { path: unknown; testSplit: unknown; seed: unknown },
  origin: string,
  hash: string,
  limit = Infinity,
): Promise<Splits<Tensor>> {
  const testSplit = checkTestSplit(op, o.testSplit);
  const seed = checkSeed(op, o.seed);
  const file = await fetchFile(op, o.path, origin, hash);
  const f = readNpz(file, op);
  const [x, y] = [member(op, file, f, 'x'), member(op, file, f, 'y')];
  if (x.shape[0] !== y.shape[0]) throw new Error(`${op}: ${file} has ${x.shape[0]} rows of x but ${y.shape[0]} of y`);
  const n = Math.min(x.shape[0], limit);
  const order = shuffledIndices(n, new RandomState(seed));
  const cut = trainCount(n, testSplit);
  const part = (a: typeof x, name: string, rows: Int32Array) => toTensor(op, `${file}'s ${name}`, a, rows);
  return [
    [part(x, 'x', order.subarray(0, cut)), part(y, 'y', order.subarray(0, cut))],
    [part(x, 'x', order.subarray(cut)), part(y, 'y', order.subarray(cut))],
  ];
}
