// Keras 3's keras.utils.split_dataset: a left and a right Dataset from tensors (one, or an
// array or object of them sharing their rows) or from a Dataset's elements. The left split
// is the first leftSize samples, the right one the last rightSize (samples in between, when
// the sizes do not add up to all, are in neither), after a seeded shuffle when asked.
import { Dataset, shuffled, type Element } from '../data/dataset';
import { fromArrays, fromTensors, rowsOf, type TensorSliceDataset, type TensorStructure } from '../data/sources';
import { gather } from '../ops/gather';
import { checkOptions } from '../options/check';
import { tooManyArguments } from '../options/arity';
import { checkBoolean } from '../options/check_args';
import { tensor } from '../tensor/creation';
import { drawSeed } from '../tensor/seeded_random';
import { describe } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** Options of splitDataset (Keras's names, camelCase). */
export interface SplitDatasetOptions {
  /** An integer: the samples of the left split; a number in (0, 1): its fraction of them; absent: what rightSize leaves. */
  leftSize?: number | null;
  /** An integer: the samples of the right split; a number in (0, 1): its fraction of them; absent: what leftSize leaves. */
  rightSize?: number | null;
  /** Shuffle the samples before splitting (default false). */
  shuffle?: boolean;
  /** The shuffle's seed (default: one drawn from the global seed, see setRandomSeed). */
  seed?: number | null;
}

const OP = 'utils.splitDataset';

/**
 * Splits tensors (a Tensor, or an array or object of tensors with the same number of rows)
 * into two Datasets of their rows, or, given a Dataset, its elements (read in full; a
 * batched Dataset splits by batches, as Tessera does not know it is batched) into two,
 * resolving to them. At least one of leftSize and rightSize is needed.
 * @example const [train, test] = utils.splitDataset([x, y], { leftSize: 0.8 });
 */
export function splitDataset(dataset: TensorStructure, options: SplitDatasetOptions): [TensorSliceDataset, TensorSliceDataset];
export function splitDataset<T>(dataset: Dataset<T>, options: SplitDatasetOptions): Promise<[Dataset<T>, Dataset<T>]>;
export function splitDataset(
  dataset: TensorStructure | Dataset<unknown>,
  options: SplitDatasetOptions,
): [TensorSliceDataset, TensorSliceDataset] | Promise<[Dataset<unknown>, Dataset<unknown>]> {
  if (arguments.length > 2) throw tooManyArguments(OP, 2, arguments.length);
  const { leftSize = null, rightSize = null, shuffle = false, seed = null } = checkOptions(OP, options, OP);
  checkBoolean(OP, 'shuffle', shuffle);
  if (seed !== null && !Number.isSafeInteger(seed)) throw new Error(`${OP}: expected seed to be an integer, got ${describe(seed)}`);
  if (leftSize === null && rightSize === null)
    throw new Error(`${OP}: at least one of leftSize or rightSize must be given. Received: leftSize=null and rightSize=null`);
  if (dataset instanceof Dataset) {
    return dataset.toArray().then((elements) => {
      const [left, right] = splitIndices(elements.length, leftSize, rightSize, shuffle, seed);
      return [fromArrays(left.map((i) => elements[i] as Element)), fromArrays(right.map((i) => elements[i] as Element))] as [
        Dataset<unknown>,
        Dataset<unknown>,
      ];
    });
  }
  const n = rowsOf(OP, 'the dataset', dataset, 'a Tensor, an array or object of tensors with the same number of rows, or a Dataset');
  const [left, right] = splitIndices(n, leftSize, rightSize, shuffle, seed);
  return [fromTensors(rowsAt(dataset, left)), fromTensors(rowsAt(dataset, right))];
}

// The rows `indices` of every tensor of the structure.
function rowsAt(s: TensorStructure, indices: number[]): TensorStructure {
  const idx = tensor(indices, [indices.length], 'int32');
  try {
    if (s instanceof Tensor) return gather(s, idx);
    if (Array.isArray(s)) return s.map((t) => gather(t, idx));
    return Object.fromEntries(Object.entries(s).map(([k, t]) => [k, gather(t, idx)]));
  } finally {
    idx.dispose();
  }
}

// The sample indices of the left and right splits (Keras's _rescale_dataset_split_sizes).
function splitIndices(total: number, leftSize: unknown, rightSize: unknown, shuffle: boolean, seed: number | null): [number[], number[]] {
  const [l, r] = splitSizes(total, leftSize, rightSize);
  let order = Array.from({ length: total }, (_, i) => i);
  if (shuffle) order = shuffled(order, drawSeed(OP, seed));
  return [order.slice(0, l), order.slice(total - r)];
}

/** @internal Keras's split sizes and its errors: integers count samples, numbers in (0, 1) are fractions. */
export function splitSizes(total: number, leftSize: unknown, rightSize: unknown): [number, number] {
  const isSize = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  if (!isSize(leftSize) && !isSize(rightSize))
    throw new Error(
      `${OP}: invalid leftSize and rightSize types: expected a number or null, got leftSize=${describe(leftSize)} and rightSize=${describe(rightSize)}`,
    );
  if (!isSize(leftSize)) throw new Error(`${OP}: invalid leftSize type: expected a number or null, got ${describe(leftSize)}`);
  if (!isSize(rightSize)) throw new Error(`${OP}: invalid rightSize type: expected a number or null, got ${describe(rightSize)}`);
  const left = leftSize as number | null;
  const right = rightSize as number | null;
  if (left === 0 && right === 0) throw new Error(`${OP}: both leftSize and rightSize are zero; at least one of the split sizes must be non-zero`);
  const bad = (v: number | null) => v !== null && (Number.isInteger(v) ? v <= 0 || v >= total : v <= 0 || v >= 1);
  if (bad(left))
    throw new Error(
      `${OP}: leftSize should be either a positive integer smaller than ${total}, or a fraction within the range (0, 1). Received: leftSize=${left}`,
    );
  if (bad(right))
    throw new Error(
      `${OP}: rightSize should be either a positive integer smaller than ${total}, or a fraction within the range (0, 1). Received: rightSize=${right}`,
    );
  const fraction = (v: number | null) => v !== null && !Number.isInteger(v);
  if (fraction(left) && fraction(right) && left! + right! > 1)
    throw new Error(`${OP}: the sum of leftSize and rightSize is greater than 1; it must be less than or equal to 1`);
  // Python's round() of a fraction of the samples: half to even.
  const count = (v: number | null) => (v === null ? null : Number.isInteger(v) ? v : roundHalfEven(v * total));
  let l = count(left);
  let r = count(right);
  if (l === null) l = total - r!;
  else if (r === null) r = total - l;
  if (l + r! > total)
    throw new Error(`${OP}: the sum of leftSize and rightSize should be at most the ${total} samples. Received: leftSize + rightSize = ${l + r!}`);
  for (const [split, side] of [
    [l, 'left'],
    [r!, 'right'],
  ] as const) {
    if (split === 0)
      throw new Error(
        `${OP}: with a dataset of ${total} samples, leftSize=${l} and rightSize=${r}, the ${side} split would be empty; adjust leftSize or rightSize`,
      );
  }
  return [l, r!];
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (Math.abs(d - 0.5) > 1e-12) return Math.round(v);
  return f % 2 === 0 ? f : f + 1;
}
